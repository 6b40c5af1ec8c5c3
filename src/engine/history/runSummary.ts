// The line a run gets in the history index: enough to list, filter and sort runs without opening run files.

import { isTerminal, type RunMode, type RunRecord, type RunStatus } from '../run/runRecord';
import type { RunOwner } from './ownerLease';
import { digestOf, type RunDigest } from './runDigest';
import { describeInput, searchTextOf } from './runSearchText';

export interface RunSummary {
  id: string;
  flowId: string;
  flowFile?: string;
  status: RunStatus;
  mode: RunMode;
  triggerType: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  /** The run's error message, cut to a few hundred characters (the full error is in the run record). */
  error?: string;
  resumedFrom?: string;
  parentExecutionId?: string;
  /** The process running it; lets another process tell a dead run from a live one without opening the record. */
  owner?: RunOwner;
  /** One line of the input ("orderId A-42, total 120"), so that rows of one flow can be told apart. */
  inputSummary?: string;
  /** Lower-case scalar values of the input and output, capped (runSearchText.ts): what search finds runs by. */
  searchText?: string;
  /** Ended runs: what `weft stats` aggregates (runDigest.ts), so that stats never read run records. */
  digest?: RunDigest;
}

const MAX_ERROR_CHARS = 500;

/** The summary of a record as it is now. */
export function summarize(record: RunRecord): RunSummary {
  const summary: RunSummary = {
    id: record.id,
    flowId: record.flowId,
    status: record.status,
    mode: record.mode,
    triggerType: record.trigger?.type ?? 'manual',
    startedAt: record.startedAt,
  };
  if (record.flowFile !== undefined) summary.flowFile = record.flowFile;
  if (record.finishedAt !== undefined) summary.finishedAt = record.finishedAt;
  if (record.durationMs !== undefined) summary.durationMs = record.durationMs;
  const message = record.error?.message;
  if (typeof message === 'string') {
    summary.error = message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS)}…` : message;
  }
  const inputSummary = describeInput(record.input);
  if (inputSummary) summary.inputSummary = inputSummary;
  const searchText = searchTextOf(record.input, record.output);
  if (searchText) summary.searchText = searchText;
  if (record.resumedFrom !== undefined) summary.resumedFrom = record.resumedFrom;
  if (record.parentExecutionId !== undefined) summary.parentExecutionId = record.parentExecutionId;
  if (record.owner !== undefined) {
    summary.owner = { pid: record.owner.pid, host: record.owner.host };
    if (record.owner.instance !== undefined) summary.owner.instance = record.owner.instance;
  }
  if (isTerminal(record.status)) summary.digest = digestOf(record);
  return summary;
}

/** The summary without its digest: what index.json holds (digests are in digests.json, for `weft stats`). */
export function withoutDigest(summary: RunSummary): RunSummary {
  if (summary.digest === undefined) return summary;
  const { digest: _digest, ...rest } = summary;
  return rest;
}

/** What digests.json holds of a run: the fields `weft stats` reads (runStats.ts), and its digest. */
export function statsFields(summary: RunSummary, digest: RunSummary['digest']): RunSummary {
  const slim: RunSummary = { id: summary.id, flowId: summary.flowId, status: summary.status, mode: summary.mode, triggerType: summary.triggerType, startedAt: summary.startedAt };
  if (summary.durationMs !== undefined) slim.durationMs = summary.durationMs;
  if (summary.error !== undefined) slim.error = summary.error;
  if (digest !== undefined) slim.digest = digest;
  return slim;
}

/** A summary as the index holds it. */
export interface IndexedRun {
  /** When this version of the summary was written (ms): of two versions of a run, the later one wins. */
  t: number;
  /** `startedAt` as epoch ms, parsed once, for sorting and time filters. */
  ms: number;
  s: RunSummary;
  /** Where this version's whole record is in a journal segment (group commit); absent: in the run file. */
  at?: { seg: string; off: number; len: number };
}

export function indexedRun(summary: RunSummary, t: number, at?: IndexedRun['at']): IndexedRun {
  const ms = Date.parse(summary.startedAt);
  const run: IndexedRun = { t, ms: Number.isNaN(ms) ? 0 : ms, s: summary };
  if (at !== undefined) run.at = at;
  return run;
}

/** Newest first: by start time, then by id so that the order is total and stable across processes. */
export function compareNewestFirst(a: IndexedRun, b: IndexedRun): number {
  if (a.ms !== b.ms) return b.ms - a.ms;
  return a.s.id < b.s.id ? 1 : a.s.id > b.s.id ? -1 : 0;
}
