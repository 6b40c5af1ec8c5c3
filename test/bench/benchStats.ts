// `npm run bench` (stats part): `weft stats` over 100,000 recorded runs (issue 13: under 500 ms).
//
// Builds 100,000 ended runs' summaries with their digests (6 flows of 3 to 8 nodes, ai usage on some, failures and
// retries on some, spread over 30 days), then times:
// - the aggregation alone over the digests in memory (what a long-lived process, the editor, pays per query);
// - a cold `weft stats` as the CLI runs it: a fresh HistoryStore over the digests.json a compaction leaves for
//   those runs (parse it, then aggregate), which is what a user waits for;
// - a cold `weft history` over the index.json beside it, which the digests are kept out of.
// Prints the numbers and their ratio to the budget; never fails.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { IndexFileData } from '../../src/engine/history/indexView';
import { aggregateStats } from '../../src/engine/history/runStats';
import { indexedRun, statsFields, summarize, withoutDigest } from '../../src/engine/history/runSummary';
import { writeRollup } from '../../src/engine/history/statsRollup';
import type { NodeRecord, RunRecord } from '../../src/engine/run/runRecord';

const RUNS = 100_000;
const FLOWS = 6;
const DAYS = 30;
const BUDGET_MS = 500;
const REPEATS = 5;

function makeRecords(): RunRecord[] {
  let seed = 42;
  const random = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  const end = Date.UTC(2026, 11, 1);
  const records: RunRecord[] = [];
  for (let i = 0; i < RUNS; i++) {
    const flow = i % FLOWS;
    const startedMs = end - Math.floor(random() * DAYS * 86_400_000);
    const failed = random() < 0.08;
    const nodes: Record<string, NodeRecord> = {};
    let total = 0;
    const count = 3 + flow;
    for (let n = 0; n < count; n++) {
      const durationMs = Math.round(Math.exp(random() * 8));
      total += durationMs;
      const node: NodeRecord = { status: failed && n === count - 1 ? 'failed' : 'completed', attempts: random() < 0.05 ? 2 : 1, durationMs };
      if (n === 1) node.usage = { model: flow % 2 === 0 ? 'gpt-4o-mini' : 'gpt-5-nano', inputTokens: 200 + n, outputTokens: 40, costUsd: 0.00005 };
      if (node.status === 'failed') node.error = { message: `HTTP ${random() < 0.5 ? 503 : 429} from api.example.test`, code: 'http-status' };
      nodes[`node${n}`] = node;
    }
    records.push({
      id: `run-${i.toString(36)}`,
      flowId: `flow-${flow}`,
      flowHash: 'h',
      status: failed ? 'failed' : 'completed',
      mode: 'run',
      trigger: { type: 'webhook' },
      input: { orderId: `A-${i}` },
      startedAt: new Date(startedMs).toISOString(),
      finishedAt: new Date(startedMs + total).toISOString(),
      durationMs: total,
      nodes,
      ...(failed ? { error: { message: 'HTTP 503 from api.example.test', code: 'http-status', nodeId: `node${count - 1}` } } : {}),
    });
  }
  return records;
}

async function coldListings(dir: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const store = HistoryStore.open({ dir });
    const start = performance.now();
    await store.list({ limit: 50 });
    times.push(performance.now() - start);
    await store.close();
  }
  return times;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

function line(label: string, ms: number): void {
  console.log(`${label.padEnd(58)} ${ms.toFixed(1).padStart(8)} ms  (${((ms / BUDGET_MS) * 100).toFixed(1)}% of the ${BUDGET_MS} ms budget)`);
}

async function main(): Promise<void> {
  console.log(`weft stats over ${RUNS.toLocaleString('en')} runs (${FLOWS} flows, ${DAYS} days)`);
  const t = Date.now();
  const runs = makeRecords().map((record, i) => indexedRun(summarize(record), t + i));
  const all: number[] = [];
  const week: number[] = [];
  const sinceMs = Date.UTC(2026, 11, 1) - 7 * 86_400_000;
  for (let i = 0; i < REPEATS; i++) {
    let start = performance.now();
    aggregateStats(runs);
    all.push(performance.now() - start);
    start = performance.now();
    aggregateStats(runs, { sinceMs, excludeMode: 'test' });
    week.push(performance.now() - start);
  }
  line('aggregation over the digests in memory, all 30 days', median(all));
  line('aggregation over the digests in memory, --since 7d', median(week));

  const dir = await mkdtemp(join(tmpdir(), 'weft-bench-stats-'));
  try {
    // As a compaction leaves them: index.json without the digests, digests.json with them and stats' fields.
    const index: IndexFileData = { version: 1, folded: {}, runs: runs.map((run) => ({ t: run.t, s: withoutDigest(run.s) })) };
    const digests: IndexFileData = { version: 1, folded: {}, runs: runs.map((run) => ({ t: run.t, s: statsFields(run.s, run.s.digest) })) };
    await mkdir(join(dir, 'runs'), { recursive: true });
    await writeFile(join(dir, 'index.json'), JSON.stringify(index));
    await writeFile(join(dir, 'digests.json'), JSON.stringify(digests));
    const rollupStart = performance.now();
    await writeRollup(dir, digests.runs, {});
    line('writing the hourly rollup from scratch (a compaction rewrites only changed days)', performance.now() - rollupStart);
    const mib = async (name: string): Promise<string> => `${((await stat(join(dir, name))).size / 1048576).toFixed(1)} MiB`;
    const cold: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const store = HistoryStore.open({ dir });
      const start = performance.now();
      const report = await store.stats({ sinceMs, excludeMode: 'test' });
      cold.push(performance.now() - start);
      if (report.flows.length !== FLOWS) throw new Error(`expected ${FLOWS} flows, got ${report.flows.length}`);
      await store.close();
    }
    line(`cold stats --since 7d in a fresh store (rollup: day files of the window + journals)`, median(cold));
    // What a user waits for: the whole `weft stats` process, from spawn to exit (Node start, the CLI bundle, the query).
    const cli = join(__dirname, 'cli.js');
    if (existsSync(cli)) {
      const processTimes: number[] = [];
      for (let i = 0; i < REPEATS; i++) {
        const start = performance.now();
        const result = spawnSync(process.execPath, [cli, 'stats', '--history', dir, '--since', '7d'], { encoding: 'utf8' });
        processTimes.push(performance.now() - start);
        if (result.status !== 0) throw new Error(`weft stats failed: ${result.stderr}`);
      }
      line('cold `weft stats --since 7d` CLI process, end to end', median(processTimes));
      const bare = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8' });
      const startTimes: number[] = [];
      for (let i = 0; i < REPEATS && bare.status === 0; i++) {
        const start = performance.now();
        spawnSync(process.execPath, [cli, '--help']);
        startTimes.push(performance.now() - start);
      }
      if (startTimes.length > 0) line('  of which: `weft --help` (Node and the CLI bundle starting)', median(startTimes));
    }
    await rm(join(dir, 'rollup'), { recursive: true, force: true });
    const coldDigests: number[] = [];
    for (let i = 0; i < REPEATS; i++) {
      const store = HistoryStore.open({ dir });
      const start = performance.now();
      await store.stats({ sinceMs, excludeMode: 'test' });
      coldDigests.push(performance.now() - start);
      await store.close();
    }
    line(`without the rollup: digests.json ${await mib('digests.json')}, parse + aggregate`, median(coldDigests));
    // The other readers of the index do not pay for the digests: a cold `weft history`.
    line(`cold weft history --limit 50 (index.json ${await mib('index.json')})`, median(await coldListings(dir)));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
