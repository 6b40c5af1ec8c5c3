import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { HistoryStore } from '../../../src/engine/history/historyStore';
import { compileFlow } from '../../../src/engine/model/compileFlow';
import type { CompiledFlow } from '../../../src/engine/model/compiledFlow';
import type { RunRecord } from '../../../src/engine/run/runRecord';
import { LiveRuns } from '../../../src/live/liveRuns';

let dir: string;
let store: HistoryStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-liveruns-'));
  store = HistoryStore.open({ dir });
});
afterEach(async () => {
  await store.close();
  await rm(dir, { recursive: true, force: true });
});

function compile(definition: object): CompiledFlow {
  const { flow } = compileFlow(definition);
  if (!flow) throw new Error('test flow does not compile');
  return flow;
}

// trivial: out (transform)
const trivial = compile({ version: 1, id: 'trivial', nodes: [{ id: 'out', type: 'transform', config: { output: { ok: '{{ trigger.n }}' } } }] });
// waiting: sleep (wait 10 s) -> out
const waiting = compile({
  version: 1,
  id: 'waiting',
  nodes: [
    { id: 'sleep', type: 'wait', config: { ms: 10_000 } },
    { id: 'out', type: 'transform', config: { output: 1 } },
  ],
  edges: [{ from: 'sleep', to: 'out' }],
});

describe('LiveRuns', () => {
  it('writes a short run once, already finished, and reports its first checkpoint', async () => {
    // ARRANGE
    const saves = vi.spyOn(store, 'save');
    const runs = new LiveRuns(store);
    // ACT
    const run = runs.start(trivial, { input: { n: 3 }, trigger: { type: 'webhook' }, secrets: {} });
    await run.firstCheckpoint;
    const record = await run.done;
    // ASSERT
    expect(record.status).toBe('completed');
    expect(saves).toHaveBeenCalledTimes(1);
    expect((await store.get(run.executionId))?.output).toEqual({ ok: 3 });
    expect(runs.size).toBe(0);
  });

  it('suspends a run in flight: saved as interrupted, later checkpoints dropped, stopped', async () => {
    // ARRANGE
    const runs = new LiveRuns(store);
    const run = runs.start(waiting, { trigger: { type: 'webhook' }, secrets: {} });
    await run.firstCheckpoint;
    await new Promise((resolve) => setTimeout(resolve, 50));
    // ACT
    const suspended = await runs.suspendAll('stopping for the test');
    const final = await run.done;
    await store.flush();
    const saved = (await store.get(run.executionId)) as RunRecord;
    // ASSERT
    expect(suspended).toEqual([run.executionId]);
    expect(final.status).toBe('cancelled'); // in memory; never written
    expect(saved.status).toBe('interrupted');
    expect(saved.error?.message).toBe('stopping for the test');
    expect((saved.nodes.sleep.state as { until?: string }).until).toBeDefined();
    expect(runs.size).toBe(0);
  });

  it('cancels runs in flight on request, recording them cancelled', async () => {
    // ARRANGE
    const runs = new LiveRuns(store);
    const run = runs.start(waiting, { trigger: { type: 'schedule' }, secrets: {} });
    await run.firstCheckpoint;
    // ACT
    await runs.cancelAll();
    await store.flush();
    // ASSERT
    expect((await store.get(run.executionId))?.status).toBe('cancelled');
  });

  it('settle tells whether runs ended within the time given', async () => {
    // ARRANGE
    const runs = new LiveRuns(store);
    runs.start(waiting, { trigger: { type: 'webhook' }, secrets: {} });
    // ACT
    const settledEarly = await runs.settle(50);
    await runs.cancelAll();
    const settledAfter = await runs.settle(50);
    // ASSERT
    expect([settledEarly, settledAfter]).toEqual([false, true]);
  });
});
