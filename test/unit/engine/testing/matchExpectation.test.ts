import { describe, expect, it } from 'vitest';
import { compareWithExpectation } from '../../../../src/api/runTests';
import type { TestCaseDefinition } from '../../../../src/engine/model/flowSchema';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import { matchSubset, type Mismatch } from '../../../../src/engine/testing/matchExpectation';

describe('matchSubset', () => {
  it('gives the JSON path of each expected value that differs, for the editor to anchor on', () => {
    // ARRANGE
    const out: Mismatch[] = [];

    // ACT
    matchSubset({ tax: 19, lines: [{ id: 'a' }, { id: 'b' }], same: 1 }, { tax: 20, lines: [{ id: 'a' }, { id: 'c' }], same: 1 }, 'output', out, ['output']);

    // ASSERT
    expect(out).toEqual([
      { path: 'output.tax', expectPath: ['output', 'tax'], expected: 19, actual: 20 },
      { path: 'output.lines[1].id', expectPath: ['output', 'lines', 1, 'id'], expected: 'b', actual: 'c' },
    ]);
  });
});

describe('compareWithExpectation', () => {
  const record = {
    status: 'failed',
    output: undefined,
    error: { message: 'boom', nodeId: 'tax' },
    nodes: { tax: { status: 'failed', attempts: 1, output: { rate: 0.2 } } },
  } as unknown as RunRecord;

  it('anchors a status written in expect on it, and an implied one on expect itself', () => {
    const written = compareWithExpectation({ name: 't', input: {}, expect: { status: 'completed' } } as TestCaseDefinition, record);
    const implied = compareWithExpectation({ name: 't', input: {}, expect: {} } as TestCaseDefinition, record);
    expect(written[0]).toMatchObject({ path: 'status', expectPath: ['status'], nodeId: 'tax' });
    expect(implied[0]).toMatchObject({ path: 'status', expectPath: [], nodeId: 'tax' });
  });

  it("carries the run error's hint on the status mismatch", () => {
    const hinted = { ...record, error: { message: 'unmocked', nodeId: 'tax', hint: 'Add a mock' } } as RunRecord;
    expect(compareWithExpectation({ name: 't', input: {}, expect: {} } as TestCaseDefinition, hinted)[0]).toMatchObject({ detail: 'unmocked', hint: 'Add a mock' });
  });

  it("carries where the run's error is (a failing template), for an editor to anchor an implied status on", () => {
    const location = { path: ['nodes', 0, 'config', 'output', 'tax'], start: 3, end: 30 };
    const placed = { ...record, error: { message: 'cannot divide', nodeId: 'tax', location } } as RunRecord;
    expect(compareWithExpectation({ name: 't', input: {}, expect: {} } as TestCaseDefinition, placed)[0]).toMatchObject({ errorLocation: location });
  });

  it("anchors a node's status and output inside expect.nodes", () => {
    const mismatches = compareWithExpectation(
      { name: 't', input: {}, expect: { status: 'failed', nodes: { tax: { status: 'completed', output: { rate: 0.19 } } } } } as TestCaseDefinition,
      record,
    );
    expect(mismatches.map((m) => m.expectPath)).toEqual([
      ['nodes', 'tax', 'status'],
      ['nodes', 'tax', 'output', 'rate'],
    ]);
  });
});
