// The log view's filter (a minimum level plus a text search) and the text of "Download": one line per entry,
// ISO time, level, node, message, so the file greps well and sorts by time.

import type { LogLevel } from '../../src/engine/nodes/nodeType';
import type { LogLine } from './runState';

export const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

export interface LogFilter {
  /** Lines at this level or above. */
  minLevel: LogLevel;
  /** Case-insensitive; matches the message or the node id. Empty: no search. */
  search: string;
}

export const DEFAULT_LOG_FILTER: LogFilter = { minLevel: 'debug', search: '' };

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

function levelRank(level: LogLevel): number {
  return RANK[level] ?? 0;
}

/** The lines the filter lets through, in their order. Returns the same array when nothing is filtered. */
export function filterLogs(lines: readonly LogLine[], filter: LogFilter): readonly LogLine[] {
  const min = levelRank(filter.minLevel);
  const needle = filter.search.trim().toLowerCase();
  if (min === 0 && needle === '') return lines;
  return lines.filter(
    (line) =>
      levelRank(line.level) >= min &&
      (needle === '' || line.message.toLowerCase().includes(needle) || line.nodeId.toLowerCase().includes(needle)),
  );
}

/** Where a line comes from: "fetch", or "remind › message #2" for a node inside a loop's body. */
export function lineSource(line: LogLine): string {
  return line.loop ? `${line.loop.loopNodeId} › ${line.nodeId} #${line.loop.iteration + 1}` : line.nodeId;
}

/** The downloadable text: a header naming the run, then one line per entry. */
export function formatLogText(lines: readonly LogLine[], run: { flowName?: string; runId?: string }): string {
  const header = `# Weft run ${run.runId ?? '(no id)'} of ${run.flowName ?? 'a flow'}: ${lines.length} log line${lines.length === 1 ? '' : 's'}`;
  const body = lines.map((line) => {
    const ts = Number.isFinite(line.ts) ? new Date(line.ts).toISOString() : '-';
    // Messages may span lines; indent the continuation so each entry still starts with its time.
    return `${ts} ${line.level.toUpperCase().padEnd(5)} [${lineSource(line)}] ${line.message.replace(/\r?\n/g, '\n    ')}`;
  });
  return [header, ...body].join('\n') + '\n';
}

/** "order-intake-0mwrdgnz4.log": safe on every file system. */
export function logFileName(run: { flowName?: string; runId?: string }): string {
  const clean = (s: string): string => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
  const parts = [clean(run.flowName ?? 'weft-run') || 'weft-run', run.runId ? clean(run.runId.split('-')[0]) : ''];
  return `${parts.filter(Boolean).join('-')}.log`;
}
