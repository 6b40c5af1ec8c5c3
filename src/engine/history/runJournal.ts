// The index journal: each process appends the summaries it writes to a file of its own, one JSON line each, and
// compaction later folds them into index.json.
//
// One file per process (a "segment"), rather than one shared journal, because then no two processes ever write
// the same file: there is no reliance on O_APPEND atomicity (which network file systems and Windows do not all
// give), no lock on the hot path, and a crash can only tear the last line of its own segment, which readers skip
// (they consume complete lines only). Appends are batched: lines queued while a write is in flight go out together
// in the next write, so a server recording a thousand runs a second makes a few dozen small appends, not a thousand.
//
// Group commit (stores opened with `groupCommit`, as `weft serve` does): whole run records go into the segment
// too, each as an `R` line followed by the put line that points at it (`at`: byte offset and length). The batch
// is whatever was saved while the previous write ran; it is one write and, with `sync`, one fdatasync, and every
// save in it resolves only after that: a webhook's 202 then promises a record that survives kill -9 (the write)
// and power loss (the fdatasync). The record line comes before its put line in the same write, so a reader that
// sees a complete put line (it reads complete lines only) always finds the whole record it points at.
// With `sync`, a segment is grown ahead of its writes, a MiB of zeros at a time, and written in place: fdatasync of
// an append must also commit the file's new size to the file system's journal, which took 4 to 6 ms on the test
// machine's ext4, against 0.4 to 2 ms for data written over allocated blocks. Readers take the first zero byte as
// the end of the data (JSON never holds a raw one); a segment is cut to its data when it is closed.

import { deferred, type Deferred } from './deferred';
import { randomBytes } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSummary } from './runSummary';
import { currentHost } from './processAlive';

/**
 * One line of a journal: a summary put (insert or replace), or a run deleted. `t` orders versions of a run. A put
 * with `at` ([offset, length] in the same segment) says that this version's whole record is in the segment's `R`
 * line there; without it, the record is the run file. `filed` says the record of `id` at `off` in segment `seg`
 * is now in the run file too (written at compaction), so readers may forget the segment.
 */
export type JournalEntry =
  | { t: number; put: RunSummary; at?: [number, number] }
  | { t: number; del: string }
  | { t: number; filed: string; seg: string; off: number };

/** Where a record is in a journal segment: its `R` line, without the `R` and the newline. */
export interface RecordLocation {
  seg: string;
  off: number;
  len: number;
}

/** A record to commit: its JSON (already cut to the size limit) and summary, both taken when the batch forms. */
export interface CommitRecord {
  t: number;
  summary: RunSummary;
  json: string;
}

/** The first byte of a record line. */
export const RECORD_LINE = 0x52; // 'R'

export const JOURNAL_SUFFIX = '.jsonl';
const SEP = '~';
/** With sync: how far ahead of its data a segment is extended with zeros. */
const PREALLOCATE_BYTES = 1024 * 1024;

/** The file name of a new segment for this process: host and pid say who writes it, so others can tell when it is final. */
export function newSegmentName(): string {
  const unique = `${Date.now().toString(36)}${randomBytes(4).toString('hex')}`;
  const name = `${safeHost(currentHost())}${SEP}${process.pid}${SEP}${unique}${JOURNAL_SUFFIX}`;
  segmentsOfThisProcess.add(name);
  return name;
}

/**
 * Every segment name this process has made. A segment that carries our pid but is not in it was written by an
 * earlier process that had the same pid (a container's pid 1 before a restart): that writer is gone.
 */
export const segmentsOfThisProcess = new Set<string>();

/** Who writes a segment, from its name; undefined for names not made by newSegmentName. */
export function segmentWriter(name: string): { host: string; pid: number } | undefined {
  if (!name.endsWith(JOURNAL_SUFFIX)) return undefined;
  const parts = name.split(SEP);
  if (parts.length !== 3) return undefined;
  const pid = Number(parts[1]);
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  return { host: parts[0], pid };
}

/** Host names as they appear in segment names (file-name safe); compare hosts only in this form. */
export function safeHost(host: string): string {
  return host.replace(/[^A-Za-z0-9.-]/g, '_');
}

/**
 * Segments this process has closed for good, whatever store wrote them: compaction may delete them once folded.
 * Process-wide because a long-lived process (the editor) may open and close many stores over one directory; a
 * segment of a live pid is otherwise kept until that process exits.
 */
export const retiredSegments = new Set<string>();

interface Batch extends Deferred {
  lines: string[];
}

export interface JournalWriterOptions {
  /** fdatasync after each batch (and fsync the directory after creating a segment): durable past power loss. */
  sync?: boolean;
  /**
   * Called as each batch forms: the records to commit in it (the newest state of each run saved since the last
   * batch). The promise lets the caller finish what must precede the write (the owner lease).
   */
  collect?: () => Promise<CommitRecord[]> | CommitRecord[];
  /** Told where each collected record went, once its batch is written (and synced). */
  onCommitted?: (records: CommitRecord[], locations: RecordLocation[]) => void;
}

export class JournalWriter {
  private segment: string | undefined;
  private handle: FileHandle | undefined;
  /** Lines waiting for the next write. */
  private pending: Batch | undefined;
  /** Lines being written now. */
  private inFlight: Batch | undefined;
  private writing: Promise<void> | undefined;
  /** Set by rotate(): the drain closes the segment before its next write. */
  private rotation: Deferred | undefined;
  /** Segments this process wrote and will not write again (shared by every writer in the process). */
  readonly retired = retiredSegments;
  /** Lines appended to the current segment (compaction is due when this grows). */
  linesInSegment = 0;
  /** Bytes in the current segment: where the next write lands, since this process alone appends to it. */
  bytesInSegment = 0;
  /** With sync: the current segment's size, zeros past `bytesInSegment`. */
  private allocated = 0;
  private readonly sync: boolean;

  constructor(
    private readonly journalDir: string,
    private readonly options: JournalWriterOptions = {},
  ) {
    this.sync = options.sync === true;
  }

  /** The segment being appended to, if any. */
  get activeSegment(): string | undefined {
    return this.segment;
  }

  /** Appends one entry; resolves once it is in the file (with the other lines of its batch). */
  append(entry: JournalEntry): Promise<void> {
    const line = `${JSON.stringify(entry)}\n`;
    if (!this.pending) {
      this.pending = { lines: [], ...deferred() };
      this.writing ??= this.drain();
    }
    this.pending.lines.push(line);
    return this.pending.promise;
  }

  /**
   * Resolves once the next batch is written (and synced): the one that will collect records saved up to when it
   * forms, so a record saved before this call is in it or in the batch being written now.
   */
  commit(): Promise<void> {
    if (!this.pending) {
      this.pending = { lines: [], ...deferred() };
      this.writing ??= this.drain();
    }
    return this.pending.promise;
  }

  /**
   * Resolves when every line appended before the call is written. Only those: under constant load there is
   * always a next batch, and waiting for quiet would never end.
   */
  async flush(): Promise<void> {
    await Promise.allSettled([this.inFlight?.promise, this.pending?.promise]);
  }

  /**
   * Closes the current segment for good (after the write in progress, if any); later lines go to a new one.
   * The closed segment is listed in `retired`.
   */
  rotate(): Promise<void> {
    if (this.writing) {
      this.rotation ??= deferred();
      return this.rotation.promise;
    }
    return this.closeSegment();
  }

  async close(): Promise<void> {
    await this.flush();
    await this.rotate();
  }

  private async drain(): Promise<void> {
    // Yield once so that lines queued by other saves finishing in this same turn join the batch.
    await new Promise<void>((resolve) => setImmediate(resolve));
    for (;;) {
      if (this.rotation) {
        const rotation = this.rotation;
        this.rotation = undefined;
        await this.closeSegment();
        rotation.resolve();
      }
      const batch = this.pending;
      if (!batch) break;
      this.pending = undefined;
      this.inFlight = batch;
      try {
        const records = this.options.collect ? await this.options.collect() : [];
        await this.open();
        const segment = this.segment as string;
        const locations: RecordLocation[] = [];
        let text = '';
        let position = this.bytesInSegment;
        for (const record of records) {
          // Offsets are in bytes: measured per record, never assumed from string lengths.
          const off = position + 1;
          const len = Buffer.byteLength(record.json);
          locations.push({ seg: segment, off, len });
          const put = `${JSON.stringify({ t: record.t, put: record.summary, at: [off, len] })}\n`;
          text += `R${record.json}\n${put}`;
          position += len + 2 + Buffer.byteLength(put);
        }
        text += batch.lines.join('');
        if (text.length > 0) await this.write(Buffer.from(text, 'utf8'));
        if (this.sync && text.length > 0) await this.handle!.datasync();
        this.linesInSegment += batch.lines.length + records.length;
        if (records.length > 0) this.options.onCommitted?.(records, locations);
        batch.resolve();
      } catch (error) {
        batch.reject(error);
        // A failed write may have left part of a line behind: the next line must not be glued onto it, so
        // continue in a new segment. Readers skip the torn tail.
        await this.closeSegment();
      } finally {
        this.inFlight = undefined;
      }
    }
    this.writing = undefined;
  }

  private async closeSegment(): Promise<void> {
    const handle = this.handle;
    if (this.segment !== undefined) this.retired.add(this.segment);
    this.segment = undefined;
    this.handle = undefined;
    const data = this.bytesInSegment;
    const cut = this.sync && this.allocated > data;
    this.linesInSegment = 0;
    this.bytesInSegment = 0;
    this.allocated = 0;
    // The zeros ahead go: a closed segment holds its lines only.
    if (cut) await handle?.truncate(data).catch(() => undefined);
    await handle?.close().catch(() => undefined);
  }

  private async open(): Promise<void> {
    if (this.handle) return;
    const segment = newSegmentName();
    // With sync, written in place at known offsets (see the file comment), so not opened for appending.
    const handle = await open(join(this.journalDir, segment), this.sync ? 'wx+' : 'a');
    if (this.sync) {
      // A new file's name is durable only once its directory is synced.
      try {
        const dir = await open(this.journalDir, 'r');
        try {
          await dir.sync();
        } finally {
          await dir.close();
        }
      } catch (error) {
        await handle.close().catch(() => undefined);
        throw error;
      }
    }
    this.handle = handle;
    this.segment = segment;
    this.bytesInSegment = 0;
    this.allocated = 0;
  }

  private async write(bytes: Buffer): Promise<void> {
    await this.open();
    const handle = this.handle as FileHandle;
    if (this.sync && this.bytesInSegment + bytes.length > this.allocated) {
      // Zeros ahead, written before the data: the batch's fdatasync makes both durable, the new size included.
      const target = Math.ceil((this.bytesInSegment + bytes.length + PREALLOCATE_BYTES) / PREALLOCATE_BYTES) * PREALLOCATE_BYTES;
      await writeFully(handle, Buffer.alloc(target - this.allocated), this.allocated);
      this.allocated = target;
    }
    let offset = 0;
    try {
      while (offset < bytes.length) {
        const position = this.sync ? this.bytesInSegment + offset : null;
        const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, position);
        offset += bytesWritten;
      }
    } finally {
      this.bytesInSegment += offset;
    }
  }
}

async function writeFully(handle: FileHandle, bytes: Buffer, position: number): Promise<void> {
  for (let offset = 0; offset < bytes.length; ) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, position + offset);
    offset += bytesWritten;
  }
}

/**
 * The text of the record at `at` in the segment at `path`; undefined when the segment is gone (compaction folded
 * it into run files). Throws when the bytes there are not a record line: the location is wrong or the file was
 * replaced.
 */
export async function readJournalRecord(path: string, at: { off: number; len: number }): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    // One byte either side: the `R` before and the newline after prove the location is a whole record line.
    const buffer = Buffer.allocUnsafe(at.len + 2);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, at.off - 1 + filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    if (filled !== buffer.length || buffer[0] !== RECORD_LINE || buffer[buffer.length - 1] !== 0x0a) {
      throw new Error(`no record at byte ${at.off} of ${path}`);
    }
    return buffer.toString('utf8', 1, buffer.length - 1);
  } finally {
    await handle.close();
  }
}
