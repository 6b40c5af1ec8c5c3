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
/** Close codes: 4008 too slow (reconnect with since), 1008 a bad request, 1001 the server stops. */
export const CLOSE_TOO_SLOW = 4008;
export const CLOSE_BAD_REQUEST = 1008;
export const CLOSE_GOING_AWAY = 1001;

export interface EventSocketsOptions {
  hub: RunEventHub;
  auth: ApiAuth;
  /** Bytes a client's socket may hold unsent before the client is dropped. Default 4 MiB. */
  maxClientBufferedBytes?: number;
  /** WebSocket clients at once; past it an upgrade is answered 503. Default 1,000. */
  maxClients?: number;
  /** How long a dropped client has to finish closing before its connection is cut. Default 5 s. */
  closeTimeoutMs?: number;
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
  /** Each event's frame payload, made once for every client that gets it. */
  private readonly payloads = new WeakMap<HubEntry, Buffer>();
  private closing = false;

  constructor(private readonly options: EventSocketsOptions) {
    this.maxBuffered = options.maxClientBufferedBytes ?? DEFAULT_MAX_CLIENT_BUFFERED_BYTES;
    this.maxClients = options.maxClients ?? DEFAULT_MAX_EVENT_CLIENTS;
    this.closeTimeoutMs = options.closeTimeoutMs ?? DEFAULT_CLOSE_TIMEOUT_MS;
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
    this.wss.handleUpgrade(request, socket, head, (ws) => this.serve(ws, parseSubscribe(query)));
  }

  /** Closes every client (1001): the server stops. */
  closeAll(): void {
    this.closing = true;
    for (const ws of this.clients) {
      ws.close(CLOSE_GOING_AWAY, 'the server stops');
      setTimeout(() => ws.terminate(), this.closeTimeoutMs).unref();
    }
  }

  private serve(ws: WebSocket, request: SubscribeRequest): void {
    ws.on('error', () => ws.terminate());
    if (!request.ok) {
      ws.send(JSON.stringify({ type: 'stream.error', code: 'bad-subscribe', message: request.message }));
      ws.close(CLOSE_BAD_REQUEST, 'bad subscribe request');
      setTimeout(() => ws.terminate(), this.closeTimeoutMs).unref();
      return;
    }
    this.clients.add(ws);
    // The cursor to reconnect from: the last one this client was sent (or asked from, or the newest before it came).
    let resumeCursor = request.from.kind === 'since' ? request.from.cursor : this.options.hub.cursor;
    // Set once subscribe returns; deliveries during its replay come before.
    const held: { subscription?: Subscription } = {};
    let dropped = false;
    const deliver = (entry: HubEntry): void => {
      if (dropped || ws.readyState !== WebSocket.OPEN) return;
      let payload = this.payloads.get(entry);
      if (payload === undefined) this.payloads.set(entry, (payload = Buffer.from(entry.json)));
      if (ws.bufferedAmount > 0 && ws.bufferedAmount + payload.length > this.maxBuffered) {
        dropped = true;
        held.subscription?.close(true);
        // Reached inside subscribe's replay, `subscription` is not set yet: closed just after it returns.
        ws.close(CLOSE_TOO_SLOW, `too slow; reconnect with since=${resumeCursor ?? ''}`);
        setTimeout(() => ws.terminate(), this.closeTimeoutMs).unref();
        return;
      }
      ws.send(payload, { binary: false });
      resumeCursor = entry.cursor;
    };
    const subscription = (held.subscription = this.options.hub.subscribe({
      filter: request.filter,
      from: request.from,
      onEntry: deliver,
      pendingBytes: () => ws.bufferedAmount,
    }));
    if (dropped) subscription.close(true);
    if (subscription.reset) ws.send(JSON.stringify(subscription.reset));
    ws.on('close', () => {
      this.clients.delete(ws);
      held.subscription?.close();
    });
  }
}

function refuseUpgrade(socket: Duplex, status: number, message: string, headers: Record<string, string> = {}): void {
  const body = JSON.stringify({ error: { message, code: status === 401 ? 'unauthorized' : status === 403 ? 'api-disabled' : status === 503 ? 'busy' : 'bad-request' } });
  const reason = status === 401 ? 'Unauthorized' : status === 403 ? 'Forbidden' : status === 503 ? 'Service Unavailable' : 'Bad Request';
  const lines = [`HTTP/1.1 ${status} ${reason}`, 'Content-Type: application/json; charset=utf-8', `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close'];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
}
