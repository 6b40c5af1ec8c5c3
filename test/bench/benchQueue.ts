// `npm run bench` (queue part): queue mode's speed on this machine. For 1, 2 and 4 workers: a real Redis
// (append-only), the built `weft serve --queue` and `weft worker` processes, a 5-node flow behind an `ack` webhook,
// driven from this process at 50 keep-alive connections. Measures the ack latency as the client sees it (p50, p99)
// and runs per second (from the first request to the last run's final record in the serve's history, so the relay
// is included). Then Redis round trips per run: the same setup with every Redis connection of the serve and the
// worker through a counting TCP proxy (one client write = one round trip: a pipeline is one write), at 50
// connections and one request at a time. BullMQ's own commands, its blocking polls and the relay's reads are all
// counted. Prints numbers beside the budget (10 round trips per run); never fails on them: read them. Everything
// shares the machine's cores with the load generator: scaling past the core count is not expected.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { Agent } from 'node:http';
import { post } from './postJson';
import { createConnection, createServer, type Server } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { HistoryStore } from '../../src/engine/history/historyStore';
import { freePort } from '../support/freePort';
import { startRedis, type RedisServer } from '../support/redisServer';

const CONCURRENCY = 50;
const WARMUP = 300;
const MEASURED = 2000;
const CLI = resolve(__dirname, 'cli.js');
const ROUND_TRIP_BUDGET = 10;

// Spread over 10 copies: history keeps 1,000 runs per flow (retention), and every measured run must be found.
const FLOWS = 10;
const fiveNodeFlow = (k: number): object => ({
  version: 1,
  id: `five-${k}`,
  triggers: [{ type: 'webhook', path: `five-${k}`, respond: 'ack' }],
  nodes: ['a', 'b', 'c', 'd', 'e'].map((id) => ({ id, type: 'transform', config: { output: { n: '{{ input.n }}', at: id } } })),
  edges: ['b', 'c', 'd', 'e'].map((id, i) => ({ from: ['a', 'b', 'c', 'd'][i], to: id })),
});


async function load(port: number, count: number, connections: number): Promise<{ latencies: number[]; ids: string[] }> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const latencies: number[] = [];
  const ids: string[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const n = next++;
      const started = performance.now();
      const reply = await post(port, agent, `/hooks/five-${n % FLOWS}`, JSON.stringify({ n }));
      latencies.push(performance.now() - started);
      if (reply.executionId) ids.push(reply.executionId);
    }
  };
  await Promise.all(Array.from({ length: connections }, lane));
  agent.destroy();
  return { latencies, ids };
}

function progress(message: string): void {
  if (process.env.WEFT_BENCH_VERBOSE) console.error(`  … ${message}`);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** Counts client writes towards Redis: each is one round trip (a pipeline is written at once). */
class CountingProxy {
  writes = 0;
  private server: Server | undefined;
  port = 0;
  constructor(private readonly target: number) {}
  async start(): Promise<void> {
    this.port = await freePort();
    this.server = createServer((client) => {
      const upstream = createConnection({ host: '127.0.0.1', port: this.target });
      client.setNoDelay(true);
      upstream.setNoDelay(true);
      client.on('data', (chunk) => {
        this.writes++;
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => client.write(chunk));
      const end = (): void => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
    });
    await new Promise<void>((done) => this.server!.listen(this.port, '127.0.0.1', done));
  }
  async stop(): Promise<void> {
    await new Promise<void>((done) => this.server?.close(() => done()));
  }
}

interface Setup {
  redis: RedisServer;
  dir: string;
  port: number;
  children: ChildProcess[];
  history: HistoryStore;
}

/** Serve and workers on `redis`, reached through `redisPort` (a proxy's) when given. */
async function startSetup(workers: number, redis: RedisServer, redisPort = redis.port): Promise<Setup> {
  const dir = await mkdtemp(join(tmpdir(), 'weft-bench-queue-'));
  await mkdir(join(dir, 'flows'));
  for (let k = 0; k < FLOWS; k++) await writeFile(join(dir, 'flows', `five-${k}.flow.json`), JSON.stringify(fiveNodeFlow(k)));
  const url = `redis://127.0.0.1:${redisPort}`;
  const port = await freePort();
  const spawnCli = (args: string[]): ChildProcess => spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const children: ChildProcess[] = [];
  const kill = (): void => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
  };
  process.once('exit', kill);
  const serve = spawnCli(['serve', 'flows', '--port', String(port), '--queue', url, '--rate-limit', '0', '--history', '.weft']);
  children.push(serve);
  await waitForOutput(serve, 'status:');
  for (let i = 0; i < workers; i++) {
    const worker = spawnCli(['worker', 'flows', '--queue', url, '--concurrency', '10']);
    children.push(worker);
    await waitForOutput(worker, 'weft worker ');
  }
  return { redis, dir, port, children, history: HistoryStore.open({ dir: join(dir, '.weft') }) };
}

function waitForOutput(child: ChildProcess, text: string): Promise<void> {
  return new Promise((done, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`no "${text}" from the CLI: ${seen}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(text)) {
        clearTimeout(timer);
        done();
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (seen += chunk.toString()));
  });
}

async function stopSetup(setup: Setup): Promise<void> {
  for (const child of setup.children) child.kill('SIGTERM');
  await Promise.all(setup.children.map((child) => new Promise((done) => (child.exitCode !== null ? done(undefined) : child.once('exit', done)))));
  await setup.history.close();
  await setup.redis.stop();
  await rm(setup.dir, { recursive: true, force: true });
}

/** Resolves once every id is final in the serve's history. */
async function allFinal(history: HistoryStore, ids: readonly string[]): Promise<void> {
  const wanted = new Set(ids);
  for (;;) {
    const done = (await history.list({ limit: 1_000_000 })).filter((summary) => wanted.has(summary.id) && summary.status === 'completed').length;
    progress(`${done} of ${wanted.size} recorded`);
    if (done === wanted.size) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 250));
  }
}

async function measureWorkers(workers: number): Promise<{ workers: number; p50: number; p99: number; runsPerSecond: number; accepted: number }> {
  const setup = await startSetup(workers, await startRedis());
  try {
    const warm = await load(setup.port, WARMUP, CONCURRENCY);
    progress(`${workers} worker(s): warm-up sent (${warm.ids.length} accepted)`);
    await allFinal(setup.history, warm.ids);
    progress('warm-up recorded');
    const started = performance.now();
    const measured = await load(setup.port, MEASURED, CONCURRENCY);
    progress(`measured requests answered in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    await allFinal(setup.history, measured.ids);
    progress(`measured runs recorded in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const seconds = (performance.now() - started) / 1000;
    return { workers, p50: percentile(measured.latencies, 50), p99: percentile(measured.latencies, 99), runsPerSecond: measured.ids.length / seconds, accepted: measured.ids.length };
  } finally {
    await stopSetup(setup);
  }
}

/** Commands Redis has processed so far (INFO stats), over a connection of the bench's own. */
async function commandsProcessed(port: number): Promise<number> {
  const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true });
  await redis.connect();
  const info = await redis.info('stats');
  redis.disconnect();
  return Number(/total_commands_processed:(\d+)/.exec(info)?.[1] ?? NaN);
}

async function measureRoundTrips(connections: number, runs: number): Promise<{ roundTrips: number; commands: number }> {
  const redis = await startRedis();
  const proxy = new CountingProxy(redis.port);
  await proxy.start();
  const setup = await startSetup(1, redis, proxy.port);
  try {
    const warm = await load(setup.port, 100, connections);
    await allFinal(setup.history, warm.ids);
    const before = proxy.writes;
    const commandsBefore = await commandsProcessed(redis.port);
    const measured = await load(setup.port, runs, connections);
    await allFinal(setup.history, measured.ids);
    const commands = (await commandsProcessed(redis.port)) - commandsBefore - 1;
    return { roundTrips: (proxy.writes - before) / measured.ids.length, commands: commands / measured.ids.length };
  } finally {
    await stopSetup(setup);
    await proxy.stop();
  }
}

async function main(): Promise<void> {
  console.log(`\nQueue mode (weft serve --queue + weft worker, Redis append-only, a 5-node flow, ${CONCURRENCY} connections, ${cpus().length} cores)`);
  const rows = [];
  for (const workers of [1, 2, 4]) rows.push(await measureWorkers(workers));
  for (const row of rows) {
    console.log(
      `  ${row.workers} worker${row.workers === 1 ? ' ' : 's'}: ${row.runsPerSecond.toFixed(0).padStart(5)} runs/s   ack p50 ${row.p50.toFixed(1)} ms   p99 ${row.p99.toFixed(1)} ms   (${row.accepted} runs)`,
    );
  }
  const base = rows[0].runsPerSecond;
  console.log(`  scaling vs 1 worker: ${rows.map((row) => `${row.workers}: ${(row.runsPerSecond / base).toFixed(2)}x`).join('  ')}`);
  const underLoad = await measureRoundTrips(CONCURRENCY, 1000);
  const alone = await measureRoundTrips(1, 100);
  console.log(
    `  Redis round trips per run (serve + 1 worker, everything counted): ${underLoad.roundTrips.toFixed(1)} at ${CONCURRENCY} connections, ${alone.roundTrips.toFixed(1)} one at a time (budget ${ROUND_TRIP_BUDGET}); commands per run ${underLoad.commands.toFixed(1)} and ${alone.commands.toFixed(1)}`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
