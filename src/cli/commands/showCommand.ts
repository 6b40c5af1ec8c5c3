// `weft show <runId>`: one run's record. The record is a file in `.weft/runs/` that anything may have written
// over (a crash mid-copy, a hand edit, another tool's JSON): such a file is named and refused with a sentence,
// never a stack trace.

import { join, relative } from 'node:path';
import { WeftError } from '../../engine/errors';
import type { HistoryStore } from '../../engine/history/historyStore';
import type { RunRecord } from '../../engine/run/runRecord';
import { dim, err, formatDuration, out, red } from '../terminal';
import { EXIT_FAILED, EXIT_OK, type CliOptions, UsageError } from '../cliTypes';
import { openHistory } from './runCommand';
import { isPlainObject } from '../../shared/isPlainObject';

export async function showCommand(runId: string | undefined, options: CliOptions): Promise<number> {
  if (!runId) throw new UsageError('weft show needs a run id: weft show <runId> [--json]');
  const history = openHistory({ ...options, noHistory: false })!;
  let record: RunRecord | undefined;
  try {
    record = await history.get(runId);
  } catch (error) {
    // A prefix that matches several runs is the user's to fix (exit 2, from main); an unreadable file is not.
    if (!(error instanceof WeftError) || error.code !== 'history') throw error;
    err(red(`weft show: cannot read ${await recordFile(history, runId)}: ${error.message}`));
    return EXIT_FAILED;
  }
  if (!record) {
    out(red(`No run '${runId}' in ${history.dir}.`));
    return EXIT_FAILED;
  }
  const problem = recordProblem(record);
  if (problem !== undefined) {
    err(red(`weft show: ${await recordFile(history, runId)} is not a Weft run record: ${problem}.`));
    return EXIT_FAILED;
  }
  if (options.json) {
    out(JSON.stringify(record, null, 2));
    return EXIT_OK;
  }
  out(`${record.id}  ${record.flowId}  ${record.status}  ${formatDuration(record.durationMs)}`);
  if (record.flowFile) out(dim(relative(process.cwd(), record.flowFile)));
  for (const [id, node] of Object.entries(record.nodes)) {
    out(`  ${id.padEnd(20)} ${node.status.padEnd(10)} ${formatDuration(node.durationMs)}${node.error ? `  ${red(node.error.message)}` : ''}`);
  }
  if (record.error) out(red(record.error.message));
  return EXIT_OK;
}

/** What makes `value` unprintable as a run record (the fields `weft show` reads), or undefined. */
function recordProblem(value: unknown): string | undefined {
  if (!isPlainObject(value)) return `it holds ${Array.isArray(value) ? 'an array' : String(value === null ? null : typeof value)}, not an object`;
  for (const field of ['id', 'flowId', 'status'] as const) {
    if (typeof value[field] !== 'string') return `"${field}" is not a string`;
  }
  if (value.durationMs !== undefined && typeof value.durationMs !== 'number') return '"durationMs" is not a number';
  if (value.flowFile !== undefined && typeof value.flowFile !== 'string') return '"flowFile" is not a string';
  if (value.error !== undefined && !(isPlainObject(value.error) && typeof value.error.message === 'string')) return '"error" has no message';
  if (!isPlainObject(value.nodes)) return '"nodes" is not an object';
  for (const [id, node] of Object.entries(value.nodes)) {
    if (!isPlainObject(node) || typeof node.status !== 'string') return `node "${id}" has no status`;
    if (node.durationMs !== undefined && typeof node.durationMs !== 'number') return `node "${id}" has a "durationMs" that is not a number`;
    if (node.error !== undefined && !(isPlainObject(node.error) && typeof node.error.message === 'string')) return `node "${id}" has an "error" with no message`;
  }
  return undefined;
}

/** The file of the run `idOrPrefix` names, relative to the working directory, for messages. */
async function recordFile(history: HistoryStore, idOrPrefix: string): Promise<string> {
  let id = idOrPrefix;
  try {
    id = (await history.list()).find((run) => run.id === idOrPrefix || run.id.startsWith(idOrPrefix))?.id ?? idOrPrefix;
  } catch {
    // The index cannot be read either: the id as given names the file well enough.
  }
  const file = join(history.dir, 'runs', `${id}.json`);
  return relative(process.cwd(), file) || file;
}
