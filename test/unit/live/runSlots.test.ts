import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../src/engine/model/compileFlow';
import type { CompiledFlow } from '../../../src/engine/model/compiledFlow';
import type { RunRecord } from '../../../src/engine/run/runRecord';
import type { CancelOutcome, LiveRun, RunDispatcher, StartRunOptions } from '../../../src/live/runDispatcher';
import { RunSlots } from '../../../src/live/runSlots';

const flow = compileFlow({ version: 1, id: 'f', nodes: [{ id: 'out', type: 'transform', config: { output: 1 } }] }).flow as CompiledFlow;

/** A dispatcher whose runs end when the test says so. */
class FakeRuns implements RunDispatcher {
  readonly started: string[] = [];
  private readonly finishers = new Map<string, (status: RunRecord['status']) => void>();
  get size(): number {
    return this.finishers.size;
  }
  ids(): string[] {
    return [...this.finishers.keys()];
  }
  start(compiled: CompiledFlow, options: StartRunOptions): LiveRun {
    const executionId = options.executionId ?? `run-${this.started.length + 1}`;
    this.started.push(executionId);
    let finish!: (status: RunRecord['status']) => void;
    const done = new Promise<RunRecord>((resolve) => {
      finish = (status) => {
        this.finishers.delete(executionId);
        resolve({ id: executionId, status } as RunRecord);
      };
    });
    this.finishers.set(executionId, finish);
    return { executionId, flowId: compiled.id, firstCheckpoint: Promise.resolve(), done };
  }
  end(executionId: string, status: RunRecord['status'] = 'completed'): void {
    this.finishers.get(executionId)!(status);
  }
  async cancel(executionId: string): Promise<CancelOutcome> {
    if (!this.finishers.has(executionId)) return 'not-found';
    this.end(executionId, 'cancelled');
    return 'cancelled';
  }
  async settle(): Promise<boolean> {
    return this.size === 0;
  }
  async cancelAll(): Promise<void> {
    for (const id of this.ids()) this.end(id, 'cancelled');
  }
  async suspendAll(): Promise<string[]> {
    return [];
  }
}

const options: StartRunOptions = { trigger: { type: 'api' }, secrets: {} };

describe('RunSlots', () => {
  it('runs at most `concurrency` at once and starts the backlog oldest first as slots free up', async () => {
    // ARRANGE
    const inner = new FakeRuns();
    const slots = new RunSlots(inner, { concurrency: 2, backlog: 5 });
    // ACT
    const runs = [1, 2, 3, 4].map(() => slots.start(flow, options));
    // ASSERT
    expect(inner.started).toEqual([runs[0].executionId, runs[1].executionId]);
    expect(slots.status()).toEqual({ concurrency: 2, backlog: 5, running: 2, queued: 2 });
    expect(slots.size).toBe(4);
    // ACT
    inner.end(runs[0].executionId);
    await runs[2].firstCheckpoint;
    // ASSERT: the third starts under the id it was given at once
    expect(inner.started).toEqual([runs[0].executionId, runs[1].executionId, runs[2].executionId]);
    expect(slots.status()).toMatchObject({ running: 2, queued: 1 });
    inner.end(runs[2].executionId);
    expect((await runs[2].done).id).toBe(runs[2].executionId);
  });

  it('admits while a slot or the backlog has room, and refuses with a retry time past it', () => {
    // ARRANGE
    const slots = new RunSlots(new FakeRuns(), { concurrency: 1, backlog: 1 });
    // ACT / ASSERT
    expect(slots.admit().ok).toBe(true);
    slots.start(flow, options);
    expect(slots.admit().ok).toBe(true);
    slots.start(flow, options);
    const refused = slots.admit();
    expect(refused).toMatchObject({ ok: false, retryAfterSeconds: 1 });
  });

  it('cancels a run waiting in the backlog: it gets its cancelled record without waiting for a slot', async () => {
    // ARRANGE
    const inner = new FakeRuns();
    const slots = new RunSlots(inner, { concurrency: 1, backlog: 2 });
    slots.start(flow, options);
    const waiting = slots.start(flow, options);
    // ACT
    const outcome = await slots.cancel(waiting.executionId);
    // ASSERT
    expect(outcome).toBe('cancelled');
    expect((await waiting.done).status).toBe('cancelled');
    expect(slots.status()).toMatchObject({ running: 1, queued: 0 });
  });

  it('tells whoever waits on a backlog run that it will not start when the server stops', async () => {
    // ARRANGE
    const inner = new FakeRuns();
    const slots = new RunSlots(inner, { concurrency: 1, backlog: 2 });
    slots.start(flow, options);
    const waiting = slots.start(flow, options);
    // ACT
    await slots.suspendAll('stopping');
    // ASSERT
    await expect(waiting.firstCheckpoint).rejects.toThrow(/had not started/);
    await expect(waiting.done).rejects.toThrow(/had not started/);
    expect(inner.started).toHaveLength(1);
  });
});
