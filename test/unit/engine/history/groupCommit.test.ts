// Group commit (HistoryStore `groupCommit`, as `weft serve` opens it): records go to the journal, many per write,
// and a save resolves once its batch is written. What a crashed server leaves (its segment, maybe with a torn
// last line) is read by every later process as it is; compaction keeps dense segments as the records' storage, folds
// the mostly dead ones into run files, and loses no record.

import { spawn } from 'node:child_process';
import { copyFile, open as openFile, mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../../src/engine/history/historyStore';
import { currentHost } from '../../../../src/engine/history/processAlive';
import { safeHost } from '../../../../src/engine/history/runJournal';
import type { RunRecord } from '../../../../src/engine/run/runRecord';

let dir: string;
const stores: HistoryStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-group-commit-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function open(at: string, groupCommit = true): HistoryStore {
  const store = HistoryStore.open({ dir: at, groupCommit });
  stores.push(store);
  return store;
}

function record(id: string, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    flowId: 'hooks',
    flowFile: 'flows/hooks.flow.json',
    flowHash: 'abc',
    status: 'completed',
    mode: 'run',
    trigger: { type: 'webhook' },
    input: { n: id },
    output: { ok: id },
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
    durationMs: 1000,
    nodes: { a: { status: 'completed', attempts: 1, output: { x: id } } },
    ...fields,
  };
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((done) => child.on('exit', done));
  return child.pid as number;
}

/**
 * What a server killed with SIGKILL leaves: the journal segment its group commits wrote, under the name of a
 * process that is gone. Made by a real store in a scratch directory, its segment then moved into `dir`.
 */
async function crashedServerHistory(records: RunRecord[]): Promise<string> {
  const scratch = join(dir, 'scratch');
  const writer = HistoryStore.open({ dir: scratch, groupCommit: true });
  stores.push(writer); // closed after the test, long after its segment was taken
  await Promise.all(records.map((r) => writer.save(r)));
  const [segment] = await readdir(join(scratch, 'journal'));
  const history = join(dir, 'crashed');
  await mkdir(join(history, 'journal'), { recursive: true });
  await mkdir(join(history, 'runs'), { recursive: true });
  const name = `${safeHost(currentHost())}~${await deadPid()}~crashed.jsonl`;
  await copyFile(join(scratch, 'journal', segment), join(history, 'journal', name));
  return history;
}

describe('HistoryStore with group commit', () => {
  it('answers a save once its record is on disk: another process reads it, though no run file exists yet', async () => {
    // ARRANGE
    const writer = open(join(dir, 'h'));
    // ACT
    await Promise.all(Array.from({ length: 50 }, (_, i) => writer.save(record(`r${i}`))));
    const reader = open(join(dir, 'h'), false);
    // ASSERT
    expect(await readdir(join(dir, 'h', 'runs'))).toEqual([]);
    expect(await reader.list({ limit: 100 })).toHaveLength(50);
    expect(await reader.get('r7')).toEqual(record('r7'));
  });

  it('writes many saves in few batches: one journal segment, not a file per save', async () => {
    // ARRANGE
    const writer = open(join(dir, 'h'));
    // ACT
    await Promise.all(Array.from({ length: 200 }, (_, i) => writer.save(record(`r${i}`))));
    // ASSERT
    const segments = await readdir(join(dir, 'h', 'journal'));
    expect(segments).toHaveLength(1);
    const bytes = await readFile(join(dir, 'h', 'journal', segments[0]));
    const end = bytes.indexOf(0);
    const lines = bytes.toString('utf8', 0, end).split('\n').filter(Boolean);
    expect(lines.filter((line) => line.startsWith('R'))).toHaveLength(200);
    // Grown ahead with zeros (written in place, so fdatasync need not commit a new size): only zeros follow.
    expect(end).toBeGreaterThan(0);
    expect(bytes.subarray(end).every((byte) => byte === 0)).toBe(true);
  });

  it('keeps the newest state when saves of one run overlap', async () => {
    // ARRANGE: the engine saves the same record object again and again as it changes
    const writer = open(join(dir, 'h'));
    const run = record('busy', { status: 'running', nodes: {} });
    delete run.finishedAt;
    delete run.output;
    // ACT: 30 saves without waiting, each of a later state, some while a batch is being written
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 30; i++) {
      run.nodes[`n${i}`] = { status: 'completed', attempts: 1, output: i };
      saves.push(writer.save(run));
      if (i % 7 === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    run.status = 'completed';
    run.output = { last: true };
    saves.push(writer.save(run));
    await Promise.all(saves);
    // ASSERT: for this process and for another
    const expected = JSON.parse(JSON.stringify(run)) as RunRecord;
    expect(await writer.get('busy')).toEqual(expected);
    expect(await open(join(dir, 'h'), false).get('busy')).toEqual(expected);
    expect((await writer.list())[0]).toMatchObject({ id: 'busy', status: 'completed' });
  });

  it('ignores a torn last line left by a crash mid-append, and keeps every complete record before it', async () => {
    // ARRANGE
    const history = await crashedServerHistory([record('a'), record('b')]);
    const [segment] = await readdir(join(history, 'journal'));
    // A crash in the middle of the next batch: its record line is cut short, its put line never written. The
    // batch lands where the data ends, over the zeros the segment was grown with.
    const path = join(history, 'journal', segment);
    const end = (await readFile(path)).indexOf(0);
    const handle = await openFile(path, 'r+');
    await handle.write('R{"id":"c","flowId":"hooks","sta', end);
    await handle.close();
    // ACT
    const store = open(history);
    const listed = await store.list();
    // ASSERT
    expect(listed.map((s) => s.id).sort()).toEqual(['a', 'b']);
    expect(await store.get('b')).toEqual(record('b'));
    expect(await store.get('c')).toBeUndefined();
  });

  it('reads a crashed server\'s journal the same however often it is read, and compaction changes nothing', async () => {
    // ARRANGE
    const records = Array.from({ length: 40 }, (_, i) => record(`r${String(i).padStart(2, '0')}`, { startedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString() }));
    const history = await crashedServerHistory(records);
    // ACT: two processes read it, one twice; then a compaction folds it into run files, and it is read again
    const first = open(history, false);
    const listedOnce = await first.list({ limit: 100 });
    const listedTwice = await first.list({ limit: 100 });
    const other = await open(history, false).list({ limit: 100 });
    const compacted = await open(history).compact();
    const after = open(history, false);
    const listedAfter = await after.list({ limit: 100 });
    const recordsAfter = await Promise.all(records.map((r) => after.get(r.id)));
    // ASSERT
    expect(listedOnce).toHaveLength(40);
    expect(listedTwice).toEqual(listedOnce);
    expect(other).toEqual(listedOnce);
    expect(listedAfter).toEqual(listedOnce);
    expect(recordsAfter).toEqual(records);
    expect(compacted.filed).toBe(40);
    expect(await readdir(join(history, 'journal'))).toEqual([]);
    expect((await readdir(join(history, 'runs'))).sort()).toEqual(records.map((r) => `${r.id}.json`));
  });

  it('loses nothing through compactions while saving goes on, and keeps the records in their segments rather than copying each to a file', async () => {
    // ARRANGE
    const history = join(dir, 'h');
    const writer = HistoryStore.open({ dir: history, groupCommit: true, compactEvery: 50 });
    const ids = Array.from({ length: 300 }, (_, i) => `r${String(i).padStart(3, '0')}`);
    // ACT: each run saved running, then ended; compactions start by themselves every 50 lines
    await Promise.all(
      ids.map(async (id) => {
        await writer.save(record(id, { status: 'running' }));
        await writer.save(record(id));
      }),
    );
    const listedWhileOpen = await writer.list({ limit: 1000 });
    await writer.close();
    const reader = open(history, false);
    // ASSERT: every run listed and readable by another process; its record read from a segment, not a copy
    expect(listedWhileOpen.filter((s) => s.status === 'completed')).toHaveLength(300);
    expect(await reader.list({ limit: 1000 })).toHaveLength(300);
    expect(await reader.get('r123')).toEqual(record('r123'));
    expect((await Promise.all(ids.map((id) => reader.get(id)))).every((r) => r?.status === 'completed')).toBe(true);
    expect(await readdir(join(history, 'runs'))).toHaveLength(0);
    expect((await readdir(join(history, 'journal'))).length).toBeGreaterThan(0);
  });

  it('folds a segment into run files once most of it is dead (retention), and then deletes it', async () => {
    // ARRANGE: 40 runs in one segment, kept as their storage at close
    const history = join(dir, 'h');
    const ids = Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    const writer = HistoryStore.open({ dir: history, groupCommit: true });
    await Promise.all(ids.map((id, i) => writer.save(record(id, { startedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString() }))));
    await writer.close();
    const keptSegments = await readdir(join(history, 'journal'));
    const filesBefore = await readdir(join(history, 'runs'));
    // ACT: a store that keeps 5 runs per flow compacts: 35 of the 40 records are dead
    const pruning = HistoryStore.open({ dir: history, retentionPerFlow: 5 });
    stores.push(pruning);
    const result = await pruning.compact();
    const reader = open(history, false);
    // ASSERT
    expect(keptSegments).toHaveLength(1);
    expect(filesBefore).toEqual([]);
    expect(result.filed).toBe(5);
    expect(await readdir(join(history, 'journal'))).toEqual([]);
    expect((await readdir(join(history, 'runs'))).sort()).toEqual(ids.slice(-5).map((id) => `${id}.json`));
    expect((await reader.list()).map((s) => s.id).sort()).toEqual(ids.slice(-5));
    for (const id of ids.slice(-5)) expect(await reader.get(id)).toEqual(record(id, { startedAt: new Date(Date.UTC(2025, 0, 1, 0, Number(id.slice(1)))).toISOString() }));
  });

  it('does not compact again and again because many kept segments are there: only segments with unfolded lines count', async () => {
    // ARRANGE: five writers, one after the other, each leaving a dense segment; readers allow 2 unfolded segments
    const history = join(dir, 'h');
    for (let w = 0; w < 5; w++) {
      const writer = HistoryStore.open({ dir: history, groupCommit: true });
      await Promise.all(Array.from({ length: 10 }, (_, i) => writer.save(record(`w${w}r${i}`))));
      await writer.close();
    }
    const indexBefore = await stat(join(history, 'index.json'));
    // ACT: a reader that compacts past 2 segments with unfolded lines lists, twice
    const reader = HistoryStore.open({ dir: history, maxJournalSegments: 2 });
    stores.push(reader);
    const listed = await reader.list({ limit: 100 });
    await reader.list({ limit: 100 });
    await reader.flush();
    // ASSERT: all 50 runs, from 5 segments, and index.json as the last writer left it
    expect(listed).toHaveLength(50);
    expect(await readdir(join(history, 'journal'))).toHaveLength(5);
    const indexAfter = await stat(join(history, 'index.json'));
    expect([indexAfter.ino, indexAfter.mtimeMs]).toEqual([indexBefore.ino, indexBefore.mtimeMs]);
  });

  it('marks interrupted the running runs of a crashed server, in its journal, so they can be resumed', async () => {
    // ARRANGE
    const running = record('mid', { status: 'running', owner: { pid: await deadPid(), host: currentHost(), instance: 'gone-instance' } });
    delete running.finishedAt;
    const history = await crashedServerHistory([running, record('done')]);
    // ACT
    const store = open(history);
    const recovered = await store.recoverInterrupted();
    // ASSERT
    expect(recovered).toEqual(['mid']);
    expect((await store.get('mid'))?.status).toBe('interrupted');
    expect((await open(history, false).list()).find((s) => s.id === 'mid')?.status).toBe('interrupted');
    expect((await store.get('done'))?.status).toBe('completed');
  });
});
