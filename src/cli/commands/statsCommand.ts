// `weft stats`: per-flow figures over the recorded runs of a window (per node, per model and the common failures
// with --flow), from the history index alone (engine/history/runStats.ts).

import type { FlowStats, StatsReport } from '../../engine/history/runStats';
import { EXIT_OK, type CliOptions } from '../cliTypes';
import { parseSince } from '../sinceOption';
import { dim, formatDuration, out } from '../terminal';
import { openHistory } from './runCommand';

/** The window when --since is not given: a week, what "how is this flow doing" usually means. */
const DEFAULT_SINCE = '7d';

export async function statsCommand(options: CliOptions): Promise<number> {
  const since = options.since ?? DEFAULT_SINCE;
  const sinceMs = parseSince(since, Date.now());
  const history = openHistory({ ...options, noHistory: false })!;
  // No recoverInterrupted here: it parses the whole index.json (most of a cold query's time), and stats leave out
  // runs still marked running anyway; `weft history` and the editor recover them.
  // Test runs are excluded as `weft history` hides them: mocked runs would skew durations and failures.
  const report = await history.stats({ flowId: options.flow, sinceMs, excludeMode: options.tests ? undefined : 'test' });
  if (options.json) {
    out(JSON.stringify({ since: new Date(sinceMs).toISOString(), ...report }, null, 2));
    return EXIT_OK;
  }
  const window = `since ${new Date(sinceMs).toISOString().replace('T', ' ').slice(0, 16)} UTC`;
  if (report.flows.length === 0) {
    out(dim(options.flow === undefined ? `No ended runs ${window}.` : `No ended runs of ${options.flow} ${window}.`));
    return EXIT_OK;
  }
  out(dim(`${report.runs} run${report.runs === 1 ? '' : 's'} ${window}${options.tests ? ', test runs included' : ''}`));
  printTable(
    ['FLOW', 'RUNS', 'SUCCESS', 'P50', 'P95', 'RETRIES', 'TOKENS', 'COST'],
    report.flows.map((f) => [f.flowId, String(f.runs), percent(f.successRatio), formatDuration(f.p50Ms), formatDuration(f.p95Ms), String(f.retries), tokens(f), usd(f.costUsd)]),
  );
  if (options.flow !== undefined) printFlowDetail(report.flows[0]);
  else printFailures(report);
  return EXIT_OK;
}

function printFlowDetail(flow: FlowStats): void {
  out('');
  printTable(
    ['NODE', 'RUNS', 'SUCCESS', 'P50', 'P95', 'RETRIES', 'TIME', 'TOKENS', 'COST'],
    flow.nodes.map((n) => [n.nodeId, String(n.runs), percent(n.successRatio), formatDuration(n.p50Ms), formatDuration(n.p95Ms), String(n.retries), percent(n.timeShare), tokens(n), usd(n.costUsd)]),
  );
  if (flow.models.length > 0) {
    out('');
    printTable(
      ['MODEL', 'CALLS', 'TOKENS', 'COST'],
      flow.models.map((m) => [m.model, String(m.calls), tokens(m), usd(m.costUsd)]),
    );
  }
  if (flow.slowestNodes.length > 0) {
    out('');
    out(dim('Where the time goes'));
    for (const n of flow.slowestNodes) out(`  ${percent(n.timeShare).padStart(5)}  ${n.nodeId} ${dim(`(${formatDuration(n.totalMs)} in all)`)}`);
  }
  if (flow.failures.length > 0) {
    out('');
    out(dim('Most common failures'));
    for (const f of flow.failures) out(`  ${String(f.count).padStart(5)}× ${f.code}${f.nodeId ? ` at ${f.nodeId}` : ''}: ${f.message}`);
  }
}

function printFailures(report: StatsReport): void {
  const failures = report.flows.flatMap((flow) => flow.failures.map((f) => ({ flowId: flow.flowId, ...f }))).sort((a, b) => b.count - a.count);
  if (failures.length === 0) return;
  out('');
  out(dim('Most common failures (--flow ID for per-node figures)'));
  for (const f of failures.slice(0, 5)) out(`  ${String(f.count).padStart(5)}× ${f.flowId}: ${f.code}${f.nodeId ? ` at ${f.nodeId}` : ''}: ${f.message}`);
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  // Figures are right-aligned so that their digits line up; the first column (a name) is left-aligned.
  const line = (cells: string[]): string => cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  out(dim(line(header)));
  for (const row of rows) out(line(row));
}

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

function tokens(figures: { inputTokens: number; outputTokens: number }): string {
  const total = figures.inputTokens + figures.outputTokens;
  return total === 0 ? '–' : String(total);
}

function usd(cost: number): string {
  if (cost === 0) return '–';
  return cost < 0.01 ? `$${cost.toFixed(4)}` : `$${cost.toFixed(2)}`;
}
