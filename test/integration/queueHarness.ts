// Queue mode as users run it, for the queue tests: a real Redis (test/support/redisServer.ts), `weft serve --queue`
// and `weft worker` as real processes of the built CLI, and a load generator that sends webhook requests over a
// fixed number of connections. The cluster owns every process and directory it starts: `stop()` kills what is
// left and removes them, even after a failed test.

import { Agent, request as httpRequest } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { RunRecord } from '../../src/engine/run/runRecord';
import { startRedis, type RedisServer } from '../support/redisServer';
import { assertCliBuilt, makeWorkspace, startCli, waitFor, type CliProcess } from './runCli';

export interface Reply {
  status: number;
  json: unknown;
  headers: Record<string, string | string[] | undefined>;
}

/** Environment for workers in tests: a dead worker's jobs are found stalled within seconds, not a minute. */
export const FAST_STALL_ENV = { WEFT_QUEUE_LOCK_MS: '4000', WEFT_QUEUE_STALLED_MS: '1500' };

export class QueueCluster {
  readonly processes: CliProcess[] = [];
  private stores: HistoryStore[] = [];

  private constructor(
    readonly redis: RedisServer,
    readonly dir: string,
    private readonly removeDir: () => Promise<void>,
  ) {}

  static async start(name: string): Promise<QueueCluster> {
    assertCliBuilt();
    const redis = await startRedis();
    try {
      const ws = await makeWorkspace(name);
      return new QueueCluster(redis, ws.dir, ws.remove);
    } catch (error) {
      await redis.stop();
      throw error;
    }
  }

  async writeFlows(sub: string, flows: Record<string, object | string>): Promise<string> {
    const dir = join(this.dir, sub);
    await mkdir(dir, { recursive: true });
    for (const [name, definition] of Object.entries(flows)) {
      await writeFile(join(dir, name), typeof definition === 'string' ? definition : JSON.stringify(definition, null, 2));
    }
    return dir;
  }

  /** `weft serve <flows> --queue` on a free port; resolves with its URL once it serves. */
  async serve(flows: string, options: { history?: string; env?: Record<string, string>; port?: number } = {}): Promise<{ cli: CliProcess; url: string }> {
    const args = ['serve', flows, '--port', String(options.port ?? 0), '--queue', this.redis.url, '--history', options.history ?? '.weft', '--rate-limit', '0'];
    const cli = startCli(args, { cwd: this.dir, timeoutMs: 600_000, env: options.env });
    this.processes.push(cli);
    const url = await waitFor('weft serve --queue to print its URL', async () => {
      if (cli.child.exitCode !== null) throw new Error(`weft serve exited ${cli.child.exitCode}:\n${cli.stdout()}\n${cli.stderr()}`);
      return /on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stdout())?.[1];
    }, 30_000);
    return { cli, url };
  }

  /** `weft worker <flows> --queue`; resolves once it is connected and taking jobs. */
  async worker(flows: string, options: { concurrency?: number; env?: Record<string, string> } = {}): Promise<CliProcess> {
    const args = ['worker', flows, '--queue', this.redis.url, '--concurrency', String(options.concurrency ?? 10)];
    const cli = startCli(args, { cwd: this.dir, timeoutMs: 600_000, env: { ...FAST_STALL_ENV, ...options.env } });
    this.processes.push(cli);
    await waitFor('weft worker to start', async () => {
      if (cli.child.exitCode !== null) throw new Error(`weft worker exited ${cli.child.exitCode}:\n${cli.stdout()}\n${cli.stderr()}`);
      return cli.stdout().includes('weft worker ') ? true : undefined;
    }, 30_000);
    return cli;
  }

  /** The history a serve writes (opened for reading; closed by stop()). */
  history(dir = '.weft'): HistoryStore {
    const store = HistoryStore.open({ dir: join(this.dir, dir) });
    this.stores.push(store);
    return store;
  }

  async stop(): Promise<void> {
    for (const cli of this.processes) if (cli.child.exitCode === null && cli.child.signalCode === null) cli.child.kill('SIGKILL');
    await Promise.allSettled(this.processes.map((cli) => cli.result));
    await Promise.allSettled(this.stores.map((store) => store.close()));
    await this.redis.stop();
    await this.removeDir();
  }
}

/** A graceful stop (SIGTERM), resolving with the exit code. */
export async function stopGracefully(cli: CliProcess): Promise<number | null> {
  cli.child.kill('SIGTERM');
  return (await cli.result).code;
}

export function post(base: string, path: string, body: unknown, agent?: Agent): Promise<Reply> {
  const url = new URL(base);
  const text = Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      { host: url.hostname, port: url.port, path, method: 'POST', agent: agent ?? false, headers: { 'content-type': 'application/json', 'content-length': String(text.length) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const raw = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = raw === '' ? undefined : JSON.parse(raw);
          } catch {
            json = raw;
          }
          resolve({ status: response.statusCode ?? 0, json, headers: response.headers });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(text);
  });
}

/**
 * Sends `count` requests over `connections` kept-alive connections; `onReply` sees each reply as it comes (the
 * index and how many have come). A request whose connection fails counts as status 0.
 */
export async function load(
  base: string,
  path: string,
  count: number,
  connections: number,
  onReply?: (reply: Reply, done: number) => void | Promise<void>,
): Promise<Reply[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const replies: Reply[] = new Array<Reply>(count);
  let next = 0;
  let done = 0;
  const lane = async (): Promise<void> => {
    while (next < count) {
      const index = next++;
      let reply: Reply;
      try {
        reply = await post(base, path, { n: index }, agent);
      } catch {
        reply = { status: 0, json: undefined, headers: {} };
      }
      replies[index] = reply;
      done++;
      await onReply?.(reply, done);
    }
  };
  try {
    await Promise.all(Array.from({ length: connections }, lane));
  } finally {
    agent.destroy();
  }
  return replies;
}

/** Waits until every id has a final record in `store` with one of `statuses`; returns the records. */
export async function waitForFinal(store: HistoryStore, ids: readonly string[], what: string, timeoutMs = 120_000): Promise<Map<string, RunRecord>> {
  const records = new Map<string, RunRecord>();
  await waitFor(
    what,
    async () => {
      const summaries = new Map((await store.list({ limit: 1_000_000 })).map((s) => [s.id, s]));
      for (const id of ids) {
        if (records.has(id)) continue;
        const summary = summaries.get(id);
        if (!summary || summary.status === 'running') continue;
        const record = await store.get(id);
        if (record && record.status !== 'running') records.set(id, record);
      }
      return records.size === ids.length ? true : undefined;
    },
    timeoutMs,
    200,
  );
  return records;
}
