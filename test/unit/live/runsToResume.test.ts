import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../../src/engine/history/runSummary';
import { runsToResume } from '../../../src/live/runsToResume';

const FILE = '/work/flows/orders.flow.json';
const flows = new Map([[FILE, { id: 'orders' }]]);

function summary(id: string, fields: Partial<RunSummary> = {}): RunSummary {
  return { id, flowId: 'orders', flowFile: FILE, status: 'interrupted', mode: 'run', triggerType: 'webhook', startedAt: `2024-01-01T00:00:0${id.length}Z`, ...fields };
}

describe('runsToResume', () => {
  it('resumes interrupted runs of served flows, oldest first', () => {
    // ARRANGE
    const runs = [summary('bbb'), summary('a'), summary('cc', { status: 'completed' })];
    // ACT
    const ids = runsToResume(runs, flows).map((s) => s.id);
    // ASSERT
    expect(ids).toEqual(['a', 'bbb']);
  });

  it('leaves alone test runs, subflow children, runs already resumed, and runs of other or renamed flows', () => {
    // ARRANGE
    const runs = [
      summary('test', { mode: 'test' }),
      summary('child', { parentExecutionId: 'parent' }),
      summary('done'),
      summary('resumer', { status: 'completed', resumedFrom: 'done' }),
      summary('elsewhere', { flowFile: '/other/orders.flow.json' }),
      summary('renamed', { flowId: 'old-orders' }),
      summary('nofile', { flowFile: undefined }),
    ];
    // ACT
    const ids = runsToResume(runs, flows).map((s) => s.id);
    // ASSERT
    expect(ids).toEqual([]);
  });

  it('resumes the latest of a chain: a resumed run interrupted in turn', () => {
    // ARRANGE
    const runs = [summary('first'), summary('second', { resumedFrom: 'first' })];
    // ACT
    const ids = runsToResume(runs, flows).map((s) => s.id);
    // ASSERT
    expect(ids).toEqual(['second']);
  });
});
