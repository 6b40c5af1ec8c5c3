// The run history: every run's record, checkpointed at node boundaries, in `.weft/` (spec sections 1, 5, 11).
//
// Layout of the history directory:
//   runs/<runId>.json      one file per run: the whole RunRecord, values over the size limit cut (serializeRecord)
//   journal/<host>~<pid>~<n>.jsonl
//                          one append-only segment per writing process: a line per summary change or deletion
//   index.json             a lowdb database: the summaries as of the last compaction, and how far into each
//                          segment it has read
//   lock/                  held only while compacting or recovering runs (fileLock)
//   owners/<instance>.json the lease of each process writing running runs here, renewed while it lives (ownerLease)
//   .gitignore             "*": history is never committed
//
// Why an index plus one file per run, with journals: a save writes only its own run file (temp file + rename,
// through lowdb's adapter and steno), so saves never contend, a crash leaves the old or the new record and never
// half of one, and a checkpoint costs the size of one run, not of the history. Listing needs every summary but no
// record: index.json gives them in one read. Rewriting index.json per run would cost O(history) per run and need a
// lock per run (too slow for a webhook server recording a thousand runs a second), so summaries are appended to a
// per-process journal in batches instead, and folded into index.json by a compaction every few thousand lines,
// under a lock, in the background. Retention is applied then, not on every save. A reader folds index.json and
// the journals itself (IndexView), incrementally, so a list over 10,000 runs reads only what changed since the
// last one. Per-process segments mean no two processes ever write one file: nothing relies on O_APPEND being
// atomic, and a crash tears at most the last line of its own segment, which readers skip.
//
// The run files are the truth; everything else can be rebuilt from them. A missing or corrupt index.json is
// rebuilt from the journals and the run files; a run file that no index line names is put back by compaction.
//
// Durability: writes are atomic (rename), not fsync'd. A process crash at any point loses nothing already
// written; an OS crash or power loss may lose the last moments' writes (the file system decides), never leaving
// a torn record that is read as valid. fsync per checkpoint would cost milliseconds per node boundary.
//
// Group commit (`groupCommit`, what `weft serve` opens): a file per save (open, write, close, rename: four
// system calls, and twice per `ack` run) was what capped a webhook server. Such a store appends each save's whole
// record to its journal segment instead (runJournal.ts), many runs per write, with one fdatasync per batch, and
// resolves a save only once its batch is synced. Readers find a record through its put line's `at`; compaction
// later writes the run files of the records in the segments it folds (fdatasync'd before the segment goes), so
// the run files stay the long-term truth and everything above still holds for them. A crash (kill -9) leaves the
// segment, whose complete lines every reader already uses: nothing needs replaying before `get` or `list`.
//
// Concurrency: several processes (the editor, CLI runs, `weft serve`) may share one directory; the test suite runs
// 4 processes x 200 runs at once and checks that all 800 are listed. A run is written only by the process that
// owns it (RunRecord.owner: pid, host and instance id), or, once that process is gone (ownerLease.ts says when), by
// recoverInterrupted under the lock.
//
// lowdb: index.json is a `Low<IndexFileData>` over a `DataFile` (compact JSON: a pretty-printed index of 10,000
// runs is twice the bytes to parse). Run files use lowdb's `TextFile` adapter directly rather than `Low`: the
// JSON of a record is built by serializeRecord (which measures each value while it stringifies it, to cut the big
// ones), and `Low.write` would stringify it all again. The journal segments bypass lowdb entirely: lowdb rewrites
// whole files, and a journal is append-only by design.

import { deferred, type Deferred } from './deferred';
import { readdir, stat, unlink, writeFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { DataFile, TextFile } from 'lowdb/node';
import { WeftError } from '../errors';
import { isTerminal, type RunRecord } from '../run/runRecord';
import { compactIndex, type CompactionResult } from './compactIndex';
import { acquireFileLock, type FileLockOptions } from './fileLock';
import { selectRuns, type HistoryFilter } from './historyFilter';
import { emptyIndex, IndexView, parseIndex, type IndexFileData } from './indexView';
import { isRunOrphaned, LeaseHold, processInstanceId, sweepStaleLeases, type LeaseView } from './ownerLease';
import { currentHost } from './processAlive';
import { selectNodeRuns, type NodeRunsPage, type NodeRunsQuery } from './nodeRuns';
import { JournalWriter, readJournalRecord, type CommitRecord, type JournalEntry } from './runJournal';
import { summarize, type RunSummary } from './runSummary';
import { aggregateStats, type StatsQuery, type StatsReport } from './runStats';
import { serializeRecord } from './serializeRecord';
import { deleteFeedback, FEEDBACK_DIR } from './feedbackStore';
import { insightsFromRuns, readRollupStats, type InsightsReport } from './statsRollup';

export type { HistoryFilter } from './historyFilter';
export type { NodeRunsPage, NodeRunsQuery, NodeRunSummary } from './nodeRuns';
export type { RunSummary } from './runSummary';
export type { CompactionResult } from './compactIndex';
export type { StatsQuery, StatsReport } from './runStats';
export type { InsightsReport, TrendPoint } from './statsRollup';

export interface HistoryOptions {
  /** The history directory: `.weft/` of the workspace, or the CLI's `--history DIR`. Created on the first save. */
  dir: string;
  /** Runs kept per flow (the newest by start time); older ones are deleted at compaction. Default 1000. */
  retentionPerFlow?: number;
  /** A value whose JSON is larger than this (UTF-8 bytes) is stored truncated and marked. Default 256 KiB. */
  maxValueBytes?: number;
  /** Journal lines this process appends before it compacts the index. Default 2000. */
  compactEvery?: number;
  /** Journal segments in the directory (mostly left by finished CLI runs) above which a compaction starts. Default 32. */
  maxJournalSegments?: number;
  /** Tuning of the cross-process lock (stale time, wait time). */
  lock?: FileLockOptions;
  /** The writing process's instance id (ownerLease.ts); tests play other processes with it. Default: this process's. */
  instanceId?: string;
  /** Wall-clock time for leases, in ms. Default Date.now. */
  now?: () => number;
  /**
   * Saves go to the journal in group commits instead of one run file each (see the file comment): for servers
   * recording many runs a second. Run files are then written when the journal is compacted, and at close.
   */
  groupCommit?: boolean;
  /** With groupCommit: fdatasync each batch before its saves resolve (durable past power loss). Default true. */
  sync?: boolean;
}

const DEFAULT_RETENTION = 1000;
const DEFAULT_MAX_VALUE_BYTES = 256 * 1024;
const DEFAULT_COMPACT_EVERY = 2000;
const DEFAULT_MAX_SEGMENTS = 32;
/** With group commit, a segment this big is compacted whatever its line count (records can be large). */
const MAX_SEGMENT_BYTES = 64 * 1024 * 1024;
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/;

/** The write state of one run in this process: at most one write in flight, and the latest state waiting. */
interface Slot {
  id: string;
  file: TextFile;
  /** The record to write next (the newest passed to save), if any. */
  latest: RunRecord | undefined;
  /** Settles when `latest` (or a later state) is durable. */
  next: Deferred | undefined;
  /** The write in flight, if any. */
  current: Deferred | undefined;
  writing: Promise<void> | undefined;
  /** JSON of the summary last appended to the journal: a line is written only when it changes. */
  lastSummary: string | undefined;
  /** Whether the state last written was final. */
  terminal: boolean;
}

export class HistoryStore {
  readonly dir: string;
  private readonly runsDir: string;
  private readonly journalDir: string;
  private readonly indexPath: string;
  /** Stats' own index (`weft stats`): the runs' digests, which index.json leaves out to stay quick to list. */
  private readonly digestsPath: string;
  private readonly digests: { path: string; view: IndexView; db: Low<IndexFileData> };
  private readonly lockPath: string;
  private readonly retentionPerFlow: number;
  private readonly maxValueBytes: number;
  private readonly compactEvery: number;
  private readonly maxJournalSegments: number;
  private readonly lockOptions: FileLockOptions;
  private readonly db: Low<IndexFileData>;
  private readonly view: IndexView;
  private readonly journal: JournalWriter;
  private readonly slots = new Map<string, Slot>();
  private readonly instanceId: string;
  private readonly now: () => number;
  private readonly lease: LeaseHold;
  private dirsReady: Promise<void> | undefined;
  private compaction: Promise<CompactionResult> | undefined;
  private segmentsChecked = false;
  private orphansChecked = false;
  private lastT = 0;
  private closed = false;
  private readonly groupCommit: boolean;
  private readonly sync: boolean;
  /** Group commit: the newest record saved per run since the last batch formed (its saves await the next batch). */
  private dirty = new Map<string, RunRecord>();

  private constructor(options: HistoryOptions) {
    this.dir = options.dir;
    this.runsDir = join(options.dir, 'runs');
    this.journalDir = join(options.dir, 'journal');
    this.indexPath = join(options.dir, 'index.json');
    this.digestsPath = join(options.dir, 'digests.json');
    this.lockPath = join(options.dir, 'lock');
    this.retentionPerFlow = options.retentionPerFlow ?? DEFAULT_RETENTION;
    this.maxValueBytes = options.maxValueBytes ?? DEFAULT_MAX_VALUE_BYTES;
    this.compactEvery = options.compactEvery ?? DEFAULT_COMPACT_EVERY;
    this.maxJournalSegments = options.maxJournalSegments ?? DEFAULT_MAX_SEGMENTS;
    this.lockOptions = options.lock ?? {};
    this.db = new Low<IndexFileData>(
      new DataFile<IndexFileData>(this.indexPath, { parse: parseIndex, stringify: (data) => JSON.stringify(data) }),
      emptyIndex(),
    );
    this.view = new IndexView(this.indexPath, this.journalDir, this.db);
    const digestsDb = new Low<IndexFileData>(
      new DataFile<IndexFileData>(this.digestsPath, { parse: parseIndex, stringify: (data) => JSON.stringify(data) }),
      emptyIndex(),
    );
    this.digests = { path: this.digestsPath, view: new IndexView(this.digestsPath, this.journalDir, digestsDb), db: digestsDb };
    this.groupCommit = options.groupCommit === true;
    this.sync = this.groupCommit && options.sync !== false;
    this.journal = new JournalWriter(this.journalDir, {
      sync: this.sync,
      collect: () => this.collectDirty(),
      onCommitted: () => this.afterCommit(),
    });
    this.instanceId = options.instanceId ?? processInstanceId();
    this.now = options.now ?? Date.now;
    this.lease = new LeaseHold(options.dir, this.instanceId, this.now);
  }

  /** Opens the history in `options.dir`. Cheap: nothing is read or created until it is used. */
  static open(options: HistoryOptions): HistoryStore {
    return new HistoryStore(options);
  }

  /**
   * Saves a run's record: a checkpoint while it runs, or its final state. Calls are coalesced per run: at most
   * one write is in flight, and further calls meanwhile collapse into one write of the latest record. The record
   * is serialized when its write starts (the engine goes on mutating it), so it resolves once the state passed,
   * or a later one, is durable.
   */
  save(record: RunRecord): Promise<void> {
    if (this.closed) return Promise.reject(new WeftError('history', `The history in ${this.dir} is closed.`));
    if (typeof record?.id !== 'string' || !RUN_ID.test(record.id)) {
      return Promise.reject(new WeftError('history', `A run id must be letters, digits, "_" or "-": "${String(record?.id)}".`));
    }
    if (this.groupCommit) return this.commitRecord(record);
    let slot = this.slots.get(record.id);
    if (!slot) {
      slot = {
        id: record.id,
        file: new TextFile(this.runPath(record.id)),
        latest: undefined,
        next: undefined,
        current: undefined,
        writing: undefined,
        lastSummary: undefined,
        terminal: false,
      };
      this.slots.set(record.id, slot);
    }
    slot.latest = record;
    slot.next ??= deferred();
    const promise = slot.next.promise;
    slot.writing ??= this.pump(slot);
    return promise;
  }

  /** The record of a run, by id or by a unique prefix of one (as git takes commits); undefined if there is none. */
  async get(idOrPrefix: string): Promise<RunRecord | undefined> {
    const id = await this.resolveId(idOrPrefix);
    return id === undefined ? undefined : this.readRecord(id);
  }

  /** Summaries of the recorded runs, newest first, filtered. */
  async list(filter: HistoryFilter = {}): Promise<RunSummary[]> {
    await this.ensureFresh();
    return selectRuns(this.view.newestFirst(), filter);
  }

  /**
   * Per-flow, per-node and per-model figures over the ended runs in a window (`weft stats`), from the index's
   * summaries and their digests alone: no run record is read.
   */
  async stats(query: StatsQuery = {}): Promise<StatsReport> {
    // The hourly rollup first (statsRollup.ts): a few small files instead of every run's digest.
    const rolled = await readRollupStats(this.dir, query, false);
    if (rolled) {
      const { stepMs: _stepMs, trends: _trends, ...report } = rolled;
      return report;
    }
    return aggregateStats((await this.digestedView()).values(), query);
  }

  /**
   * Stats plus a trend per flow (the Insights view): from the rollup, or, before the first compaction, from the
   * digests bucketed the same way.
   */
  async insights(query: StatsQuery & { untilMs?: number } = {}): Promise<InsightsReport> {
    const rolled = await readRollupStats(this.dir, { ...query, excludeMode: 'test' });
    if (rolled) return rolled;
    return insightsFromRuns((await this.digestedView()).values(), { ...query, excludeMode: 'test' });
  }

  /** A node's executions across the flow's runs, newest first, a page at a time: no run record is read (nodeRuns.ts). */
  async nodeRuns(query: NodeRunsQuery): Promise<NodeRunsPage> {
    return selectNodeRuns((await this.digestedView()).newestFirst(), query);
  }

  /** The view whose summaries carry their runs' digests. */
  private async digestedView(): Promise<IndexView> {
    // digests.json is written by compaction; before the first one (or in a history older than it) the index is
    // all there is, and its summaries carry the digests of runs not yet compacted.
    if (!(await exists(this.digestsPath))) {
      await this.ensureFresh();
      return this.view;
    }
    await this.digests.view.refresh();
    if (this.digests.view.state !== 'ok') {
      // Unreadable or gone meanwhile: the index is complete, if slower to read; the next compaction rewrites it.
      await this.ensureFresh();
      return this.view;
    }
    return this.digests.view;
  }

  /** Deletes a run (by id or unique prefix). False when there was no such run. */
  async delete(idOrPrefix: string): Promise<boolean> {
    const id = await this.resolveId(idOrPrefix);
    if (id === undefined) return false;
    this.dirty.delete(id);
    const slot = this.slots.get(id);
    if (slot) {
      // Pending states of a deleted run are dropped; a write in flight finishes first so it cannot recreate the file.
      slot.latest = undefined;
      slot.next?.resolve();
      slot.next = undefined;
      if (slot.writing) await slot.writing;
      this.slots.delete(id);
    }
    let existed = this.view.get(id) !== undefined;
    // The file goes before the journal says so: an index entry without its file is dropped by compaction, while a
    // file without an index entry would be put back.
    try {
      await unlink(this.runPath(id));
      existed = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw historyError(`Could not delete run ${id}`, error);
    }
    if (existed) await this.appendJournal({ t: this.tick(), del: id });
    await deleteFeedback(this.dir, id);
    return existed;
  }

  /**
   * Marks `interrupted` every run recorded as running whose owner process, on this host, is gone (it died mid-run;
   * spec section 5): see ownerLease.ts for how that is told, pid reuse included. Runs of other hosts, and of live
   * processes, are left alone. Returns their ids.
   */
  async recoverInterrupted(): Promise<string[]> {
    await this.ensureFresh();
    const view: LeaseView = { historyDir: this.dir, instance: this.instanceId, pid: process.pid, host: currentHost(), now: this.now() };
    const candidates: RunSummary[] = [];
    for (const run of this.view.values()) {
      if (run.s.status === 'running' && run.s.owner !== undefined && (await isRunOrphaned(run.s.owner, view))) candidates.push(run.s);
    }
    // The candidates are judged: the leases of gone processes have served (a missing lease counts as expired).
    await sweepStaleLeases(view);
    if (candidates.length === 0) return [];
    const recovered: string[] = [];
    // Under the lock: two processes starting at once must not both rewrite the same record.
    const lock = await acquireFileLock(this.lockPath, this.lockOptions);
    try {
      for (const candidate of candidates) {
        const record = await this.readRecord(candidate.id).catch(() => undefined);
        if (!record) continue;
        const owner = record.owner;
        if (record.status === 'running' && owner !== undefined && (await isRunOrphaned(owner, view))) {
          record.status = 'interrupted';
          record.error ??= {
            name: 'WeftError',
            message: `The process running this run (pid ${owner.pid} on ${owner.host}) stopped before the run ended.`,
          };
          if (!this.groupCommit) await new TextFile(this.runPath(record.id)).write(serializeRecord(record, this.maxValueBytes).json);
          recovered.push(record.id);
        }
        // Also when the record had ended and only its last index line was lost: the index learns the truth.
        if (this.groupCommit) await this.commitRecord(record);
        else await this.appendJournal({ t: this.tick(), put: summarize(record) });
      }
    } finally {
      await lock.release();
    }
    return recovered;
  }

  /**
   * Folds the journals into index.json, applies retention and removes what that leaves unused. Runs by itself in
   * the background; exposed for tests and for maintenance commands.
   */
  compact(): Promise<CompactionResult> {
    const previous = this.compaction;
    const run = async (): Promise<CompactionResult> => {
      if (previous) await previous.catch(() => undefined);
      return this.compactNow();
    };
    const promise = run();
    this.compaction = promise;
    promise
      .finally(() => {
        if (this.compaction === promise) this.compaction = undefined;
      })
      .catch(() => undefined);
    return promise;
  }

  /**
   * Resolves when every save made before the call is durable (or has failed) and the compaction running then, if
   * any, has finished. Saves made meanwhile are not waited for, so this ends even under constant load.
   */
  async flush(): Promise<void> {
    const waits: Array<Promise<unknown> | undefined> = [this.compaction];
    for (const slot of this.slots.values()) waits.push(slot.current?.promise, slot.next?.promise);
    await Promise.allSettled(waits);
    await this.journal.flush();
  }

  /** Refuses further saves, waits for the ones made, and closes this process's journal segment. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    // A compaction scheduled by the writes just flushed finishes before the process may exit.
    await this.compaction?.catch(() => undefined);
    // Group commit: the records still only in the journal go to their run files now, as a store without it
    // leaves them. (Were this skipped or to fail, the next compaction by anyone does it.)
    if (this.groupCommit && this.journal.activeSegment !== undefined) await this.compactNow().catch(() => undefined);
    await this.journal.close();
    // Nothing more can be saved: runs still recorded running here are orphans, for the next process to recover.
    await this.lease.release();
  }

  private async pump(slot: Slot): Promise<void> {
    try {
      await this.ensureDirs();
    } catch (error) {
      slot.next?.reject(historyError(`Could not save run ${slot.id}`, error));
      slot.latest = undefined;
      slot.next = undefined;
      slot.writing = undefined;
      return;
    }
    while (slot.latest !== undefined) {
      const record = slot.latest;
      const done = slot.next as Deferred;
      slot.latest = undefined;
      slot.next = undefined;
      slot.current = done;
      try {
        // The snapshot: both the record's JSON and its summary are taken now, before any await.
        const { json } = serializeRecord(record, this.maxValueBytes);
        const summary = summarize(record);
        const summaryJson = JSON.stringify(summary);
        // The lease first: a reader must never see a running run of this process without one.
        if (!isTerminal(summary.status)) await this.lease.hold();
        await slot.file.write(json);
        // Journal after the run file: a line must never name a run whose file does not exist yet.
        if (summaryJson !== slot.lastSummary) {
          await this.appendJournal({ t: this.tick(), put: summary });
          slot.lastSummary = summaryJson;
        }
        slot.terminal = isTerminal(summary.status);
        done.resolve();
      } catch (error) {
        done.reject(historyError(`Could not save run ${slot.id}`, error));
      } finally {
        slot.current = undefined;
      }
    }
    slot.writing = undefined;
    // A run that ended is forgotten; one still running keeps its slot, to skip unchanged summaries next time.
    if (slot.terminal && this.slots.get(slot.id) === slot) this.slots.delete(slot.id);
  }

  /** Group commit: the record joins the next batch (replacing an older state of the run not yet in one). */
  private commitRecord(record: RunRecord): Promise<void> {
    this.dirty.set(record.id, record);
    return this.journal.commit();
  }

  /** Takes the runs saved since the last batch, serialized now (the engine goes on mutating them). */
  private async collectDirty(): Promise<CommitRecord[]> {
    if (this.dirty.size === 0) return [];
    const dirty = this.dirty;
    this.dirty = new Map();
    const records: CommitRecord[] = [];
    let running = false;
    for (const record of dirty.values()) {
      const summary = summarize(record);
      if (!isTerminal(summary.status)) running = true;
      records.push({ t: this.tick(), summary, json: serializeRecord(record, this.maxValueBytes).json });
    }
    // The lease first: a reader must never see a running run of this process without one.
    if (running) await this.lease.hold();
    await this.ensureDirs();
    return records;
  }

  private afterCommit(): void {
    if (this.journal.linesInSegment >= this.compactEvery || this.journal.bytesInSegment >= MAX_SEGMENT_BYTES) this.scheduleCompaction();
    if (!this.segmentsChecked) {
      this.segmentsChecked = true;
      // Many files: whether they need folding (rather than being group commit's kept segments) the view tells.
      readdir(this.journalDir)
        .then((names) => (names.length > this.maxJournalSegments ? this.ensureFresh() : undefined))
        .catch(() => undefined);
    }
  }

  private async appendJournal(entry: JournalEntry): Promise<void> {
    await this.ensureDirs();
    await this.journal.append(entry);
    if (this.journal.linesInSegment >= this.compactEvery) this.scheduleCompaction();
    if (!this.segmentsChecked) {
      // Once per process: short-lived processes (CLI runs) each leave a small segment, and may never list. The
      // first one to see too many folds them, so their number stays bounded whoever reads.
      this.segmentsChecked = true;
      const count = (await readdir(this.journalDir).catch(() => [])).length;
      if (count > this.maxJournalSegments) await this.ensureFresh().catch(() => undefined);
    }
  }

  private scheduleCompaction(): void {
    if (this.compaction || this.closed) return;
    // Background work: a failure here is retried by the next compaction and costs nothing but speed.
    this.compact().catch(() => undefined);
  }

  private async compactNow(): Promise<CompactionResult> {
    if (!(await exists(this.dir))) return { pruned: [], removedSegments: [], recovered: 0, dropped: 0, filed: 0 };
    // Lines written so far go into a segment that is then final, so this compaction can fold and delete it.
    await this.journal.rotate();
    const lock = await acquireFileLock(this.lockPath, this.lockOptions);
    try {
      const result = await compactIndex({
        runsDir: this.runsDir,
        feedbackDir: join(this.dir, FEEDBACK_DIR),
        journalDir: this.journalDir,
        indexPath: this.indexPath,
        view: this.view,
        db: this.db,
        retentionPerFlow: this.retentionPerFlow,
        digests: this.digests,
        rollupIn: this.dir,
        retired: this.journal.retired,
        active: this.journal.activeSegment,
        readSummary: async (id) => {
          const record = await this.readFileRecord(id).catch(() => undefined);
          return record ? summarize(record) : undefined;
        },
      });
      for (const name of result.removedSegments) this.journal.retired.delete(name);
      return result;
    } catch (error) {
      throw historyError('Could not compact the history index', error);
    } finally {
      await lock.release();
    }
  }

  /** Brings the view up to date, rebuilding the index first when it is corrupt, or missing while runs exist. */
  private async ensureFresh(): Promise<void> {
    if (!(await exists(this.dir))) return;
    await this.view.refresh();
    if (this.view.state === 'corrupt') {
      await this.compact();
    } else if (this.view.state === 'missing' && !this.orphansChecked) {
      this.orphansChecked = true;
      const names = await readdir(this.runsDir).catch(() => [] as string[]);
      const unindexed = names.some((name) => !name.startsWith('.') && name.endsWith('.json') && !this.view.get(name.slice(0, -5)));
      if (unindexed) await this.compact();
    }
    if (this.view.journalCount > this.maxJournalSegments || this.view.unfoldedLines > this.compactEvery * 4) {
      this.scheduleCompaction();
    }
  }

  private async resolveId(idOrPrefix: string): Promise<string | undefined> {
    if (typeof idOrPrefix !== 'string' || !RUN_ID.test(idOrPrefix)) return undefined;
    // The view first: a run's newest record may be in a journal (group commit) rather than its file.
    await this.ensureFresh();
    if (this.view.get(idOrPrefix)) return idOrPrefix;
    if (await exists(this.runPath(idOrPrefix))) return idOrPrefix;
    const matches: string[] = [];
    for (const run of this.view.values()) if (run.s.id.startsWith(idOrPrefix)) matches.push(run.s.id);
    if (matches.length > 1) {
      throw new WeftError('usage', `"${idOrPrefix}" matches ${matches.length} runs; give more of the id.`, {
        details: { matches: matches.slice(0, 10) },
      });
    }
    return matches[0];
  }

  /** The newest record of a run: from the journal segment the view points at, else from its run file. */
  private async readRecord(id: string): Promise<RunRecord | undefined> {
    const at = this.view.get(id)?.at;
    if (at !== undefined) {
      let text: string | undefined;
      try {
        text = await readJournalRecord(join(this.journalDir, at.seg), at);
      } catch (error) {
        throw historyError(`Could not read run ${id} from the journal`, error);
      }
      // undefined: the segment was folded into run files and deleted since the view was read.
      if (text !== undefined) {
        try {
          return JSON.parse(text) as RunRecord;
        } catch (error) {
          throw historyError(`The journal record of run ${id} is not valid JSON`, error);
        }
      }
    }
    return this.readFileRecord(id);
  }

  private async readFileRecord(id: string): Promise<RunRecord | undefined> {
    let text: string | null;
    try {
      text = await new TextFile(this.runPath(id)).read();
    } catch (error) {
      throw historyError(`Could not read run ${id}`, error);
    }
    if (text === null) return undefined;
    try {
      return JSON.parse(text) as RunRecord;
    } catch (error) {
      throw historyError(`The history file of run ${id} is not valid JSON`, error);
    }
  }

  private runPath(id: string): string {
    return join(this.runsDir, `${id}.json`);
  }

  /**
   * Journal times: rising within a process (by a microsecond-sized step when the clock has not moved), so a run's
   * later summary always wins, however many are written in one millisecond.
   */
  private tick(): number {
    this.lastT = Math.max(Date.now(), this.lastT + 0.001);
    return this.lastT;
  }

  private ensureDirs(): Promise<void> {
    this.dirsReady ??= (async () => {
      await mkdir(this.runsDir, { recursive: true });
      await mkdir(this.journalDir, { recursive: true });
      try {
        await writeFile(join(this.dir, '.gitignore'), '*\n', { flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    })().catch((error: unknown) => {
      this.dirsReady = undefined; // try again on the next save
      throw error;
    });
    return this.dirsReady;
  }
}

/** The owner recorded in `RunRecord.owner`, for the engine to fill it in. */
export { currentRunOwner as currentOwner } from './ownerLease';


function historyError(what: string, cause: unknown): WeftError {
  if (cause instanceof WeftError) return cause;
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new WeftError('history', `${what}: ${reason}`, { cause });
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
