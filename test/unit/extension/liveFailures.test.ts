import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src/engine/history/runSummary';
import { newLiveFailureTracker, trackLiveFailures } from '../../../src/extension/liveFailures';

const FILE = '/work/orders.flow.json';
const T0 = Date.UTC(2026, 2, 1, 12);

function summary(id: string, minute: number, status: RunSummary['status'], triggerType = 'webhook'): RunSummary {
  return { id, flowId: 'orders', status, mode: 'run', triggerType, startedAt: new Date(T0 + minute * 60_000).toISOString() };
}

describe('trackLiveFailures', () => {
  it('announces each new failed live run once, counts failures since the day began, and stays quiet about older ones', () => {
    const tracker = newLiveFailureTracker();
    // First look: one failure from before the editor watched
    expect(trackLiveFailures(tracker, FILE, [summary('old', -30, 'failed'), summary('ok', -20, 'completed')], T0 - 3_600_000)).toEqual({ announce: [], count: 1 });
    // Two new failures (one of them a manual run from the editor, which the editor already shows)
    const runs = [summary('new2', 5, 'failed'), summary('mine', 4, 'failed', 'manual'), summary('new1', 3, 'failed'), summary('old', -30, 'failed')];
    const second = trackLiveFailures(tracker, FILE, runs, T0 - 3_600_000);
    expect(second.announce.map((r) => r.id)).toEqual(['new2', 'new1']);
    expect(second.count).toBe(3);
    // Polled again: nothing new to say
    expect(trackLiveFailures(tracker, FILE, runs, T0 - 3_600_000).announce).toEqual([]);
  });
});
