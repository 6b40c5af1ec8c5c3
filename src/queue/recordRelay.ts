// The serve side of queue mode's records (spec section 15): reads the `weft:events` stream that every worker
// appends to, from this serve's last durably recorded position, and for each entry publishes its events to the
// event hub (in stream order, so in order per run) and saves its record to this serve's own history, so `weft
// history`, `weft show` and the editor list every run whichever worker ran it. A final record resolves whoever
// waits for that run here (a `respond: result` webhook).
//
// The cursor (`<history>/live/queue-cursor.json`) is written only after the history writes of everything before
// it are durable: a serve killed at any point re-reads from there, and saving a record again is harmless (the
// newest state wins). Redis restarting changes nothing: the stream is in its append-only file.

import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Redis } from 'ioredis';
import type { HistoryStore } from '../engine/history/historyStore';
import type { EngineEvent } from '../engine/run/events';
import { isTerminal, type RunRecord } from '../engine/run/runRecord';
import { EVENTS_STREAM } from './queueKeys';

const BATCH = 500;
const BLOCK_MS = 1000;
/** After a failed read or history write, wait this long before trying the same entries again. */
const RETRY_MS = 500;

export interface RecordRelayOptions {
  publish(event: EngineEvent, flowId: string): void;
  /** Every final record relayed (whichever serve started the run). */
  onFinal?(record: RunRecord): void;
  onError?(error: Error): void;
}

export function queueCursorFile(historyDir: string): string {
  return join(historyDir, 'live', 'queue-cursor.json');
}

type Waiter = (record: RunRecord) => void;

export class RecordRelay {
  private cursor = '0-0';
  private stopped = false;
  private loop: Promise<void> | undefined;
  private readonly waiters = new Map<string, Waiter[]>();
  /** Stream entries read, for the benchmark. */
  entriesRead = 0;
  reads = 0;

  constructor(
    private readonly redis: Redis,
    private readonly history: HistoryStore,
    private readonly options: RecordRelayOptions,
  ) {}

  /** Calls `waiter` with the run's final record once it is relayed and in history. */
  waitFor(executionId: string, waiter: Waiter): void {
    const list = this.waiters.get(executionId);
    if (list) list.push(waiter);
    else this.waiters.set(executionId, [waiter]);
  }

  forget(executionId: string): void {
    this.waiters.delete(executionId);
  }

  async start(): Promise<void> {
    const file = queueCursorFile(this.history.dir);
    try {
      const saved = JSON.parse(await readFile(file, 'utf8')) as { cursor?: unknown };
      if (typeof saved.cursor === 'string' && /^\d+-\d+$/.test(saved.cursor)) this.cursor = saved.cursor;
    } catch {
      // No cursor yet: from the start of the stream, so a new serve lists every run the stream still holds.
    }
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    // Ends a blocking XREAD at once; what was read before is finished by the loop.
    this.redis.disconnect();
    await this.loop;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let reply: [string, [string, string[]][]][] | null;
      try {
        this.reads++;
        reply = (await this.redis.xread('COUNT', BATCH, 'BLOCK', BLOCK_MS, 'STREAMS', EVENTS_STREAM, this.cursor)) as typeof reply;
      } catch (error) {
        if (this.stopped) return;
        this.options.onError?.(error as Error);
        await delay(RETRY_MS);
        continue;
      }
      if (!reply || reply.length === 0) continue;
      const entries = reply[0][1];
      if (entries.length === 0) continue;
      // Even when stopping: what was read is put in history before the cursor moves past it.
      while (true) {
        try {
          await this.relay(entries);
          break;
        } catch (error) {
          this.options.onError?.(error as Error);
          if (this.stopped) return;
          await delay(RETRY_MS);
        }
      }
    }
  }

  private async relay(entries: [string, string[]][]): Promise<void> {
    const saves: Promise<void>[] = [];
    const finals: RunRecord[] = [];
    for (const [, fields] of entries) {
      let executionId = '';
      let flowId = '';
      let recordJson: string | undefined;
      let eventsJson: string | undefined;
      for (let i = 0; i + 1 < fields.length; i += 2) {
        const value = fields[i + 1];
        switch (fields[i]) {
          case 'r':
            executionId = value;
            break;
          case 'f':
            flowId = value;
            break;
          case 'c':
            recordJson = value;
            break;
          case 'e':
            eventsJson = value;
            break;
        }
      }
      if (eventsJson !== undefined) {
        for (const event of JSON.parse(eventsJson) as EngineEvent[]) {
          try {
            this.options.publish(event, flowId);
          } catch {
            // A subscriber's failure is not the relay's.
          }
        }
      }
      if (recordJson !== undefined && executionId !== '') {
        const record = JSON.parse(recordJson) as RunRecord;
        saves.push(this.history.save(record));
        if (isTerminal(record.status)) finals.push(record);
      }
    }
    this.entriesRead += entries.length;
    await Promise.all(saves);
    const last = entries[entries.length - 1][0];
    await writeCursor(queueCursorFile(this.history.dir), last);
    this.cursor = last;
    for (const record of finals) {
      const waiters = this.waiters.get(record.id);
      this.waiters.delete(record.id);
      for (const waiter of waiters ?? []) waiter(record);
      this.options.onFinal?.(record);
    }
  }
}

async function writeCursor(file: string, cursor: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  await writeFile(temporary, JSON.stringify({ cursor }));
  await rename(temporary, file);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
