// A process's view of the history index: index.json (the last compaction) plus every journal line written since,
// folded into one map of run summaries. Refreshing is incremental: index.json is parsed again only when another
// process has rewritten it, and journals are read only past what was already consumed, so listing stays cheap
// however many runs there are.
//
// Consistency without a lock: compaction deletes journal segments only after writing the index.json that folds
// them. A refresh notes index.json's identity (inode, size, times) before reading journals and checks it after;
// if it changed, a compaction ran meanwhile and may have removed a segment we were about to read, so the refresh
// starts over from the new index.json. Lines are idempotent (a put replaces the run's summary, ordered by `t`),
// so reading one twice is harmless; missing one is what the identity check prevents.

import type { Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { Low } from 'lowdb';
import type { RunStatus } from '../run/runRecord';
import { JOURNAL_SUFFIX, RECORD_LINE, type JournalEntry } from './runJournal';
import { compareNewestFirst, indexedRun, statsFields, withoutDigest, type IndexedRun, type RunSummary } from './runSummary';

/** The content of index.json. */
export interface IndexFileData {
  version: 1;
  /** For each journal segment, how many of its bytes this index already holds. */
  folded: Record<string, number>;
  /** Newest first. `a`: [segment, offset, length] of the record in a journal segment not yet folded into run files. */
  runs: Array<{ t: number; s: RunSummary; a?: [string, number, number] }>;
}

export type IndexState = 'ok' | 'missing' | 'corrupt';

const RUN_STATUSES = new Set<RunStatus>(['running', 'completed', 'failed', 'cancelled', 'interrupted']);
const MAX_ATTEMPTS = 8;
const READ_CHUNK = 256 * 1024;

export function emptyIndex(): IndexFileData {
  return { version: 1, folded: {}, runs: [] };
}

/** Parses index.json, rejecting anything that is not a whole, well-formed index (it is then rebuilt). */
export function parseIndex(text: string): IndexFileData {
  const data = JSON.parse(text) as Partial<IndexFileData> | null;
  if (
    data === null ||
    typeof data !== 'object' ||
    data.version !== 1 ||
    data.folded === null ||
    typeof data.folded !== 'object' ||
    !Array.isArray(data.runs)
  ) {
    throw new Error('index.json is not a Weft history index');
  }
  return data as IndexFileData;
}

export class IndexView {
  private readonly runs = new Map<string, IndexedRun>();
  /** Deletions seen since the last compaction, so an older put read later does not bring a run back. */
  private readonly tombstones = new Map<string, number>();
  private readonly offsets = new Map<string, number>();
  private identity: string | undefined;
  private sorted: IndexedRun[] | undefined;
  private refreshing: Promise<void> | undefined;
  private refreshAgain = false;
  state: IndexState = 'missing';
  /** Journal lines read since index.json was loaded: how much a compaction would fold. */
  unfoldedLines = 0;
  /**
   * Journal segments present at the last refresh that hold lines index.json does not: what a compaction would
   * fold. Segments kept as group commit's record storage, wholly folded into index.json, are not counted.
   */
  journalCount = 0;
  /** Per segment, the bytes index.json (as loaded or as this process wrote it) has folded. */
  private foldedInIndex = new Map<string, number>();

  constructor(
    private readonly indexPath: string,
    private readonly journalDir: string,
    private readonly db: Low<IndexFileData>,
  ) {}

  /**
   * Brings the view up to date with the files. Calls made while a refresh runs share the next one, so a caller
   * always sees everything written before it called.
   */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.refreshAgain = true;
      return this.refreshing;
    }
    const run = async (): Promise<void> => {
      try {
        do {
          this.refreshAgain = false;
          await this.refreshOnce();
        } while (this.refreshAgain);
      } finally {
        this.refreshing = undefined;
      }
    };
    this.refreshing = run();
    return this.refreshing;
  }

  get size(): number {
    return this.runs.size;
  }

  get(id: string): IndexedRun | undefined {
    return this.runs.get(id);
  }

  values(): IterableIterator<IndexedRun> {
    return this.runs.values();
  }

  /** All runs, newest first (cached until the view changes). */
  newestFirst(): readonly IndexedRun[] {
    this.sorted ??= [...this.runs.values()].sort(compareNewestFirst);
    return this.sorted;
  }

  /** Applies a journal line; `segment` is the segment it was read from (where a put's `at` points). */
  apply(entry: JournalEntry, segment?: string): void {
    if ('put' in entry) {
      const id = entry.put.id;
      const current = this.runs.get(id);
      if (current !== undefined && current.t > entry.t) return;
      const deletedAt = this.tombstones.get(id);
      if (deletedAt !== undefined && deletedAt >= entry.t) return;
      const at = entry.at !== undefined && segment !== undefined ? { seg: segment, off: entry.at[0], len: entry.at[1] } : undefined;
      this.runs.set(id, indexedRun(entry.put, entry.t, at));
    } else if ('filed' in entry) {
      this.markFiled(entry.filed, entry.seg, entry.off);
      return;
    } else {
      const current = this.runs.get(entry.del);
      if (current !== undefined && current.t > entry.t) return;
      this.runs.delete(entry.del);
      this.tombstones.set(entry.del, entry.t);
    }
    this.sorted = undefined;
  }

  /** The record of `id` at `off` in `seg` is now its run file: read it there (a newer version is left as it is). */
  markFiled(id: string, seg: string, off: number): void {
    const current = this.runs.get(id);
    if (current?.at !== undefined && current.at.seg === seg && current.at.off === off) {
      this.runs.set(id, indexedRun(current.s, current.t));
      this.sorted = undefined;
    }
  }

  remove(id: string): void {
    if (this.runs.delete(id)) this.sorted = undefined;
  }

  /** What index.json should hold to say exactly what this view holds; digests are left to digests.json. */
  snapshot(): IndexFileData {
    return {
      version: 1,
      folded: Object.fromEntries(this.offsets),
      runs: this.newestFirst().map((run) => {
        const s = withoutDigest(run.s);
        return run.at ? { t: run.t, s, a: [run.at.seg, run.at.off, run.at.len] } : { t: run.t, s };
      }),
    };
  }

  /**
   * What digests.json should hold (`weft stats`): the same runs and journal offsets as `snapshot()`, each with the
   * fields stats read and its digest, which `digestOf` finds where this view's summary has none (loaded from an
   * index.json, which holds none).
   */
  digestSnapshot(digestOf: (run: IndexedRun) => RunSummary['digest']): IndexFileData {
    return {
      version: 1,
      folded: Object.fromEntries(this.offsets),
      runs: [...this.runs.values()].map((run) => ({ t: run.t, s: statsFields(run.s, run.s.digest ?? digestOf(run)) })),
    };
  }

  /** After this process wrote `snapshot()` to index.json: the view is now that file, and nothing is unfolded. */
  adoptWritten(info: Stats): void {
    this.identity = identityOf(info);
    this.state = 'ok';
    this.unfoldedLines = 0;
    this.tombstones.clear();
    this.foldedInIndex = new Map(this.offsets);
  }

  /** After this process wrote `data` to this view's file (under the lock): the view is now that file, unparsed. */
  adoptData(data: IndexFileData, info: Stats): void {
    this.runs.clear();
    this.sorted = undefined;
    this.offsets.clear();
    for (const [name, offset] of Object.entries(data.folded)) this.offsets.set(name, offset);
    for (const entry of data.runs) this.runs.set(entry.s.id, indexedRun(entry.s, entry.t, location(entry.a)));
    this.adoptWritten(info);
  }

  /** A segment was deleted after being folded: stop tracking it. */
  forgetSegment(name: string): void {
    this.offsets.delete(name);
    this.foldedInIndex.delete(name);
  }

  private async refreshOnce(): Promise<void> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const before = await statIdentity(this.indexPath);
      if (before !== this.identity) await this.load(before);
      await this.readJournals();
      const after = await statIdentity(this.indexPath);
      if (after === before) return;
    }
    // index.json changed under every attempt (compactions back to back); what we hold is complete as of the last
    // load plus journals, except for segments removed meanwhile: reading again next time settles it.
    this.identity = undefined;
  }

  private async load(identity: string): Promise<void> {
    this.runs.clear();
    this.tombstones.clear();
    this.offsets.clear();
    this.foldedInIndex.clear();
    this.sorted = undefined;
    this.unfoldedLines = 0;
    this.identity = identity;
    if (identity === '') {
      this.state = 'missing';
      return;
    }
    this.db.data = emptyIndex();
    try {
      await this.db.read();
    } catch {
      // Unparseable or not an index: journals are read from their start, and the store rebuilds the rest.
      this.state = 'corrupt';
      return;
    }
    const data = this.db.data;
    for (const [name, offset] of Object.entries(data.folded)) {
      if (typeof offset === 'number' && offset >= 0) this.offsets.set(name, offset);
    }
    this.foldedInIndex = new Map(this.offsets);
    for (const entry of data.runs) {
      if (entry && typeof entry.t === 'number' && isSummary(entry.s)) this.runs.set(entry.s.id, indexedRun(entry.s, entry.t, location(entry.a)));
    }
    this.state = 'ok';
  }

  private async readJournals(): Promise<void> {
    let names: string[];
    try {
      names = (await readdir(this.journalDir)).filter((name) => name.endsWith(JOURNAL_SUFFIX));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      names = [];
    }
    const present = new Set(names);
    for (const name of this.offsets.keys()) {
      // Folded and deleted by a compaction whose index.json we hold: nothing left to read there.
      if (!present.has(name)) this.offsets.delete(name);
    }
    for (const name of names) await this.readSegment(name);
    this.journalCount = names.filter((name) => (this.offsets.get(name) ?? 0) > (this.foldedInIndex.get(name) ?? -1)).length;
  }

  private async readSegment(name: string): Promise<void> {
    const path = join(this.journalDir, name);
    const offset = this.offsets.get(name) ?? 0;
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return; // deleted by a compaction: caught by the identity check
      throw error;
    }
    try {
      const size = (await handle.stat()).size;
      if (size <= offset) return;
      const buffer = Buffer.allocUnsafe(size - offset);
      let filled = 0;
      // A group-commit segment is extended with zeros ahead of its writes (runJournal.ts): the data ends at the
      // first zero byte (JSON never holds one raw), and a byte not yet written is zero. Read in chunks so the
      // zeros ahead are mostly not read.
      let limit = -1;
      while (filled < buffer.length) {
        const chunk = Math.min(READ_CHUNK, buffer.length - filled);
        const { bytesRead } = await handle.read(buffer, filled, chunk, offset + filled);
        if (bytesRead === 0) break;
        const zero = buffer.subarray(filled, filled + bytesRead).indexOf(0);
        filled += bytesRead;
        if (zero >= 0) {
          limit = filled - bytesRead + zero;
          break;
        }
      }
      if (limit < 0) limit = filled;
      // Complete lines only: a line without its newline is being written, or was torn by a crash.
      const end = limit > 0 ? buffer.subarray(0, limit).lastIndexOf(0x0a) : -1;
      if (end < 0) return;
      // Record lines (group commit) are skipped unread: a put line says where they are.
      for (let start = 0; start < end; ) {
        let stop = buffer.indexOf(0x0a, start);
        if (stop < 0 || stop > end) stop = end;
        if (buffer[start] !== RECORD_LINE) {
          const entry = parseLine(buffer.toString('utf8', start, stop));
          if (entry) this.apply(entry, name);
          this.unfoldedLines++;
        }
        start = stop + 1;
      }
      this.offsets.set(name, offset + end + 1);
    } finally {
      await handle.close();
    }
  }
}

function parseLine(line: string): JournalEntry | undefined {
  if (line.length === 0) return undefined;
  let entry: unknown;
  try {
    entry = JSON.parse(line);
  } catch {
    return undefined; // a line torn by a crash and then followed by others: skip it, keep the rest
  }
  if (entry === null || typeof entry !== 'object') return undefined;
  const { t, put, del, at, filed, seg, off } = entry as { t?: unknown; put?: unknown; del?: unknown; at?: unknown; filed?: unknown; seg?: unknown; off?: unknown };
  if (typeof t !== 'number') return undefined;
  if (isSummary(put)) {
    if (Array.isArray(at) && at.length === 2 && isOffset(at[0]) && isOffset(at[1])) return { t, put, at: [at[0], at[1]] };
    return { t, put };
  }
  if (typeof del === 'string') return { t, del };
  if (typeof filed === 'string' && typeof seg === 'string' && isOffset(off)) return { t, filed, seg, off };
  return undefined;
}

function isOffset(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}

function location(a: unknown): IndexedRun['at'] {
  if (!Array.isArray(a) || a.length !== 3 || typeof a[0] !== 'string' || !isOffset(a[1]) || !isOffset(a[2])) return undefined;
  return { seg: a[0], off: a[1], len: a[2] };
}

function isSummary(value: unknown): value is RunSummary {
  if (value === null || typeof value !== 'object') return false;
  const s = value as Partial<RunSummary>;
  return (
    typeof s.id === 'string' &&
    typeof s.flowId === 'string' &&
    typeof s.startedAt === 'string' &&
    typeof s.status === 'string' &&
    RUN_STATUSES.has(s.status)
  );
}

function identityOf(info: Stats): string {
  return `${info.ino}:${info.size}:${info.mtimeMs}:${info.ctimeMs}`;
}

/** A fingerprint of index.json that changes whenever it is replaced; '' when it does not exist. */
async function statIdentity(path: string): Promise<string> {
  try {
    return identityOf(await stat(path));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw error;
  }
}
