// "Make test from feedback": a judged node of a recorded run becomes an in-file test case. It starts as "Save
// Run as Test" makes it (testFromRun: the run's input, mocks for its http and ai nodes from the run), then the
// judged node's output is what the test asserts:
// - correct: the node's recorded output (a regression test of a decision that was right);
// - incorrect: the expected output the person gave. The run's own outcome followed the wrong decision, so the
//   flow's output and status are not asserted. When the judged node is itself mocked (an ai or http node), its
//   mock becomes the expected output: a test cannot call the model, so it checks what the flow does with the
//   right decision, and the model's own accuracy is measured by the evaluation set (docs/decisions.md).

import { WeftError } from '../errors';
import type { FeedbackEntry } from '../history/feedbackStore';
import type { RunRecord } from '../run/runRecord';
import { testFromRun, type TestFromRun } from './testFromRun';

export function testFromFeedback(sideEffectNodes: Iterable<string>, record: RunRecord, nodeId: string, feedback: FeedbackEntry, name: string): TestFromRun {
  const node = record.nodes[nodeId];
  if (node === undefined) throw new WeftError('not-found', `Run ${record.id} has no node '${nodeId}'.`);
  const { test, warnings } = testFromRun(sideEffectNodes, record, name);
  if (feedback.verdict === 'correct') {
    if (node.status !== 'completed') throw new WeftError('usage', `Node '${nodeId}' failed in run ${record.id}: a correct verdict on it has no output to assert.`);
    test.expect = { ...test.expect, nodes: { [nodeId]: { output: node.output } } };
    return { test, warnings };
  }
  if (feedback.expected === undefined) {
    throw new WeftError('usage', `The feedback on '${nodeId}' says it was incorrect but not what was expected: give the expected output first.`);
  }
  test.expect = { nodes: { [nodeId]: { status: 'completed', output: feedback.expected } } };
  if (test.mocks?.[nodeId] !== undefined) {
    test.mocks[nodeId] = { output: feedback.expected };
    warnings.push(`${nodeId} is mocked in tests, so its mock is the expected output: the test checks what the flow does with the right answer.`);
  }
  return { test, warnings };
}
