// What recorded runs actually produced, for completion and hover (issue 14: types "optionally narrowed by what
// recorded runs actually produced, clearly marked as observed, never an error by itself"). For `nodes.<id>` and a
// path into its output: the keys found there in the recent runs' records, each with the number of runs it was
// found in. Information only: it never makes a diagnostic, since a run shows what happened, not what may happen.

import { readMember } from '../engine/expr/member';
import type { RunRecord } from '../engine/run/runRecord';
import { isPlainObject } from '../shared/isPlainObject';

/** How many recent runs the editor reads (newest first). */
export const OBSERVED_RUNS = 10;

export interface ObservedFields {
  /** Runs whose record has an object at the path (the ones the counts are out of). */
  runs: number;
  /** Each key found, with the number of those runs it was found in; most often first, then by name. */
  keys: { key: string; runs: number }[];
}

/** The keys of the object at `steps` in node `id`'s recorded output, over `runs`; undefined when no run had one. */
export function observedFields(runs: readonly RunRecord[], id: string, steps: readonly (string | number)[]): ObservedFields | undefined {
  let seen = 0;
  const counts = new Map<string, number>();
  for (const run of runs) {
    const record = Object.hasOwn(run.nodes, id) ? run.nodes[id] : undefined;
    if (record?.output === undefined) continue;
    let value: unknown = record.output;
    for (const step of steps) value = readMember(value, step);
    if (!isPlainObject(value)) continue;
    seen++;
    for (const key of Object.keys(value)) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  if (seen === 0) return undefined;
  const keys = [...counts].map(([key, n]) => ({ key, runs: n })).sort((a, b) => b.runs - a.runs || a.key.localeCompare(b.key));
  return { runs: seen, keys };
}

/** "observed in 3 recent runs", or "observed in 2 of 3 recent runs" for a key some of them lacked. */
export function observedLabel(found: number, of: number): string {
  return found === of ? `observed in ${of} recent run${of === 1 ? '' : 's'}` : `observed in ${found} of ${of} recent runs`;
}
