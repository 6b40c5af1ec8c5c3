import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fixture, launch, lineOf, nextStop, startHarness, type Harness } from './dapHarness';

describe('flow debugger: breakpoints', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('verifies a breakpoint inside a node and moves it to the node’s first line; one outside any node is unverified', async () => {
    const startFirstLine = lineOf('branching.flow.json', '"id": "start"') - 1;
    const insideStart = lineOf('branching.flow.json', '"config": { "output": { "n"');
    const edges = lineOf('branching.flow.json', '"edges": [');
    const [answers] = await launch(h, {
      flow: 'branching.flow.json',
      input: { n: 5 },
      breakpoints: [{ file: 'branching.flow.json', lines: [{ line: insideStart }, { line: edges }] }],
    });
    expect(answers[0]).toMatchObject({ verified: true, line: startFirstLine });
    expect(answers[1].verified).toBe(false);
    expect(answers[1].message).toMatch(/not inside a node/i);

    const stop = await nextStop(h);
    expect(stop.reason).toBe('breakpoint');
    expect(stop.nodeId).toBe('start');
    expect(stop.frames[0].source?.path).toBe(fixture('branching.flow.json'));
    expect(stop.frames[0].line).toBe(startFirstLine);
    expect(stop.event.body.hitBreakpointIds).toEqual([answers[0].id]);
    const paused = await h.events.next('weftPaused');
    expect(paused.body).toMatchObject({ nodeId: 'start', flowPath: fixture('branching.flow.json'), path: ['branching', 'start'] });
    expect(typeof paused.body.executionId).toBe('string');

    await h.client.continueRequest({ threadId: 1 });
    await h.events.next('weftResumed');
    await h.events.next('terminated');
  });
});

describe('flow debugger: breakpoints in a .flow.ts', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('maps a line inside a node’s definition to the node, and a line outside the nodes to none', async () => {
    const secondOpens = lineOf('typed.flow.ts', "id: 'second'") - 1;
    const insideCode = lineOf('typed.flow.ts', 'code: ({ input }');
    const edges = lineOf('typed.flow.ts', 'edges: [');
    const [answers] = await launch(h, {
      flow: 'typed.flow.ts',
      input: { n: 4 },
      breakpoints: [{ file: 'typed.flow.ts', lines: [{ line: insideCode }, { line: edges }] }],
    });
    expect(answers[0]).toMatchObject({ verified: true, line: secondOpens });
    expect(answers[1].verified).toBe(false);
    const stop = await nextStop(h);
    expect([stop.reason, stop.nodeId]).toEqual(['breakpoint', 'second']);
    expect(stop.frames[0]).toMatchObject({ line: secondOpens, source: { path: fixture('typed.flow.ts') } });
    const input = await h.client.evaluateRequest({ expression: 'input.n', context: 'watch', frameId: 1 });
    expect(input.body.result).toBe('4');
  });
});
