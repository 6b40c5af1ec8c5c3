// `weft history`: recorded runs, newest first. (`weft show <runId>` is in showCommand.ts.)

import type { RunStatus } from '../../engine/run/runRecord';
import { dim, formatDuration, green, out, red, yellow } from '../terminal';
import { EXIT_OK, type CliOptions, UsageError } from '../cliTypes';
import { openHistory } from './runCommand';

const STATUSES: RunStatus[] = ['running', 'completed', 'failed', 'cancelled', 'interrupted'];

export async function historyCommand(options: CliOptions): Promise<number> {
  const history = openHistory({ ...options, noHistory: false });
  await history!.recoverInterrupted();
  const status = options.status;
  if (status !== undefined && !STATUSES.includes(status as RunStatus)) {
    throw new UsageError(`--status is one of ${STATUSES.join(', ')}.`);
  }
  const limit = options.limit === undefined ? 50 : Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit is a whole number above 0.');
  // Test runs (`weft test`, the editor's Test) are many and beside the point when looking for what ran: hidden unless
  // --tests asks for them.
  const runs = await history!.list({ flowId: options.flow, status: status as RunStatus | undefined, limit, excludeMode: options.tests ? undefined : 'test' });
  if (options.json) {
    out(JSON.stringify(runs, null, 2));
    return EXIT_OK;
  }
  if (runs.length === 0) {
    out(dim('No runs recorded yet.'));
    return EXIT_OK;
  }
  const paint = (s: string): string => (s === 'completed' ? green(s) : s === 'failed' ? red(s) : s === 'running' ? s : yellow(s));
  const rows = runs.map((r) => [r.id, r.flowId, r.status, r.triggerType ?? '', r.startedAt.replace('T', ' ').slice(0, 19), formatDuration(r.durationMs)]);
  const widths = [0, 1, 2, 3, 4, 5].map((i) => Math.max(...rows.map((row) => row[i].length), HEADER[i].length));
  out(dim(HEADER.map((h, i) => h.padEnd(widths[i])).join('  ')));
  for (const row of rows) out(row.map((cell, i) => (i === 2 ? paint(cell) + ' '.repeat(widths[i] - cell.length) : cell.padEnd(widths[i]))).join('  '));
  return EXIT_OK;
}

const HEADER = ['RUN', 'FLOW', 'STATUS', 'TRIGGER', 'STARTED (UTC)', 'DURATION'];
