// The index journal: each process appends the summaries it writes to a file of its own, one JSON line each, and
// compaction later folds them into index.json.
//
// One file per process (a "segment"), rather than one shared journal, because then no two processes ever write
// the same file: there is no reliance on O_APPEND atomicity (which network file systems and Windows do not all
// give), no lock on the hot path, and a crash can only tear the last line of its own segment, which readers skip
// (they consume complete lines only). Appends are batched: lines queued while a write is in flight go out together
// in the next write, so a server recording a thousand runs a second makes a few dozen small appends, not a thousand.

import { deferred, type Deferred } from './deferred';
import { randomBytes } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSummary } from './runSummary';
import { currentHost } from './processAlive';

/** One line of a journal: a summary put (insert or replace), or a run deleted. `t` orders versions of a run. */
export type JournalEntry = { t: number; put: RunSummary } | { t: number; del: string };

export const JOURNAL_SUFFIX = '.jsonl';
const SEP = '~';

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

  constructor(private readonly journalDir: string) {}

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
        await this.write(Buffer.from(batch.lines.join(''), 'utf8'));
        this.linesInSegment += batch.lines.length;
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
    this.linesInSegment = 0;
    await handle?.close().catch(() => undefined);
  }

  private async write(bytes: Buffer): Promise<void> {
    if (!this.handle) {
      const segment = newSegmentName();
      this.handle = await open(join(this.journalDir, segment), 'a');
      this.segment = segment;
    }
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, offset, bytes.length - offset);
      offset += bytesWritten;
    }
  }
}
