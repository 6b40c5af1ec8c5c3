import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { saveFeedback } from '../../../../src/engine/history/feedbackStore';
import { HistoryStore } from '../../../../src/engine/history/historyStore';
import { readFeedback } from '../../../../src/engine/history/readFeedback';
import type { RunRecord } from '../../../../src/engine/run/runRecord';

let dir: string;
const stores: HistoryStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-feedback-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function record(id: string, flowId: string, minute: number): RunRecord {
  return {
    id,
    flowId,
    flowHash: 'h',
    status: 'completed',
    mode: 'run',
    trigger: { type: 'manual' },
    input: { n: minute },
    output: { ok: true },
    startedAt: new Date(Date.UTC(2026, 0, 1, 0, minute)).toISOString(),
    finishedAt: new Date(Date.UTC(2026, 0, 1, 0, minute, 1)).toISOString(),
    durationMs: 1000,
    nodes: { classify: { status: 'completed', attempts: 1, input: { n: minute }, output: { label: 'low' } }, later: { status: 'skipped', attempts: 0 } },
  };
}

describe('decision feedback store', () => {
  it('reads verdicts by flow and by the start of their run, a second mark of a node replacing the first', async () => {
    // ARRANGE
    await saveFeedback(dir, record('run-a', 'triage', 1), 'classify', { verdict: 'correct' });
    await saveFeedback(dir, record('run-b', 'triage', 10), 'classify', { verdict: 'correct' });
    await saveFeedback(dir, record('run-b', 'triage', 10), 'classify', { verdict: 'incorrect', category: 'wrong-label', expected: { label: 'high' } });
    await saveFeedback(dir, record('run-c', 'billing', 20), 'classify', { verdict: 'correct', note: 'fine' });

    // ACT
    const all = await readFeedback(dir);
    const triageSince = await readFeedback(dir, { flowId: 'triage', since: Date.UTC(2026, 0, 1, 0, 5) });

    // ASSERT
    expect(all.map((row) => [row.runId, row.nodeId, row.verdict])).toEqual([
      ['run-a', 'classify', 'correct'],
      ['run-b', 'classify', 'incorrect'],
      ['run-c', 'classify', 'correct'],
    ]);
    expect(triageSince).toEqual([
      expect.objectContaining({ runId: 'run-b', flowId: 'triage', nodeId: 'classify', verdict: 'incorrect', category: 'wrong-label', expected: { label: 'high' } }),
    ]);
  });

  it('refuses a verdict on a node that did not run, and on a node the run does not have', async () => {
    await expect(saveFeedback(dir, record('run-a', 'triage', 1), 'later', { verdict: 'correct' })).rejects.toMatchObject({ code: 'usage' });
    await expect(saveFeedback(dir, record('run-a', 'triage', 1), 'nope', { verdict: 'correct' })).rejects.toMatchObject({ code: 'not-found' });
    expect(await readFeedback(dir)).toEqual([]);
  });

  it('deletes a run’s feedback with the run, by retention and by delete', async () => {
    // ARRANGE: three runs of one flow kept to two; feedback on the oldest and on the newest.
    const store = HistoryStore.open({ dir, retentionPerFlow: 2 });
    stores.push(store);
    const runs = [record('run-1', 'triage', 1), record('run-2', 'triage', 2), record('run-3', 'triage', 3)];
    for (const run of runs) await store.save(run);
    await store.flush();
    await saveFeedback(dir, runs[0], 'classify', { verdict: 'incorrect' });
    await saveFeedback(dir, runs[2], 'classify', { verdict: 'correct' });

    // ACT 1
    const result = await store.compact();

    // ASSERT 1
    expect(result.pruned).toEqual(['run-1']);
    expect((await readFeedback(dir)).map((row) => row.runId)).toEqual(['run-3']);

    // ACT 2
    await store.delete('run-3');

    // ASSERT 2
    expect(await readdir(join(dir, 'feedback'))).toEqual([]);
  });
});
