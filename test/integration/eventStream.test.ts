// The live event stream of `weft serve` (spec section 14) against a real server on 127.0.0.1 and real WebSocket and
// HTTP clients: 100 subscribers each see every event of their runs in order; a client that reconnects with `since`
// misses nothing; a client that stops reading is dropped with a reason while what the server holds for it stays
// bounded; bad subscribe requests get an error and the server lives on; SSE with Last-Event-ID.

import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { EngineEvent } from '../../src/engine/run/events';
import { startLiveServer, type LiveServer } from '../../src/live/liveServer';
import { makeWorkspace, waitFor } from './runCli';
import { STEPS_FLOW_EVENTS, transformNode, writeStepsFlow } from '../support/stepsFlow';

type Message = { type: string; executionId: string; seq: number; cursor: string; flowId: string } & Record<string, unknown>;

interface Client {
  ws: WebSocket;
  messages: Message[];
  closed: Promise<{ code: number; reason: string }>;
}

function connect(server: LiveServer, query = '', token?: string): Promise<Client> {
  const ws = new WebSocket(`${server.url.replace(/^http/, 'ws')}/_weft/events${query}`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
  const messages: Message[] = [];
  ws.on('message', (data) => messages.push(JSON.parse(String(data)) as Message));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve({ ws, messages, closed }));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });
}

const TERMINAL = new Set(['execution.completed', 'execution.failed', 'execution.cancelled']);

async function startRun(server: LiveServer, flow: string, input: unknown = {}): Promise<string> {
  const response = await fetch(`${server.url}/_weft/runs`, { method: 'POST', body: JSON.stringify({ flow, input }), headers: { 'content-type': 'application/json' } });
  expect(response.status).toBe(202);
  return ((await response.json()) as { executionId: string }).executionId;
}

/** The messages of each run, in the order received. */
function byRun(messages: readonly Message[]): Map<string, Message[]> {
  const runs = new Map<string, Message[]>();
  for (const message of messages) {
    if (!message.executionId) continue;
    let list = runs.get(message.executionId);
    if (!list) runs.set(message.executionId, (list = []));
    list.push(message);
  }
  return runs;
}

function cursorNumber(cursor: string): number {
  return Number(cursor.slice(cursor.lastIndexOf('.') + 1));
}

/** SSE messages of a response read to its end. */
async function readSse(response: Response): Promise<Array<{ id?: string; data: Message }>> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.includes('data: '))
    .map((block) => {
      const id = /^id: (.*)$/m.exec(block)?.[1];
      const data = JSON.parse(/^data: (.*)$/m.exec(block)![1]) as Message;
      return id === undefined ? { data } : { id, data };
    });
}

const STEPS_EVENTS = STEPS_FLOW_EVENTS;
const SECRET_VALUE = 'sk-very-secret-value-123';

let workspace: { dir: string; remove: () => Promise<void> };
let history: HistoryStore;
let server: LiveServer;

beforeAll(async () => {
  workspace = await makeWorkspace('events');
  const flows = join(workspace.dir, 'flows');
  await mkdir(flows, { recursive: true });
  await writeStepsFlow(flows);
  await writeFile(
    join(flows, 'secretive.flow.json'),
    JSON.stringify({ version: 1, id: 'secretive', triggers: [{ type: 'manual' }], nodes: [transformNode('leak', { key: '{{ secrets.API_KEY }}' })] }),
  );
  history = HistoryStore.open({ dir: join(workspace.dir, '.weft') });
  server = await startLiveServer({
    dir: flows,
    port: 0,
    history,
    rateLimit: 0,
    secrets: { API_KEY: SECRET_VALUE },
    eventBufferEvents: 1000,
    eventClientBufferedBytes: 1024 * 1024,
  });
});

afterAll(async () => {
  await server?.close({ graceMs: 2000 });
  await history?.close();
  await workspace?.remove();
});

describe('the WebSocket event stream', () => {
  it('gives 100 subscribers every event of their runs, in order, seq without gaps', async () => {
    // ARRANGE: 50 follow everything, 40 the flow, then 10 follow one run each from a cursor taken before it started
    // `<stream>.0`: before the stream's first event, if none was published yet.
    const before = server.events.cursor ?? `${server.events.streamId}.0`;
    const clients = await Promise.all(Array.from({ length: 90 }, (_, i) => connect(server, i < 50 ? '' : '?flow=steps')));
    // ACT
    const runs = await Promise.all(Array.from({ length: 20 }, (_, n) => startRun(server, 'steps', { n })));
    const perRun = await Promise.all(runs.slice(0, 10).map((id) => connect(server, `?executionId=${id}&since=${before}`)));
    const all = [...clients, ...perRun];
    await waitFor('every subscriber to see its runs end', async () =>
      clients.every((c) => c.messages.filter((m) => TERMINAL.has(m.type) && runs.includes(m.executionId)).length === 20) &&
      perRun.every((c) => c.messages.some((m) => TERMINAL.has(m.type)))
        ? true
        : undefined,
      30_000,
    );
    // ASSERT
    expect(all).toHaveLength(100);
    for (const [index, client] of all.entries()) {
      const mine = client.messages.filter((m) => runs.includes(m.executionId));
      const seen = byRun(mine);
      expect(seen.size).toBe(index < 90 ? 20 : 1);
      for (const [executionId, events] of seen) {
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: STEPS_EVENTS }, (_, i) => i + 1));
        expect(events[0]).toMatchObject({ type: 'execution.started', flowId: 'steps', executionId });
        expect(events.at(-1)!.type).toBe('execution.completed');
      }
      const cursors = mine.map((m) => cursorNumber(m.cursor));
      expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
      expect(new Set(cursors).size).toBe(cursors.length);
    }
    for (const client of all) client.ws.close();
  }, 60_000);

  it('lets a client that reconnects with since miss nothing', async () => {
    // ARRANGE: one client stays, the other leaves after a few events
    const steady = await connect(server);
    const leaving = await connect(server);
    const first = await startRun(server, 'steps', { n: 1 });
    await waitFor('a few events', async () => (leaving.messages.length >= 3 ? true : undefined));
    leaving.ws.close();
    await leaving.closed;
    const last = leaving.messages.at(-1)!.cursor;
    // ACT: runs go on while it is away, then it comes back
    const others = [await startRun(server, 'steps', { n: 2 }), await startRun(server, 'steps', { n: 3 })];
    const back = await connect(server, `?since=${last}`);
    const later = await startRun(server, 'steps', { n: 4 });
    const ids = [first, ...others, later];
    const endedAll = (client: Client): true | undefined => (ids.every((id) => client.messages.some((m) => m.executionId === id && TERMINAL.has(m.type))) ? true : undefined);
    await waitFor('the steady client to see every run end', async () => endedAll(steady), 20_000);
    await waitFor('the returning client to see every run end', async () => endedAll({ ...back, messages: [...leaving.messages, ...back.messages] }), 20_000);
    // ASSERT
    const seenAcross = [...leaving.messages, ...back.messages].map((m) => m.cursor);
    expect(seenAcross).toEqual(steady.messages.map((m) => m.cursor));
    expect(back.messages.some((m) => m.type === 'stream.reset')).toBe(false);
    steady.ws.close();
    back.ws.close();
  });

  it('answers a cursor of another server process, or older than the buffer, with stream.reset', async () => {
    // ACT
    const foreign = await connect(server, '?since=0123abcd.5');
    await waitFor('the reset', async () => (foreign.messages.length > 0 ? true : undefined));
    // ASSERT
    expect(foreign.messages[0]).toMatchObject({ type: 'stream.reset', reason: 'other-stream', cursor: server.events.cursor });
    foreign.ws.close();
  });

  it('drops a client that stops reading, with the reason, while what the server holds for it stays bounded', async () => {
    // ARRANGE: the slow client stops reading; a healthy one keeps reading
    const slow = await connect(server);
    const healthy = await connect(server);
    slow.ws.pause();
    const droppedBefore = server.events.stats().dropped;
    const bigMessage = 'x'.repeat(64 * 1024);
    let seq = 0;
    let maxPending = 0;
    // ACT: publish large events until the server gives up on the slow client (a guard bounds the loop)
    while (server.events.stats().dropped === droppedBefore && seq < 800) {
      for (let i = 0; i < 8; i++) {
        const event = { type: 'node.log', executionId: 'flood-run', seq: ++seq, ts: new Date().toISOString(), nodeId: 'n', level: 'info', message: bigMessage } as EngineEvent;
        server.events.publish(event, 'flood');
      }
      maxPending = Math.max(maxPending, server.events.stats().subscriberPendingBytes);
      await new Promise((resolve) => setImmediate(resolve));
    }
    // ASSERT
    expect(server.events.stats().dropped).toBe(droppedBefore + 1);
    // Each client holds at most its limit (1 MiB) plus one event; the replay buffer holds at most 1,000 events.
    expect(maxPending).toBeLessThanOrEqual(2 * (1024 * 1024 + 70 * 1024));
    expect(server.events.stats().bufferedEvents).toBeLessThanOrEqual(1000);
    slow.ws.resume();
    const closed = await slow.closed;
    expect(closed.code).toBe(4008);
    expect(closed.reason).toMatch(/^too slow; reconnect with since=[0-9a-f]+\.\d+$/);
    await waitFor('the healthy client to read the flood', async () => (healthy.messages.filter((m) => m.executionId === 'flood-run').length === seq ? true : undefined), 30_000);
    expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
    healthy.ws.close();
  }, 60_000);

  it('answers bad subscribe requests with an error and a close, and goes on serving', async () => {
    // ACT
    const both = await connect(server, '?executionId=a&flow=b');
    const badSince = await connect(server, '?since=yesterday');
    const unknown = await connect(server, '?run=1');
    const results = await Promise.all([both, badSince, unknown].map(async (client) => ({ closed: await client.closed, first: client.messages[0] })));
    const plainGet = await fetch(`${server.url}/_weft/events`);
    // ASSERT
    for (const result of results) {
      expect(result.closed.code).toBe(1008);
      expect(result.first).toMatchObject({ type: 'stream.error', code: 'bad-subscribe' });
    }
    expect(plainGet.status).toBe(426);
    const fine = await connect(server, '?flow=steps');
    const id = await startRun(server, 'steps', { n: 9 });
    await waitFor('the run to end', async () => (fine.messages.some((m) => m.executionId === id && TERMINAL.has(m.type)) ? true : undefined));
    fine.ws.close();
  });

  it('refuses web pages of other origins (a site the user visits cannot read the stream or start runs), not its own', async () => {
    // ACT: what a browser sends for a page of another site, and for a page of the server itself
    const fromSite = new WebSocket(`${server.url.replace(/^http/, 'ws')}/_weft/events`, { origin: 'https://evil.example' });
    const refused = await new Promise<number>((resolve, reject) => {
      fromSite.once('unexpected-response', (_request, response) => resolve(response.statusCode ?? 0));
      fromSite.once('open', () => reject(new Error('opened')));
    });
    const post = await fetch(`${server.url}/_weft/runs`, { method: 'POST', body: JSON.stringify({ flow: 'steps', input: { n: 1 } }), headers: { 'content-type': 'text/plain', origin: 'http://127.0.0.1.evil.example' } });
    const own = new WebSocket(`${server.url.replace(/^http/, 'ws')}/_weft/events`, { origin: server.url });
    await new Promise<void>((resolve, reject) => {
      own.once('open', () => resolve());
      own.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    });
    // ASSERT
    expect(refused).toBe(403);
    expect(post.status).toBe(403);
    expect(await post.json()).toMatchObject({ error: { code: 'cross-origin' } });
    own.close();
  });

  it('never carries a secret: the events are the redacted ones', async () => {
    // ARRANGE
    const client = await connect(server, '?flow=secretive');
    // ACT
    const id = await startRun(server, 'secretive');
    await waitFor('the run to end', async () => (client.messages.some((m) => m.executionId === id && TERMINAL.has(m.type)) ? true : undefined));
    // ASSERT
    const text = JSON.stringify(client.messages);
    expect(text).not.toContain(SECRET_VALUE);
    expect(client.messages.find((m) => m.type === 'node.completed')).toMatchObject({ output: { key: '***' } });
    client.ws.close();
  });

  it('refuses the upgrade without the token when one is set (401), and serves it with the token', async () => {
    // ARRANGE
    const securedHistory = HistoryStore.open({ dir: join(workspace.dir, '.weft-secured') });
    const secured = await startLiveServer({ dir: join(workspace.dir, 'flows'), port: 0, history: securedHistory, apiToken: 'tok', resumeInterrupted: false });
    try {
      // ACT / ASSERT
      await expect(connect(secured)).rejects.toThrow('HTTP 401');
      await expect(connect(secured, '', 'wrong')).rejects.toThrow('HTTP 401');
      const client = await connect(secured, '', 'tok');
      expect(client.ws.readyState).toBe(WebSocket.OPEN);
      // ACT: the server stops: its clients are told so (1001), not left hanging
      await secured.close({ graceMs: 1000 });
      // ASSERT
      expect((await client.closed).code).toBe(1001);
    } finally {
      await secured.close({ graceMs: 1000 });
      await securedHistory.close();
    }
  });
});

describe('the WebSocket heartbeat', () => {
  it('cuts a client that stopped answering pings (a vanished peer) and keeps one that answers', async () => {
    // ARRANGE: a server of its own that pings every second
    const own = await startLiveServer({ dir: join(workspace.dir, 'flows'), port: 0, history, rateLimit: 0, eventPingIntervalMs: 1000 });
    try {
      const vanished = await connect(own);
      const healthy = await connect(own);
      let pingsAnswered = 0;
      healthy.ws.on('ping', () => pingsAnswered++);
      // ACT: the vanished client reads nothing more, so it never answers a ping
      vanished.ws.pause();
      // ASSERT: the server cut it (no closing handshake: 1006), and the other client is served on
      await waitFor('the server to notice that one client no longer answers', async () => (own.events.stats().subscribers === 1 ? true : undefined), 30_000);
      await waitFor('the healthy client to answer three pings', async () => (pingsAnswered >= 3 ? true : undefined), 30_000);
      expect(healthy.ws.readyState).toBe(WebSocket.OPEN);
      expect(own.events.stats().subscribers).toBe(1);
      vanished.ws.resume();
      expect((await vanished.closed).code).toBe(1006);
      healthy.ws.close();
    } finally {
      await own.close({ graceMs: 1000 });
    }
  }, 60_000);
});

describe('Server-Sent Events of one run', () => {
  it("streams a run's events with id: = cursor, ends after its terminal event, and honours Last-Event-ID", async () => {
    // ARRANGE
    const id = await startRun(server, 'steps', { n: 5 });
    // ACT
    const all = await readSse(await fetch(`${server.url}/_weft/runs/${id}/events`));
    const third = all[2].id!;
    const rest = await readSse(await fetch(`${server.url}/_weft/runs/${id}/events`, { headers: { 'last-event-id': third } }));
    // ASSERT
    expect(all.map((m) => m.data.seq)).toEqual(Array.from({ length: STEPS_EVENTS }, (_, i) => i + 1));
    expect(all.every((m) => m.id === m.data.cursor)).toBe(true);
    expect(all.at(-1)!.data.type).toBe('execution.completed');
    expect(rest.map((m) => m.data.seq)).toEqual([4, 5, 6, 7, 8]);
  });

  it('answers a run whose events left the buffer with one message from its record, and an unknown run with 404', async () => {
    // ARRANGE: the run ends, then 1,000 other events push its events out of the buffer
    const id = await startRun(server, 'steps', { n: 6 });
    await waitFor('the run to end', async () => ((await history.get(id))?.status === 'completed' ? true : undefined));
    for (let seq = 1; seq <= 1000; seq++) server.events.publish({ type: 'node.log', executionId: 'filler', seq, ts: new Date().toISOString(), nodeId: 'n', level: 'info', message: 'x' }, 'filler');
    // ACT
    const messages = await readSse(await fetch(`${server.url}/_weft/runs/${id}/events`));
    const unknown = await fetch(`${server.url}/_weft/runs/no-such-run/events`);
    // ASSERT
    expect(messages).toEqual([{ data: expect.objectContaining({ type: 'execution.completed', executionId: id, status: 'completed', synthesized: true, output: { n: 6 } }) }]);
    expect(unknown.status).toBe(404);
  });
});
