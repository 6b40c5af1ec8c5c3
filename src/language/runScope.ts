// The names templates read, rebuilt from a recorded run, so hover can show what an expression gave and
// completion can offer the fields a node's output really had. Secrets are never evaluated: every name reads
// `***`, whatever the run used. Also how a recorded value is shown: JSON, cut to a length a hover can hold.

import type { Scope } from '../engine/expr/scope';
import type { RunRecord } from '../engine/run/runRecord';

/** Shown for every secret: the real values are not the language service's to know. */
export const REDACTED = '***';

/**
 * The scope node `readerId` saw in `record` (its recorded input as `input`), as far as the record tells:
 * `item` and `index` are per iteration and not recorded.
 */
export function scopeFromRun(
  record: RunRecord,
  variables: Record<string, unknown>,
  secretNames: Iterable<string>,
  readerId?: string,
): Scope {
  const nodes: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(record.nodes)) {
    if (node.output !== undefined) nodes[id] = node.output;
  }
  const secrets: Record<string, string> = {};
  for (const name of secretNames) secrets[name] = REDACTED;
  return {
    trigger: record.input,
    input: readerId === undefined ? undefined : record.nodes[readerId]?.input,
    nodes,
    variables,
    secrets,
    execution: { id: record.id, flowId: record.flowId, startedAt: record.startedAt, trigger: record.trigger },
  };
}

/** Most characters of a value a hover shows. */
const VALUE_PREVIEW_LIMIT = 1500;

/** A value as a fenced JSON block, cut at `limit` characters with a note saying how long it was. */
export function jsonBlock(value: unknown, limit = VALUE_PREVIEW_LIMIT): string {
  const text = jsonText(value);
  if (text.length <= limit) return fence(text);
  return `${fence(`${text.slice(0, limit)}\n…`)}\n*Truncated: ${text.length.toLocaleString('en-US')} characters in all.*`;
}

/** One line, for completion details: `{"id":1,"name":"Ada"}`, cut at `limit`. */
export function jsonPreview(value: unknown, limit = 60): string {
  const text = value === undefined ? 'undefined' : (safeStringify(value, 0) ?? String(value));
  return text.length > limit ? `${text.slice(0, limit - 1)}…` : text;
}

function jsonText(value: unknown): string {
  if (value === undefined) return 'undefined';
  return safeStringify(value, 2) ?? String(value);
}

function safeStringify(value: unknown, indent: number): string | undefined {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v), indent);
  } catch {
    return undefined;
  }
}

function fence(text: string): string {
  // A value holding ``` would end the block early: use a longer fence.
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const marks = '`'.repeat(longest + 1);
  return `${marks}json\n${text}\n${marks}`;
}
