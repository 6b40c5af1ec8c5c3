// What a `202` promises, against the built `weft serve` as a real process: a flow with `respond: ack` under load
// from 50 keep-alive connections, the server killed with SIGKILL while requests are in flight, then started again.
// Every request that was answered 202 must have its run in history, and every such run must end completed (the
// ones cut short by the kill are found interrupted and resumed by the second start, as spec section 5 says).
// History is written in group commits (historyStore.ts): this is the test that a batch is answered only once it
// is written.

import { Agent, request as httpRequest } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/engine/history/historyStore';
import { assertCliBuilt, makeWorkspace, startCli, waitFor, type CliProcess } from './runCli';

const CONNECTIONS = 50;
/** The kill comes once this many requests have been acknowledged: mid-load, whatever the machine's speed. */
const ACKED_BEFORE_KILL = 400;

interface Outcome {
  acked: string[];
  /** Requests that failed because the server died (connection reset or refused). */
  cut: number;
}

function post(url: URL, agent: Agent, path: string, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
      },
      (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (text += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/**
 * 50 loops, each sending its next request when the last is answered, until the server is gone. `onAck` is told
 * of each 202 (with how many so far), so the caller can kill the server at a given point.
 */
async function loadUntilDown(url: URL, onAck: (count: number) => void): Promise<Outcome> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const acked: string[] = [];
  let cut = 0;
  let n = 0;
  const loop = async (): Promise<void> => {
    for (;;) {
      let reply;
      try {
        reply = await post(url, agent, '/hooks/durable', JSON.stringify({ n: n++ }));
      } catch {
        cut++;
        return; // the server died: this connection is done
      }
      if (reply.status !== 202) throw new Error(`a request was answered ${reply.status}: ${reply.text}`);
      acked.push((JSON.parse(reply.text) as { executionId: string }).executionId);
      onAck(acked.length);
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, loop));
  agent.destroy();
  return { acked, cut };
}

describe('weft serve history under kill -9', () => {
  let ws: { dir: string; remove: () => Promise<void> };
  const running: CliProcess[] = [];

  beforeAll(async () => {
    assertCliBuilt();
    ws = await makeWorkspace('history-durability');
    await mkdir(join(ws.dir, 'flows'));
    // A short wait, so that at any moment some acknowledged runs are still running: the kill cuts them short.
    const flow = {
      version: 1,
      id: 'durable',
      triggers: [{ type: 'webhook', respond: 'ack' }],
      nodes: [
        { id: 'pause', type: 'wait', config: { ms: 30 } },
        { id: 'out', type: 'transform', config: { output: { n: '{{ trigger.n }}' } } },
      ],
      edges: [{ from: 'pause', to: 'out' }],
    };
    await writeFile(join(ws.dir, 'flows', 'durable.flow.json'), JSON.stringify(flow));
  });

  afterAll(async () => {
    for (const cli of running) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    await ws?.remove();
  });

  async function serve(): Promise<{ cli: CliProcess; url: URL }> {
    const cli = startCli(['serve', 'flows', '--port', '0', '--rate-limit', '0'], { cwd: ws.dir, timeoutMs: 120_000 });
    running.push(cli);
    const url = await waitFor('weft serve to print its URL', async () => /on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stdout())?.[1], 30_000);
    return { cli, url: new URL(url) };
  }

  it('keeps every acknowledged run when killed mid-load, and the next start completes the interrupted ones', async () => {
    // ARRANGE
    const first = await serve();
    // ACT: SIGKILL once enough requests are acknowledged, while 50 more are in flight
    let killed = false;
    const outcome = await loadUntilDown(first.url, (count) => {
      if (count >= ACKED_BEFORE_KILL && !killed) {
        killed = true;
        first.cli.child.kill('SIGKILL');
      }
    });
    expect((await first.cli.result).signal).toBe('SIGKILL');
    const store = HistoryStore.open({ dir: join(ws.dir, '.weft') });
    const found = await Promise.all(outcome.acked.map((id) => store.get(id)));
    // Checked before the restart, which could not bring back a lost run: saying which were lost is the point.
    expect(outcome.acked.filter((_, i) => found[i] === undefined)).toEqual([]);
    const second = await serve();
    const acked = new Set(outcome.acked);
    const finished = await waitFor(
      'every acknowledged run to be completed, itself or by its resume',
      async () => {
        const summaries = await store.list({ flowId: 'durable', limit: 100_000 });
        const completed = new Set<string>();
        for (const s of summaries) {
          if (s.status !== 'completed') continue;
          completed.add(s.id);
          if (s.resumedFrom !== undefined) completed.add(s.resumedFrom);
        }
        return outcome.acked.every((id) => completed.has(id)) ? summaries : undefined;
      },
      60_000,
    );
    second.cli.child.kill('SIGTERM');
    const exit = await second.cli.result;
    // ASSERT
    expect(outcome.acked.length).toBeGreaterThanOrEqual(ACKED_BEFORE_KILL);
    expect(outcome.cut).toBeGreaterThan(0); // the kill did land mid-load
    expect(found.every((record) => record !== undefined && acked.has(record.id))).toBe(true);
    // No acknowledged run ran twice: at most one completed run per acknowledged request.
    const resumes = finished.filter((s) => s.resumedFrom !== undefined && acked.has(s.resumedFrom) && s.status === 'completed');
    expect(new Set(resumes.map((s) => s.resumedFrom)).size).toBe(resumes.length);
    expect(exit.code).toBe(0);
    await store.close();
  }, 180_000);
});
