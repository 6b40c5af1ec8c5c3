// `weft feedback` through the built command (dist/cli.js): marking a node of a recorded run correct or incorrect
// stores the verdict beside the run in .weft/feedback/ (the flow file is untouched), `--export jsonl` prints the
// evaluation set, and `--make-test` turns a verdict into a test case of the flow file that `weft test` runs.

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../src/engine/run/runRecord';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi';
import { assertCliBuilt, makeWorkspace, parseJsonOutput, runCli } from './runCli';

let dir: string;
let remove: () => Promise<void>;
let api: FakeOpenAi;
const env = { OPENAI_API_KEY: 'sk-fake-feedback-19c' };
const runs: RunRecord[] = [];
let flowText: string;

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('feedback'));
  api = await startFakeOpenAi();
  api.script('gpt-4o-mini', answer('low'));
  const triage = {
    version: 1,
    id: 'triage',
    nodes: [
      { id: 'ask', type: 'ai', config: { baseUrl: api.baseUrl, model: 'gpt-4o-mini', prompt: 'Priority of: {{ input.text }}' } },
      { id: 'route', type: 'transform', config: { output: { queue: "{{ nodes.ask.text == 'urgent' ? 'pager' : 'backlog' }}" } } },
    ],
    edges: [{ from: 'ask', to: 'route' }],
    output: '{{ nodes.route }}',
  };
  flowText = JSON.stringify(triage, null, 2);
  await writeFile(join(dir, 'triage.flow.json'), flowText);
  for (const text of ['printer on fire', 'coffee machine empty']) {
    const result = await runCli(['run', 'triage.flow.json', '--json', '--input', JSON.stringify({ text })], { cwd: dir, env });
    expect(result.code, result.stderr).toBe(0);
    runs.push(parseJsonOutput<RunRecord>(result));
  }
}, 120_000);

afterAll(async () => {
  await api?.close();
  await remove?.();
});

describe('weft feedback', () => {
  it('stores a verdict beside the run, not in the flow file, and exports the evaluation set as JSONL', async () => {
    // ACT
    const wrong = await runCli(
      ['feedback', runs[0].id, 'ask', '--incorrect', '--category', 'wrong-priority', '--note', 'a fire is urgent', '--expected', '{"text":"urgent"}'],
      { cwd: dir },
    );
    const right = await runCli(['feedback', runs[1].id, 'ask', '--correct'], { cwd: dir });
    const exported = await runCli(['feedback', '--export', 'jsonl', '--flow', 'triage'], { cwd: dir });

    // ASSERT
    expect(wrong.code, wrong.stderr).toBe(0);
    expect(right.code, right.stderr).toBe(0);
    expect(await readFile(join(dir, 'triage.flow.json'), 'utf8')).toBe(flowText);
    const stored = JSON.parse(await readFile(join(dir, '.weft', 'feedback', `${runs[0].id}.json`), 'utf8'));
    expect(stored.nodes.ask).toMatchObject({ verdict: 'incorrect', category: 'wrong-priority', note: 'a fire is urgent', expected: { text: 'urgent' } });
    expect(exported.code, exported.stderr).toBe(0);
    const rows = exported.stdout.trim().split('\n').map((line) => JSON.parse(line));
    expect(rows).toEqual([
      expect.objectContaining({
        runId: runs[0].id,
        nodeId: 'ask',
        input: { text: 'printer on fire' },
        nodeInput: runs[0].nodes.ask.input,
        output: expect.objectContaining({ text: 'low' }),
        verdict: 'incorrect',
        expected: { text: 'urgent' },
        category: 'wrong-priority',
      }),
      expect.objectContaining({ runId: runs[1].id, verdict: 'correct', expected: expect.objectContaining({ text: 'low' }) }),
    ]);
  });

  it('turns a verdict into a test case of the flow file, with the run’s mocks and the corrected output, that weft test runs', async () => {
    // ARRANGE: the route node decided wrongly in the first run (the model said low; the fire should be paged).
    await runCli(['feedback', runs[0].id, 'route', '--incorrect', '--expected', '{"queue":"pager"}'], { cwd: dir });

    // ACT
    const made = await runCli(['feedback', runs[0].id, 'route', '--make-test', '--name', 'fire goes to the pager'], { cwd: dir });
    const tested = await runCli(['test', 'triage.flow.json'], { cwd: dir, env });

    // ASSERT: a minimal edit (the rest of the file as it was), the ai node mocked with its recorded answer, and
    // the test fails as it should until the flow routes this case right.
    expect(made.code, made.stderr).toBe(0);
    const text = await readFile(join(dir, 'triage.flow.json'), 'utf8');
    expect(text.startsWith(flowText.slice(0, flowText.lastIndexOf('}')).trimEnd())).toBe(true);
    const test = JSON.parse(text).tests[0];
    expect(test).toMatchObject({
      name: 'fire goes to the pager',
      input: { text: 'printer on fire' },
      mocks: { ask: { output: expect.objectContaining({ text: 'low' }) } },
      expect: { nodes: { route: { status: 'completed', output: { queue: 'pager' } } } },
    });
    expect(tested.stdout).toMatch(/fire goes to the pager/);
    expect(tested.code).toBe(1);
  });

  it('refuses a mark that says neither correct nor incorrect, and a node the run does not have', async () => {
    // ACT
    const neither = await runCli(['feedback', runs[0].id, 'ask'], { cwd: dir });
    const unknown = await runCli(['feedback', runs[0].id, 'nope', '--correct'], { cwd: dir });

    // ASSERT
    expect(neither.code).toBe(2);
    expect(neither.stderr).toMatch(/--correct or --incorrect/);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/no node 'nope'/);
  });
});
