import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../../src/engine/history/historyStore';
import type { NodeRecord, RunRecord } from '../../../../src/engine/run/runRecord';

let dir: string;
const stores: HistoryStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-rollup-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function open(options: Partial<Parameters<typeof HistoryStore.open>[0]> = {}): HistoryStore {
  const store = HistoryStore.open({ dir, ...options });
  stores.push(store);
  return store;
}

const DAY = 86_400_000;
const START = Date.UTC(2026, 2, 1);

/** An ISO time `day` days and `minute` minutes after 2026-03-01 00:00 UTC. */
function at(day: number, minute: number): string {
  return new Date(START + day * DAY + minute * 60_000).toISOString();
}

function node(fields: Partial<NodeRecord> = {}): NodeRecord {
  return { status: 'completed', attempts: 1, durationMs: 100, ...fields };
}

/** A triage run: `fetch` 200 ms, then `ask` 800 ms with gpt-4o-mini (100 in, 20 out, $0.001). */
function run(id: string, day: number, minute: number, fields: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    flowId: 'triage',
    flowHash: 'h',
    status: 'completed',
    mode: 'run',
    trigger: { type: 'manual' },
    input: {},
    startedAt: at(day, minute),
    finishedAt: at(day, minute + 1),
    durationMs: 1000,
    nodes: {
      fetch: node({ durationMs: 200 }),
      ask: node({ durationMs: 800, usage: { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 20, costUsd: 0.001 } }),
    },
    ...fields,
  };
}

function failed(id: string, day: number, minute: number): RunRecord {
  return run(id, day, minute, {
    status: 'failed',
    durationMs: 3000,
    error: { message: 'HTTP 503 from api.example.test', code: 'http-status', nodeId: 'fetch' },
    nodes: {
      fetch: node({ status: 'failed', attempts: 3, durationMs: 3000, error: { message: 'HTTP 503 from api.example.test', code: 'http-status' } }),
      ask: { status: 'pending', attempts: 0 },
    },
  });
}

const CLI_QUERY = { excludeMode: 'test' as const };

async function dayFiles(): Promise<string[]> {
  const root = join(dir, 'rollup', 'f-triage');
  return (await readdir(root).catch(() => [] as string[])).filter((name) => name.endsWith('.json') && !name.endsWith('.hours.json')).sort();
}

describe('stats rollup', () => {
  it('gives the known figures from hourly buckets, the same as from every digest', async () => {
    // ARRANGE: 4 completed and 2 failed runs (3 attempts at fetch each) over two days, and a test run
    const store = open();
    const records = [run('r1', 0, 1), run('r2', 0, 70), failed('r3', 0, 71), run('r4', 1, 5), run('r5', 1, 6), failed('r6', 1, 200), run('t1', 1, 7, { mode: 'test' })];
    for (const record of records) await store.save(record);
    await store.compact();

    // ACT: a fresh process, as the CLI is
    const report = await open().stats(CLI_QUERY);

    // ASSERT: the figures written by hand
    expect(await dayFiles()).toEqual(['2026-03-01.json', '2026-03-02.json']);
    expect(report.runs).toBe(6);
    const [flow] = report.flows;
    expect(flow).toMatchObject({ flowId: 'triage', runs: 6, completed: 4, failed: 2, successRatio: 4 / 6, retries: 4, inputTokens: 400, outputTokens: 80, costUsd: 0.004 });
    expect(flow.failures).toEqual([{ code: 'http-status', nodeId: 'fetch', message: 'HTTP 503 from api.example.test', count: 2 }]);
    expect(flow.models).toEqual([{ model: 'gpt-4o-mini', calls: 4, inputTokens: 400, outputTokens: 80, costUsd: 0.004 }]);
    expect(flow.nodes.find((n) => n.nodeId === 'fetch')).toMatchObject({ runs: 6, failed: 2, retries: 4, totalMs: 4 * 200 + 2 * 3000 });
    expect(flow.slowestNodes[0]).toMatchObject({ nodeId: 'fetch', totalMs: 6800 });
    expect(flow.p50Ms! / 1000).toBeCloseTo(1, 1);
    expect(flow.p95Ms! / 3000).toBeCloseTo(1, 1);
    // The same numbers as the aggregation over each run's digest (test runs left out as the CLI does)
    const fromDigests = await open().stats({ excludeMode: 'test', untilMs: Date.now() });
    expect(report.flows).toEqual(fromDigests.flows);
  });

  it('counts runs recorded since the last compaction at once, and once only after the next', async () => {
    // ARRANGE
    const store = open();
    await store.save(run('r1', 0, 1));
    await store.compact();
    // ACT: two more runs, in the journal only
    await store.save(failed('r2', 0, 2));
    await store.save(run('r3', 3, 2));
    await store.flush();
    const before = await open().stats(CLI_QUERY);
    await store.compact();
    const after = await open().stats(CLI_QUERY);
    // ASSERT
    expect(before.flows[0]).toMatchObject({ runs: 3, failed: 1 });
    expect(after.flows[0]).toMatchObject({ runs: 3, failed: 1 });
    expect(await dayFiles()).toEqual(['2026-03-01.json', '2026-03-04.json']);
  });

  it('keeps the buckets consistent with retention: pruned runs leave their hours, and emptied days go', async () => {
    // ARRANGE: 5 runs on 5 days, the 2 oldest failed; retention keeps 3 per flow
    const store = open({ retentionPerFlow: 3 });
    for (const record of [failed('r1', 0, 1), failed('r2', 1, 1), run('r3', 2, 1), run('r4', 3, 1), run('r5', 4, 1)]) await store.save(record);
    await store.flush();
    expect((await store.stats(CLI_QUERY)).flows[0]).toMatchObject({ runs: 5, failed: 2 });
    // ACT
    const result = await store.compact();
    // ASSERT
    expect(result.pruned.sort()).toEqual(['r1', 'r2']);
    expect(await dayFiles()).toEqual(['2026-03-03.json', '2026-03-04.json', '2026-03-05.json']);
    const report = await open().stats(CLI_QUERY);
    expect(report.flows[0]).toMatchObject({ runs: 3, failed: 0, successRatio: 1, retries: 0, failures: [] });
    expect(report.flows[0].nodes.find((n) => n.nodeId === 'fetch')).toMatchObject({ runs: 3, totalMs: 600 });
  });

  it('rewrites only the day files whose runs changed', async () => {
    // ARRANGE
    const store = open();
    await store.save(run('r1', 0, 1));
    await store.compact();
    const first = await stat(join(dir, 'rollup', 'f-triage', '2026-03-01.json'));
    // ACT: a run on another day
    await store.save(run('r2', 5, 1));
    await store.compact();
    // ASSERT: the old day's file is the same file, the new day has one
    const again = await stat(join(dir, 'rollup', 'f-triage', '2026-03-01.json'));
    expect(again.ino).toBe(first.ino);
    expect(again.mtimeMs).toBe(first.mtimeMs);
    expect(await dayFiles()).toEqual(['2026-03-01.json', '2026-03-06.json']);
  });

  it('counts the runs of a day the window ends in (a window ending now, mid-day)', async () => {
    // ARRANGE: runs at 00:01 and 01:00 of the second day, one the day before
    const store = open();
    for (const record of [run('r1', 0, 600), run('r2', 1, 1), run('r3', 1, 60)]) await store.save(record);
    await store.compact();
    // ACT: the 24 hours up to 03:00 of the second day
    const until = START + DAY + 3 * 3_600_000;
    const report = await open().insights({ sinceMs: until - DAY, untilMs: until });
    // ASSERT
    expect(report.runs).toBe(3);
    expect(report.trends.triage.filter((p) => p.runs > 0).map((p) => new Date(p.startMs).toISOString().slice(5, 13))).toEqual(['03-01T10', '03-02T00', '03-02T01']);
  });

  it('keeps to the window in whole hours and gives a trend with a point per step', async () => {
    // ARRANGE
    const store = open();
    for (const record of [run('r1', 0, 1), run('r2', 0, 61), failed('r3', 0, 62), run('r4', 1, 1)]) await store.save(record);
    await store.compact();
    // ACT: the first day only, hour by hour
    const insights = await open().insights({ sinceMs: START, untilMs: START + DAY });
    // ASSERT
    expect(insights.runs).toBe(3);
    expect(insights.stepMs).toBe(3_600_000);
    const trend = insights.trends.triage;
    expect(trend).toHaveLength(24);
    expect(trend.slice(0, 3).map((p) => [p.runs, p.failed])).toEqual([
      [1, 0],
      [2, 1],
      [0, 0],
    ]);
    const manifest = JSON.parse(await readFile(join(dir, 'rollup', 'manifest.json'), 'utf8')) as { runs: unknown[] };
    expect(manifest.runs).toEqual([]);
  });
});
