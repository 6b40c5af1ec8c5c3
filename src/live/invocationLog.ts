// The recent webhook invocations of one flow: method, status, latency, and the run it started, if any. A ring
// buffer in memory (for `/_weft/status`), mirrored to `<history>/live/<flowId>.invocations.json` so that refused
// requests, which have no run record, still show in history after the server stops.
//
// Writes are coalesced: a change schedules one write a little later, and changes made meanwhile ride along, so a
// thousand requests a second cost a few small writes a second, never one per request. The file is replaced
// atomically (temp file + rename): a reader sees the old list or the new one, never half of one.

import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface Invocation {
  /** When the request arrived (ISO). */
  at: string;
  method: string;
  path: string;
  status: number;
  /** From the request's arrival to the response (for `ack`: once the run's first checkpoint was written). */
  latencyMs: number;
  /** The run it started, when it started one. */
  executionId?: string;
  /** Why it was refused, for statuses >= 400. */
  error?: string;
}

export interface InvocationLogFile {
  flowId: string;
  updatedAt: string;
  /** Newest first. */
  invocations: Invocation[];
}

const SUFFIX = '.invocations.json';

/** Where live mode keeps a flow's invocation log: `<history>/live/<flowId>.invocations.json`. */
export function invocationLogFile(historyDir: string, flowId: string): string {
  return join(historyDir, 'live', `${flowId}${SUFFIX}`);
}

/** Every flow's recent invocations found in a history directory, newest first, by flow id (the history panel). */
export async function readInvocationLogs(historyDir: string): Promise<Record<string, Invocation[]>> {
  const dir = join(historyDir, 'live');
  const names = await readdir(dir).catch(() => [] as string[]);
  const byFlow: Record<string, Invocation[]> = {};
  for (const name of names.filter((n) => n.endsWith(SUFFIX))) {
    try {
      const file = JSON.parse(await readFile(join(dir, name), 'utf8')) as Partial<InvocationLogFile>;
      if (typeof file.flowId === 'string' && Array.isArray(file.invocations)) byFlow[file.flowId] = file.invocations.filter(isInvocation);
    } catch {
      // Being replaced right now (temp file + rename), or not a log: the next read has it.
    }
  }
  return byFlow;
}

export interface InvocationLogOptions {
  flowId: string;
  /** The file to mirror to; undefined keeps the log in memory only. */
  file?: string;
  /** How many invocations are kept. Default 50. */
  capacity?: number;
  /** How long a change waits for others to join its write. Default 250 ms. */
  delayMs?: number;
  /** Told when a write fails (the log goes on in memory). */
  onWriteError?: (error: Error) => void;
}

export class InvocationLog {
  readonly flowId: string;
  private readonly file: string | undefined;
  private readonly capacity: number;
  private readonly delayMs: number;
  private readonly onWriteError: ((error: Error) => void) | undefined;
  /** Oldest first; at most `capacity` long. */
  private entries: Invocation[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> | undefined;
  private dirty = false;

  constructor(options: InvocationLogOptions) {
    this.flowId = options.flowId;
    this.file = options.file;
    this.capacity = Math.max(1, options.capacity ?? 50);
    this.delayMs = options.delayMs ?? 250;
    this.onWriteError = options.onWriteError;
  }

  /** Reads what an earlier server left in the file, so the list goes on across restarts. A missing or unreadable file starts empty. */
  async load(): Promise<void> {
    if (!this.file) return;
    try {
      const data = JSON.parse(await readFile(this.file, 'utf8')) as Partial<InvocationLogFile>;
      if (Array.isArray(data.invocations)) {
        const older = data.invocations.filter(isInvocation).slice(0, this.capacity).reverse();
        this.entries = [...older, ...this.entries].slice(-this.capacity);
      }
    } catch {
      // Nothing there yet, or a file from an incompatible version: start afresh.
    }
  }

  add(invocation: Invocation): void {
    this.entries.push(invocation);
    if (this.entries.length > this.capacity * 2) this.entries = this.entries.slice(-this.capacity);
    if (!this.file) return;
    this.dirty = true;
    if (!this.timer && !this.writing) this.schedule();
  }

  /** Newest first. */
  recent(limit = this.capacity): Invocation[] {
    const out: Invocation[] = [];
    for (let i = this.entries.length - 1; i >= 0 && out.length < Math.min(limit, this.capacity); i--) out.push(this.entries[i]);
    return out;
  }

  /** Writes what is pending now, and resolves once the file holds it. */
  async flush(): Promise<void> {
    while (this.writing || this.dirty) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = undefined;
      }
      if (this.writing) await this.writing;
      else await this.write();
    }
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.dirty && !this.writing) void this.write();
    }, this.delayMs);
  }

  private write(): Promise<void> {
    const file = this.file as string;
    this.dirty = false;
    const data: InvocationLogFile = { flowId: this.flowId, updatedAt: new Date().toISOString(), invocations: this.recent() };
    const temp = `${file}.${process.pid}.tmp`;
    const promise = (async (): Promise<void> => {
      try {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(temp, JSON.stringify(data, null, 1));
        await rename(temp, file);
      } catch (error) {
        this.onWriteError?.(error as Error);
      }
    })();
    this.writing = promise;
    void promise.then(() => {
      if (this.writing === promise) this.writing = undefined;
      if (this.dirty && !this.timer) this.schedule();
    });
    return promise;
  }
}

function isInvocation(value: unknown): value is Invocation {
  const v = value as Invocation;
  return typeof v === 'object' && v !== null && typeof v.at === 'string' && typeof v.method === 'string' && typeof v.status === 'number';
}
