import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, launch, lineOf, nextStop, scopeValues, startHarness, type Harness } from './dapHarness';

const SMALL = { file: 'branching.flow.json', lines: [{ line: lineOf('branching.flow.json', '"id": "small"') }] };
const DONE_LINE = { line: lineOf('branching.flow.json', '"id": "done"') };

describe('flow debugger: variables, evaluate, set value, skip, exceptions, conditions, logpoints', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('shows the paused node’s Input, Config, Trigger, Nodes, Variables and Execution', async () => {
    await launch(h, { flow: 'branching.flow.json', input: { n: 5, tag: 'x' }, breakpoints: [SMALL] });
    await nextStop(h);
    const scopes = await h.client.scopesRequest({ frameId: 1 });
    expect(scopes.body.scopes.map((s) => s.name)).toEqual(['Input', 'Config', 'Trigger', 'Nodes', 'Variables', 'Execution']);
    const input = await scopeValues(h, 1, 'Input');
    expect(input.n).toMatchObject({ value: '5', evaluateName: 'input.n' });
    const config = await scopeValues(h, 1, 'Config');
    expect(JSON.parse(config.output.value)).toEqual({ size: 'small', n: 5 });
    const nodes = await scopeValues(h, 1, 'Nodes');
    expect(Object.keys(nodes)).toEqual(['start', 'check']);
    // Lazily expanded: an object has a reference of its own.
    expect(nodes.start.variablesReference).toBeGreaterThan(0);
    const start = await h.client.variablesRequest({ variablesReference: nodes.start.variablesReference });
    expect(start.body.variables.map((v) => [v.name, v.value])).toEqual([
      ['n', '5'],
      ['tag', '"x"'],
    ]);
    const execution = await scopeValues(h, 1, 'Execution');
    expect(execution.node.value).toBe('"small"');
  });

  it('shows the Config with secret values hidden, as history and logs keep them', async () => {
    process.env.WEFT_DEBUG_TEST_TOKEN = 'tok-debug-9f8e7d6c';
    try {
      await launch(h, { flow: 'secret.flow.json', breakpoints: [{ file: 'secret.flow.json', lines: [{ line: lineOf('secret.flow.json', '"id": "call"') }] }] });
      await nextStop(h);
      const config = await scopeValues(h, 1, 'Config');
      const shown = JSON.stringify(await h.client.variablesRequest({ variablesReference: config.output.variablesReference }));
      expect(shown).toContain('Bearer ***');
      expect(shown).not.toContain('tok-debug-9f8e7d6c');
    } finally {
      delete process.env.WEFT_DEBUG_TEST_TOKEN;
    }
  });

  it('hides a secret value a node echoed in its output, in the Nodes scope and in what the debug console evaluates', async () => {
    process.env.WEFT_DEBUG_TEST_TOKEN = 'tok-debug-9f8e7d6c';
    try {
      await launch(h, { flow: 'secret.flow.json', breakpoints: [{ file: 'secret.flow.json', lines: [{ line: lineOf('secret.flow.json', '"id": "after"') }] }] });
      await nextStop(h);
      const nodes = await scopeValues(h, 1, 'Nodes');
      const call = await h.client.variablesRequest({ variablesReference: nodes.call.variablesReference });
      const watched = await h.client.evaluateRequest({ expression: 'nodes.call.auth', context: 'watch', frameId: 1 });
      const printed = await h.client.evaluateRequest({ expression: '{{ nodes.call }}', context: 'repl', frameId: 1 });
      const shown = JSON.stringify([nodes, call.body, watched.body, printed.body]);
      expect(shown).toContain('Bearer ***');
      expect(shown).not.toContain('tok-debug-9f8e7d6c');
    } finally {
      delete process.env.WEFT_DEBUG_TEST_TOKEN;
    }
  });

  it('pages a large array (indexed variables)', async () => {
    const items = Array.from({ length: 250 }, (_, i) => i);
    await launch(h, { flow: 'loop.flow.json', input: { items }, breakpoints: [{ file: 'loop.flow.json', lines: [{ line: lineOf('loop.flow.json', '"id": "each"') }] }] });
    await nextStop(h);
    const scopes = await h.client.scopesRequest({ frameId: 1 });
    const input = scopes.body.scopes.find((s) => s.name === 'Input')!;
    expect(input.indexedVariables).toBe(250);
    const page = await h.client.variablesRequest({ variablesReference: input.variablesReference, filter: 'indexed', start: 200, count: 3 });
    expect(page.body.variables.map((v) => [v.name, v.value])).toEqual([
      ['200', '200'],
      ['201', '201'],
      ['202', '202'],
    ]);
  });

  it('Set Value on the Input changes what the node receives, so its output', async () => {
    await launch(h, { flow: 'branching.flow.json', input: { n: 5 }, breakpoints: [{ file: 'branching.flow.json', lines: [{ line: lineOf('branching.flow.json', '"id": "small"') }, DONE_LINE] }] });
    await nextStop(h);
    const scopes = await h.client.scopesRequest({ frameId: 1 });
    const input = scopes.body.scopes.find((s) => s.name === 'Input')!;
    const set = await h.client.setVariableRequest({ variablesReference: input.variablesReference, name: 'n', value: '7' });
    expect(set.body.value).toBe('7');
    // The upstream node's output is untouched: only this node's input changed.
    const upstream = await h.client.evaluateRequest({ expression: 'nodes.check.n', context: 'watch', frameId: 1 });
    expect(upstream.body.result).toBe('5');
    await h.client.continueRequest({ threadId: 1 });
    const atDone = await nextStop(h);
    expect(atDone.nodeId).toBe('done');
    const received = await h.client.evaluateRequest({ expression: '{{ input }}', context: 'repl', frameId: 1 });
    expect(JSON.parse(received.body.result)).toEqual({ size: 'small', n: 7 });
  });

  it('evaluates {{ }} templates and bare expressions in the node’s scope, and completes names', async () => {
    await launch(h, { flow: 'branching.flow.json', input: { n: 5, tag: 'x' }, breakpoints: [SMALL] });
    await nextStop(h);
    const sum = await h.client.evaluateRequest({ expression: '{{ input.n + 1 }}', context: 'repl', frameId: 1 });
    expect(sum.body.result).toBe('6');
    const text = await h.client.evaluateRequest({ expression: 'n is {{ trigger.n }}', context: 'watch', frameId: 1 });
    expect(text.body.result).toBe('"n is 5"');
    const bare = await h.client.evaluateRequest({ expression: 'upper(trigger.tag)', context: 'watch', frameId: 1 });
    expect(bare.body.result).toBe('"X"');
    await expect(h.client.evaluateRequest({ expression: 'input.', context: 'watch', frameId: 1 })).rejects.toThrow();
    const roots = await h.client.completionsRequest({ text: 'inp', column: 4, frameId: 1 });
    expect(roots.body.targets.map((t) => t.label)).toContain('input');
    const keys = await h.client.completionsRequest({ text: 'nodes.start.', column: 13, frameId: 1 });
    expect(keys.body.targets.map((t) => t.label)).toEqual(['n', 'tag']);
  });

  it('weftSkipNode marks the paused node skipped with the given output, which flows on', async () => {
    await launch(h, { flow: 'branching.flow.json', input: { n: 5 }, breakpoints: [{ file: 'branching.flow.json', lines: [{ line: lineOf('branching.flow.json', '"id": "small"') }, DONE_LINE] }] });
    await nextStop(h);
    await h.client.customRequest('weftSkipNode', { output: { replaced: true } });
    const atDone = await nextStop(h);
    expect(atDone.nodeId).toBe('done');
    const input = await h.client.evaluateRequest({ expression: 'input', context: 'repl', frameId: 1 });
    expect(JSON.parse(input.body.result)).toEqual({ replaced: true });
    await h.client.continueRequest({ threadId: 1 });
    await h.events.next('terminated');
    const { HistoryStore } = await import('../../../src/engine/history/historyStore');
    const store = HistoryStore.open({ dir: h.historyDir });
    const [summary] = await store.list({});
    const record = await store.get(summary.id);
    await store.close();
    expect(record?.nodes.small).toMatchObject({ status: 'skipped', output: { replaced: true } });
    expect(record?.output).toEqual({ replaced: true });
  });

  it('exception filter "failed" stops after the node that fails the run, not after a handled error', async () => {
    await launch(h, { flow: 'failing.flow.json', input: {}, exceptionFilters: ['failed'] });
    const stop = await nextStop(h);
    expect([stop.reason, stop.nodeId]).toEqual(['exception', 'boom']);
    expect(stop.event.body.text).toBe('it broke: handled failure');
    const info = await h.client.exceptionInfoRequest({ threadId: 1 });
    expect(info.body).toMatchObject({ description: 'it broke: handled failure', breakMode: 'unhandled' });
    await h.client.continueRequest({ threadId: 1 });
    await h.events.next('terminated');
  });

  it('exception filter "errors" stops after handled errors too; restart frame runs the node again', async () => {
    await launch(h, { flow: 'failing.flow.json', input: {}, exceptionFilters: ['errors'] });
    const handled = await nextStop(h);
    expect([handled.reason, handled.nodeId]).toEqual(['exception', 'handled']);
    const info = await h.client.exceptionInfoRequest({ threadId: 1 });
    expect(info.body.breakMode).toBe('always');
    await h.client.restartFrameRequest({ frameId: 1 });
    const again = await nextStop(h);
    expect([again.reason, again.nodeId]).toEqual(['step', 'handled']);
    await h.client.continueRequest({ threadId: 1 });
    expect((await nextStop(h)).nodeId).toBe('handled');
    await h.client.continueRequest({ threadId: 1 });
    expect((await nextStop(h)).nodeId).toBe('boom');
  });

  it('a conditional breakpoint stops only where its {{ }} condition holds', async () => {
    const line = lineOf('loop.flow.json', '"id": "double"');
    await launch(h, { flow: 'loop.flow.json', input: { items: [1, 2, 3] }, breakpoints: [{ file: 'loop.flow.json', lines: [{ line, condition: '{{ item == 2 }}' }] }] });
    const stop = await nextStop(h);
    expect(stop.nodeId).toBe('double');
    const item = await h.client.evaluateRequest({ expression: 'item', context: 'watch', frameId: 1 });
    expect(item.body.result).toBe('2');
    await h.client.continueRequest({ threadId: 1 });
    await h.events.next('terminated');
  });

  it('a hit count stops on the nth hit', async () => {
    const line = lineOf('loop.flow.json', '"id": "double"');
    await launch(h, { flow: 'loop.flow.json', input: { items: [1, 2, 3] }, breakpoints: [{ file: 'loop.flow.json', lines: [{ line, hitCondition: '3' }] }] });
    await nextStop(h);
    const item = await h.client.evaluateRequest({ expression: 'index', context: 'watch', frameId: 1 });
    expect(item.body.result).toBe('2');
    await h.client.continueRequest({ threadId: 1 });
    await h.events.next('terminated');
  });

  it('a logpoint logs its template at each hit without stopping', async () => {
    const line = lineOf('loop.flow.json', '"id": "double"');
    await launch(h, { flow: 'loop.flow.json', input: { items: [1, 2, 3] }, breakpoints: [{ file: 'loop.flow.json', lines: [{ line, logMessage: 'doubling {{ item }}' }] }] });
    await h.events.next('terminated');
    expect(h.events.outputs().filter((text) => text.startsWith('doubling'))).toEqual(['doubling 1\n', 'doubling 2\n', 'doubling 3\n']);
  });

  it('fromTest runs with the test case’s input and mocks', async () => {
    await launch(h, { flow: 'branching.flow.json', fromTest: 'a big number', breakpoints: [{ file: 'branching.flow.json', lines: [{ line: lineOf('branching.flow.json', '"id": "check"') }] }] });
    await nextStop(h);
    const input = await h.client.evaluateRequest({ expression: 'input', context: 'repl', frameId: 1 });
    expect(JSON.parse(input.body.result)).toEqual({ n: 99, tag: 'mocked' });
  });

  it('fromRun runs with the input of a recorded run', async () => {
    const { runFlow } = await import('../../../src/api/runFlow');
    const earlier = await runFlow(fixture('branching.flow.json'), { input: { n: 33, tag: 'recorded' }, history: h.historyDir });
    await launch(h, { flow: 'branching.flow.json', fromRun: earlier.id, breakpoints: [{ file: 'branching.flow.json', lines: [{ line: lineOf('branching.flow.json', '"id": "check"') }] }] });
    await nextStop(h);
    const input = await h.client.evaluateRequest({ expression: 'input', context: 'repl', frameId: 1 });
    expect(JSON.parse(input.body.result)).toEqual({ n: 33, tag: 'recorded' });
  });
});
