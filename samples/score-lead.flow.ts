// The same model as a .flow.json, written in TypeScript: `code` nodes are real functions and may use the
// workspace's own modules.
import { flow } from 'weft';
import { isFreeMailDomain, scoreLead, type Lead } from './lib/scoring';

export default flow({
  version: 1,
  id: 'score-lead',
  name: 'Score a lead with the sales team’s own scoring code',
  inputs: {
    type: 'object',
    properties: { email: { type: 'string' }, employees: { type: 'number' }, visits: { type: 'number' } },
    required: ['email', 'employees', 'visits'],
  },
  nodes: [
    {
      id: 'score',
      type: 'code',
      config: {
        code: ({ trigger }: { trigger: Lead }) => ({
          value: isFreeMailDomain(trigger.email) ? 0 : scoreLead(trigger),
        }),
      },
    },
    { id: 'hot', type: 'if', config: { condition: '{{ nodes.score.value >= 80 }}' } },
    { id: 'notify', type: 'transform', config: { output: { channel: '#sales', text: 'Hot lead {{ trigger.email }} ({{ nodes.score.value }})' } } },
    { id: 'nurture', type: 'transform', config: { output: { list: 'nurture', email: '{{ trigger.email }}' } } },
  ],
  edges: [
    { from: 'score', to: 'hot' },
    { from: 'hot', port: 'true', to: 'notify' },
    { from: 'hot', port: 'false', to: 'nurture' },
  ],
  tests: [
    {
      name: 'a big company with many visits is hot',
      input: { email: 'ada@acme.test', employees: 400, visits: 7 },
      expect: { output: { channel: '#sales', text: 'Hot lead ada@acme.test (85)' } },
    },
    {
      name: 'a small company is nurtured',
      input: { email: 'bo@tiny.test', employees: 3, visits: 2 },
      expect: { output: { list: 'nurture' }, nodes: { notify: { status: 'skipped' } } },
    },
    {
      name: 'free mail addresses never score',
      input: { email: 'someone@gmail.com', employees: 5000, visits: 10 },
      expect: { output: { list: 'nurture' }, nodes: { score: { output: { value: 0 } } } },
    },
  ],
});
