// `weft worker [dirs or files...] --queue redis://HOST:PORT[/DB] [--concurrency 5]` (spec section 15): runs the runs
// that `weft serve --queue` processes enqueue, until SIGTERM or Ctrl+C stops it gracefully: it takes nothing new,
// runs in flight get a grace time to end, the rest are handed back to the queue for another worker to resume from
// their checkpoints. A second signal quits at once (their jobs are then found stalled and resumed elsewhere).
//
// Tuning through the environment (documented defaults in src/queue/queueWorker.ts): WEFT_QUEUE_LOCK_MS,
// WEFT_QUEUE_STALLED_MS (how soon a dead worker's runs are taken over), WEFT_QUEUE_REFUSAL_DELAY_MS,
// WEFT_QUEUE_MAX_REFUSALS, WEFT_WORKER_GRACE_MS.
//
// Exit codes: 2 when the command line is wrong; 1 when Redis cannot be reached; 0 after a graceful stop.

import { resolve } from 'node:path';
import { formatDiagnostic } from '../../engine/model/diagnostics';
import { activateFlows } from '../../live/activateFlows';
import {
  DEFAULT_CONCURRENCY,
  DEFAULT_WORKER_GRACE_MS,
  startQueueWorker,
  type QueueWorker,
  type WorkerLogEntry,
} from '../../queue/queueWorker';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../cliTypes';
import { dim, err, out, redErr, yellow, yellowErr } from '../terminal';
import { shown, untilSignalled } from '../processSignals';

export interface WorkerOptions {
  queue?: string;
  concurrency?: string;
}

export async function workerCommand(pathArgs: readonly string[], options: WorkerOptions): Promise<number> {
  const url = queueUrl(options.queue);
  const concurrency = options.concurrency === undefined ? DEFAULT_CONCURRENCY : Number(options.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a whole number from 1, not "${options.concurrency}".`);
  const paths = (pathArgs.length > 0 ? pathArgs : ['.']).map((path) => resolve(path));
  const activation = activateFlows(paths);
  for (const problem of activation.problems) {
    if (problem.code !== 'invalid-flow') continue; // route and secret problems are the serve's; the worker runs the flow
    for (const d of problem.diagnostics ?? []) err(redErr(formatDiagnostic(d, shown(d.file ?? problem.file))));
    err(yellowErr(`${shown(problem.file)}: ${problem.message} Its runs are left for other workers.`));
  }
  const env = process.env;
  let worker: QueueWorker;
  try {
    worker = await startQueueWorker({
      paths,
      url,
      concurrency,
      activation,
      lockMs: envNumber(env.WEFT_QUEUE_LOCK_MS),
      stalledIntervalMs: envNumber(env.WEFT_QUEUE_STALLED_MS),
      refusalDelayMs: envNumber(env.WEFT_QUEUE_REFUSAL_DELAY_MS),
      maxRefusals: envNumber(env.WEFT_QUEUE_MAX_REFUSALS),
      onLog: printLog,
    });
  } catch (error) {
    err(redErr(`weft worker could not start: ${(error as Error).message}`));
    return EXIT_FAILED;
  }
  await untilSignalled();
  const graceMs = envNumber(env.WEFT_WORKER_GRACE_MS) ?? DEFAULT_WORKER_GRACE_MS;
  out(dim(`Stopping: taking nothing new; runs in flight get ${graceMs / 1000} s to end… (Ctrl+C again to quit at once)`));
  const quitAtOnce = (): void => process.exit(130);
  process.once('SIGINT', quitAtOnce);
  process.once('SIGTERM', quitAtOnce);
  const { handedBack } = await worker.close(graceMs);
  if (handedBack.length > 0) out(yellow(`${handedBack.length} run${handedBack.length === 1 ? '' : 's'} handed back to the queue; another worker resumes ${handedBack.length === 1 ? 'it' : 'them'} from the last checkpoint.`));
  out(dim('Stopped.'));
  process.off('SIGINT', quitAtOnce);
  process.off('SIGTERM', quitAtOnce);
  return EXIT_OK;
}

/** The queue URL from --queue or WEFT_REDIS_URL; a usage error when neither is given. */
export function queueUrl(option: string | undefined, required = true): string {
  const url = option ?? process.env.WEFT_REDIS_URL;
  if ((url === undefined || url === '') && required) throw new UsageError('Give the queue: --queue redis://HOST:PORT[/DB] (or set WEFT_REDIS_URL).');
  return url ?? '';
}

function envNumber(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) && value >= 0 ? value : undefined;
}

function printLog(entry: WorkerLogEntry): void {
  const time = dim(new Date().toISOString().slice(11, 23));
  if (entry.level === 'error') err(`${time} ${redErr(entry.message)}`);
  else if (entry.level === 'warn') out(`${time} ${yellow(entry.message)}`);
  else out(`${time} ${entry.message}`);
}
