import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, launch, lineOf, nextStop, startHarness, type Harness } from './dapHarness';

describe('flow debugger: stepping', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('stops on entry, and step over goes node by node in execution order along the branch taken', async () => {
    await launch(h, { flow: 'branching.flow.json', input: { n: 5 }, stopOnEntry: true });
    const first = await nextStop(h);
    expect([first.reason, first.nodeId]).toEqual(['entry', 'start']);
    const order = [first.nodeId];
    for (let i = 0; i < 3; i++) {
      await h.client.nextRequest({ threadId: 1 });
      const stop = await nextStop(h);
      expect(stop.reason).toBe('step');
      order.push(stop.nodeId);
    }
    await h.client.nextRequest({ threadId: 1 });
    await h.events.next('terminated');
    expect(order).toEqual(['start', 'check', 'small', 'done']);
  });

  it('steps into a loop’s first iteration, shows the iteration in the call stack, and steps out to the node after the loop', async () => {
    await launch(h, {
      flow: 'loop.flow.json',
      input: { items: [1, 2, 3] },
      breakpoints: [{ file: 'loop.flow.json', lines: [{ line: lineOf('loop.flow.json', '"id": "each"') }] }],
    });
    const atLoop = await nextStop(h);
    expect(atLoop.nodeId).toBe('each');
    await h.client.stepInRequest({ threadId: 1 });
    const inBody = await nextStop(h);
    expect(inBody.reason).toBe('step');
    expect(inBody.frames.map((f) => f.name)).toEqual(['double', 'each › iteration 0']);
    expect(inBody.frames[0].line).toBe(lineOf('loop.flow.json', '"id": "double"') - 1);
    // Only the paused node's frame restarts: not the loop that holds it.
    expect(inBody.frames.map((f) => f.canRestart)).toEqual([true, false]);
    await expect(h.client.restartFrameRequest({ frameId: inBody.frames[1].id })).rejects.toThrow(/own frame/);
    const paused = await h.events.next('weftPaused');
    await h.events.next('weftPaused');
    expect(paused.body.path).toEqual(['loop', 'each']);
    await h.client.stepOutRequest({ threadId: 1 });
    const after = await nextStop(h);
    expect(after.nodeId).toBe('total');
    expect(after.frames).toHaveLength(1);
  });

  it('step over a loop node runs all its iterations and stops at the next node', async () => {
    await launch(h, {
      flow: 'loop.flow.json',
      input: { items: [1, 2, 3] },
      breakpoints: [{ file: 'loop.flow.json', lines: [{ line: lineOf('loop.flow.json', '"id": "each"') }] }],
    });
    expect((await nextStop(h)).nodeId).toBe('each');
    await h.client.nextRequest({ threadId: 1 });
    const next = await nextStop(h);
    expect(next.nodeId).toBe('total');
    const nodes = await h.client.evaluateRequest({ expression: 'input', context: 'watch', frameId: 1 });
    expect(nodes.body.result).toContain('[2,4,6]');
  });

  it('steps into a subflow’s run (its file and flow in the path) and out back to the parent', async () => {
    await launch(h, {
      flow: 'parent.flow.json',
      input: { name: 'Ada' },
      breakpoints: [{ file: 'parent.flow.json', lines: [{ line: lineOf('parent.flow.json', '"id": "call"') }] }],
    });
    expect((await nextStop(h)).nodeId).toBe('call');
    await h.events.next('weftPaused');
    await h.client.stepInRequest({ threadId: 1 });
    const inner = await nextStop(h);
    expect(inner.nodeId).toBe('inner');
    expect(inner.frames[0].source?.path).toBe(fixture('child.flow.json'));
    expect(inner.frames[1].name).toBe('call › child');
    const paused = await h.events.next('weftPaused');
    expect(paused.body).toMatchObject({ nodeId: 'inner', flowPath: fixture('child.flow.json'), path: ['parent', 'call', 'child', 'inner'] });
    await h.client.stepOutRequest({ threadId: 1 });
    const after = await nextStop(h);
    expect(after.nodeId).toBe('after');
    const input = await h.client.evaluateRequest({ expression: 'input.greeting', context: 'watch', frameId: 1 });
    expect(input.body.result).toBe('"hello Ada"');
  });

  it('pause stops before the next node starts (the running one finishes)', async () => {
    await launch(h, { flow: 'slow.flow.json', input: {}, stopOnEntry: true });
    expect((await nextStop(h)).nodeId).toBe('slow');
    await h.client.continueRequest({ threadId: 1 });
    await h.events.next('weftResumed');
    await h.client.pauseRequest({ threadId: 1 });
    const paused = await nextStop(h);
    expect([paused.reason, paused.nodeId]).toEqual(['pause', 'after']);
  });

  it('terminate ends a paused run: cancelled in history, terminated event', async () => {
    await launch(h, { flow: 'branching.flow.json', input: { n: 5 }, stopOnEntry: true });
    await nextStop(h);
    await h.client.terminateRequest({});
    await h.events.next('terminated');
    const { HistoryStore } = await import('../../../src/engine/history/historyStore');
    const store = HistoryStore.open({ dir: h.historyDir });
    const runs = await store.list({});
    await store.close();
    expect(runs.map((r) => r.status)).toEqual(['cancelled']);
  });
});
