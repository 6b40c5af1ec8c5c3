// `weft feedback`: decision feedback on recorded runs (engine/history/feedbackStore.ts).
//   weft feedback <runId> <nodeId> --correct|--incorrect [--category C] [--note N] [--expected JSON]
//   weft feedback <runId> <nodeId> --make-test [--name N]   adds the feedback as a test case of the run's .flow.json
//   weft feedback --export jsonl [--flow ID] [--since 7d]    prints the evaluation set

import { readFile, writeFile } from 'node:fs/promises';
import { WeftError } from '../../engine/errors';
import { evaluationRows, toJsonl } from '../../engine/history/feedbackExport';
import { readRunFeedback, saveFeedback, type FeedbackMark } from '../../engine/history/feedbackStore';
import { sideEffectNodesOf } from '../../engine/testing/sideEffectNodes';
import { testFromFeedback } from '../../engine/testing/testFromFeedback';
import { appendTestCase } from '../../language/appendTestCase';
import type { RunRecord } from '../../engine/run/runRecord';
import { EXIT_OK, UsageError, type CliOptions } from '../cliTypes';
import { parseSince } from '../sinceOption';
import { dim, out } from '../terminal';
import { openHistory } from './runCommand';

export interface FeedbackOptions extends CliOptions {
  correct?: boolean;
  incorrect?: boolean;
  category?: string;
  note?: string;
  expected?: string;
  export?: string;
  makeTest?: boolean;
  name?: string;
}

export async function feedbackCommand(args: string[], options: FeedbackOptions): Promise<number> {
  const history = openHistory({ ...options, noHistory: false })!;
  if (options.export !== undefined) {
    if (options.export !== 'jsonl') throw new UsageError(`weft feedback --export takes jsonl, not '${options.export}'.`);
    if (args.length > 0) throw new UsageError('weft feedback --export takes no run or node: use --flow ID to pick a flow.');
    const since = options.since === undefined ? undefined : parseSince(options.since, Date.now());
    process.stdout.write(toJsonl(await evaluationRows(history, { flowId: options.flow, since })));
    return EXIT_OK;
  }
  const [runId, nodeId] = args;
  if (runId === undefined || nodeId === undefined) {
    throw new UsageError('Usage: weft feedback <runId> <nodeId> --correct|--incorrect [--category C] [--note N] [--expected JSON], or --make-test, or weft feedback --export jsonl');
  }
  const record = await history.get(runId);
  if (record === undefined) throw new UsageError(`No run '${runId}' in ${history.dir}.`);
  if (options.makeTest) return makeTest(history.dir, record, nodeId, options);

  if (options.correct === options.incorrect) throw new UsageError('Say --correct or --incorrect (one of them).');
  const mark: FeedbackMark = { verdict: options.correct ? 'correct' : 'incorrect' };
  if (options.category !== undefined) mark.category = options.category;
  if (options.note !== undefined) mark.note = options.note;
  if (options.expected !== undefined) {
    try {
      mark.expected = JSON.parse(options.expected);
    } catch (error) {
      throw new UsageError(`--expected is not JSON: ${(error as Error).message}`);
    }
  }
  await saveFeedback(history.dir, record, nodeId, mark);
  out(`${nodeId} of run ${record.id}: ${mark.verdict}${mark.category ? ` (${mark.category})` : ''}`);
  return EXIT_OK;
}

async function makeTest(historyDir: string, record: RunRecord, nodeId: string, options: FeedbackOptions): Promise<number> {
  const feedback = (await readRunFeedback(historyDir, record.id))?.nodes[nodeId];
  if (feedback === undefined) throw new UsageError(`Node '${nodeId}' of run ${record.id} has no feedback: give it with --correct or --incorrect first.`);
  const file = record.flowFile;
  if (file === undefined || !file.endsWith('.flow.json')) throw new UsageError(`Run ${record.id} is not of a .flow.json file: add the test case yourself.`);
  const text = await readFile(file, 'utf8');
  const name = options.name ?? `${nodeId} ${feedback.verdict === 'correct' ? 'decides as in' : 'corrected from'} run ${record.id}`;
  let result;
  try {
    result = testFromFeedback(sideEffectNodesOf(text), record, nodeId, feedback, name);
  } catch (error) {
    if (error instanceof WeftError) throw new UsageError(error.message);
    throw error;
  }
  // Applied from the end, so earlier offsets stay right (appendTestCase gives one insertion today).
  const edited = appendTestCase(text, result.test)
    .sort((a, b) => b.offset - a.offset)
    .reduce((current, edit) => current.slice(0, edit.offset) + edit.content + current.slice(edit.offset + edit.length), text);
  await writeFile(file, edited);
  out(`Added test "${name}" to ${file}`);
  for (const warning of result.warnings) out(dim(`note: ${warning}`));
  return EXIT_OK;
}
