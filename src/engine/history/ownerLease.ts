// Who owns a running run, in a way that survives pid reuse. A pid alone is not enough: `weft serve` as pid 1 in a
// container, restarted after `kill -9`, is pid 1 again and would take its predecessor's runs for its own; the
// killed process may linger as a zombie; another program may get the pid. So each process has a random instance
// id, written into the runs it owns (RunRecord.owner.instance), and while it writes running runs to a history it
// holds a lease there: `owners/<instance>.json`, renewed every HEARTBEAT_MS. A run is orphaned when its owner,
// on this host, is another instance and one of: it has our pid (so it is not running: we are), its pid is gone or a
// zombie, or its lease is missing or was last renewed more than LEASE_MS ago.
//
// Like the pid check before it, this takes one host name to mean one pid namespace, and never judges runs of
// another host. Records written before leases existed (no instance) are judged by pid alone. The instance id is
// per module instance, so per process as Weft runs flows (main thread; sandbox and run workers are child
// processes): flows run from worker threads of one process would need to share one id.

import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, unlink, writeFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { currentHost, isProcessAlive } from './processAlive';

/** A lease not renewed for this long is expired: its process is taken to be gone. */
export const LEASE_MS = 30_000;
/** How often a holder renews its lease: three chances before it expires. */
export const HEARTBEAT_MS = 10_000;

const OWNERS_DIR = 'owners';
const INSTANCE_ID = /^[A-Za-z0-9-]{1,64}$/;

export interface RunOwner {
  pid: number;
  host: string;
  /** The owning process's instance id; absent in records written before leases. */
  instance?: string;
}

interface LeaseFile {
  pid: number;
  host: string;
  instance: string;
  renewedAt: number;
}

let processInstance: string | undefined;

/** This process's instance id: random, made once per process, never reused by a later one. */
export function processInstanceId(): string {
  processInstance ??= randomUUID();
  return processInstance;
}

/** The owner to write into a run this process starts. */
export function currentRunOwner(): Required<RunOwner> {
  return { pid: process.pid, host: currentHost(), instance: processInstanceId() };
}

/** Who is asking, and when: injectable so tests can play two processes and move the clock. */
export interface LeaseView {
  historyDir: string;
  instance: string;
  pid: number;
  host: string;
  now: number;
}

/** True when the run's owner is known to be gone, so the run may be marked interrupted. */
export async function isRunOrphaned(owner: RunOwner, view: LeaseView): Promise<boolean> {
  if (owner.host !== view.host) return false; // cannot tell: never take what a live process may own
  if (owner.instance === undefined) return !isProcessAlive(owner.pid, owner.host);
  if (owner.instance === view.instance) return false;
  if (owner.pid === view.pid) return true;
  if (!isProcessAlive(owner.pid, owner.host)) return true;
  const lease = await readLease(view.historyDir, owner.instance);
  return lease === undefined || view.now - lease.renewedAt > LEASE_MS;
}

/** A lease of another host is removed this long after its last renewal (its clock may differ from ours). */
const FOREIGN_LEASE_KEEP_MS = 24 * 60 * 60 * 1000;

/**
 * Removes the lease files left by processes that died without releasing them (`kill -9`), so `owners/` does not
 * grow with every crash: on this host, a lease that has expired or whose pid is gone; of another host, a lease
 * not renewed for a day. Judgements do not change: a missing lease counts as an expired one. Returns the
 * instances removed.
 */
export async function sweepStaleLeases(view: LeaseView): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(join(view.historyDir, OWNERS_DIR));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const instance = name.endsWith('.json') ? name.slice(0, -'.json'.length) : undefined;
    if (instance === undefined || instance === view.instance) continue;
    const lease = await readLease(view.historyDir, instance);
    if (!lease) continue; // half-written or foreign: left for its writer
    const stale =
      lease.host === view.host
        ? view.now - lease.renewedAt > LEASE_MS || !isProcessAlive(lease.pid, lease.host)
        : view.now - lease.renewedAt > FOREIGN_LEASE_KEEP_MS;
    if (!stale) continue;
    await unlink(leasePath(view.historyDir, instance)).catch(() => undefined);
    removed.push(instance);
  }
  return removed;
}

async function readLease(historyDir: string, instance: string): Promise<LeaseFile | undefined> {
  if (!INSTANCE_ID.test(instance)) return undefined;
  try {
    const parsed = JSON.parse(await readFile(leasePath(historyDir, instance), 'utf8')) as Partial<LeaseFile>;
    return typeof parsed.renewedAt === 'number' ? (parsed as LeaseFile) : undefined;
  } catch {
    return undefined;
  }
}

function leasePath(historyDir: string, instance: string): string {
  return join(historyDir, OWNERS_DIR, `${instance}.json`);
}

/** One lease file per history directory and instance, shared by every store of the process that opens it. */
interface HeldLease {
  holders: number;
  /** Settles once the lease is first written; rejected if that failed (the next hold tries again). */
  ready: Promise<void>;
  failed: boolean;
  timer: NodeJS.Timeout | undefined;
}

const held = new Map<string, HeldLease>();

/**
 * A store's hold on its process's lease in one history directory. `hold` writes the lease (before the store
 * writes its first running run, so no reader ever sees that run without a lease) and keeps it renewed; `release`
 * lets it go, and the last holder in the process removes the file.
 */
export class LeaseHold {
  private holding = false;
  private readonly path: string;

  constructor(
    historyDir: string,
    private readonly instance: string,
    private readonly now: () => number,
  ) {
    this.path = leasePath(historyDir, instance);
  }

  hold(): Promise<void> {
    let lease = held.get(this.path);
    if (!lease) {
      lease = { holders: 0, ready: Promise.resolve(), failed: false, timer: undefined };
      held.set(this.path, lease);
      this.start(lease);
    } else if (lease.failed) {
      this.start(lease);
    }
    if (!this.holding) {
      this.holding = true;
      lease.holders++;
    }
    return lease.ready;
  }

  async release(): Promise<void> {
    if (!this.holding) return;
    this.holding = false;
    const lease = held.get(this.path);
    if (!lease || --lease.holders > 0) return;
    held.delete(this.path);
    if (lease.timer) clearInterval(lease.timer);
    lease.timer = undefined;
    await lease.ready.catch(() => undefined);
    await unlink(this.path).catch(() => undefined);
  }

  private start(lease: HeldLease): void {
    lease.failed = false;
    lease.ready = this.write().then(
      () => {
        // Unref'd: a lease must never keep a process alive that has nothing else to do.
        if (held.get(this.path) === lease && lease.timer === undefined) {
          lease.timer = setInterval(() => void this.write().catch(() => undefined), HEARTBEAT_MS).unref();
        }
      },
      (error: unknown) => {
        lease.failed = true;
        throw error;
      },
    );
    lease.ready.catch(() => undefined); // reported to the holders that await it
  }

  private async write(): Promise<void> {
    const lease: LeaseFile = { pid: process.pid, host: currentHost(), instance: this.instance, renewedAt: this.now() };
    await mkdir(dirname(this.path), { recursive: true });
    // Temp file + rename: a reader never sees half a lease (which it would take for an expired one).
    const temp = `${this.path}.${randomUUID().slice(0, 8)}.tmp`;
    await writeFile(temp, JSON.stringify(lease));
    await rename(temp, this.path);
  }
}
