// The `Idempotency-Key` header of live mode's webhooks: a request that repeats a key already used for the same
// flow within 24 hours gets the first request's answer and starts nothing (a sender retrying after a timeout, or a
// signed request replayed, runs once). Kept in `<history>/live/idempotency-keys.json` (lowdb), so a restart of
// `weft serve` remembers them; keys older than 24 hours are forgotten on load and as new ones are added.
//
// What is kept per key is the answer's status and the run's id, not its body: a `result` answer is rebuilt from the
// run's record in history (where secrets are redacted), so no answer body is stored a second time.
//
// A request that arrives while the first with its key is still running waits for it (`pending`), then replays it.

import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;

export interface RememberedAnswer {
  /** When the first request was answered (ISO). */
  at: string;
  status: number;
  executionId: string;
}

interface KeysFile {
  /** By `<flowId> <key>`. */
  keys: Record<string, RememberedAnswer>;
}

export function idempotencyKeysFile(historyDir: string): string {
  return join(historyDir, 'live', 'idempotency-keys.json');
}

export class IdempotencyKeys {
  private readonly db: Low<KeysFile>;
  private readonly pendingByKey = new Map<string, Promise<void>>();

  constructor(
    private readonly file: string,
    private readonly now: () => number = Date.now,
  ) {
    this.db = new Low<KeysFile>(new JSONFile<KeysFile>(file), { keys: {} });
  }

  async load(): Promise<void> {
    try {
      await this.db.read();
    } catch {
      // An unreadable file (a crash mid-write cannot make one: writes are atomic) is started afresh.
      this.db.data = { keys: {} };
    }
    if (typeof this.db.data?.keys !== 'object' || this.db.data.keys === null) this.db.data = { keys: {} };
    this.expire();
  }

  /** The answer remembered for this flow and key, if it is younger than 24 hours. */
  find(flowId: string, key: string): RememberedAnswer | undefined {
    const answer = this.db.data.keys[slot(flowId, key)];
    if (answer === undefined || this.now() - Date.parse(answer.at) >= IDEMPOTENCY_TTL_MS) return undefined;
    return answer;
  }

  /** Set while a request with this key is being answered: later ones wait for it, then find its answer. */
  pending(flowId: string, key: string): Promise<void> | undefined {
    return this.pendingByKey.get(slot(flowId, key));
  }

  /** Marks the key in use until `done` settles. */
  begin(flowId: string, key: string, done: Promise<unknown>): void {
    const id = slot(flowId, key);
    const settled = done.then(
      () => undefined,
      () => undefined,
    );
    this.pendingByKey.set(id, settled);
    void settled.then(() => {
      if (this.pendingByKey.get(id) === settled) this.pendingByKey.delete(id);
    });
  }

  /** Remembers the answer; resolves once it is on disk (before the answer is sent, so a restart cannot lose it). */
  async remember(flowId: string, key: string, answer: RememberedAnswer): Promise<void> {
    this.db.data.keys[slot(flowId, key)] = answer;
    this.expire();
    await mkdir(dirname(this.file), { recursive: true });
    await this.db.write();
  }

  private expire(): void {
    const oldest = this.now() - IDEMPOTENCY_TTL_MS;
    const keys = this.db.data.keys;
    for (const id of Object.keys(keys)) {
      const at = Date.parse(keys[id]?.at);
      if (!(at > oldest)) delete keys[id];
    }
  }
}

function slot(flowId: string, key: string): string {
  return `${flowId} ${key}`;
}
