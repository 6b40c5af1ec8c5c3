// A cross-process lock on a directory, for the rare work that must not run twice at once (index compaction,
// marking dead runs interrupted). Saves never take it.
//
// Why our own ~80 lines rather than `proper-lockfile`: both take the lock with an atomic `mkdir` and keep it alive
// by touching its mtime, but proper-lockfile can only detect a dead holder by waiting out the stale period. Here the
// lock names its holder (pid, host), so a lock left by a crashed process on this host is taken over at once, and
// mtime staleness remains the fallback for hosts we cannot check. No extra dependency either.
//
// Known limit, as with every mtime-based lock: two waiters that judge the same lock stale at the same instant can
// race, and one of them may move aside the lock the other just took. The work done under this lock is written
// atomically and can be redone from the run files, so that rare race costs a rebuild, never a record.

import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WeftError } from '../errors';
import { currentHost, isProcessAlive } from './processAlive';

export interface FileLockOptions {
  /** A lock not refreshed for this long is taken over (its holder is hung, or on a host we cannot check). Default 10 s. */
  staleMs?: number;
  /** Give up waiting after this long, with a `history` error. Default 30 s. */
  timeoutMs?: number;
}

export interface FileLock {
  /** Releases the lock; a lock that was taken over meanwhile is left to its new holder. */
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  host: string;
  token: string;
}

const OWNER_FILE = 'owner.json';

/** Waits for the lock at `lockPath` (a directory that must not exist while the lock is free) and takes it. */
export async function acquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<FileLock> {
  const staleMs = options.staleMs ?? 10_000;
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (let attempt = 0; ; attempt++) {
    const lock = await tryAcquireFileLock(lockPath, options);
    if (lock) return lock;
    if (Date.now() > deadline) {
      throw new WeftError('history', `Timed out waiting for the history lock ${lockPath}.`, {
        details: { lockPath },
      });
    }
    // Backoff with jitter, so waiters do not retry in lockstep; capped low because holders keep it briefly.
    const delay = Math.min(100, 2 ** Math.min(attempt, 6)) * (0.5 + Math.random());
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, staleMs)));
  }
}

/** Takes the lock if it is free; undefined when it is held (a stale lock is broken on the way, for the next attempt). */
export async function tryAcquireFileLock(lockPath: string, options: FileLockOptions = {}): Promise<FileLock | undefined> {
  const staleMs = options.staleMs ?? 10_000;
  try {
    await mkdir(lockPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    if (await isStale(lockPath, staleMs)) await breakLock(lockPath);
    return undefined;
  }
  const token = randomBytes(8).toString('hex');
  const owner: LockOwner = { pid: process.pid, host: currentHost(), token };
  try {
    await writeFile(join(lockPath, OWNER_FILE), JSON.stringify(owner));
  } catch (error) {
    await rm(lockPath, { recursive: true, force: true });
    throw error;
  }
  // Touch the lock while held so a long compaction is not mistaken for a dead one. unref: never keeps Node alive.
  const timer = setInterval(
    () => {
      const now = new Date();
      utimes(lockPath, now, now).catch(() => undefined);
    },
    Math.max(10, Math.floor(staleMs / 3)),
  );
  timer.unref();
  let released = false;
  return {
    async release(): Promise<void> {
      if (released) return;
      released = true;
      clearInterval(timer);
      const current = await readOwner(lockPath);
      if (current?.token === token) await rm(lockPath, { recursive: true, force: true });
    },
  };
}

async function readOwner(lockPath: string): Promise<LockOwner | undefined> {
  try {
    const parsed = JSON.parse(await readFile(join(lockPath, OWNER_FILE), 'utf8')) as Partial<LockOwner>;
    if (typeof parsed.pid === 'number' && typeof parsed.host === 'string' && typeof parsed.token === 'string') {
      return parsed as LockOwner;
    }
  } catch {
    // Missing (the holder is between mkdir and writing it) or torn (it crashed there): fall back to mtime.
  }
  return undefined;
}

async function isStale(lockPath: string, staleMs: number): Promise<boolean> {
  const owner = await readOwner(lockPath);
  if (owner && !isProcessAlive(owner.pid, owner.host)) return true;
  try {
    const info = await stat(lockPath);
    return Date.now() - info.mtimeMs > staleMs;
  } catch {
    return false; // released meanwhile: the next attempt will take it
  }
}

async function breakLock(lockPath: string): Promise<void> {
  // Move it aside first: a rename is atomic, so of several processes breaking the same lock only one succeeds,
  // and nobody deletes a fresh lock that another process created after the stale one was removed.
  const aside = `${lockPath}.stale-${randomBytes(6).toString('hex')}`;
  try {
    await rename(lockPath, aside);
  } catch {
    return;
  }
  await rm(aside, { recursive: true, force: true });
}
