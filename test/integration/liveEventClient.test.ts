// The editor's live event client (src/extension/liveMonitor/) against a real `weft serve` in process
// (startLiveServer on 127.0.0.1): it receives a webhook run's events in order with their flow and cursors, reads
// the run's record from the run API, and when the server restarts on the same port it comes back by itself,
// is told its cursor belongs to the old process (stream.reset: the owner reloads from the run API, where the
// first run is), and receives the next run's events.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/engine/history/historyStore';
import { LiveEventClient, type ConnectionState, type StreamEvent } from '../../src/extension/liveMonitor/liveEventClient';
import { RunApiClient } from '../../src/extension/liveMonitor/runApiClient';
import { startLiveServer, type LiveServer } from '../../src/live/liveServer';
import { makeWorkspace } from './runCli';

const FLOW = {
  version: 1,
  id: 'live-orders',
  triggers: [{ type: 'webhook', path: 'live-orders' }],
  nodes: [
    { id: 'receive', type: 'transform', config: { output: { order: '{{ trigger.order }}' } } },
    { id: 'note', type: 'log', config: { message: 'order {{ input.order }}' } },
  ],
  edges: [{ from: 'receive', to: 'note' }],
};

const cleanups: (() => Promise<unknown> | unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until(what: string, condition: () => boolean, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function serve(dir: string, port: number, apiToken?: string): Promise<{ server: LiveServer; history: HistoryStore }> {
  const history = HistoryStore.open({ dir: join(dir, '.weft') });
  const server = await startLiveServer({ dir: join(dir, 'flows'), port, history, rateLimit: 0, resumeInterrupted: false, catchUpMissed: false, apiToken });
  return { server, history };
}

async function post(server: LiveServer, order: string): Promise<string> {
  const answer = await fetch(`${server.url}/hooks/live-orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order }) });
  expect(answer.status).toBe(202);
  return ((await answer.json()) as { executionId: string }).executionId;
}

describe('the live event client against weft serve', () => {
  it("receives a webhook run's events, and resumes after the server restarts", async () => {
    // ARRANGE: a served flow, and the client watching every run.
    const workspace = await makeWorkspace('live-client');
    cleanups.push(workspace.remove);
    await mkdir(join(workspace.dir, 'flows'), { recursive: true });
    await writeFile(join(workspace.dir, 'flows', 'live-orders.flow.json'), JSON.stringify(FLOW));
    let { server, history } = await serve(workspace.dir, 0);
    const port = server.port;
    cleanups.push(async () => {
      await server.close({ graceMs: 1000 });
      await history.close();
    });
    const events: StreamEvent[] = [];
    const states: ConnectionState[] = [];
    let resets = 0;
    const client = new LiveEventClient({
      serverUrl: server.url,
      onEvent: (event) => events.push(event),
      onState: (state) => states.push(state),
      onReset: () => resets++,
      backoff: { initialMs: 50, maxMs: 400, factor: 2, jitter: 0 },
    });
    cleanups.push(() => client.stop());
    client.start();
    await until('connected', () => client.state.status === 'connected');

    // ACT 1: a webhook request.
    const first = await post(server, 'A-1');
    await until('the first run to end', () => events.some((e) => e.executionId === first && e.type === 'execution.completed'));

    // ASSERT 1: its events in order (seq rising by one), each with its flow and a cursor; the record from the run API.
    const ofFirst = events.filter((e) => e.executionId === first);
    expect(ofFirst[0]).toMatchObject({ type: 'execution.started', flowId: 'live-orders', trigger: { type: 'webhook' } });
    expect(ofFirst.map((e) => e.seq)).toEqual(ofFirst.map((_, i) => i + 1));
    expect(ofFirst.every((e) => e.flowId === 'live-orders' && e.cursor !== undefined)).toBe(true);
    const api = new RunApiClient(server.url);
    expect(await api.record(first)).toMatchObject({ id: first, status: 'completed', flowId: 'live-orders' });

    // ACT 2: the server stops and starts again on the same port (a new process: a new stream).
    const cursorBefore = client.lastCursor;
    await server.close({ graceMs: 1000 });
    await history.close();
    await until('the client to notice', () => client.state.status === 'reconnecting');
    ({ server, history } = await serve(workspace.dir, port));
    await until('connected again', () => client.state.status === 'connected');
    const second = await post(server, 'A-2');
    await until('the second run to end', () => events.some((e) => e.executionId === second && e.type === 'execution.completed'));

    // ASSERT 2: it came back by itself asking from its cursor, was told to reload (the old stream is gone), and the
    // run API it reloads from lists the first run; the second run's events arrived whole.
    expect(cursorBefore).toBeDefined();
    expect(states.some((s) => s.status === 'reconnecting')).toBe(true);
    expect(resets).toBe(1);
    expect((await new RunApiClient(server.url).recentRuns(50)).map((run) => run.id)).toEqual(expect.arrayContaining([first, second]));
    const ofSecond = events.filter((e) => e.executionId === second);
    expect(ofSecond[0].type).toBe('execution.started');
    expect(ofSecond.at(-1)!.type).toBe('execution.completed');
    expect(ofSecond.map((e) => e.seq)).toEqual(ofSecond.map((_, i) => i + 1));
  });

  it("watches a server with WEFT_API_TOKEN: a wrong token is refused and not retried, the right one gets the runs", async () => {
    // ARRANGE
    const workspace = await makeWorkspace('live-client-token');
    cleanups.push(workspace.remove);
    await mkdir(join(workspace.dir, 'flows'), { recursive: true });
    await writeFile(join(workspace.dir, 'flows', 'live-orders.flow.json'), JSON.stringify(FLOW));
    const { server, history } = await serve(workspace.dir, 0, 'team-token-0123456789');
    cleanups.push(async () => {
      await server.close({ graceMs: 1000 });
      await history.close();
    });

    // ACT 1: a wrong token.
    const wrong = new LiveEventClient({ serverUrl: server.url, token: 'not-the-token', onEvent: () => undefined });
    cleanups.push(() => wrong.stop());
    wrong.start();
    await until('refused', () => wrong.state.status === 'disconnected');

    // ASSERT 1
    expect(wrong.state).toMatchObject({ status: 'disconnected', reason: expect.stringContaining('HTTP 401') });
    await expect(new RunApiClient(server.url, 'not-the-token').recentRuns(5)).rejects.toMatchObject({ status: 401 });

    // ACT 2: the right token.
    const events: StreamEvent[] = [];
    const right = new LiveEventClient({ serverUrl: server.url, token: 'team-token-0123456789', onEvent: (event) => events.push(event) });
    cleanups.push(() => right.stop());
    right.start();
    await until('connected', () => right.state.status === 'connected');
    const executionId = await post(server, 'B-1');
    await until('the run to end', () => events.some((e) => e.executionId === executionId && e.type === 'execution.completed'));

    // ASSERT 2: the run's events came, and its record through the run API with the token.
    expect(await new RunApiClient(server.url, 'team-token-0123456789').record(executionId)).toMatchObject({ id: executionId, status: 'completed' });
  });
});
