// Runs a flow's in-file tests (spec section 9): each case runs the flow in test mode with its input and mocks
// (http and ai nodes without a mock fail, so tests are hermetic) and matches `expect` as a subset. A case that
// gives no `expect.status` expects the run to complete: a test that wants a failure says so.

import type { ErrorLocation } from '../engine/errors';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import type { TestCaseDefinition } from '../engine/model/flowSchema';
import type { EngineEvent } from '../engine/run/events';
import type { RunRecord } from '../engine/run/runRecord';
import { matchSubset, type Mismatch } from '../engine/testing/matchExpectation';
import type { HistoryStore } from '../engine/history/historyStore';
import { runFlow, type RunFlowOptions } from './runFlow';

export interface TestMismatch extends Mismatch {
  /** The node the mismatch is about, when it is one node's status or output. */
  nodeId?: string;
  /** Why, when the run's own error explains it (a status mismatch). */
  detail?: string;
  /** The way out the run's error suggests (a mock to add, a secret to set, a fallback to give). */
  hint?: string;
  /** Where the run's error is in the flow file, when it says (a failing template): the cause of a status mismatch. */
  errorLocation?: ErrorLocation;
}

export interface TestResult {
  flowId: string;
  file?: string;
  name: string;
  index: number;
  passed: boolean;
  durationMs: number;
  mismatches: TestMismatch[];
  /** Set when the case could not run at all (invalid input). */
  error?: string;
  record?: RunRecord;
}

export interface RunTestsOptions {
  /** Only cases whose name contains this text. */
  filter?: string;
  onEvent?: (event: EngineEvent, test: TestCaseDefinition) => void;
  history?: string | HistoryStore | false;
  signal?: AbortSignal;
  services?: RunFlowOptions['services'];
  secrets?: Record<string, string>;
}

export async function runFlowTests(flow: CompiledFlow, options: RunTestsOptions = {}): Promise<TestResult[]> {
  const results: TestResult[] = [];
  for (const [index, test] of flow.tests.entries()) {
    if (options.filter !== undefined && !test.name.includes(options.filter)) continue;
    results.push(await runFlowTest(flow, test, index, options));
  }
  return results;
}

export async function runFlowTest(flow: CompiledFlow, test: TestCaseDefinition, index: number, options: RunTestsOptions = {}): Promise<TestResult> {
  const started = performance.now();
  const base = { flowId: flow.id, name: test.name, index, ...(flow.file ? { file: flow.file } : {}) };
  let record: RunRecord;
  try {
    record = await runFlow(flow, {
      input: test.input,
      mocks: test.mocks,
      mode: 'test',
      trigger: { type: 'test', test: test.name },
      history: options.history ?? false,
      signal: options.signal,
      services: options.services,
      secrets: options.secrets ?? {},
      onEvent: options.onEvent ? (event) => options.onEvent!(event, test) : undefined,
    });
  } catch (error) {
    return { ...base, passed: false, durationMs: performance.now() - started, mismatches: [], error: (error as Error).message };
  }
  const mismatches = compareWithExpectation(test, record);
  return { ...base, passed: mismatches.length === 0, durationMs: performance.now() - started, mismatches, record };
}

export function compareWithExpectation(test: TestCaseDefinition, record: RunRecord): TestMismatch[] {
  const expect = test.expect;
  const mismatches: TestMismatch[] = [];
  const expectedStatus = expect.status ?? 'completed';
  if (record.status !== expectedStatus) {
    const failedNode = Object.entries(record.nodes).find(([, n]) => n.status === 'failed' && !n.errorHandled)?.[0];
    mismatches.push({
      path: 'status',
      // No `status` in expect means "completed": anchored on `expect` itself then.
      expectPath: expect.status === undefined ? [] : ['status'],
      expected: expectedStatus,
      actual: record.status,
      ...(failedNode ? { nodeId: failedNode } : {}),
      ...(record.error ? { detail: record.error.message } : {}),
      ...(record.error?.hint ? { hint: record.error.hint } : {}),
      ...(record.error?.location ? { errorLocation: record.error.location } : {}),
    });
  }
  if ('output' in expect && expect.output !== undefined) matchSubset(expect.output, record.output, 'output', mismatches, ['output']);
  for (const [nodeId, expected] of Object.entries(expect.nodes ?? {})) {
    const actual = record.nodes[nodeId];
    const before = mismatches.length;
    if (expected.status !== undefined && actual?.status !== expected.status) {
      mismatches.push({ path: `nodes.${nodeId}.status`, expectPath: ['nodes', nodeId, 'status'], expected: expected.status, actual: actual?.status });
    }
    if (expected.output !== undefined) matchSubset(expected.output, actual?.output, `nodes.${nodeId}.output`, mismatches, ['nodes', nodeId, 'output']);
    for (let i = before; i < mismatches.length; i++) mismatches[i].nodeId = nodeId;
  }
  return mismatches;
}
