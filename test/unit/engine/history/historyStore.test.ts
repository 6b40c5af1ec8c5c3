import { fork, spawn } from 'node:child_process';
import { appendFile, mkdtemp, readdir, readFile, rm, stat, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { TextFile } from 'lowdb/node';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { currentOwner, HistoryStore } from '../../../../src/engine/history/historyStore';
import { HEARTBEAT_MS, LEASE_MS } from '../../../../src/engine/history/ownerLease';
import { currentHost } from '../../../../src/engine/history/processAlive';
import type { RunRecord } from '../../../../src/engine/run/runRecord';

let dir: string;
const stores: HistoryStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-history-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

function open(options: Partial<Parameters<typeof HistoryStore.open>[0]> = {}): HistoryStore {
  const store = HistoryStore.open({ dir, ...options });
  stores.push(store);
  return store;
}

function record(id: string, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    flowId: 'orders',
    flowFile: 'flows/orders.flow.json',
    flowHash: 'abc',
    status: 'completed',
    mode: 'run',
    trigger: { type: 'manual' },
    input: { n: 1 },
    output: { ok: true },
    startedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: '2025-01-01T00:00:01.000Z',
    durationMs: 1000,
    nodes: { a: { status: 'completed', attempts: 1, output: { x: 1 } } },
    ...fields,
  };
}

/** An ISO time `minute` minutes into 2025. */
function at(minute: number): string {
  return new Date(Date.UTC(2025, 0, 1, 0, minute)).toISOString();
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
  await new Promise((done) => child.on('exit', done));
  return child.pid as number;
}

describe('HistoryStore', () => {
  it('gets back the record it saved, by id or by a unique prefix', async () => {
    // ARRANGE
    const store = open();
    const run = record('0a1b2c3d-run', { nodes: { a: { status: 'completed', attempts: 2, output: [1, 2] } } });
    // ACT
    await store.save(run);
    // ASSERT
    expect(await store.get('0a1b2c3d-run')).toEqual(run);
    expect(await store.get('0a1b')).toEqual(run);
    expect(await store.get('nope')).toBeUndefined();
    expect(await readFile(join(dir, '.gitignore'), 'utf8')).toBe('*\n');
  });

  it('refuses an ambiguous prefix and an id that could name a path outside the history', async () => {
    // ARRANGE
    const store = open();
    await store.save(record('abc1'));
    await store.save(record('abc2'));
    // ACT / ASSERT
    await expect(store.get('abc')).rejects.toMatchObject({ code: 'usage' });
    expect(await store.get('../abc1')).toBeUndefined();
    await expect(store.save(record('../evil'))).rejects.toMatchObject({ code: 'history' });
  });

  it('lists nothing, and creates nothing, for a directory that does not exist', async () => {
    // ARRANGE
    const missing = join(dir, 'never');
    const store = HistoryStore.open({ dir: missing });
    // ACT
    const runs = await store.list();
    // ASSERT
    expect(runs).toEqual([]);
    await expect(stat(missing)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('lists runs newest first with their summaries, and filters them', async () => {
    // ARRANGE
    const store = open();
    await store.save(record('r1', { startedAt: at(1), status: 'failed', error: { message: 'card declined' } }));
    await store.save(record('r3', { startedAt: at(3), flowId: 'billing', trigger: { type: 'webhook', path: 'x' } }));
    await store.save(record('r2', { startedAt: at(2), mode: 'test', parentExecutionId: 'r1', resumedFrom: 'r0' }));
    // ACT
    const all = await store.list();
    // ASSERT
    expect(all.map((s) => s.id)).toEqual(['r3', 'r2', 'r1']);
    expect(all[1]).toEqual({
      id: 'r2',
      flowId: 'orders',
      flowFile: 'flows/orders.flow.json',
      status: 'completed',
      mode: 'test',
      triggerType: 'manual',
      startedAt: at(2),
      finishedAt: '2025-01-01T00:00:01.000Z',
      durationMs: 1000,
      resumedFrom: 'r0',
      parentExecutionId: 'r1',
      inputSummary: 'n 1',
      searchText: 'n 1 ok true',
    });
    expect((await store.list({ flowId: 'orders' })).map((s) => s.id)).toEqual(['r2', 'r1']);
    expect((await store.list({ status: 'failed' }))[0]).toMatchObject({ id: 'r1', error: 'card declined' });
    expect((await store.list({ triggerType: 'webhook' })).map((s) => s.id)).toEqual(['r3']);
    expect((await store.list({ limit: 1, offset: 1 })).map((s) => s.id)).toEqual(['r2']);
  });

  it('sees the runs that another store (another process) saved, as soon as they are saved', async () => {
    // ARRANGE
    const writer = open();
    const reader = open();
    await writer.save(record('one'));
    expect((await reader.list()).map((s) => s.id)).toEqual(['one']);
    // ACT
    await writer.save(record('two', { startedAt: at(5) }));
    await writer.save(record('one', { status: 'failed' }));
    // ASSERT
    expect((await reader.list()).map((s) => [s.id, s.status])).toEqual([
      ['two', 'completed'],
      ['one', 'failed'],
    ]);
  });

  it('stores values over the size limit truncated and marked, without touching the caller\'s record', async () => {
    // ARRANGE
    const store = open({ maxValueBytes: 1024 });
    const run = record('big', { nodes: { fetch: { status: 'completed', attempts: 1, output: { body: 'x'.repeat(4000) } } } });
    // ACT
    await store.save(run);
    // ASSERT
    const stored = (await store.get('big')) as RunRecord;
    expect(stored.nodes.fetch.output).toMatchObject({ $truncated: true, bytes: 4011 });
    expect(stored.truncated).toEqual(['nodes.fetch.output']);
    expect(stored.output).toEqual({ ok: true });
    expect(run.nodes.fetch.output).toEqual({ body: 'x'.repeat(4000) });
    expect(run.truncated).toBeUndefined();
  });

  it('coalesces rapid saves of one run into few writes, ending with the latest state on disk', async () => {
    // ARRANGE
    const store = open();
    const writes = vi.spyOn(TextFile.prototype, 'write');
    const run = record('busy', { status: 'running', nodes: {} });
    // ACT: 50 checkpoints of the same record, mutated in between, none awaited
    const saves: Promise<void>[] = [];
    for (let i = 0; i < 50; i++) {
      run.nodes[`n${i}`] = { status: 'completed', attempts: 1, output: i };
      saves.push(store.save(run));
    }
    run.status = 'completed';
    saves.push(store.save(run));
    await Promise.all(saves);
    // ASSERT
    expect(writes.mock.calls.length).toBeLessThanOrEqual(2);
    const stored = (await store.get('busy')) as RunRecord;
    expect(stored.status).toBe('completed');
    expect(Object.keys(stored.nodes)).toHaveLength(50);
    expect((await store.list())[0].status).toBe('completed');
  });

  it('writes the latest of several distinct records for one run', async () => {
    // ARRANGE
    const store = open();
    // ACT
    const saves = [1, 2, 3, 4].map((n) => store.save(record('same', { output: n })));
    await Promise.all(saves);
    // ASSERT
    expect((await store.get('same'))?.output).toBe(4);
  });

  it('prunes the oldest runs of each flow beyond the retention at compaction, files included', async () => {
    // ARRANGE: flow orders has 5 runs, billing 2; keep 3 per flow
    const store = open({ retentionPerFlow: 3 });
    for (let i = 1; i <= 5; i++) await store.save(record(`o${i}`, { startedAt: at(i) }));
    for (let i = 1; i <= 2; i++) await store.save(record(`b${i}`, { flowId: 'billing', startedAt: at(i) }));
    // ACT
    const result = await store.compact();
    // ASSERT
    expect(result.pruned.sort()).toEqual(['o1', 'o2']);
    expect((await store.list({ flowId: 'orders' })).map((s) => s.id)).toEqual(['o5', 'o4', 'o3']);
    expect((await store.list({ flowId: 'billing' })).map((s) => s.id)).toEqual(['b2', 'b1']);
    expect((await readdir(join(dir, 'runs'))).sort()).toEqual(['b1.json', 'b2.json', 'o3.json', 'o4.json', 'o5.json']);
    expect(await open().list({ flowId: 'orders' })).toHaveLength(3);
  });

  it('deletes a run for good, compaction included', async () => {
    // ARRANGE
    const store = open();
    await store.save(record('keep'));
    await store.save(record('gone'));
    // ACT
    const deleted = await store.delete('gone');
    await store.compact();
    // ASSERT
    expect(deleted).toBe(true);
    expect(await store.delete('gone')).toBe(false);
    expect(await store.get('gone')).toBeUndefined();
    expect((await open().list()).map((s) => s.id)).toEqual(['keep']);
  });

  it('compacts by itself as journals grow, without losing a run', async () => {
    // ARRANGE: a compaction every 10 journal lines (each run writes one)
    const store = open({ compactEvery: 10 });
    // ACT
    for (let i = 1; i <= 35; i++) await store.save(record(`r${i}`, { startedAt: at(i) }));
    await store.flush();
    // ASSERT
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { runs: unknown[] };
    expect(index.runs.length).toBeGreaterThanOrEqual(10);
    expect(await open().list()).toHaveLength(35);
  });

  it('folds and removes the segments of stores this process has closed', async () => {
    // ARRANGE: a long-lived process (the editor) opening a store per run
    for (let i = 1; i <= 5; i++) {
      const once = open();
      await once.save(record(`r${i}`, { startedAt: at(i) }));
      await once.close();
    }
    expect(await readdir(join(dir, 'journal'))).toHaveLength(5);
    // ACT
    await open().compact();
    // ASSERT
    expect(await readdir(join(dir, 'journal'))).toEqual([]);
    expect(await open().list()).toHaveLength(5);
  });

  it('folds and removes a segment left by an earlier process that had our pid (a restarted container)', async () => {
    // ARRANGE: a segment named for this host and pid that this process never made
    const stale = `${currentHost().replace(/[^A-Za-z0-9.-]/g, '_')}~${process.pid}~0earlier.jsonl`;
    await open().save(record('r1', { startedAt: at(1) }));
    await writeFile(join(dir, 'journal', stale), JSON.stringify({ t: 1, put: { ...record('r0', { startedAt: at(0) }), nodes: undefined } }) + '\n');
    await writeFile(join(dir, 'runs', 'r0.json'), JSON.stringify(record('r0', { startedAt: at(0) })));
    // ACT
    await open().compact();
    // ASSERT
    expect(await readdir(join(dir, 'journal'))).not.toContain(stale);
    expect((await open().list()).map((s) => s.id)).toEqual(['r1', 'r0']);
  });

  it('rebuilds a corrupt index from the run files', async () => {
    // ARRANGE: compaction folds the journals into index.json, which then gets garbled
    const store = open();
    for (let i = 1; i <= 5; i++) await store.save(record(`r${i}`, { startedAt: at(i) }));
    await store.compact();
    await store.close();
    expect(await readdir(join(dir, 'journal'))).toEqual([]);
    await writeFile(join(dir, 'index.json'), '{"version":1,"runs":[{"t":1,"s":{"id":"r1"');
    // ACT
    const runs = await open().list();
    // ASSERT
    expect(runs.map((s) => s.id)).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
    expect(JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')).runs).toHaveLength(5);
  });

  it('rebuilds a missing index from the run files', async () => {
    // ARRANGE
    const store = open();
    for (let i = 1; i <= 3; i++) await store.save(record(`r${i}`, { startedAt: at(i) }));
    await store.compact();
    await store.close();
    await unlink(join(dir, 'index.json'));
    // ACT
    const runs = await open().list();
    // ASSERT
    expect(runs.map((s) => s.id)).toEqual(['r3', 'r2', 'r1']);
  });

  it('ignores what a crash mid-write leaves: a half-written temp file and a torn journal line', async () => {
    // ARRANGE
    const store = open();
    await store.save(record('whole'));
    await store.flush();
    await writeFile(join(dir, 'runs', '.torn.json.tmp'), '{"id":"torn","flowId":"or');
    const [segment] = await readdir(join(dir, 'journal'));
    await appendFile(join(dir, 'journal', segment), '{"t":99,"put":{"id":"torn","flowId"');
    // ACT
    const reader = open();
    const listed = await reader.list();
    await reader.compact();
    // ASSERT
    expect(listed.map((s) => s.id)).toEqual(['whole']);
    expect(await reader.get('torn')).toBeUndefined();
    expect((await open().list()).map((s) => s.id)).toEqual(['whole']);
  });

  it('puts back a run whose file was written but whose index line was lost', async () => {
    // ARRANGE: a run file written directly, as if the process died before its journal line
    const store = open();
    await store.save(record('indexed', { startedAt: at(1) }));
    await writeFile(join(dir, 'runs', 'lost.json'), JSON.stringify(record('lost', { startedAt: at(2) })));
    // ACT
    const result = await store.compact();
    // ASSERT
    expect(result.recovered).toBe(1);
    expect((await store.list()).map((s) => s.id)).toEqual(['lost', 'indexed']);
  });

  it('marks interrupted the runs whose owner process is dead, and leaves live ones alone', async () => {
    // ARRANGE
    const host = currentHost();
    const before = open();
    await before.save(record('dead', { status: 'running', owner: { pid: await deadPid(), host }, finishedAt: undefined }));
    await before.save(record('live', { status: 'running', owner: currentOwner(), finishedAt: undefined }));
    await before.save(record('remote', { status: 'running', owner: { pid: 1234567, host: 'another-host' } }));
    await before.close();
    const store = open();
    // ACT
    const recovered = await store.recoverInterrupted();
    // ASSERT
    expect(recovered).toEqual(['dead']);
    const dead = (await store.get('dead')) as RunRecord;
    expect(dead.status).toBe('interrupted');
    expect(dead.error?.message).toMatch(/stopped before the run ended/);
    expect((await store.get('live'))?.status).toBe('running');
    expect((await store.get('remote'))?.status).toBe('running');
    expect((await open().list({ status: 'interrupted' })).map((s) => s.id)).toEqual(['dead']);
    expect(await store.recoverInterrupted()).toEqual([]);
  });

  describe('run ownership that survives pid reuse', () => {
    const T0 = Date.parse('2026-01-01T00:00:00Z');
    const running = (id: string, owner: RunRecord['owner']): RunRecord => record(id, { status: 'running', owner, finishedAt: undefined, durationMs: undefined });

    it('recovers at once the runs of a killed process that had our pid (a container restarted after kill -9)', async () => {
      // ARRANGE: "process A" (pid 1 of the container before the restart) recorded a run and held its lease, then
      // was killed: its lease file stays. We are the new process: same pid, same host, another instance.
      const processA = open({ instanceId: 'process-a', now: () => T0 });
      await processA.save(running('acknowledged', { pid: process.pid, host: currentHost(), instance: 'process-a' }));
      expect(await readdir(join(dir, 'owners'))).toEqual(['process-a.json']);
      const restarted = open({ instanceId: 'process-b', now: () => T0 + 1000 });
      // ACT
      const recovered = await restarted.recoverInterrupted();
      // ASSERT
      expect(recovered).toEqual(['acknowledged']);
      expect((await restarted.get('acknowledged'))?.status).toBe('interrupted');
    });

    it('recovers a run whose owner pid is alive for another reason once its lease has expired, and not before', async () => {
      // ARRANGE: the owner's pid now belongs to a live process that is not Weft (our parent stands in for it).
      const processA = open({ instanceId: 'process-a', now: () => T0 });
      await processA.save(running('orphan', { pid: process.ppid, host: currentHost(), instance: 'process-a' }));
      // ACT
      const whileLeased = await open({ instanceId: 'process-b', now: () => T0 + LEASE_MS - 1 }).recoverInterrupted();
      const afterExpiry = await open({ instanceId: 'process-c', now: () => T0 + LEASE_MS + 1 }).recoverInterrupted();
      // ASSERT
      expect(whileLeased).toEqual([]);
      expect(afterExpiry).toEqual(['orphan']);
      // The expired lease is gone too, so owners/ does not grow with every crash.
      expect(await readdir(join(dir, 'owners'))).toEqual([]);
    });

    it('leaves alone the run of a live process that holds its lease, and drops the lease when the store closes', async () => {
      // ARRANGE
      const owner = open({ instanceId: 'process-a', now: () => T0 });
      await owner.save(running('live', { pid: process.ppid, host: currentHost(), instance: 'process-a' }));
      // ACT
      const recovered = await open({ instanceId: 'process-b', now: () => T0 + HEARTBEAT_MS }).recoverInterrupted();
      const leasesWhileLive = await readdir(join(dir, 'owners'));
      await owner.close();
      // ASSERT
      expect(recovered).toEqual([]);
      expect(leasesWhileLive).toEqual(['process-a.json']); // the other process's sweep keeps a live lease
      expect(await readdir(join(dir, 'owners'))).toEqual([]);
      // Closed, it can save nothing more: the run is an orphan for the next process.
      expect(await open({ instanceId: 'process-b', now: () => T0 + HEARTBEAT_MS }).recoverInterrupted()).toEqual(['live']);
    });

    it.runIf(process.platform === 'linux')('recovers the run of a process that lingers as a zombie', async () => {
      // ARRANGE: `sh` starts a child, then becomes `sleep`, which never reaps it; the child exits only once told to,
      // after that exec (a child that exited before it was reaped by `sh` on CI): a zombie, every time.
      const release = join(dir, 'zombie-may-exit');
      const script = '(while [ ! -e "$1" ]; do sleep 0.01; done) & echo $!; exec sleep 60';
      const parent = spawn('sh', ['-c', script, 'sh', release], { stdio: ['ignore', 'pipe', 'ignore'] });
      const waitState = async (path: string, test: (text: string) => boolean): Promise<void> => {
        while (!test(await readFile(path, 'utf8'))) await new Promise((done) => setImmediate(done));
      };
      try {
        const zombiePid = Number(await new Promise<string>((done) => parent.stdout.once('data', (data: Buffer) => done(String(data).trim()))));
        await waitState(`/proc/${parent.pid}/comm`, (comm) => comm.trim() === 'sleep');
        await writeFile(release, '');
        await waitState(`/proc/${zombiePid}/stat`, (stat) => /\) Z /.test(stat));
        const zombie = open({ instanceId: 'zombie', now: () => T0 });
        await zombie.save(running('zombie-run', { pid: zombiePid, host: currentHost(), instance: 'zombie' }));
        // ACT: its lease is still fresh, but the process is gone
        const recovered = await open({ instanceId: 'process-b', now: () => T0 + 1000 }).recoverInterrupted();
        // ASSERT
        expect(recovered).toEqual(['zombie-run']);
      } finally {
        parent.kill('SIGKILL');
      }
    });
  });

  it('loses no run when several processes record runs at once', async () => {
    // ARRANGE: a child script bundled from the real sources (vitest's TS transform does not reach child processes)
    const script = join(dir, 'child.cjs');
    await build({
      stdin: {
        contents: CHILD_SCRIPT,
        resolveDir: resolve(__dirname, '../../../../src/engine/history'),
        sourcefile: 'child.ts',
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: script,
      logLevel: 'silent',
    });
    const history = join(dir, 'shared');
    const processes = 4;
    const runsEach = 200;
    // ACT: the children write while this process keeps listing, and small thresholds make them compact often
    const children = Array.from({ length: processes }, (_, p) =>
      fork(script, [history, `p${p}`, String(runsEach)], { stdio: 'inherit' }),
    );
    const exits = children.map((child) => new Promise<number | null>((done) => child.on('exit', done)));
    let finished = false;
    void Promise.all(exits).then(() => (finished = true));
    const reader = HistoryStore.open({ dir: history, compactEvery: 100, maxJournalSegments: 2 });
    stores.push(reader);
    // A run once listed must stay listed: a reader racing a compaction must not miss a folded journal.
    let listings = 0;
    let shrank = 0;
    let seen = 0;
    while (!finished) {
      const listed = (await reader.list()).length;
      if (listed < seen) shrank++;
      seen = Math.max(seen, listed);
      listings++;
      await new Promise((done) => setTimeout(done, 5));
    }
    // ASSERT
    expect(await Promise.all(exits)).toEqual(Array(processes).fill(0));
    expect(listings).toBeGreaterThan(0);
    expect(shrank).toBe(0);
    const runs = await HistoryStore.open({ dir: history }).list();
    expect(runs).toHaveLength(processes * runsEach);
    expect(new Set(runs.map((s) => s.id)).size).toBe(processes * runsEach);
    expect(runs.every((s) => s.status === 'completed')).toBe(true);
    const final = HistoryStore.open({ dir: history });
    stores.push(final);
    await final.compact();
    expect(await final.list()).toHaveLength(processes * runsEach);
    expect(await readdir(join(history, 'journal'))).toEqual([]);
    expect(await readdir(join(history, 'runs'))).toHaveLength(processes * runsEach);
  });
});

// Each child records `count` runs, 10 at a time, each with a running checkpoint and then its final state.
const CHILD_SCRIPT = `
import { HistoryStore, currentOwner } from './historyStore';
const [dir, prefix, count] = process.argv.slice(2);
const store = HistoryStore.open({ dir, compactEvery: 40, maxJournalSegments: 2, lock: { timeoutMs: 20000 } });
async function one(i: number): Promise<void> {
  const record: any = {
    id: prefix + '-' + i, flowId: 'flow' + (i % 3), flowHash: 'h', status: 'running', mode: 'run',
    trigger: { type: 'manual' }, input: { i }, startedAt: new Date().toISOString(), owner: currentOwner(),
    nodes: { a: { status: 'running', attempts: 1 } },
  };
  await store.save(record);
  record.nodes.a = { status: 'completed', attempts: 1, output: { i } };
  record.status = 'completed';
  record.finishedAt = new Date().toISOString();
  await store.save(record);
}
(async () => {
  const n = Number(count);
  for (let i = 0; i < n; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, k) => one(i + k)));
  }
  await store.close();
})().catch((error) => { console.error(error); process.exit(1); });
`;
