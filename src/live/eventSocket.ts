// The WebSocket side of the live event stream (spec section 14): `/_weft/events[?executionId=<id> | ?flow=<id>]
// [&since=<cursor>]`, on the live server's own port (the `ws` package, without a server of its own: the HTTP
// server's 'upgrade' event hands sockets over). Every message is one JSON text frame:
//
// - an engine event of spec section 11 with `flowId` and `cursor` (eventHub.ts), in the order published;
// - `{ "type": "stream.reset", "reason", "message", "cursor"? }` first, when `since` cannot be replayed;
// - `{ "type": "stream.error", "code", "message" }` for a bad request, then the socket is closed (1008).
//
// What the client sends is ignored (at most a few bytes are read per message).
//
// Heartbeat: every `pingIntervalMs` the server pings each client; one that has not answered the previous ping by
// then is cut. A peer that vanished without a TCP close (a laptop closing its lid, a NAT dropping the mapping)
// would otherwise hold its subscription, and its share of `maxClients`, until the kernel gives up on the
// connection, which takes hours. Browsers and the `ws` package answer pings by themselves.
//
// A client that does not keep up never makes the server hold more than `maxClientBufferedBytes` for it: when an
// event would take what the socket still holds past that, the client is dropped with close code 4008 and the
// reason `too slow; reconnect with since=<the last cursor it was sent>`, and if it does not complete the closing
// handshake within `closeTimeoutMs` its connection is cut. Authentication and the subscriber limit are checked on
// the HTTP upgrade request, before the handshake: a refused client gets a plain HTTP answer (401, 403, 503).

import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import type { ApiAuth } from './apiAuth';
import type { HubEntry, ReplayFrom, RunEventHub, Subscription } from './eventHub';

export const DEFAULT_MAX_CLIENT_BUFFERED_BYTES = 4 * 1024 * 1024;
export const DEFAULT_MAX_EVENT_CLIENTS = 1000;
export const DEFAULT_CLOSE_TIMEOUT_MS = 5000;
export const DEFAULT_PING_INTERVAL_MS = 30_000;
/** Close codes: 4008 too slow (reconnect with since), 1008 a bad request, 1001 the server stops. */
export const CLOSE_TOO_SLOW = 4008;
export const CLOSE_BAD_REQUEST = 1008;
export const CLOSE_GOING_AWAY = 1001;
/** A client's events of one turn are written together (one syscall), or at once past this many bytes. */
const FLUSH_AT_BYTES = 64 * 1024;

export interface EventSocketsOptions {
  hub: RunEventHub;
  auth: ApiAuth;
  /** Bytes a client's socket may hold unsent before the client is dropped. Default 4 MiB. */
  maxClientBufferedBytes?: number;
  /** WebSocket clients at once; past it an upgrade is answered 503. Default 1,000. */
  maxClients?: number;
  /** How long a dropped client has to finish closing before its connection is cut. Default 5 s. */
  closeTimeoutMs?: number;
  /** How often each client is pinged; one that has not answered the previous ping is cut. Default 30 s. */
  pingIntervalMs?: number;
}

/** A client's events of the current turn, sent together at its end. */
interface Client {
  queue: Array<{ payload: Buffer; cursor: string }>;
  queuedBytes: number;
  flush: () => void;
}

/** A subscribe request's query, checked. */
export type SubscribeRequest = { ok: true; filter: { executionId?: string; flowId?: string }; from: ReplayFrom } | { ok: false; message: string };

const ID = /^[A-Za-z0-9_.:-]{1,200}$/;
const CURSOR = /^[A-Za-z0-9_-]{1,64}\.\d{1,15}$/;

/** Pure: what `?executionId=&flow=&since=` asks for, or why it is not a request. */
export function parseSubscribe(query: string): SubscribeRequest {
  const params = new URLSearchParams(query);
  for (const name of new Set(params.keys())) {
    if (name !== 'executionId' && name !== 'flow' && name !== 'since') return { ok: false, message: `Unknown parameter "${name.slice(0, 40)}": use executionId, flow and since.` };
    if (params.getAll(name).length > 1) return { ok: false, message: `"${name}" is given more than once.` };
  }
  const executionId = params.get('executionId') ?? undefined;
  const flowId = params.get('flow') ?? undefined;
  const since = params.get('since') ?? undefined;
  if (executionId !== undefined && flowId !== undefined) return { ok: false, message: 'Subscribe to one run (executionId) or one flow (flow), not both.' };
  if (executionId !== undefined && !ID.test(executionId)) return { ok: false, message: '"executionId" is not a run id.' };
  if (flowId !== undefined && !ID.test(flowId)) return { ok: false, message: '"flow" is not a flow id.' };
  if (since !== undefined && !CURSOR.test(since)) return { ok: false, message: '"since" is a cursor of the stream, as `<stream>.<n>` in the events\' `cursor`.' };
  const filter = executionId !== undefined ? { executionId } : flowId !== undefined ? { flowId } : {};
  return { ok: true, filter, from: since === undefined ? { kind: 'now' } : { kind: 'since', cursor: since } };
}

export class EventSockets {
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 1024, perMessageDeflate: false, clientTracking: false });
  private readonly clients = new Set<WebSocket>();
  private readonly maxBuffered: number;
  private readonly maxClients: number;
  private readonly closeTimeoutMs: number;
  /** Each event's WebSocket frame, made once for every client that gets it. */
  private readonly payloads = new WeakMap<HubEntry, Buffer>();
  private closing = false;
  /** Clients that answered (pong) since the last heartbeat. */
  private readonly alive = new WeakSet<WebSocket>();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly dirty = new Set<Client>();
  private flushScheduled = false;

  constructor(private readonly options: EventSocketsOptions) {
    this.maxBuffered = options.maxClientBufferedBytes ?? DEFAULT_MAX_CLIENT_BUFFERED_BYTES;
    this.maxClients = options.maxClients ?? DEFAULT_MAX_EVENT_CLIENTS;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
    this.heartbeat = setInterval(() => this.beat(), options.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS);
    this.heartbeat.unref();
  }

  /** Cuts the clients that did not answer the last ping, and pings the others. */
  private beat(): void {
    for (const ws of this.clients) {
      if (!this.alive.has(ws)) {
        ws.terminate();
        continue;
      }
      this.alive.delete(ws);
      ws.ping();
    }
  }

  get size(): number {
    return this.clients.size;
  }

  /** Takes over an upgrade request for /_weft/events. */
  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer, query: string): void {
    socket.on('error', () => socket.destroy());
    const access = this.options.auth.checkApi(request.headers);
    if (!access.ok) {
      refuseUpgrade(socket, access.status, access.message, access.headers);
      return;
    }
    if (this.closing) {
      refuseUpgrade(socket, 503, 'The live server is stopping.', { 'retry-after': '5' });
      return;
    }
    if (this.clients.size >= this.maxClients) {
      refuseUpgrade(socket, 503, `The server has ${this.maxClients} event stream clients, its limit; try again later.`, { 'retry-after': '5' });
      return;
    }
    if ((request.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      refuseUpgrade(socket, 400, 'Only WebSocket upgrades are served here.');
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => this.serve(ws, socket, parseSubscribe(query)));
  }

  /** Flushes `client` at the end of this turn, with every other client that got events in it. */
  private schedule(client: Client): void {
    this.dirty.add(client);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setImmediate(() => {
      this.flushScheduled = false;
      const dirty = [...this.dirty];
      this.dirty.clear();
      for (const each of dirty) each.flush();
    });
  }

  /** Closes every client (1001): the server stops. */
  closeAll(): void {
    this.closing = true;
    clearInterval(this.heartbeat);
    for (const ws of this.clients) {
      ws.close(CLOSE_GOING_AWAY, 'the server stops');
      setTimeout(() => ws.terminate(), this.closeTimeoutMs).unref();
    }
  }

  private serve(ws: WebSocket, socket: Duplex, request: SubscribeRequest): void {
    ws.on('error', () => ws.terminate());
    if (!request.ok) {
      ws.send(JSON.stringify({ type: 'stream.error', code: 'bad-subscribe', message: request.message }));
      ws.close(CLOSE_BAD_REQUEST, 'bad subscribe request');
      setTimeout(() => ws.terminate(), this.closeTimeoutMs).unref();
      return;
    }
    this.clients.add(ws);
    this.alive.add(ws);
    ws.on('pong', () => this.alive.add(ws));
    // The cursor to reconnect from: the last one this client was sent (or asked from, or the newest before it came).
    let resumeCursor = request.from.kind === 'since' ? request.from.cursor : this.options.hub.cursor;
    // Set once subscribe returns; deliveries during its replay come before.
    const held: { subscription?: Subscription } = {};
    let dropped = false;
    const client: Client = {
      queue: [],
      queuedBytes: 0,
      flush: () => {
        if (dropped || ws.readyState !== WebSocket.OPEN) return;
        // One write for all of them: the frames of a turn go out in one writev, not one syscall each. The frames
        // are the same bytes for every client (a server's frames are not masked), made once per event, and
        // written whole to the socket ws reads from: ws itself writes only whole frames too (no compression
        // here), so they never interleave.
        socket.cork();
        for (const item of client.queue) socket.write(item.payload);
        socket.uncork();
        resumeCursor = client.queue.at(-1)?.cursor ?? resumeCursor;
        client.queue = [];
        client.queuedBytes = 0;
      },
    };
    const deliver = (entry: HubEntry): void => {
      if (dropped || ws.readyState !== WebSocket.OPEN) return;
      let payload = this.payloads.get(entry);
      if (payload === undefined) this.payloads.set(entry, (payload = textFrame(entry.json)));
      const heldBytes = ws.bufferedAmount + client.queuedBytes;
      if (heldBytes > 0 && heldBytes + payload.length > this.maxBuffered) {
        dropped = true;
        client.queue = [];
        client.queuedBytes = 0;
        held.subscription?.close(true);
        // Reached inside subscribe's replay, `subscription` is not set yet: closed just after it returns.
        ws.close(CLOSE_TOO_SLOW, `too slow; reconnect with since=${resumeCursor ?? ''}`);
        setTimeout(() => ws.terminate(), this.closeTimeoutMs).unref();
        return;
      }
      client.queue.push({ payload, cursor: entry.cursor });
      client.queuedBytes += payload.length;
      // A large burst goes out at once: the queue only saves syscalls on small events, it holds no backlog.
      if (client.queuedBytes >= FLUSH_AT_BYTES) {
        this.dirty.delete(client);
        client.flush();
      } else {
        this.schedule(client);
      }
    };
    const subscription = (held.subscription = this.options.hub.subscribe({
      filter: request.filter,
      from: request.from,
      onEntry: deliver,
      pendingBytes: () => ws.bufferedAmount + client.queuedBytes,
    }));
    if (dropped) subscription.close(true);
    // Before any queued event: a reset replays nothing, and live events are flushed on a later turn.
    if (subscription.reset) ws.send(JSON.stringify(subscription.reset));
    ws.on('close', () => {
      this.clients.delete(ws);
      held.subscription?.close();
    });
  }
}

/** A final, unmasked text frame (RFC 6455 section 5.2) holding `text`: what a server sends for a message. */
export function textFrame(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const header = length < 126 ? 2 : length < 65_536 ? 4 : 10;
  const frame = Buffer.allocUnsafe(header + length);
  frame[0] = 0x81; // FIN, opcode 1 (text)
  if (length < 126) {
    frame[1] = length;
  } else if (length < 65_536) {
    frame[1] = 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 127;
    frame.writeUInt32BE(Math.floor(length / 2 ** 32), 2);
    frame.writeUInt32BE(length >>> 0, 6);
  }
  frame.write(text, header, 'utf8');
  return frame;
}

function refuseUpgrade(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { message, code: status === 401 ? 'unauthorized' : status === 403 ? 'api-disabled' : status === 503 ? 'busy' : 'bad-request' } });
  const reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 503 ? 'Service Unavailable' : 'Bad Request';
  const lines = [`HTTP/1.1 ${status} ${reason}`, 'Content-Type: application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
