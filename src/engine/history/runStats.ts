// `weft stats`: per-flow, per-node and per-model figures over the ended runs of a time window, from the runs'
// index summaries and their digests (runDigest.ts) only: no run record is read. Runs still running are left out
// (they have no outcome yet), and so are runs removed by retention, since they have left the index.

import type { RunMode } from '../run/runRecord';
import { DurationHistogram } from './durationHistogram';
import type { RunSummary } from './runSummary';

export interface StatsQuery {
  flowId?: string;
  /** Runs started at or after this time (epoch ms). */
  sinceMs?: number;
  /** Runs started before this time (epoch ms). */
  untilMs?: number;
  /** Leaves out runs of this mode (test runs, by default in `weft stats`). */
  excludeMode?: RunMode;
  /** How many failure groups and slowest nodes to list per flow. Default 5. */
  top?: number;
}

export interface UsageFigures {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
}

export interface NodeStats extends UsageFigures {
  nodeId: string;
  runs: number;
  failed: number;
  successRatio: number;
  p50Ms?: number;
  p95Ms?: number;
  /** Attempts beyond the first, summed. */
  retries: number;
  totalMs: number;
  /** This node's share of the time all nodes of the flow took (0..1). */
  timeShare: number;
}

export interface ModelStats extends UsageFigures {
  model: string;
  calls: number;
}

export interface FailureGroup {
  /** The error code, or the error's name when it has none. */
  code: string;
  /** The first line of the message of the group's most recent run (messages vary: ids, times). */
  message: string;
  nodeId?: string;
  count: number;
}

export interface FlowStats extends UsageFigures {
  flowId: string;
  runs: number;
  completed: number;
  failed: number;
  /** cancelled and interrupted */
  other: number;
  /** completed / runs */
  successRatio: number;
  p50Ms?: number;
  p95Ms?: number;
  retries: number;
  nodes: NodeStats[];
  models: ModelStats[];
  failures: FailureGroup[];
  /** The nodes that took the most time, largest share first. */
  slowestNodes: Array<{ nodeId: string; totalMs: number; timeShare: number }>;
}

export interface StatsReport {
  sinceMs?: number;
  untilMs?: number;
  runs: number;
  flows: FlowStats[];
}

/** What the aggregation needs of an index entry. */
export interface StatsSource {
  ms: number;
  s: RunSummary;
}

export interface NodeAcc {
  runs: number;
  failed: number;
  retries: number;
  totalMs: number;
  histogram: DurationHistogram;
  usage: UsageFigures;
}

export interface FlowAcc {
  runs: number;
  completed: number;
  failed: number;
  retries: number;
  histogram: DurationHistogram;
  usage: UsageFigures;
  nodes: Map<string, NodeAcc>;
  models: Map<string, ModelStats>;
  /** Key code + node + message line -> group; the newest run's message wins (runs come in any order). */
  failures: Map<string, FailureGroup & { ms: number }>;
}

const MAX_MESSAGE_CHARS = 160;

export function aggregateStats(runs: Iterable<StatsSource>, query: StatsQuery = {}): StatsReport {
  const flows = new Map<string, FlowAcc>();
  let total = 0;
  for (const run of runs) {
    const s = run.s;
    if (s.status === 'running') continue;
    if (query.flowId !== undefined && s.flowId !== query.flowId) continue;
    if (query.sinceMs !== undefined && run.ms < query.sinceMs) continue;
    if (query.untilMs !== undefined && run.ms >= query.untilMs) continue;
    if (query.excludeMode !== undefined && s.mode === query.excludeMode) continue;
    total++;
    let flow = flows.get(s.flowId);
    if (!flow) flows.set(s.flowId, (flow = newFlow()));
    addRun(flow, run);
  }
  return reportOf(flows, total, query);
}

/** The report of accumulated flows (from runs here, or from the hourly buckets of statsRollup.ts). */
export function reportOf(flows: ReadonlyMap<string, FlowAcc>, total: number, query: StatsQuery): StatsReport {
  const top = query.top ?? 5;
  const report: StatsReport = {
    runs: total,
    flows: [...flows.entries()].map(([flowId, acc]) => finishFlow(flowId, acc, top)).sort((a, b) => b.runs - a.runs || (a.flowId < b.flowId ? -1 : 1)),
  };
  if (query.sinceMs !== undefined) report.sinceMs = query.sinceMs;
  if (query.untilMs !== undefined) report.untilMs = query.untilMs;
  return report;
}

export function newFlow(): FlowAcc {
  return {
    runs: 0,
    completed: 0,
    failed: 0,
    retries: 0,
    histogram: new DurationHistogram(),
    usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 },
    nodes: new Map(),
    models: new Map(),
    failures: new Map(),
  };
}

export function addRun(flow: FlowAcc, run: StatsSource): void {
  const s = run.s;
  flow.runs++;
  if (s.status === 'completed') flow.completed++;
  else if (s.status === 'failed') flow.failed++;
  if (typeof s.durationMs === 'number') flow.histogram.add(s.durationMs);
  const digest = s.digest;
  if (s.status === 'failed') {
    const code = digest?.e ?? 'error';
    const message = firstLine(s.error ?? '');
    const key = `${code}\u0000${digest?.en ?? ''}\u0000${message}`;
    const group = flow.failures.get(key);
    if (group) {
      group.count++;
    } else {
      const created: FailureGroup & { ms: number } = { code, message, count: 1, ms: run.ms };
      if (digest?.en !== undefined) created.nodeId = digest.en;
      flow.failures.set(key, created);
    }
  }
  if (!digest) return; // recorded before digests existed: run-level figures only
  for (const [nodeId, n] of Object.entries(digest.n)) {
    let node = flow.nodes.get(nodeId);
    if (!node) {
      node = newNodeAcc();
      flow.nodes.set(nodeId, node);
    }
    node.runs++;
    if (n.s === 'failed') node.failed++;
    const retries = n.a !== undefined && n.a > 1 ? n.a - 1 : 0;
    node.retries += retries;
    flow.retries += retries;
    if (n.d !== undefined) {
      node.totalMs += n.d;
      node.histogram.add(n.d);
    }
    if (n.m !== undefined) {
      const ti = n.ti ?? 0;
      const to = n.to ?? 0;
      const c = n.c ?? 0;
      addUsage(node.usage, ti, to, c);
      addUsage(flow.usage, ti, to, c);
      let model = flow.models.get(n.m);
      if (!model) flow.models.set(n.m, (model = { model: n.m, calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }));
      model.calls++;
      addUsage(model, ti, to, c);
    }
  }
}

export function newNodeAcc(): NodeAcc {
  return { runs: 0, failed: 0, retries: 0, totalMs: 0, histogram: new DurationHistogram(), usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } };
}

/** Adds `from` into `into`: counts and histograms add exactly, a failure group keeps its newest message. */
export function mergeFlow(into: FlowAcc, from: FlowAcc): void {
  into.runs += from.runs;
  into.completed += from.completed;
  into.failed += from.failed;
  into.retries += from.retries;
  into.histogram.merge(from.histogram);
  addUsage(into.usage, from.usage.inputTokens, from.usage.outputTokens, from.usage.costUsd);
  for (const [nodeId, n] of from.nodes) {
    let node = into.nodes.get(nodeId);
    if (!node) into.nodes.set(nodeId, (node = newNodeAcc()));
    node.runs += n.runs;
    node.failed += n.failed;
    node.retries += n.retries;
    node.totalMs += n.totalMs;
    node.histogram.merge(n.histogram);
    addUsage(node.usage, n.usage.inputTokens, n.usage.outputTokens, n.usage.costUsd);
  }
  for (const [name, m] of from.models) {
    let model = into.models.get(name);
    if (!model) into.models.set(name, (model = { model: name, calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }));
    model.calls += m.calls;
    addUsage(model, m.inputTokens, m.outputTokens, m.costUsd);
  }
  for (const [key, group] of from.failures) {
    const known = into.failures.get(key);
    if (!known) into.failures.set(key, { ...group });
    else {
      known.count += group.count;
      if (group.ms > known.ms) {
        known.ms = group.ms;
        known.message = group.message;
      }
    }
  }
}

function addUsage(into: UsageFigures, inputTokens: number, outputTokens: number, costUsd: number): void {
  into.inputTokens += inputTokens;
  into.outputTokens += outputTokens;
  into.costUsd += costUsd;
}

function finishFlow(flowId: string, acc: FlowAcc, top: number): FlowStats {
  let allNodesMs = 0;
  for (const node of acc.nodes.values()) allNodesMs += node.totalMs;
  const nodes: NodeStats[] = [...acc.nodes.entries()].map(([nodeId, n]) => ({
    nodeId,
    runs: n.runs,
    failed: n.failed,
    successRatio: n.runs === 0 ? 0 : (n.runs - n.failed) / n.runs,
    ...percentiles(n.histogram),
    retries: n.retries,
    totalMs: n.totalMs,
    timeShare: allNodesMs === 0 ? 0 : n.totalMs / allNodesMs,
    inputTokens: n.usage.inputTokens,
    outputTokens: n.usage.outputTokens,
    costUsd: roundUsd(n.usage.costUsd),
  }));
  nodes.sort((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  const slowestNodes = [...nodes]
    .filter((n) => n.totalMs > 0)
    .sort((a, b) => b.totalMs - a.totalMs)
    .slice(0, top)
    .map((n) => ({ nodeId: n.nodeId, totalMs: n.totalMs, timeShare: n.timeShare }));
  const failures = [...acc.failures.values()]
    .sort((a, b) => b.count - a.count || b.ms - a.ms)
    .slice(0, top)
    .map(({ ms: _ms, ...group }) => group);
  const models = [...acc.models.values()].map((m) => ({ ...m, costUsd: roundUsd(m.costUsd) })).sort((a, b) => b.costUsd - a.costUsd || b.calls - a.calls);
  return {
    flowId,
    runs: acc.runs,
    completed: acc.completed,
    failed: acc.failed,
    other: acc.runs - acc.completed - acc.failed,
    successRatio: acc.runs === 0 ? 0 : acc.completed / acc.runs,
    ...percentiles(acc.histogram),
    retries: acc.retries,
    inputTokens: acc.usage.inputTokens,
    outputTokens: acc.usage.outputTokens,
    costUsd: roundUsd(acc.usage.costUsd),
    nodes,
    models,
    failures,
    slowestNodes,
  };
}

function percentiles(histogram: DurationHistogram): { p50Ms?: number; p95Ms?: number } {
  if (histogram.count === 0) return {};
  // Hundredths of a ms: nodes that do no I/O take under a millisecond, and 0 would say they take nothing.
  return { p50Ms: roundMs(histogram.quantile(0.5)!), p95Ms: roundMs(histogram.quantile(0.95)!) };
}

function roundMs(ms: number): number {
  return Math.round(ms * 100) / 100;
}

/** Sums of float prices drift (0.1 + 0.2): a millionth of a dollar is as fine as prices go. */
function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0].trim();
  return line.length > MAX_MESSAGE_CHARS ? `${line.slice(0, MAX_MESSAGE_CHARS)}…` : line;
}
