import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { freePort } from '../../../support/freePort';
import { LiveEventClient, type ConnectionState, type StreamEvent } from '../../../../src/extension/liveMonitor/liveEventClient';

// The client against a real `ws` server on 127.0.0.1, played by the test: it drops connections, goes away and
// comes back, refuses tokens and says `stream.reset`, and the client must resume without a gap or a duplicate.

interface TestServer {
  port: number;
  /** Each connection's path and query, and its Authorization header, in arrival order. */
  connections: { url: string; authorization?: string; socket: WebSocket }[];
  close(): Promise<void>;
}

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(port = 0, options: { token?: string } = {}): Promise<TestServer> {
  const server = new WebSocketServer({
    host: '127.0.0.1',
    port,
    verifyClient: options.token ? ({ req }: { req: IncomingMessage }) => req.headers.authorization === `Bearer ${options.token}` : undefined,
  });
  await new Promise<void>((resolve) => server.once('listening', resolve));
  const connections: TestServer['connections'] = [];
  server.on('connection', (socket, request) => connections.push({ url: request.url ?? '', authorization: request.headers.authorization, socket }));
  const close = (): Promise<void> =>
    new Promise((resolve) => {
      for (const client of server.clients) client.terminate();
      server.close(() => resolve());
    });
  cleanups.push(close);
  return { port: (server.address() as AddressInfo).port, connections, close };
}

function startClient(port: number, extra: Partial<ConstructorParameters<typeof LiveEventClient>[0]> = {}) {
  const events: StreamEvent[] = [];
  const states: ConnectionState[] = [];
  let resets = 0;
  const client = new LiveEventClient({
    serverUrl: `http://127.0.0.1:${port}`,
    onEvent: (event) => events.push(event),
    onState: (state) => states.push(state),
    onReset: () => resets++,
    backoff: { initialMs: 20, maxMs: 80, factor: 2, jitter: 0 },
    ...extra,
  });
  cleanups.push(() => client.stop());
  client.start();
  return { client, events, states, resets: () => resets };
}

/** The server's cursors are `<stream>.<n>` (src/live/eventHub.ts). */
function streamEvent(n: number, seq: number, executionId = 'run-1'): string {
  return JSON.stringify({ type: 'node.started', executionId, seq, ts: new Date().toISOString(), nodeId: 'a', attempt: 1, input: {}, cursor: `s1.${n}`, flowId: 'f' });
}

/** Polls until `condition` holds; the timeout only guards against a hang. */
async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('LiveEventClient', () => {
  it('resumes after a dropped connection with since=<last cursor>, and skips what the replay repeats', async () => {
    // ARRANGE
    const server = await startServer();
    const { events } = startClient(server.port);
    await until('the first connection', () => server.connections.length === 1);
    server.connections[0].socket.send(streamEvent(1, 1));
    server.connections[0].socket.send(streamEvent(2, 2));
    await until('two events', () => events.length === 2);

    // ACT: the server drops the connection; on the reconnection it replays from the cursor it was given, overlapping.
    server.connections[0].socket.terminate();
    await until('a second connection', () => server.connections.length === 2);
    server.connections[1].socket.send(streamEvent(2, 2));
    server.connections[1].socket.send(streamEvent(3, 3));
    await until('the third event', () => events.length >= 3);

    // ASSERT
    expect(server.connections[0].url).toBe('/_weft/events');
    expect(server.connections[1].url).toBe('/_weft/events?since=s1.2');
    expect(events.map((e) => e.cursor)).toEqual(['s1.1', 's1.2', 's1.3']);
  });

  it('backs off exponentially up to its cap while the server is away, and connects when it comes back', async () => {
    // ARRANGE: a port nobody listens on.
    const port = await freePort();
    const { states } = startClient(port);
    const waits = (): number[] => states.flatMap((s) => (s.status === 'reconnecting' ? [s.delayMs] : []));

    // ACT 1
    await until('five failed attempts', () => waits().length >= 5);

    // ASSERT 1: 20, 40, 80, then the cap.
    expect(waits().slice(0, 5)).toEqual([20, 40, 80, 80, 80]);

    // ACT 2: the server comes back on that port.
    const server = await startServer(port);
    await until('connected', () => states.at(-1)?.status === 'connected');

    // ASSERT 2: connected; a later loss starts again from the first wait.
    expect(server.connections).toHaveLength(1);
    const before = waits().length;
    server.connections[0].socket.terminate();
    await until('the next wait', () => waits().length > before);
    expect(waits()[before]).toBe(20);
  });

  it('asks its owner to reload on stream.reset, and goes on from the cursor the reset gives', async () => {
    // ARRANGE
    const server = await startServer();
    const { events, resets } = startClient(server.port);
    await until('connected', () => server.connections.length === 1);
    server.connections[0].socket.send(streamEvent(5, 1));
    await until('an event', () => events.length === 1);

    // ACT
    server.connections[0].socket.send(JSON.stringify({ type: 'stream.reset', reason: 'too-old', message: 'too old', cursor: 's1.40' }));
    await until('the reset', () => resets() === 1);
    server.connections[0].socket.terminate();
    await until('a reconnection', () => server.connections.length === 2);

    // ASSERT: the reset was not taken for an event, and the next connection resumes after the reset's cursor.
    expect(events).toHaveLength(1);
    expect(server.connections[1].url).toBe('/_weft/events?since=s1.40');
  });

  it('sends its token as a bearer header, and stops retrying when the server refuses it', async () => {
    // ARRANGE
    const server = await startServer(0, { token: 'right-token' });

    // ACT 1: a wrong token.
    const wrong = startClient(server.port, { token: 'wrong-token' });
    await until('disconnected', () => wrong.states.at(-1)?.status === 'disconnected');

    // ASSERT 1: refused once, not retried, and the reason names what to do.
    expect(wrong.states.filter((s) => s.status === 'connecting')).toHaveLength(1);
    expect(wrong.states.at(-1)).toMatchObject({ reason: expect.stringMatching(/token \(HTTP 401\).*Set Live Server Token/) });

    // ACT 2: the right token, and a filter on one flow.
    const right = startClient(server.port, { token: 'right-token', filter: { flow: 'orders' } });
    await until('connected', () => right.states.at(-1)?.status === 'connected');

    // ASSERT 2
    expect(server.connections).toHaveLength(1);
    expect(server.connections[0]).toMatchObject({ url: '/_weft/events?flow=orders', authorization: 'Bearer right-token' });
  });

  it('does not retry a request the server calls bad (stream.error), and says why', async () => {
    // ARRANGE
    const server = await startServer();
    const { states } = startClient(server.port, { filter: { flow: 'no such flow' } });
    await until('connected', () => server.connections.length === 1);

    // ACT: what the server does with a bad subscribe request.
    server.connections[0].socket.send(JSON.stringify({ type: 'stream.error', code: 'bad-subscribe', message: '"flow" is not a flow id.' }));
    server.connections[0].socket.close(1008, 'bad subscribe request');
    await until('disconnected', () => states.at(-1)?.status === 'disconnected');

    // ASSERT
    expect(states.at(-1)).toEqual({ status: 'disconnected', reason: '"flow" is not a flow id.' });
    expect(states.filter((s) => s.status === 'connecting')).toHaveLength(1);
  });

  it('comes back at once when asked to reconnect, instead of waiting out its backoff', async () => {
    // ARRANGE: a long wait after the first failure.
    const port = await freePort();
    const { client, states } = startClient(port, { backoff: { initialMs: 60_000, maxMs: 60_000, factor: 2, jitter: 0 } });
    await until('waiting to reconnect', () => states.at(-1)?.status === 'reconnecting');
    const server = await startServer(port);

    // ACT
    client.reconnectNow();
    await until('connected', () => states.at(-1)?.status === 'connected');

    // ASSERT
    expect(server.connections).toHaveLength(1);
  });
});
