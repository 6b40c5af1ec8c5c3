// `weft serve [dirs or files...] [--port 8787] [--host 127.0.0.1] [--rate-limit N] [--concurrency N] [--backlog N]`: live mode (spec sections 8, 12 and 14). The
// server itself is src/live/liveServer.ts; this file prints: the flows that cannot be served and why, the webhook
// URLs, the next five times of each schedule, then a line per request and per run that needs one, until Ctrl+C
// (or SIGTERM) stops it gracefully. A second Ctrl+C quits at once: runs in flight are then found interrupted and
// resumed by the next start.
//
// Exit codes: 2 when the command line is wrong or nothing under the directory can be served (no flow that
// compiles has a webhook or schedule trigger without problems); 1 when the server cannot start (the port is in
// use, or run history cannot be read or written: the server has then freed the port, nothing is served); 0 after
// a graceful stop.

import { resolve } from 'node:path';
import { formatDiagnostic } from '../../engine/model/diagnostics';
import { activateFlows, type LiveProblem } from '../../live/activateFlows';
import { DEFAULT_GRACE_MS, DEFAULT_HOST, DEFAULT_PORT, DEFAULT_RATE_LIMIT, startLiveServer, type LiveServer } from '../../live/liveServer';
import type { LiveLogEntry } from '../../live/webhookHandler';
import { DEFAULT_BACKLOG, DEFAULT_CONCURRENCY } from '../../live/runSlots';
import { formatInZone, nextTimes } from '../../live/schedules';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from '../cliTypes';
import { openHistory } from './runCommand';
import { queueMode } from '../../queue/queueMode';
import { dim, err, green, out, outGathered, redErr, yellow, yellowErr } from '../terminal';
import { shown, untilSignalled } from '../processSignals';

export interface ServeOptions {
  port?: string;
  host?: string;
  rateLimit?: string;
  historyDir?: string;
  concurrency?: string;
  backlog?: string;
  /** Queue mode: a Redis URL (or WEFT_REDIS_URL); runs are enqueued for `weft worker`s. */
  queue?: string;
}

export async function serveCommand(pathArgs: readonly string[], options: ServeOptions): Promise<number> {
  const port = parseNumber(options.port, '--port', DEFAULT_PORT, (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'a port number (0-65535)');
  const rateLimit = parseNumber(options.rateLimit, '--rate-limit', DEFAULT_RATE_LIMIT, (n) => n >= 0, 'requests per second per flow (0: no limit)');
  const concurrency = parseNumber(options.concurrency, '--concurrency', DEFAULT_CONCURRENCY, (n) => Number.isInteger(n) && n >= 1, 'a whole number of runs, at least 1');
  const backlog = parseNumber(options.backlog, '--backlog', DEFAULT_BACKLOG, (n) => Number.isInteger(n) && n >= 0, 'a whole number of runs, 0 or more');
  // The run API's token: from the environment only, never a flag (flags show in `ps`).
  const apiToken = process.env.WEFT_API_TOKEN || undefined;
  const host = options.host ?? DEFAULT_HOST;
  // The editor serves the flows a person activated, by file; `weft serve` alone serves the current directory.
  const paths = (pathArgs.length > 0 ? pathArgs : ['.']).map((path) => resolve(path));
  const where = paths.length === 1 ? shown(paths[0]) : `${paths.length} paths`;

  const activation = activateFlows(paths);
  for (const problem of activation.problems) printProblem(problem);
  if (activation.served.length === 0) {
    const found = activation.files.length;
    err(
      redErr(
        found === 0
          ? `Nothing to serve: no flow files (*.flow.json, *.flow.ts) under ${where}.`
          : `Nothing to serve: none of the ${found} flow file${found === 1 ? '' : 's'} under ${where} has a webhook or schedule trigger that can be served.`,
      ),
    );
    return EXIT_USAGE;
  }

  // Live mode always records (there is no --no-history for serve).
  // Group commit: many runs' records per journal write and fdatasync (a 202 is durable), not a file per save.
  const history = openHistory({ historyDir: options.historyDir }, { groupCommit: true })!;
  // What happens while the server starts (resumed runs, catch-up runs) is printed after the list of URLs.
  let early: LiveLogEntry[] | undefined = [];
  const onLog = (entry: LiveLogEntry): void => (early ? void early.push(entry) : printLog(entry));
  let server: LiveServer;
  try {
    const queueUrl = options.queue ?? (process.env.WEFT_REDIS_URL || undefined);
    const queue = queueUrl === undefined ? undefined : queueMode(queueUrl);
    server = await startLiveServer({ dir: paths, port, host, history, rateLimit, activation, onLog, concurrency, backlog, apiToken, queue });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'EADDRINUSE' ? `port ${port} is in use (try --port)` : code === 'EACCES' ? `no permission to listen on port ${port}` : (error as Error).message;
    err(redErr(`weft serve could not start: ${reason}.`));
    await history.close().catch(() => undefined);
    return EXIT_FAILED;
  }

  printServing(server, where);
  for (const entry of early) printLog(entry);
  early = undefined;
  await untilSignalled();
  out(dim(`Stopping: runs in flight get ${DEFAULT_GRACE_MS / 1000} s to end… (Ctrl+C again to quit at once)`));
  const quitAtOnce = (): void => process.exit(130);
  process.once('SIGINT', quitAtOnce);
  process.once('SIGTERM', quitAtOnce);
  const result = await server.close({ graceMs: DEFAULT_GRACE_MS, inFlight: 'suspend' });
  await history.close();
  if (result.suspended.length > 0) {
    out(yellow(`${result.suspended.length} run${result.suspended.length === 1 ? '' : 's'} still in flight saved as interrupted; the next \`weft serve\` resumes ${result.suspended.length === 1 ? 'it' : 'them'}.`));
  }
  out(dim('Stopped.'));
  process.off('SIGINT', quitAtOnce);
  process.off('SIGTERM', quitAtOnce);
  return EXIT_OK;
}

function printServing(server: LiveServer, where: string): void {
  const { served, manualOnly } = server.activation;
  out(green(`weft serve: ${served.length} flow${served.length === 1 ? '' : 's'} under ${where} on ${server.url}`));
  for (const flow of served) {
    for (const hook of flow.webhooks) {
      const notes = [hook.respond === 'result' ? 'answers with the result' : 'answers 202', hook.secret !== undefined ? 'secret required' : 'no secret'];
      out(`  ${hook.method.padEnd(6)} ${server.url}/hooks/${hook.path}  → ${flow.flow.id} ${dim(`(${notes.join(', ')})`)}`);
    }
    for (const schedule of flow.schedules) {
      out(`  ${'CRON'.padEnd(6)} "${schedule.cron}" ${schedule.timezone}  → ${flow.flow.id} ${dim('next:')}`);
      for (const time of nextTimes(schedule.pattern, 5)) out(dim(`           ${formatInZone(time, schedule.timezone)}`));
    }
  }
  if (manualOnly.length > 0) out(dim(`  (${manualOnly.length} flow${manualOnly.length === 1 ? ' has' : 's have'} only manual triggers)`));
  out(dim(`  run API: ${server.url}/_weft/runs · events: ${server.url.replace(/^http/, 'ws')}/_weft/events${process.env.WEFT_API_TOKEN ? ' (bearer token: WEFT_API_TOKEN)' : ''}`));
  out(dim(`  status: ${server.url}/_weft/status · Ctrl+C stops`));
}

function printLog(entry: LiveLogEntry): void {
  const time = dim(new Date().toISOString().slice(11, 23));
  if (entry.level === 'error') err(`${time} ${redErr(entry.message)}`);
  else if (entry.level === 'warn') outGathered(`${time} ${yellow(entry.message)}`);
  else outGathered(`${time} ${entry.message}`);
}

function printProblem(problem: LiveProblem): void {
  if (problem.diagnostics && problem.diagnostics.length > 0) {
    for (const d of problem.diagnostics) err(redErr(formatDiagnostic(d, shown(d.file ?? problem.file))));
    err(yellowErr(`${shown(problem.file)}: not served: it does not compile.`));
    return;
  }
  const at = problem.range ? `:${problem.range.start.line + 1}:${problem.range.start.character + 1}` : '';
  err(redErr(`${shown(problem.file)}${at}: error: ${problem.message} [${problem.code}]`));
  err(yellowErr(`${shown(problem.file)}: not served.`));
}

function parseNumber(text: string | undefined, name: string, fallback: number, valid: (n: number) => boolean, what: string): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !valid(value)) throw new UsageError(`${name} must be ${what}, not "${text}".`);
  return value;
}
