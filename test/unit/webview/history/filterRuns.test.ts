import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../../src/engine/history/runSummary';
import type { RunStatus } from '../../../../src/engine/run/runRecord';
import { EMPTY_FILTER, filterRuns, flowIdsOf, indexRuns, isFilterEmpty } from '../../../../webview/history/filterRuns';

/** A local-time ISO string for day `day` of June 2025 at `hour` (the date inputs mean local days). */
function at(day: number, hour: number): string {
  return new Date(2025, 5, day, hour, 0, 0).toISOString();
}

function summary(id: string, flowId: string, status: RunStatus, startedAt: string, extra: Partial<RunSummary> = {}): RunSummary {
  return { id, flowId, status, mode: 'run', triggerType: 'manual', startedAt, durationMs: 10, ...extra };
}

// Newest first, as the host sends them.
const RUNS: RunSummary[] = [
  summary('r6', 'order-intake', 'failed', at(12, 9), { error: 'Payment gateway timed out' }),
  summary('r5', 'triage-ticket', 'completed', at(11, 23), { triggerType: 'webhook' }),
  summary('r4', 'order-intake', 'completed', at(11, 0)),
  summary('r3', 'order-intake', 'cancelled', at(10, 12)),
  summary('r2', 'triage-ticket', 'failed', at(9, 8), { error: 'Bad ticket' }),
  summary('r1', 'follow-up', 'interrupted', at(8, 8), { triggerType: 'schedule' }),
];
const INDEXED = indexRuns(RUNS);
const ids = (runs: RunSummary[]): string[] => runs.map((r) => r.id);

describe('filterRuns', () => {
  it('keeps every run, newest first, with no filter', () => {
    expect(ids(filterRuns(INDEXED, EMPTY_FILTER))).toEqual(['r6', 'r5', 'r4', 'r3', 'r2', 'r1']);
    expect(isFilterEmpty(EMPTY_FILTER)).toBe(true);
  });

  it('finds a run by a value of its input or output, as the index keeps them', () => {
    const runs = indexRuns([
      summary('b', 'order-intake', 'completed', at(12, 9), { inputSummary: 'orderId A-43', searchText: 'orderid a-43 queue auto' }),
      summary('a', 'order-intake', 'completed', at(12, 8), { inputSummary: 'orderId A-42', searchText: 'orderid a-42 queue manual-review' }),
    ]);
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, search: 'A-42' }))).toEqual(['a']);
    expect(ids(filterRuns(runs, { ...EMPTY_FILTER, search: 'manual-review' }))).toEqual(['a']);
  });

  it('filters by several statuses at once', () => {
    const filter = { ...EMPTY_FILTER, statuses: ['failed', 'interrupted'] as RunStatus[] };
    expect(ids(filterRuns(INDEXED, filter))).toEqual(['r6', 'r2', 'r1']);
    expect(isFilterEmpty(filter)).toBe(false);
  });

  it('filters by flow and status together', () => {
    expect(ids(filterRuns(INDEXED, { ...EMPTY_FILTER, flowId: 'order-intake', statuses: ['completed', 'cancelled'] }))).toEqual(['r4', 'r3']);
  });

  it('takes date bounds as whole local days, both inclusive', () => {
    // r5 starts at 23:00 on the 11th, r4 at midnight on the 11th: both are "on the 11th".
    expect(ids(filterRuns(INDEXED, { ...EMPTY_FILTER, from: '2025-06-11', to: '2025-06-11' }))).toEqual(['r5', 'r4']);
    expect(ids(filterRuns(INDEXED, { ...EMPTY_FILTER, from: '2025-06-10' }))).toEqual(['r6', 'r5', 'r4', 'r3']);
    expect(ids(filterRuns(INDEXED, { ...EMPTY_FILTER, to: '2025-06-09' }))).toEqual(['r2', 'r1']);
  });

  it('searches flow id, run id, trigger and error, case-insensitively, every word', () => {
    expect(ids(filterRuns(INDEXED, { ...EMPTY_FILTER, search: 'GATEWAY' }))).toEqual(['r6']);
    expect(ids(filterRuns(INDEXED, { ...EMPTY_FILTER, search: 'webhook' }))).toEqual(['r5']);
    expect(ids(filterRuns(INDEXED, { ...EMPTY_FILTER, search: 'r3' }))).toEqual(['r3']);
    expect(ids(filterRuns(INDEXED, { ...EMPTY_FILTER, search: 'triage bad' }))).toEqual(['r2']);
    expect(ids(filterRuns(INDEXED, { ...EMPTY_FILTER, search: '  triage  ' }))).toEqual(['r5', 'r2']);
    expect(filterRuns(INDEXED, { ...EMPTY_FILTER, search: 'nothing-like-this' })).toEqual([]);
  });

  it('finds the right rows among 10,000 runs and keeps them newest first', () => {
    // ARRANGE: 10,000 runs one minute apart, newest first; every 7th fails, flows rotate over three ids.
    const start = new Date(2025, 0, 1).getTime();
    const flows = ['alpha', 'beta', 'gamma'];
    const many: RunSummary[] = [];
    for (let i = 9999; i >= 0; i--) {
      const failed = i % 7 === 0;
      many.push(
        summary(`run-${i}`, flows[i % 3], failed ? 'failed' : 'completed', new Date(start + i * 60_000).toISOString(), failed ? { error: `boom ${i}` } : {}),
      );
    }
    const indexed = indexRuns(many);
    // ACT
    const failedBeta = filterRuns(indexed, { ...EMPTY_FILTER, statuses: ['failed'], flowId: 'beta' });
    const gammaErrors = filterRuns(indexed, { ...EMPTY_FILTER, search: 'GAMMA boom' });
    const oneRun = filterRuns(indexed, { ...EMPTY_FILTER, search: 'run-9947' });
    // ASSERT: i ≡ 0 (mod 7) and i ≡ 1 (mod 3) ⇔ i ≡ 7 (mod 21).
    const expected: string[] = [];
    for (let i = 9999; i >= 0; i--) if (i % 21 === 7) expected.push(`run-${i}`);
    expect(ids(failedBeta)).toEqual(expected);
    // Only failed runs have an error with "boom"; gamma is i ≡ 2 (mod 3): i ≡ 14 (mod 21).
    const expectedGamma: string[] = [];
    for (let i = 9999; i >= 0; i--) if (i % 21 === 14) expectedGamma.push(`run-${i}`);
    expect(ids(gammaErrors)).toEqual(expectedGamma);
    expect(ids(oneRun)).toEqual(['run-9947']);
  });

  it('lists the distinct flows, sorted', () => {
    expect(flowIdsOf(RUNS)).toEqual(['follow-up', 'order-intake', 'triage-ticket']);
  });
});
