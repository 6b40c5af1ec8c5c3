// The stats rollup: `weft stats` and the Insights view read hourly buckets per flow instead of every run's digest,
// so a cold query over 100,000 runs parses a few small files, not digests.json (issue 13: under 500 ms).
//
// Layout, next to index.json:
//   rollup/manifest.json            an index file (IndexFileData, no runs) whose `folded` offsets are index.json's at
//                                   the compaction that wrote it, plus `days`: a signature per day file
//   rollup/f-<flowId>/<YYYY-MM-DD>.json
//                                   one UTC day of one flow, all of it in one accumulator (runStats' FlowAcc,
//                                   stored compactly): what a window read for the days it holds whole
//   rollup/f-<flowId>/<YYYY-MM-DD>.hours.json
//                                   the same day hour by hour, and the ids of the runs it counts with their
//                                   version `t`: read only for a day the window cuts (its first and last)
// Two files a day because per-node histograms dominate the bytes and an hour of them is as big as a day of them:
// a 30-day window reads 30 small files, not 720 hours.
//
// Written by compaction (under the history lock), from the same runs and offsets as index.json and digests.json,
// so retention removes a run from its hour with it. Only the day files whose runs changed are rewritten (their
// signature, a hash of their runs' ids and versions, differs): a compaction after a day of new runs rewrites a
// day or two, not the history. Each file is replaced atomically (temp file, rename); the manifest goes last.
//
// A reader takes the hours in its window from the day files, then the runs recorded since that compaction from the
// journals, past the manifest's offsets (an IndexView over the manifest does exactly that): runs recorded a moment
// ago count at once. A journal run already counted by its day file (a reader between a compaction's day files and
// its manifest) is skipped by id. Deleting one run (`weft history delete`) leaves its figures in its hour until
// the next compaction; a reader cannot subtract what it does not know.
//
// Test runs are left out of the rollup (`weft stats` hides them; `--tests` reads digests.json instead). Windows
// are whole hours: the hour holding `since` counts whole.

import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile } from 'lowdb/node';
import { IndexView, parseIndex, type IndexFileData } from './indexView';
import { addRun, mergeFlow, newFlow, newNodeAcc, reportOf, type FailureGroup, type FlowAcc, type StatsQuery, type StatsReport, type StatsSource } from './runStats';
import type { RunSummary } from './runSummary';

export const ROLLUP_DIR = 'rollup';
const MANIFEST = 'manifest.json';
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** Failure groups kept per hour: messages carry ids and times, and an hour of distinct ones must not grow the file without bound. */
const MAX_FAILURE_GROUPS_PER_HOUR = 20;
const MAX_ATTEMPTS = 5;

interface Manifest extends IndexFileData {
  /** `f-<flowId>/<day>` -> signature of the runs its file counts. */
  days: Record<string, string>;
}

/** A FlowAcc as a day file stores it: short keys, histograms as [bucket, count] pairs. */
interface StoredAcc {
  r: number;
  c: number;
  f: number;
  re: number;
  h: Array<[number, number]>;
  /** input tokens, output tokens, cost */
  u: [number, number, number];
  n: Record<string, { r: number; f: number; re: number; ms: number; h: Array<[number, number]>; u: [number, number, number] }>;
  /** model -> calls, input tokens, output tokens, cost */
  m: Record<string, [number, number, number, number]>;
  /** code, node id ('' when none), message, count, newest start (ms) */
  e: Array<[string, string, string, number, number]>;
}

interface DayFile {
  version: 1;
  flowId: string;
  day: string;
  total: StoredAcc;
}

interface HoursFile {
  version: 1;
  flowId: string;
  /** run id -> the version `t` counted */
  runs: Record<string, number>;
  /** hour start (epoch ms) -> accumulator */
  hours: Record<string, StoredAcc>;
}

/** One point of a trend: the runs that started in [startMs, startMs + step). */
export interface TrendPoint {
  startMs: number;
  runs: number;
  failed: number;
  p50Ms?: number;
  p95Ms?: number;
  costUsd: number;
}

export interface InsightsReport extends StatsReport {
  /** The step of the trend points: an hour for windows up to two days, else a day. */
  stepMs: number;
  /** Per flow id, one point per step of the window, oldest first (empty steps included, so charts keep time). */
  trends: Record<string, TrendPoint[]>;
}

/** A run as the rollup counts it. */
interface RollupRun extends StatsSource {
  t: number;
}

function flowDirName(flowId: string): string {
  return `f-${encodeURIComponent(flowId)}`;
}

function dayOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

function counted(s: RunSummary): boolean {
  return s.status !== 'running' && s.mode !== 'test';
}

// ---- writing (compaction) ----

/**
 * Brings rollup/ in line with `runs` (every run of the index, as digests.json holds them) and `folded` (index.json's
 * journal offsets). Returns how many day files were rewritten and removed.
 */
export async function writeRollup(
  historyDir: string,
  runs: Iterable<{ t: number; s: RunSummary }>,
  folded: Record<string, number>,
): Promise<{ written: number; removed: number }> {
  const root = join(historyDir, ROLLUP_DIR);
  const byFile = new Map<string, { flowId: string; day: string; runs: RollupRun[] }>();
  for (const { t, s } of runs) {
    if (!counted(s)) continue;
    const ms = Date.parse(s.startedAt);
    if (Number.isNaN(ms)) continue;
    const day = dayOf(ms);
    const key = `${flowDirName(s.flowId)}/${day}`;
    let file = byFile.get(key);
    if (!file) byFile.set(key, (file = { flowId: s.flowId, day, runs: [] }));
    file.runs.push({ t, ms, s });
  }
  const previous = await readManifest(root);
  const days: Record<string, string> = {};
  let written = 0;
  for (const [key, file] of byFile) {
    const signature = signatureOf(file.runs);
    days[key] = signature;
    if (previous?.days[key] === signature) continue;
    const hours = new Map<number, FlowAcc>();
    const total = newFlow();
    const ids: Record<string, number> = {};
    for (const run of file.runs) {
      ids[run.s.id] = run.t;
      const hour = Math.floor(run.ms / HOUR_MS) * HOUR_MS;
      let acc = hours.get(hour);
      if (!acc) hours.set(hour, (acc = newFlow()));
      addRun(acc, run);
      addRun(total, run);
    }
    const hoursData: HoursFile = { version: 1, flowId: file.flowId, runs: ids, hours: {} };
    for (const [hour, acc] of hours) hoursData.hours[String(hour)] = storeAcc(acc);
    const dayData: DayFile = { version: 1, flowId: file.flowId, day: file.day, total: storeAcc(total) };
    await mkdir(join(root, key.split('/')[0]), { recursive: true });
    // The hours first: a reader that finds a day's total also finds its hours and ids as new.
    await writeAtomically(join(root, `${key}.hours.json`), JSON.stringify(hoursData));
    await writeAtomically(join(root, `${key}.json`), JSON.stringify(dayData));
    written++;
  }
  let removed = 0;
  for (const dirName of await listNames(root)) {
    if (!dirName.startsWith('f-')) continue;
    for (const name of await listNames(join(root, dirName))) {
      const day = /^(\d{4}-\d{2}-\d{2})(?:\.hours)?\.json$/.exec(name)?.[1];
      if (day === undefined) continue;
      if (days[`${dirName}/${day}`] === undefined) {
        await rm(join(root, dirName, name), { force: true });
        removed++;
      }
    }
  }
  await mkdir(root, { recursive: true });
  const manifest: Manifest = { version: 1, folded, runs: [], days };
  await writeAtomically(join(root, MANIFEST), JSON.stringify(manifest));
  return { written, removed };
}

function signatureOf(runs: RollupRun[]): string {
  const hash = createHash('sha1');
  for (const key of runs.map((run) => `${run.s.id}:${run.t}`).sort()) hash.update(key).update('\n');
  return `${runs.length}:${hash.digest('base64')}`;
}

function storeAcc(acc: FlowAcc): StoredAcc {
  const n: StoredAcc['n'] = {};
  for (const [id, node] of acc.nodes) {
    n[id] = { r: node.runs, f: node.failed, re: node.retries, ms: node.totalMs, h: node.histogram.entries(), u: [node.usage.inputTokens, node.usage.outputTokens, node.usage.costUsd] };
  }
  const m: StoredAcc['m'] = {};
  for (const [name, model] of acc.models) m[name] = [model.calls, model.inputTokens, model.outputTokens, model.costUsd];
  const e = [...acc.failures.values()]
    .sort((a, b) => b.count - a.count || b.ms - a.ms)
    .slice(0, MAX_FAILURE_GROUPS_PER_HOUR)
    .map((g): [string, string, string, number, number] => [g.code, g.nodeId ?? '', g.message, g.count, g.ms]);
  return { r: acc.runs, c: acc.completed, f: acc.failed, re: acc.retries, h: acc.histogram.entries(), u: [acc.usage.inputTokens, acc.usage.outputTokens, acc.usage.costUsd], n, m, e };
}

function loadAcc(stored: StoredAcc): FlowAcc {
  const acc = newFlow();
  acc.runs = stored.r;
  acc.completed = stored.c;
  acc.failed = stored.f;
  acc.retries = stored.re;
  acc.histogram.addEntries(stored.h);
  acc.usage = { inputTokens: stored.u[0], outputTokens: stored.u[1], costUsd: stored.u[2] };
  for (const [id, n] of Object.entries(stored.n)) {
    const node = newNodeAcc();
    node.runs = n.r;
    node.failed = n.f;
    node.retries = n.re;
    node.totalMs = n.ms;
    node.histogram.addEntries(n.h);
    node.usage = { inputTokens: n.u[0], outputTokens: n.u[1], costUsd: n.u[2] };
    acc.nodes.set(id, node);
  }
  for (const [model, [calls, inputTokens, outputTokens, costUsd]] of Object.entries(stored.m)) acc.models.set(model, { model, calls, inputTokens, outputTokens, costUsd });
  for (const [code, nodeId, message, count, ms] of stored.e) {
    const group: FailureGroup & { ms: number } = { code, message, count, ms };
    if (nodeId !== '') group.nodeId = nodeId;
    acc.failures.set(`${code}\u0000${nodeId}\u0000${message}`, group);
  }
  return acc;
}

// ---- reading ----

/**
 * Stats over the window from the rollup and the journals since it was written; undefined when there is no usable
 * rollup (no compaction yet, a file unreadable, or test runs asked for): the caller then reads digests.json.
 */
export async function readRollupStats(historyDir: string, query: StatsQuery & { untilMs?: number }, withTrends = true): Promise<InsightsReport | undefined> {
  if (query.excludeMode !== 'test') return undefined;
  const root = join(historyDir, ROLLUP_DIR);
  const manifestPath = join(root, MANIFEST);
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    const before = await identity(manifestPath);
    if (before === '') return undefined;
    const db = new Low<IndexFileData>(new DataFile<IndexFileData>(manifestPath, { parse: parseIndex, stringify: (data) => JSON.stringify(data) }), { version: 1, folded: {}, runs: [] });
    const journal = new IndexView(manifestPath, join(historyDir, 'journal'), db);
    await journal.refresh();
    if (journal.state !== 'ok') return undefined;
    const manifest = db.data as Manifest;
    if (manifest.days === null || typeof manifest.days !== 'object') return undefined;
    const hours = await readHours(root, manifest, query);
    if (!hours) return undefined;
    // The runs recorded since the manifest's compaction, hour by hour as the day files hold them.
    const idsByDay = new Map<string, Set<string> | undefined>();
    let usable = true;
    for (const run of journal.values()) {
      const s = run.s;
      if (!counted(s) || (query.flowId !== undefined && s.flowId !== query.flowId)) continue;
      const hour = Math.floor(run.ms / HOUR_MS) * HOUR_MS;
      if (!inWindow(hour, query)) continue;
      const dayKey = `${s.flowId}\u0000${dayOf(run.ms)}`;
      if (!idsByDay.has(dayKey)) idsByDay.set(dayKey, await hours.idsOf(s.flowId, run.ms));
      const ids = idsByDay.get(dayKey);
      if (!ids) {
        usable = false;
        break;
      }
      if (ids.has(s.id)) continue;
      // Into the entry the day already has (a whole day is one entry at its first hour), else the run's hour.
      const dayStart = Math.floor(run.ms / DAY_MS) * DAY_MS;
      const key = hours.byHour.has(`${s.flowId}\u0000${dayStart}`) && isWholeDay(dayStart, query) ? `${s.flowId}\u0000${dayStart}` : `${s.flowId}\u0000${hour}`;
      let acc = hours.byHour.get(key);
      if (!acc) hours.byHour.set(key, (acc = { flowId: s.flowId, hour, acc: newFlow() }));
      addRun(acc.acc, run);
    }
    if (!usable) return undefined;
    // A compaction between reading the manifest and the day files may have removed a segment we counted on.
    if ((await identity(manifestPath)) !== before) continue;
    return insightsOf([...hours.byHour.values()], query, withTrends);
  }
  return undefined;
}

/** The same report from runs in memory (before the first compaction wrote a rollup). */
export function insightsFromRuns(runs: Iterable<StatsSource>, query: StatsQuery & { untilMs?: number }): InsightsReport {
  const byHour = new Map<string, { flowId: string; hour: number; acc: FlowAcc }>();
  for (const run of runs) {
    const s = run.s;
    if (s.status === 'running' || (query.excludeMode !== undefined && s.mode === query.excludeMode)) continue;
    if (query.flowId !== undefined && s.flowId !== query.flowId) continue;
    const hour = Math.floor(run.ms / HOUR_MS) * HOUR_MS;
    if (!inWindow(hour, query)) continue;
    const key = `${s.flowId}\u0000${hour}`;
    let entry = byHour.get(key);
    if (!entry) byHour.set(key, (entry = { flowId: s.flowId, hour, acc: newFlow() }));
    addRun(entry.acc, run);
  }
  return insightsOf([...byHour.values()], query);
}

/** Trend step: hours for a window of up to two days (its hours files are read), else days. */
function stepOf(query: StatsQuery & { untilMs?: number }): number {
  if (query.sinceMs === undefined) return DAY_MS;
  return (query.untilMs ?? Date.now()) - query.sinceMs <= 2 * DAY_MS ? HOUR_MS : DAY_MS;
}

function isWholeDay(start: number, query: StatsQuery): boolean {
  if (stepOf(query) === HOUR_MS) return false;
  return (query.sinceMs === undefined || start >= Math.floor(query.sinceMs / HOUR_MS) * HOUR_MS) && (query.untilMs === undefined || start + DAY_MS <= query.untilMs);
}

function dayOverlaps(start: number, query: StatsQuery): boolean {
  if (query.sinceMs !== undefined && start + DAY_MS <= query.sinceMs) return false;
  if (query.untilMs !== undefined && start >= query.untilMs) return false;
  return true;
}

function inWindow(hour: number, query: StatsQuery): boolean {
  if (query.sinceMs !== undefined && hour + HOUR_MS <= query.sinceMs) return false;
  if (query.untilMs !== undefined && hour >= query.untilMs) return false;
  return true;
}

type HourAcc = { flowId: string; hour: number; acc: FlowAcc };

/**
 * The hours of the window from the day files: a day the window holds whole comes as one entry at its first hour
 * (from its total), a day it cuts as its hours. `idsOf` gives the runs a day counts, for the journal's runs.
 */
async function readHours(
  root: string,
  manifest: Manifest,
  query: StatsQuery,
): Promise<{ byHour: Map<string, HourAcc>; idsOf: (flowId: string, ms: number) => Promise<Set<string> | undefined> } | undefined> {
  const wantedDir = query.flowId === undefined ? undefined : flowDirName(query.flowId);
  const byHour = new Map<string, HourAcc>();
  const hoursFiles = new Map<string, Promise<HoursFile | undefined>>();
  const readHoursFile = (key: string): Promise<HoursFile | undefined> => {
    let file = hoursFiles.get(key);
    if (!file) hoursFiles.set(key, (file = readJson<HoursFile>(join(root, `${key}.hours.json`))));
    return file;
  };
  const jobs = Object.keys(manifest.days).map(async (key): Promise<boolean> => {
    const [dirName, day] = key.split('/');
    if (wantedDir !== undefined && dirName !== wantedDir) return true;
    const start = Date.parse(`${day}T00:00:00Z`);
    if (isWholeDay(start, query)) {
      const file = await readJson<DayFile>(join(root, `${key}.json`));
      if (!file || file.version !== 1 || typeof file.total !== 'object') return false;
      byHour.set(`${file.flowId}\u0000${start}`, { flowId: file.flowId, hour: start, acc: loadAcc(file.total) });
      return true;
    }
    // A day the window cuts: its hours, when any of them overlaps the window (the window may end mid-day: now).
    if (!dayOverlaps(start, query)) return true;
    const file = await readHoursFile(key);
    if (!file || file.version !== 1 || typeof file.hours !== 'object') return false;
    for (const [hourText, stored] of Object.entries(file.hours)) {
      const hour = Number(hourText);
      if (inWindow(hour, query)) byHour.set(`${file.flowId}\u0000${hour}`, { flowId: file.flowId, hour, acc: loadAcc(stored) });
    }
    return true;
  });
  if (!(await Promise.all(jobs)).every(Boolean)) return undefined;
  const idsOf = async (flowId: string, ms: number): Promise<Set<string> | undefined> => {
    const key = `${flowDirName(flowId)}/${dayOf(ms)}`;
    if (manifest.days[key] === undefined) return new Set();
    const file = await readHoursFile(key);
    return file && typeof file.runs === 'object' ? new Set(Object.keys(file.runs)) : undefined;
  };
  return { byHour, idsOf };
}

async function readJson<T>(path: string): Promise<T | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

function insightsOf(hours: Array<{ flowId: string; hour: number; acc: FlowAcc }>, query: StatsQuery & { untilMs?: number }, withTrends = true): InsightsReport {
  const flows = new Map<string, FlowAcc>();
  let total = 0;
  for (const { flowId, acc } of hours) {
    let flow = flows.get(flowId);
    if (!flow) flows.set(flowId, (flow = newFlow()));
    mergeFlow(flow, acc);
    total += acc.runs;
  }
  const report = reportOf(flows, total, query);
  if (query.sinceMs !== undefined) report.sinceMs = query.sinceMs;
  if (query.untilMs !== undefined) report.untilMs = query.untilMs;
  if (!withTrends) return { ...report, stepMs: stepOf(query), trends: {} };
  const until = query.untilMs ?? Date.now();
  const since = query.sinceMs ?? Math.min(until - DAY_MS, ...hours.map((h) => h.hour));
  const stepMs = stepOf(query);
  const first = Math.floor(since / stepMs) * stepMs;
  const steps = Math.max(1, Math.ceil((until - first) / stepMs));
  const trends: Record<string, TrendPoint[]> = {};
  const perStep = new Map<string, FlowAcc>();
  for (const { flowId, hour, acc } of hours) {
    const key = `${flowId}\u0000${Math.floor(hour / stepMs) * stepMs}`;
    let into = perStep.get(key);
    if (!into) perStep.set(key, (into = newFlow()));
    mergeFlow(into, acc);
  }
  for (const flowId of flows.keys()) {
    const points: TrendPoint[] = [];
    for (let i = 0; i < steps; i++) {
      const startMs = first + i * stepMs;
      const acc = perStep.get(`${flowId}\u0000${startMs}`);
      const point: TrendPoint = { startMs, runs: acc?.runs ?? 0, failed: acc?.failed ?? 0, costUsd: acc ? Math.round(acc.usage.costUsd * 1e6) / 1e6 : 0 };
      if (acc && acc.histogram.count > 0) {
        point.p50Ms = round(acc.histogram.quantile(0.5)!);
        point.p95Ms = round(acc.histogram.quantile(0.95)!);
      }
      points.push(point);
    }
    trends[flowId] = points;
  }
  return { ...report, stepMs, trends };
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}

// ---- files ----

async function readManifest(root: string): Promise<Manifest | undefined> {
  try {
    const data = parseIndex(await readFile(join(root, MANIFEST), 'utf8')) as Manifest;
    return data.days !== null && typeof data.days === 'object' ? data : undefined;
  } catch {
    return undefined;
  }
}

async function writeAtomically(path: string, text: string): Promise<void> {
  const temp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, text);
  await rename(temp, path);
}

async function identity(path: string): Promise<string> {
  try {
    const info = await stat(path);
    return `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
  } catch {
    return '';
  }
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch {
    return [];
  }
}
