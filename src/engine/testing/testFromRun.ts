// "Save run as test": a recorded run becomes an in-file test case: its input, mocks for the nodes that reach
// the outside world (http, ai: their recorded outputs, or their errors), and its outcome as the expectation.

import type { MockDefinition, TestCaseDefinition } from '../model/flowSchema';
import type { RunRecord } from '../run/runRecord';
import { REDACTED } from '../run/redact';

export interface TestFromRun {
  test: TestCaseDefinition;
  /** Why the test may not reproduce the run exactly (truncated values, redacted secrets). */
  warnings: string[];
}

/** `sideEffectNodes`: the ids of the flow's nodes whose type reaches the outside world (http, ai, ...). */
export function testFromRun(sideEffectNodes: Iterable<string>, record: RunRecord, name: string): TestFromRun {
  const warnings: string[] = [];
  const mocks: Record<string, MockDefinition> = {};
  for (const id of sideEffectNodes) {
    const recorded = record.nodes[id];
    if (!recorded) continue;
    if (recorded.status === 'completed') mocks[id] = { output: recorded.output };
    else if (recorded.status === 'failed' && recorded.error) mocks[id] = { error: recorded.error.message };
  }
  for (const path of record.truncated ?? []) warnings.push(`${path} was cut to the history size limit; the test holds the cut value.`);
  if (JSON.stringify(record).includes(REDACTED)) {
    warnings.push('Some values had secrets in them and were recorded as ***.');
  }
  const expect: TestCaseDefinition['expect'] = {};
  if (record.status === 'completed' || record.status === 'failed' || record.status === 'cancelled') expect.status = record.status;
  if (record.status === 'completed' && record.output !== undefined) expect.output = record.output;
  const test: TestCaseDefinition = { name, input: record.input, expect };
  if (Object.keys(mocks).length > 0) test.mocks = mocks;
  return { test, warnings };
}
