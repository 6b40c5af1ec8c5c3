// The compact digest of an ended run: what `weft stats` aggregates, kept in the run's index summary so that a
// query over 100,000 runs reads the index only, never a run record (docs/decisions.md, "weft stats").
// Short keys: the digest is written in every journal line and index.json entry of an ended run.

import type { NodeStatus, RunRecord } from '../run/runRecord';

export interface NodeDigest {
  /** Status. */
  s: NodeStatus;
  /** Duration in ms, when the node ran. */
  d?: number;
  /** Attempts (1 when it ran once; retries are attempts beyond 1). */
  a?: number;
  /** Model(s) that answered, as NodeUsage.model says. */
  m?: string;
  /** Input and output tokens. */
  ti?: number;
  to?: number;
  /** Estimated cost in USD. */
  c?: number;
  /** Error code when it failed. */
  e?: string;
}

export interface RunDigest {
  /** Per node id. Nodes that never ran (pending, skipped, disabled, reused) are left out: they took no time. */
  n: Record<string, NodeDigest>;
  /** The run's error code, and the node it came from, when it failed. */
  e?: string;
  en?: string;
}

/** The digest of a record; meant for ended runs (a running one changes at every checkpoint). */
export function digestOf(record: RunRecord): RunDigest {
  const nodes: Record<string, NodeDigest> = {};
  for (const [id, node] of Object.entries(record.nodes ?? {})) {
    if (node.reused || node.disabled || node.status === 'pending' || node.status === 'skipped') continue;
    const digest: NodeDigest = { s: node.status };
    if (typeof node.durationMs === 'number') digest.d = node.durationMs;
    if (typeof node.attempts === 'number' && node.attempts !== 1) digest.a = node.attempts;
    const usage = node.usage;
    if (usage) {
      digest.m = usage.model;
      digest.ti = usage.inputTokens;
      digest.to = usage.outputTokens;
      if (typeof usage.costUsd === 'number') digest.c = usage.costUsd;
    }
    if (node.status === 'failed' && node.error) digest.e = node.error.code ?? node.error.name ?? 'error';
    nodes[id] = digest;
  }
  const digest: RunDigest = { n: nodes };
  if (record.error) {
    digest.e = record.error.code ?? record.error.name ?? 'error';
    if (record.error.nodeId !== undefined) digest.en = record.error.nodeId;
  }
  return digest;
}
