// Starting points for `Weft: New Flow`: each a small flow that runs and passes its own test as written.

export interface FlowTemplate {
  label: string;
  description: string;
  id: string;
  text(id: string): string;
}

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

export const FLOW_TEMPLATES: FlowTemplate[] = [
  {
    label: 'Blank flow',
    description: 'one transform node and a test',
    id: 'my-flow',
    text: (id) =>
      json({
        version: 1,
        id,
        inputs: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
        nodes: [{ id: 'greet', type: 'transform', config: { output: { message: 'Hello {{ trigger.name }}' } } }],
        tests: [{ name: 'greets by name', input: { name: 'Ada' }, expect: { output: { message: 'Hello Ada' } } }],
      }),
  },
  {
    label: 'Webhook → API call',
    description: 'receive a webhook, call an HTTP API, branch on the answer',
    id: 'on-webhook',
    text: (id) =>
      json({
        version: 1,
        id,
        triggers: [{ type: 'webhook', path: id }],
        inputs: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] },
        nodes: [
          { id: 'lookup', type: 'http', config: { url: 'https://api.example.test/people', query: { email: '{{ trigger.email }}' } }, retry: { maxAttempts: 3, delayMs: 500 } },
          { id: 'known', type: 'if', config: { condition: '{{ input.status == 200 }}' } },
          { id: 'welcome', type: 'transform', config: { output: { action: 'welcome-back', name: '{{ input.body.name }}' } } },
          { id: 'signup', type: 'transform', config: { output: { action: 'invite', email: '{{ trigger.email }}' } } },
        ],
        edges: [
          { from: 'lookup', to: 'known' },
          { from: 'known', port: 'true', to: 'welcome' },
          { from: 'known', port: 'false', to: 'signup' },
        ],
        tests: [
          {
            name: 'a known person is welcomed back',
            input: { email: 'ada@example.test' },
            mocks: { lookup: { output: { status: 200, headers: {}, body: { name: 'Ada' } } } },
            expect: { output: { action: 'welcome-back', name: 'Ada' } },
          },
        ],
      }),
  },
  {
    label: 'Nightly job',
    description: 'a schedule trigger, a filter and a loop',
    id: 'nightly',
    text: (id) =>
      json({
        version: 1,
        id,
        triggers: [{ type: 'schedule', cron: '0 2 * * *', timezone: 'UTC', input: { items: [] } }],
        nodes: [
          { id: 'pending', type: 'filter', config: { items: '{{ trigger.items }}', condition: '{{ !item.done }}' } },
          { id: 'each', type: 'loop', config: { items: '{{ input }}', body: { nodes: [{ id: 'note', type: 'log', config: { message: 'processing {{ item.id }}' } }] } } },
        ],
        edges: [{ from: 'pending', to: 'each' }],
        tests: [{ name: 'processes only pending items', input: { items: [{ id: 1, done: false }, { id: 2, done: true }] }, expect: { output: [{ id: 1, done: false }] } }],
      }),
  },
];
