import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { JournalWriter, safeHost, segmentWriter } from '../../../../src/engine/history/runJournal';
import { currentHost } from '../../../../src/engine/history/processAlive';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-journal-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function put(id: string, t: number) {
  return { t, put: { id, flowId: 'f', status: 'completed' as const, mode: 'run' as const, triggerType: 'manual', startedAt: '2025-01-01T00:00:00.000Z' } };
}

describe('JournalWriter', () => {
  it('writes lines appended in one turn as one batch, one JSON line each, in order', async () => {
    // ARRANGE
    const journal = new JournalWriter(dir);
    // ACT
    const writes = Array.from({ length: 100 }, (_, i) => journal.append(put(`r${i}`, i)));
    await Promise.all(writes);
    const linesInSegment = journal.linesInSegment;
    await journal.close();
    // ASSERT
    const [name] = await readdir(dir);
    const lines = (await readFile(join(dir, name), 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.map((line) => (JSON.parse(line) as { put: { id: string } }).put.id)).toEqual(writes.map((_, i) => `r${i}`));
    expect(linesInSegment).toBe(100);
  });

  it('names its segment after this host and process, and starts a new one after rotating', async () => {
    // ARRANGE
    const journal = new JournalWriter(dir);
    await journal.append(put('a', 1));
    const first = journal.activeSegment as string;
    // ACT
    await journal.rotate();
    await journal.append(put('b', 2));
    await journal.close();
    // ASSERT
    expect(segmentWriter(first)).toEqual({ host: safeHost(currentHost()), pid: process.pid });
    expect(journal.retired.has(first)).toBe(true);
    expect(journal.activeSegment).not.toBe(first);
    expect((await readdir(dir)).length).toBe(2);
  });

  it('rotates while lines keep coming, and no line is lost or written to the closed segment', async () => {
    // ARRANGE: a producer appending without pause
    const journal = new JournalWriter(dir);
    let producing = true;
    let n = 0;
    const writes: Promise<void>[] = [];
    const producer = (async () => {
      while (producing) {
        writes.push(journal.append(put(`r${n++}`, n)));
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const first = journal.activeSegment as string;
    // ACT
    await journal.rotate();
    const sizeAtRotation = (await readFile(join(dir, first))).length;
    await new Promise((resolve) => setTimeout(resolve, 20));
    producing = false;
    await producer;
    await Promise.all(writes);
    await journal.close();
    // ASSERT
    expect(journal.retired.has(first)).toBe(true);
    expect((await readFile(join(dir, first))).length).toBe(sizeAtRotation);
    const ids = new Set<string>();
    for (const name of await readdir(dir)) {
      for (const line of (await readFile(join(dir, name), 'utf8')).split('\n').filter(Boolean)) {
        ids.add((JSON.parse(line) as { put: { id: string } }).put.id);
      }
    }
    expect(ids.size).toBe(n);
    expect((await readdir(dir)).length).toBeGreaterThan(1);
  });
});
