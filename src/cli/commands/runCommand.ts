// `weft run <file>` and `weft resume <runId>`: one run, progress on stderr, the result on stdout. With --json,
// stdout is the run record and nothing else. Ctrl+C cancels the run; a second Ctrl+C exits at once.

import { dirname, relative, sep } from 'node:path';
import { loadFlow } from '../../api/loadFlow';
import { runFlow } from '../../api/runFlow';
import { describeError, WeftError, type ErrorLocation } from '../../engine/errors';
import { HistoryStore, type HistoryOptions } from '../../engine/history/historyStore';
import { formatDiagnostic, hasErrors } from '../../engine/model/diagnostics';
import type { EngineEvent } from '../../engine/run/events';
import type { RunRecord } from '../../engine/run/runRecord';
import { dimErr, err, formatDuration, greenErr, out, redErr, yellowErr } from '../terminal';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, type CliOptions, UsageError } from '../cliTypes';
import { firstFrameIn } from '../../engine/load/stackMapping';
import { keepFlowVersion } from '../../engine/history/flowVersions';
import { readSourceFile } from '../../engine/load/readSourceFile';

/** 64 MiB: a generous run input; a path to `/dev/zero` or a FIFO must not hang `weft run` or eat memory. */
const MAX_INPUT_FILE_BYTES = 64 * 1024 * 1024;

export async function runCommand(file: string | undefined, options: CliOptions): Promise<number> {
  if (!file) throw new UsageError('weft run needs a flow file: weft run <file> [--input JSON | --input-file F] [--json]');
  const compiled = loadFlow(file);
  printDiagnostics(compiled.diagnostics);
  if (!compiled.flow || hasErrors(compiled.diagnostics)) return EXIT_USAGE;
  const input = readInput(options);
  const history = openHistory(options);
  if (history) await history.recoverInterrupted();
  // The version that runs is kept under its hash, so the editor can show this run against it after the file changes.
  if (history && file.endsWith('.json')) await keepFlowVersion(history.dir, compiled.flow.hash, readSourceFile(file)).catch(() => undefined);
  return execute(() =>
    runFlow(compiled.flow!, { input, history: history ?? false, onEvent: options.json ? undefined : printEvent, signal: cancelOnSigint() }),
  options);
}

export async function resumeCommand(runId: string | undefined, options: CliOptions): Promise<number> {
  if (!runId) throw new UsageError('weft resume needs a run id: weft resume <runId> [--from <nodeId>]');
  const history = openHistory(options);
  if (!history) throw new UsageError('weft resume reads the run from history: drop --no-history.');
  await history.recoverInterrupted();
  const previous = await history.get(runId);
  if (!previous) throw new WeftError('not-found', `No run '${runId}' in ${history.dir}. \`weft history\` lists the runs.`);
  if (!previous.flowFile) throw new UsageError(`Run ${previous.id} has no flow file recorded; it cannot be resumed from the CLI.`);
  const compiled = loadFlow(previous.flowFile);
  printDiagnostics(compiled.diagnostics);
  if (!compiled.flow || hasErrors(compiled.diagnostics)) return EXIT_USAGE;
  if (compiled.flow.hash !== previous.flowHash && !options.json) {
    err(yellowErr(`The flow changed since run ${previous.id}; completed nodes are reused as they were.`));
  }
  return execute(
    () =>
      runFlow(compiled.flow!, {
        resumeFrom: previous,
        rerunFrom: options.from,
        input: options.input !== undefined || options.inputFile !== undefined ? readInput(options) : undefined,
        history,
        onEvent: options.json ? undefined : printEvent,
        signal: cancelOnSigint(),
      }),
    options,
  );
}

async function execute(start: () => Promise<RunRecord>, options: CliOptions): Promise<number> {
  let record: RunRecord;
  try {
    record = await start();
  } catch (error) {
    // The user's error before anything ran (a bad input, a flow that does not compile, a run or node that does
    // not exist): exit code 2, as for any other usage mistake.
    if (error instanceof WeftError && error.kind === 'user') {
      err(redErr(error.message));
      return EXIT_USAGE;
    }
    throw error;
  }
  if (options.json) out(JSON.stringify(record, null, 2));
  else printOutcome(record);
  return record.status === 'completed' ? EXIT_OK : EXIT_FAILED;
}

function readInput(options: CliOptions): unknown {
  if (options.input !== undefined && options.inputFile !== undefined) throw new UsageError('Give --input or --input-file, not both.');
  const text = options.inputFile !== undefined ? readText(options.inputFile) : options.input;
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`The input is not JSON: ${(error as Error).message}`);
  }
}

function readText(file: string): string {
  try {
    return readSourceFile(file, MAX_INPUT_FILE_BYTES, 'a run input');
  } catch (error) {
    throw new UsageError(`Cannot read the input file: ${(error as Error).message}`);
  }
}

export function openHistory(options: CliOptions, tuning: Omit<HistoryOptions, 'dir'> = {}): HistoryStore | undefined {
  if (options.noHistory) return undefined;
  return HistoryStore.open({ ...tuning, dir: options.historyDir ?? '.weft' });
}

function cancelOnSigint(): AbortSignal {
  const controller = new AbortController();
  process.once('SIGINT', () => {
    err(yellowErr('Cancelling the run… (Ctrl+C again to quit at once)'));
    controller.abort();
    process.once('SIGINT', () => process.exit(130));
  });
  return controller.signal;
}

export function printDiagnostics(diagnostics: readonly { severity: string }[]): void {
  for (const d of diagnostics as Parameters<typeof formatDiagnostic>[0][]) {
    const line = formatDiagnostic(d, d.file ? relative(process.cwd(), d.file) || d.file : undefined);
    err(d.severity === 'error' ? redErr(line) : yellowErr(line));
  }
}

function printEvent(event: EngineEvent): void {
  const where = 'loop' in event && event.loop ? dimErr(` [${event.loop.loopNodeId} #${event.loop.iteration}]`) : '';
  switch (event.type) {
    case 'execution.started':
      err(dimErr(`▶ ${event.flowId} run ${event.executionId}${event.resumedFrom ? ` (resumes ${event.resumedFrom})` : ''}`));
      break;
    case 'node.completed':
      err(`${greenErr('✓')} ${event.nodeId}${where} ${dimErr(event.reused ? 'reused' : formatDuration(event.durationMs))}`);
      break;
    case 'node.failed':
      err(`${event.errorHandled ? yellowErr('!') : redErr('✗')} ${event.nodeId}${where} ${describeError(event.error)}${event.errorHandled ? dimErr(' (handled)') : ''}`);
      break;
    case 'node.skipped':
      err(dimErr(`- ${event.nodeId}${where} skipped${event.reason === 'disabled' ? ' (disabled)' : ''}`));
      break;
    case 'node.retrying':
      err(yellowErr(`↻ ${event.nodeId}${where} attempt ${event.attempt} in ${formatDuration(event.delayMs)}: ${event.error.message}`));
      break;
    case 'node.cancelled':
      err(yellowErr(`⊘ ${event.nodeId}${where} cancelled after ${formatDuration(event.durationMs)}`));
      break;
    case 'node.log':
      err(dimErr(`  ${event.nodeId}${where} ${event.level}: `) + event.message);
      break;
    case 'circuit.opened':
      err(yellowErr(`! ${event.nodeId}${where} circuit of ${event.circuit.target} opened after ${event.circuit.failures} failures; probe at ${event.circuit.retryAt ?? '?'}`));
      break;
    case 'circuit.closed':
      err(dimErr(`  ${event.nodeId}${where} circuit of ${event.circuit.target} closed`));
      break;
    default:
      break;
  }
}

function printOutcome(record: RunRecord): void {
  const status =
    record.status === 'completed' ? greenErr('completed') : record.status === 'cancelled' ? yellowErr('cancelled') : redErr(record.status);
  err(`${status} in ${formatDuration(record.durationMs)} · run ${record.id}`);
  if (record.status === 'completed') {
    if (record.output !== undefined) out(JSON.stringify(record.output, null, 2));
  } else if (record.error) {
    const at = record.flowFile && record.error.stack ? userFrame(record.error.stack, record.flowFile) : templateAt(record.error.location, record.flowFile);
    err(redErr(`${record.error.nodeId ? `${record.error.nodeId}: ` : ''}${describeError(record.error)}`) + (at ? dimErr(` (at ${at})`) : ''));
    if (record.error.hint) err(dimErr(`  hint: ${record.error.hint}`));
  }
}

/** Where a failing template is, as `file:line:col` (one-based) relative to the cwd. */
function templateAt(location: ErrorLocation | undefined, flowFile: string | undefined): string | undefined {
  const file = location?.file ?? flowFile;
  if (!location?.range || !file) return undefined;
  return `${relative(process.cwd(), file) || file}:${location.range.start.line + 1}:${location.range.start.character + 1}`;
}

/** The first stack frame in the user's own files (next to the flow), as `file:line:col` relative to the cwd. */
function userFrame(stack: string, flowFile: string): string | undefined {
  const root = dirname(flowFile);
  const frame = firstFrameIn(stack, { has: (file) => file.startsWith(root) && !file.includes(`${sep}node_modules${sep}`) });
  return frame && `${relative(process.cwd(), frame.file) || frame.file}:${frame.line}:${frame.column}`;
}
