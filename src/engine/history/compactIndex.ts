// Compaction: folds the journals into a new index.json, reconciles the index with the run files, applies
// retention, and deletes what is no longer needed. The caller holds the history lock, so one compaction runs at a
// time; writers keep appending to their journals meanwhile and are never blocked.
//
// Ordering rules, each of which keeps a record from being lost:
// - A segment may be deleted only if its writer is known to be done (gone, or this process retired it), and that
//   is decided BEFORE the segment is read, so nothing can be appended to it after the read.
// - The run files are listed AFTER the journals are read: every journal line is written after its run file, so
//   any run named by a line we read has its file in the listing unless it was deleted.
// - index.json is written (atomically) BEFORE run files and segments are deleted: a crash in between leaves extra
//   files, which the next compaction removes, never an index that lacks a run.
// - A run file not named by the index (a crash between writing it and its journal line, or a lost index) is read
//   and put back in the index: the run files are the truth, the index can always be rebuilt from them.
// - A record that lives only in a segment about to be deleted (group commit) is written to its run file first,
//   fdatasync'd, and the directory synced, BEFORE index.json stops pointing at the segment and the segment goes:
//   a record that was durable in the journal stays durable in its file. A run whose record is in a journal is
//   never dropped for lack of a file.
//
// Group-commit segments are the records' storage, not a waiting room: a final segment is folded into run files and
// deleted only once most of it is dead (its live records, those the index still points at, take less than a
// quarter of its bytes: runs removed by retention, or superseded by a later state of the same run). A dense one is
// kept as it is, the index pointing into it, and `folded` saying it holds nothing more to read. Writing each
// record again as a file (temp file, write, fdatasync, rename) took as much of `weft serve`'s time as answering
// the webhook did, for bytes already durable in the segment. Segments without records (journals of stores
// without group commit) have nothing live and are deleted once folded, as before.

import { randomBytes } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Low } from 'lowdb';
import type { IndexFileData, IndexView } from './indexView';
import { currentHost, isProcessAlive } from './processAlive';
import { selectRunsToPrune } from './retention';
import { JOURNAL_SUFFIX, readJournalRecord, safeHost, segmentsOfThisProcess, segmentWriter } from './runJournal';
import type { RunSummary } from './runSummary';
import { writeRollup } from './statsRollup';

export interface CompactionInput {
  runsDir: string;
  /** Decision feedback, one file per run (feedbackStore.ts): deleted with its run. */
  feedbackDir?: string;
  journalDir: string;
  indexPath: string;
  view: IndexView;
  db: Low<IndexFileData>;
  retentionPerFlow: number;
  /** Segments this process has finished writing. */
  retired: ReadonlySet<string>;
  /** The segment this process is writing now: never deleted. */
  active: string | undefined;
  /**
   * digests.json (`weft stats`): the view of it (digests.json plus the journals), and its database. Written
   * before index.json, from the same runs and offsets, so that retention removes a run's digest with it.
   */
  digests?: { path: string; view: IndexView; db: Low<IndexFileData> };
  /** The history directory, when the stats rollup (statsRollup.ts) is kept there; needs `digests`. */
  rollupIn?: string;
  /** The summary of a run, from its run file; undefined when the file is missing or unreadable. */
  readSummary(id: string): Promise<RunSummary | undefined>;
}

export interface CompactionResult {
  /** Runs removed by retention (their files deleted). */
  pruned: string[];
  /** Journal segments folded and deleted. */
  removedSegments: string[];
  /** Runs found only as run files and put back in the index. */
  recovered: number;
  /** Index entries dropped because their run file no longer exists. */
  dropped: number;
  /** Records written from the journal segments folded into their run files. */
  filed: number;
}

/** A temporary file of an atomic write older than this was left by a crash (a live write takes milliseconds). */
const STALE_TEMP_MS = 60_000;
const IO_PARALLELISM = 16;
/**
 * Compaction's file writes and deletions run on libuv's thread pool (4 threads by default), as do the journal's
 * appends that webhook answers wait for: at most this many at a time, so a compaction never queues them behind
 * a pool full of its own fdatasyncs.
 */
const BACKGROUND_PARALLELISM = 2;
/** A final segment whose live records take less than this share of its bytes is folded into run files and deleted. */
const FOLD_BELOW_LIVE_SHARE = 0.25;

export async function compactIndex(input: CompactionInput): Promise<CompactionResult> {
  const { view } = input;
  const finalSegments = (await listNames(input.journalDir)).filter(
    (name) => name.endsWith(JOURNAL_SUFFIX) && name !== input.active && (input.retired.has(name) || writerGone(name)),
  );

  await view.refresh();
  // Only runs known before the listing may be dropped for lack of a file: other callers in this process go on
  // refreshing the view while we await, and a line they read may name a file written after the listing.
  const knownBefore = [...view.values()].map((run) => run.s.id);

  const { ids: onDisk, staleTemps } = await listRunFiles(input.runsDir);
  let dropped = 0;
  for (const id of knownBefore) {
    const run = view.get(id);
    if (!onDisk.has(id) && run !== undefined && run.at === undefined) {
      view.remove(id);
      dropped++;
    }
  }
  const orphans = [...onDisk].filter((id) => view.get(id) === undefined);
  let recovered = 0;
  await forEachLimited(orphans, IO_PARALLELISM, async (id) => {
    const summary = await input.readSummary(id);
    // t = 0: any journal line about this run, read later, is newer than what the file said now.
    if (summary) {
      view.apply({ t: 0, put: summary });
      if (view.get(id)) recovered++;
    }
  });

  const pruned = selectRunsToPrune(view.values(), input.retentionPerFlow);
  for (const id of pruned) view.remove(id);

  const folded = new Set(await segmentsToFold(input.journalDir, finalSegments, view));
  const toFile = [...view.values()].filter((run) => run.at !== undefined && folded.has(run.at.seg));
  await forEachLimited(toFile, BACKGROUND_PARALLELISM, async (run) => {
    const at = run.at!;
    const text = await readJournalRecord(join(input.journalDir, at.seg), at);
    if (text === undefined) throw new Error(`journal segment ${at.seg} vanished during compaction`);
    await writeDurably(join(input.runsDir, `${run.s.id}.json`), text);
    view.markFiled(run.s.id, at.seg, at.off);
  });
  if (toFile.length > 0) await syncDirectory(input.runsDir);

  if (input.digests) {
    // Before index.json, and so before any segment goes: a reader of digests.json (statistics) always finds
    // what a deleted segment held in it. The digest of a run index.json held is in digests.json under the same `t`.
    const digests = input.digests;
    await digests.view.refresh();
    digests.db.data = view.digestSnapshot((run) => {
      const known = digests.view.get(run.s.id);
      return known !== undefined && known.t === run.t ? known.s.digest : undefined;
    });
    await digests.db.write();
    // The hourly buckets of the same runs (retention applied), before index.json too: a reader that finds the
    // new manifest reads the journals from the same offsets as index.json's.
    if (input.rollupIn !== undefined) await writeRollup(input.rollupIn, digests.db.data.runs, digests.db.data.folded);
    // This process's view of it is what was just written: the next query does not parse it again.
    digests.view.adoptData(digests.db.data, await stat(digests.path));
  }
  input.db.data = view.snapshot();
  await input.db.write();
  view.adoptWritten(await stat(input.indexPath));

  // A file that cannot be deleted now (Windows: open in another process) is left for the next compaction: a pruned
  // run's file comes back as an orphan and is pruned again, and a kept segment stays folded.
  // Only the files there are: a pruned run whose record was in a segment never had one.
  const prunedFiles = pruned.filter((id) => onDisk.has(id));
  await forEachLimited(prunedFiles, BACKGROUND_PARALLELISM, (id) => unlinkQuietly(join(input.runsDir, `${id}.json`)));
  const feedbackDir = input.feedbackDir;
  // Feedback lives as long as its run: whether or not the run had a file here (group commit), its verdicts go.
  // Only the files there are (one listing): few runs get feedback, and a failed unlink costs an error per run.
  if (feedbackDir !== undefined && pruned.length > 0) {
    const withFeedback = await fileNamesIn(feedbackDir);
    const prunedFeedback = pruned.filter((id) => withFeedback.has(`${id}.json`));
    await forEachLimited(prunedFeedback, BACKGROUND_PARALLELISM, (id) => unlinkQuietly(join(feedbackDir, `${id}.json`)));
  }
  await forEachLimited(staleTemps, BACKGROUND_PARALLELISM, (name) => unlinkQuietly(join(input.runsDir, name)));
  const removedSegments: string[] = [];
  for (const name of folded) {
    if (await unlinkQuietly(join(input.journalDir, name))) {
      view.forgetSegment(name);
      removedSegments.push(name);
    }
  }
  return { pruned, removedSegments, recovered, dropped, filed: toFile.length };
}

/**
 * The final segments to fold into run files and delete: those whose live records (the ones the view points at)
 * take less than FOLD_BELOW_LIVE_SHARE of their bytes. The others stay as their records' storage.
 */
async function segmentsToFold(journalDir: string, finalSegments: readonly string[], view: IndexView): Promise<string[]> {
  const liveBytes = new Map<string, number>();
  for (const run of view.values()) {
    if (run.at !== undefined) liveBytes.set(run.at.seg, (liveBytes.get(run.at.seg) ?? 0) + run.at.len);
  }
  const fold: string[] = [];
  for (const name of finalSegments) {
    const live = liveBytes.get(name) ?? 0;
    if (live === 0) {
      fold.push(name);
      continue;
    }
    const size = await stat(join(journalDir, name)).then(
      (info) => info.size,
      () => 0,
    );
    if (live < size * FOLD_BELOW_LIVE_SHARE) fold.push(name);
  }
  return fold;
}

/** Temp file, fdatasync, rename: the file is whole and on disk before its name says so. */
async function writeDurably(path: string, text: string): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temp, 'w');
  try {
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temp, path);
}

/** Makes the renames into `dir` durable. Not every platform can open a directory (Windows): skipped there. */
async function syncDirectory(dir: string): Promise<void> {
  let handle;
  try {
    handle = await open(dir, 'r');
  } catch {
    return;
  }
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}

function writerGone(segment: string): boolean {
  const writer = segmentWriter(segment);
  if (!writer) return false; // not a name we make: not ours to judge, keep it
  // Names carry the host in file-name-safe form; a segment from another host is kept (we cannot check its pid).
  if (writer.host !== safeHost(currentHost())) return false;
  if (writer.pid === process.pid) return !segmentsOfThisProcess.has(segment);
  return !isProcessAlive(writer.pid);
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function listRunFiles(runsDir: string): Promise<{ ids: Set<string>; staleTemps: string[] }> {
  const ids = new Set<string>();
  const temps: string[] = [];
  for (const name of await listNames(runsDir)) {
    if (name.startsWith('.')) {
      if (name.endsWith('.tmp')) temps.push(name);
    } else if (name.endsWith('.json')) {
      ids.add(name.slice(0, -'.json'.length));
    }
  }
  const staleTemps: string[] = [];
  const now = Date.now();
  await forEachLimited(temps, IO_PARALLELISM, async (name) => {
    try {
      if (now - (await stat(join(runsDir, name))).mtimeMs > STALE_TEMP_MS) staleTemps.push(name);
    } catch {
      // renamed into place meanwhile
    }
  });
  return { ids, staleTemps };
}

/** The names in a directory; none when it does not exist (yet). */
async function fileNamesIn(dir: string): Promise<Set<string>> {
  try {
    return new Set(await readdir(dir));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Set();
    throw error;
  }
}

/** Deletes a file; true when it is gone (deleted now or before), false when it could not be deleted. */
async function unlinkQuietly(path: string): Promise<boolean> {
  try {
    await unlink(path);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

async function forEachLimited<T>(items: readonly T[], parallelism: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(parallelism, items.length) }, worker));
}
