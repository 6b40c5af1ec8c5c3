import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../../src/engine/history/historyStore';
import { aggregateStats } from '../../../../src/engine/history/runStats';
import { indexedRun, summarize } from '../../../../src/engine/history/runSummary';
import type { NodeRecord, RunRecord } from '../../../../src/engine/run/runRecord';

let dir: string;
const stores: HistoryStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-stats-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

/** An ISO time `minute` minutes into 2026-03-01. */
function at(minute: number): string {
  return new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString();
}

function node(fields: Partial<NodeRecord> = {}): NodeRecord {
  return { status: 'completed', attempts: 1, durationMs: 100, ...fields };
}

/** A triage run: `fetch` (http) then `ask` (ai, gpt-4o-mini: 100 in, 20 out, $0.001). */
function run(id: string, minute: number, fields: Partial<RunRecord> = {}, nodes: Record<string, NodeRecord> = {}): RunRecord {
  return {
    id,
    flowId: 'triage',
    flowHash: 'h',
    status: 'completed',
    mode: 'run',
    trigger: { type: 'manual' },
    input: {},
    startedAt: at(minute),
    finishedAt: at(minute + 1),
    durationMs: 1000,
    nodes: {
      fetch: node({ durationMs: 200 }),
      ask: node({ durationMs: 800, usage: { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 20, costUsd: 0.001 } }),
      ...nodes,
    },
    ...fields,
  };
}

const failedAtFetch = (id: string, minute: number, message = 'HTTP 503 from api.example.test'): RunRecord =>
  run(
    id,
    minute,
    { status: 'failed', durationMs: 3000, error: { message, code: 'http-status', nodeId: 'fetch' } },
    { fetch: node({ status: 'failed', attempts: 3, durationMs: 3000, error: { message, code: 'http-status' } }), ask: { status: 'pending', attempts: 0 } },
  );

function statsOf(records: RunRecord[], query: Parameters<typeof aggregateStats>[1] = {}) {
  return aggregateStats(records.map((r) => indexedRun(summarize(r), 1)), query);
}

describe('aggregateStats', () => {
  it('counts runs, success, retries, tokens and cost per flow, per node and per model', () => {
    // ARRANGE: 3 completed runs, 2 failed at fetch after 3 attempts, and one with a second model
    const records = [
      run('r1', 1),
      run('r2', 2),
      run('r3', 3, {}, { summarize: node({ durationMs: 500, usage: { model: 'gpt-5-nano', inputTokens: 10, outputTokens: 5, costUsd: 0.0001 } }) }),
      failedAtFetch('r4', 4),
      failedAtFetch('r5', 5),
    ];

    // ACT
    const report = statsOf(records);

    // ASSERT
    expect(report.runs).toBe(5);
    const [flow] = report.flows;
    expect(flow).toMatchObject({ flowId: 'triage', runs: 5, completed: 3, failed: 2, successRatio: 0.6, retries: 4 });
    expect(flow.inputTokens).toBe(310);
    expect(flow.outputTokens).toBe(65);
    expect(flow.costUsd).toBe(0.0031);
    const fetch = flow.nodes.find((n) => n.nodeId === 'fetch')!;
    expect(fetch).toMatchObject({ runs: 5, failed: 2, successRatio: 0.6, retries: 4, totalMs: 6600, costUsd: 0 });
    const ask = flow.nodes.find((n) => n.nodeId === 'ask')!;
    // A node that never ran (pending after fetch failed) is not counted
    expect(ask).toMatchObject({ runs: 3, failed: 0, inputTokens: 300, outputTokens: 60, costUsd: 0.003, totalMs: 2400 });
    expect(flow.models).toEqual([
      { model: 'gpt-4o-mini', calls: 3, inputTokens: 300, outputTokens: 60, costUsd: 0.003 },
      { model: 'gpt-5-nano', calls: 1, inputTokens: 10, outputTokens: 5, costUsd: 0.0001 },
    ]);
    // Where the time goes: 6600 of 9500 ms in fetch
    expect(flow.slowestNodes.map((n) => [n.nodeId, n.totalMs, Math.round(n.timeShare * 1000)])).toEqual([
      ['fetch', 6600, 695],
      ['ask', 2400, 253],
      ['summarize', 500, 53],
    ]);
    expect(flow.failures).toEqual([{ code: 'http-status', nodeId: 'fetch', message: 'HTTP 503 from api.example.test', count: 2 }]);
  });

  it('gives p50 and p95 of run durations within the histogram error', () => {
    // ARRANGE: durations 1..100 s
    const records = Array.from({ length: 100 }, (_, i) => run(`r${i}`, i, { durationMs: (i + 1) * 1000 }));
    // ACT
    const [flow] = statsOf(records).flows;
    // ASSERT: nearest rank: the 50th and 95th durations
    expect(Math.abs(flow.p50Ms! - 50_000) / 50_000).toBeLessThanOrEqual(0.05);
    expect(Math.abs(flow.p95Ms! - 95_000) / 95_000).toBeLessThanOrEqual(0.05);
  });

  it('keeps to the window, the flow asked for, ended runs, and leaves out the mode excluded', () => {
    // ARRANGE
    const records = [
      run('old', 1),
      run('in1', 10),
      run('in2', 20, { mode: 'test' }),
      run('in3', 30, { status: 'running', durationMs: undefined, finishedAt: undefined }),
      run('other', 40, { flowId: 'billing' }),
    ];
    // ACT
    const report = statsOf(records, { sinceMs: Date.parse(at(5)), excludeMode: 'test' });
    const onlyBilling = statsOf(records, { flowId: 'billing' });
    const untilBefore = statsOf(records, { sinceMs: Date.parse(at(5)), untilMs: Date.parse(at(15)) });
    // ASSERT
    expect(report.flows.map((f) => [f.flowId, f.runs])).toEqual([
      ['billing', 1],
      ['triage', 1],
    ]);
    expect(onlyBilling.flows.map((f) => f.flowId)).toEqual(['billing']);
    expect(untilBefore.runs).toBe(1);
  });

  it('groups failures by code, node and message, most common first', () => {
    const records = [failedAtFetch('a', 1), failedAtFetch('b', 2, 'HTTP 500 from api.example.test'), failedAtFetch('c', 3)];
    const [flow] = statsOf(records).flows;
    expect(flow.failures.map((f) => [f.count, f.message])).toEqual([
      [2, 'HTTP 503 from api.example.test'],
      [1, 'HTTP 500 from api.example.test'],
    ]);
  });
});

describe('HistoryStore.stats', () => {
  function open(options: Partial<Parameters<typeof HistoryStore.open>[0]> = {}): HistoryStore {
    const store = HistoryStore.open({ dir, ...options });
    stores.push(store);
    return store;
  }

  it('aggregates from the index alone: the run files are not read', async () => {
    // ARRANGE
    const store = open();
    for (const record of [run('r1', 1), failedAtFetch('r2', 2)]) await store.save(record);
    await store.flush();
    // ACT: the run files are gone (the index still names them until a compaction)
    for (const name of await readdir(join(dir, 'runs'))) await unlink(join(dir, 'runs', name));
    const report = await open().stats();
    // ASSERT
    expect(report.flows[0]).toMatchObject({ runs: 2, failed: 1, retries: 2, costUsd: 0.001 });
  });

  it('forgets the runs retention removes, after compaction, in this process and another', async () => {
    // ARRANGE: 5 runs, the 2 oldest failed; retention keeps 3 per flow
    const store = open({ retentionPerFlow: 3 });
    for (const record of [failedAtFetch('r1', 1), failedAtFetch('r2', 2), run('r3', 3), run('r4', 4), run('r5', 5)]) await store.save(record);
    await store.flush();
    expect((await store.stats()).flows[0]).toMatchObject({ runs: 5, failed: 2 });
    // ACT
    const result = await store.compact();
    // ASSERT
    expect(result.pruned.sort()).toEqual(['r1', 'r2']);
    for (const report of [await store.stats(), await open().stats()]) {
      expect(report.flows[0]).toMatchObject({ runs: 3, failed: 0, successRatio: 1, retries: 0, failures: [] });
      expect(report.flows[0].nodes.find((n) => n.nodeId === 'fetch')).toMatchObject({ runs: 3, totalMs: 600 });
    }
  });

  it('keeps digests out of index.json after compaction, in digests.json, and gives the same figures from there', async () => {
    // ARRANGE
    const store = open();
    for (const record of [run('r1', 1), failedAtFetch('r2', 2), run('r3', 3)]) await store.save(record);
    await store.flush();
    const before = await store.stats();
    // ACT
    await store.compact();
    await store.save(failedAtFetch('r4', 4)); // after the compaction: in the journal only
    await store.flush();
    // ASSERT
    const index = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8')) as { runs: Array<{ s: { id: string; digest?: unknown } }> };
    const digests = JSON.parse(await readFile(join(dir, 'digests.json'), 'utf8')) as { runs: Array<{ s: { id: string; digest?: unknown } }> };
    expect(index.runs.map((r) => r.s.digest)).toEqual([undefined, undefined, undefined]);
    expect(digests.runs.map((r) => r.s.id).sort()).toEqual(['r1', 'r2', 'r3']);
    expect(digests.runs.every((r) => r.s.digest !== undefined)).toBe(true);
    const fresh = open();
    expect((await fresh.stats({ untilMs: Date.parse(at(4)) })).flows).toEqual(before.flows);
    expect((await fresh.stats()).flows[0]).toMatchObject({ runs: 4, failed: 2, retries: 4 });
    // A second compaction keeps the digests of runs index.json holds without them
    await fresh.compact();
    expect((await open().stats()).flows[0]).toMatchObject({ runs: 4, failed: 2, retries: 4, costUsd: 0.002 });
  });

  it('falls back to the index when digests.json is unreadable: no run is lost from the counts', async () => {
    // ARRANGE
    const store = open();
    for (const record of [run('r1', 1), failedAtFetch('r2', 2)]) await store.save(record);
    await store.compact();
    // ACT
    await writeFile(join(dir, 'digests.json'), '{"version":1,"folded":');
    const report = await open().stats();
    // ASSERT: the run-level figures are all there (node figures need the digests)
    expect(report.flows[0]).toMatchObject({ runs: 2, completed: 1, failed: 1 });
  });

  it('counts a run once, with its final state, however many checkpoints it had', async () => {
    const store = open();
    await store.save(run('r1', 1, { status: 'running', durationMs: undefined }));
    expect((await store.stats()).runs).toBe(0);
    await store.save(failedAtFetch('r1', 1));
    expect((await store.stats()).flows[0]).toMatchObject({ runs: 1, failed: 1 });
  });
});
