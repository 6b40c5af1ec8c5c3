// Runs of this node: a node's executions across history, newest first, paged, filtered by the node's status,
// from the index alone (no run file read), before and after compaction.

import { mkdtemp, readdir, rm, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../../../src/engine/history/historyStore';
import type { NodeRecord, RunRecord } from '../../../../src/engine/run/runRecord';

let dir: string;
const stores: HistoryStore[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-node-runs-'));
});
afterEach(async () => {
  for (const store of stores.splice(0)) await store.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

function open(): HistoryStore {
  const store = HistoryStore.open({ dir });
  stores.push(store);
  return store;
}

const at = (minute: number): string => new Date(Date.UTC(2026, 2, 1, 0, minute)).toISOString();

/** A run of flow `flowId`: `fetch` then `ask`; `fetch` fails when `failed`. */
function run(id: string, minute: number, options: { failed?: boolean; flowId?: string; skipAsk?: boolean } = {}): RunRecord {
  const fetch: NodeRecord = options.failed
    ? { status: 'failed', attempts: 3, durationMs: 300, error: { message: 'HTTP 503 from api.example.test', code: 'http-status' } }
    : { status: 'completed', attempts: 1, durationMs: 120 };
  return {
    id,
    flowId: options.flowId ?? 'triage',
    flowHash: 'h',
    status: options.failed ? 'failed' : 'completed',
    mode: 'run',
    trigger: { type: 'manual' },
    input: {},
    startedAt: at(minute),
    finishedAt: at(minute + 1),
    durationMs: 1000,
    ...(options.failed ? { error: { message: 'HTTP 503 from api.example.test', code: 'http-status', nodeId: 'fetch' } } : {}),
    nodes: { fetch, ask: options.failed || options.skipAsk ? { status: 'skipped', attempts: 0 } : { status: 'completed', attempts: 1, durationMs: 800 } },
  };
}

describe('HistoryStore.nodeRuns', () => {
  it('lists the node’s executions newest first with status, duration, attempts and the error, from the index alone', async () => {
    // ARRANGE
    const store = open();
    for (const record of [run('r1', 1), run('r2', 2, { failed: true }), run('o1', 3, { flowId: 'other' }), run('r3', 4)]) await store.save(record);
    await store.flush();
    for (const name of await readdir(join(dir, 'runs'))) await unlink(join(dir, 'runs', name));
    // ACT
    const page = await open().nodeRuns({ flowId: 'triage', nodeId: 'fetch' });
    // ASSERT
    expect(page.more).toBe(false);
    expect(page.runs).toEqual([
      { runId: 'r3', runStatus: 'completed', mode: 'run', status: 'completed', startedAt: at(4), durationMs: 120, attempts: 1 },
      { runId: 'r2', runStatus: 'failed', mode: 'run', status: 'failed', startedAt: at(2), durationMs: 300, attempts: 3, errorCode: 'http-status', error: 'HTTP 503 from api.example.test' },
      { runId: 'r1', runStatus: 'completed', mode: 'run', status: 'completed', startedAt: at(1), durationMs: 120, attempts: 1 },
    ]);
  });

  it('leaves out runs where the node did not run, filters by the node’s status, and pages', async () => {
    // ARRANGE
    const store = open();
    const records = Array.from({ length: 7 }, (_, i) => run(`r${i}`, i, { failed: i % 3 === 0 }));
    for (const record of records) await store.save(record);
    await store.flush();
    await store.compact(); // digests now in digests.json
    await store.save(run('late', 30, { failed: true }));
    await store.flush();
    // ACT
    const askRuns = await store.nodeRuns({ flowId: 'triage', nodeId: 'ask' });
    const failed = await store.nodeRuns({ flowId: 'triage', nodeId: 'fetch', status: ['failed'] });
    const first = await store.nodeRuns({ flowId: 'triage', nodeId: 'fetch', limit: 3 });
    const second = await store.nodeRuns({ flowId: 'triage', nodeId: 'fetch', limit: 3, offset: 3 });
    // ASSERT
    expect(askRuns.runs.map((r) => r.runId)).toEqual(['r5', 'r4', 'r2', 'r1']);
    expect(failed.runs.map((r) => r.runId)).toEqual(['late', 'r6', 'r3', 'r0']);
    expect(first).toMatchObject({ more: true });
    expect(first.runs.map((r) => r.runId)).toEqual(['late', 'r6', 'r5']);
    expect(second.runs.map((r) => r.runId)).toEqual(['r4', 'r3', 'r2']);
  });
});
