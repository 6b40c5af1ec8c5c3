import { spawn } from 'node:child_process';
import { mkdtemp, mkdir, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { acquireFileLock, tryAcquireFileLock } from '../../../../src/engine/history/fileLock';
import { currentHost } from '../../../../src/engine/history/processAlive';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-lock-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

describe('fileLock', () => {
  it('lets one holder in at a time', async () => {
    // ARRANGE
    const path = join(dir, 'lock');
    const first = await acquireFileLock(path);
    const order: string[] = [];
    // ACT
    const second = acquireFileLock(path).then((lock) => {
      order.push('second acquired');
      return lock;
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    order.push('first releases');
    await first.release();
    await (await second).release();
    // ASSERT
    expect(order).toEqual(['first releases', 'second acquired']);
  });

  it('takes over at once a lock whose holder on this host is dead', async () => {
    // ARRANGE
    const path = join(dir, 'lock');
    await mkdir(path);
    await writeFile(join(path, 'owner.json'), JSON.stringify({ pid: await deadPid(), host: currentHost(), token: 'old' }));
    // ACT
    const started = Date.now();
    const lock = await acquireFileLock(path, { staleMs: 60_000, timeoutMs: 5_000 });
    // ASSERT
    expect(Date.now() - started).toBeLessThan(2_000);
    await lock.release();
  });

  it('waits for a live holder and gives up at the timeout', async () => {
    // ARRANGE
    const path = join(dir, 'lock');
    const held = await acquireFileLock(path);
    // ACT / ASSERT
    await expect(acquireFileLock(path, { timeoutMs: 100 })).rejects.toMatchObject({ code: 'history' });
    await held.release();
  });

  it('breaks a lock that has not been refreshed for the stale time (holder on another host)', async () => {
    // ARRANGE
    const path = join(dir, 'lock');
    await mkdir(path);
    await writeFile(join(path, 'owner.json'), JSON.stringify({ pid: 1, host: 'elsewhere', token: 'old' }));
    const old = new Date(Date.now() - 60_000);
    await utimes(path, old, old);
    // ACT
    const lock = await tryAcquireFileLock(path, { staleMs: 10_000 }).then((l) => l ?? tryAcquireFileLock(path));
    // ASSERT
    expect(lock).toBeDefined();
    await lock?.release();
  });

  it('does not release a lock that was taken over by someone else', async () => {
    // ARRANGE: our lock is broken as stale and another holder takes it
    const path = join(dir, 'lock');
    const ours = await acquireFileLock(path);
    await rm(path, { recursive: true });
    const theirs = await acquireFileLock(path);
    // ACT
    await ours.release();
    // ASSERT
    expect(await tryAcquireFileLock(path)).toBeUndefined();
    await theirs.release();
  });
});
