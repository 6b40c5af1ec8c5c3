// Whether the process that owns a lock or a journal segment still exists (runs are judged by ownerLease.ts, which
// uses this too). Only a process on this host can be checked; for any other host the answer is "cannot tell",
// which callers treat as alive so that nothing a live process owns is ever taken from it.

import { readFileSync } from 'node:fs';
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
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  return !isZombie(pid);
}

/**
 * A killed process lingers as a zombie until its parent reaps it, and kill(pid, 0) still finds it. On Linux,
 * /proc says so (state Z, or X for dead); elsewhere nothing is known and the answer is false.
 */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return false;
  }
  // "pid (comm) state ...": comm may hold spaces and parentheses, so the state follows the last ")".
  const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  return state === 'Z' || state === 'X';
}
