// Whether the process that owns a run (or a lock, or a journal) still exists. Only a process on this host can be
// checked; for any other host the answer is "cannot tell", which callers treat as alive so that nothing a live
// process owns is ever taken from it.

import { hostname } from 'node:os';

let cachedHost: string | undefined;

/** This machine's name, as written into `owner.host` (read once: it does not change under a running process). */
export function currentHost(): string {
  cachedHost ??= hostname();
  return cachedHost;
}

/**
 * True unless the process `pid` on `host` is known to be gone. `process.kill(pid, 0)` sends no signal: it only
 * checks; ESRCH means no such process, EPERM means it exists but belongs to another user.
 */
export function isProcessAlive(pid: number, host: string = currentHost()): boolean {
  if (host !== currentHost()) return true;
  // 0 and negative pids address process groups, never one process: never ask about them.
  if (!Number.isInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}
