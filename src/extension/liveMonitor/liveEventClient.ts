// The editor's end of a `weft serve` event stream (spec section 14): a WebSocket to `/_weft/events` that comes back
// by itself. Every message carries a `cursor` that rises across the stream; the client keeps the last one and
// reconnects with `since=<cursor>`, so the server replays what was missed while it was away and nothing is lost.
// When the server no longer holds that far back it says `stream.reset`, and the owner reloads the runs from the run
// API instead. A lost connection (the server restarted, or dropped us as too slow: close 4008) is retried with
// capped exponential backoff (reconnectDelay.ts); a refused token or a `stream.error` (a bad request) is not retried
// (the same request would be refused again) until the owner starts it again.
//
// No `vscode` here: the client is tested against a real `ws` server (test/unit/extension/liveMonitor/).

import WebSocket from 'ws';
import type { EngineEvent } from '../../engine/run/events';
import { DEFAULT_BACKOFF, reconnectDelay, type BackoffOptions } from './reconnectDelay';

export const EVENTS_PATH = '/_weft/events';

/** Where a message stands in the whole stream; opaque to the client except that it rises. */
export type StreamCursor = number | string;

/** One message of the stream: an engine event (spec section 11) plus its place in the stream and its flow. */
export type StreamEvent = EngineEvent & { cursor: StreamCursor; flowId?: string };

export type ConnectionState =
  | { status: 'connecting'; attempt: number }
  | { status: 'connected'; since?: StreamCursor }
  | { status: 'reconnecting'; attempt: number; delayMs: number; retryAt: number; reason: string }
  | { status: 'disconnected'; reason: string };

export interface LiveEventClientOptions {
  /** The server's base URL, `http://host:port` (or `ws://`); `/_weft/events` is added. */
  serverUrl: string;
  /** Sent as `Authorization: Bearer <token>` when set. */
  token?: string;
  /** One run, or one flow; nothing: every run. */
  filter?: { executionId?: string; flow?: string };
  onEvent(event: StreamEvent): void;
  /** The server could not replay from our cursor: events were missed, reload the runs. */
  onReset?(): void;
  onState?(state: ConnectionState): void;
  /** A message the server sent about our request (`stream.error`), or a message that is not JSON. */
  onProblem?(message: string): void;
  backoff?: BackoffOptions;
  /** For tests: 0..1, as Math.random. */
  random?: () => number;
  /** A connection that does not open within this many ms is given up and retried. */
  connectTimeoutMs?: number;
  /** A ping goes out this often; a connection that did not answer the previous one is dropped and retried. */
  heartbeatMs?: number;
}

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const DEFAULT_HEARTBEAT_MS = 20_000;

export class LiveEventClient {
  private socket: WebSocket | undefined;
  private cursor: StreamCursor | undefined;
  /** Failed attempts since the last open connection. */
  private failures = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private heartbeat: ReturnType<typeof setInterval> | undefined;
  private running = false;
  /** Why the server refused our request (`stream.error`): the close that follows is not retried. */
  private refusal: string | undefined;
  private current: ConnectionState = { status: 'disconnected', reason: 'not started' };

  constructor(private readonly options: LiveEventClientOptions) {}

  get state(): ConnectionState {
    return this.current;
  }

  /** The cursor of the last message received: a reconnection resumes after it. */
  get lastCursor(): StreamCursor | undefined {
    return this.cursor;
  }

  /** The URL the next attempt connects to (with `since` once a message has come). */
  eventsUrl(): string {
    const url = new URL(this.options.serverUrl);
    url.protocol = url.protocol === 'https:' || url.protocol === 'wss:' ? 'wss:' : 'ws:';
    url.pathname = url.pathname.replace(/\/+$/, '') + EVENTS_PATH;
    url.search = '';
    const { executionId, flow } = this.options.filter ?? {};
    if (executionId !== undefined) url.searchParams.set('executionId', executionId);
    else if (flow !== undefined) url.searchParams.set('flow', flow);
    if (this.cursor !== undefined) url.searchParams.set('since', String(this.cursor));
    return url.toString();
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.failures = 0;
    this.refusal = undefined;
    this.connect();
  }

  /** Closes the connection and stops retrying. */
  stop(reason = 'stopped'): void {
    this.running = false;
    this.clearTimers();
    const socket = this.socket;
    this.socket = undefined;
    socket?.removeAllListeners();
    // An error after we stopped listening must not become an uncaught exception.
    socket?.on('error', () => undefined);
    socket?.terminate();
    this.setState({ status: 'disconnected', reason });
  }

  /** Drops any wait and connects now (the user asked to reconnect). */
  reconnectNow(): void {
    if (!this.running) {
      this.start();
      return;
    }
    if (this.current.status === 'connected' || this.current.status === 'connecting') return;
    this.clearTimers();
    this.failures = 0;
    this.connect();
  }

  private connect(): void {
    this.setState({ status: 'connecting', attempt: this.failures + 1 });
    const headers: Record<string, string> = this.options.token ? { Authorization: `Bearer ${this.options.token}` } : {};
    const socket = new WebSocket(this.eventsUrl(), { headers, handshakeTimeout: this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS });
    this.socket = socket;
    let refusedStatus: number | undefined;
    let lastError: string | undefined;

    socket.on('unexpected-response', (_request, response) => {
      refusedStatus = response.statusCode;
      response.resume();
      socket.terminate();
    });
    socket.on('open', () => {
      this.failures = 0;
      this.setState({ status: 'connected', since: this.cursor });
      this.startHeartbeat(socket);
    });
    socket.on('message', (data) => this.receive(String(data)));
    socket.on('error', (error) => {
      lastError = error.message;
    });
    socket.on('close', (code, reasonBuffer) => {
      if (this.socket !== socket) return;
      this.socket = undefined;
      this.clearTimers();
      if (!this.running) return;
      if (this.refusal !== undefined) {
        this.running = false;
        this.setState({ status: 'disconnected', reason: this.refusal });
        return;
      }
      if (refusedStatus === 401 || refusedStatus === 403) {
        this.running = false;
        this.setState({ status: 'disconnected', reason: `the server refused the token (HTTP ${refusedStatus}); set it with Weft: Set Live Server Token` });
        return;
      }
      const reason = refusedStatus !== undefined ? `HTTP ${refusedStatus}` : reasonBuffer.length > 0 ? String(reasonBuffer) : (lastError ?? `closed (${code})`);
      this.scheduleRetry(reason);
    });
  }

  private receive(text: string): void {
    let message: { type?: unknown; cursor?: unknown; message?: unknown };
    try {
      message = JSON.parse(text) as typeof message;
    } catch {
      this.options.onProblem?.(`The server sent a message that is not JSON: ${text.slice(0, 100)}`);
      return;
    }
    if (message.type === 'stream.reset') {
      // Replaying from our cursor is impossible; a cursor in the reset is where the stream goes on from.
      this.cursor = isCursor(message.cursor) ? message.cursor : undefined;
      this.options.onReset?.();
      return;
    }
    if (message.type === 'stream.error') {
      // The request itself is wrong (a filter, a cursor): asking again the same way cannot help.
      this.refusal = typeof message.message === 'string' ? message.message : 'the server refused the subscription';
      this.options.onProblem?.(this.refusal);
      return;
    }
    if (!isCursor(message.cursor) || typeof message.type !== 'string') return;
    // A replay may overlap what came before the connection dropped (the server promises it does not; cheap to check).
    if (this.cursor !== undefined && !isAfter(message.cursor, this.cursor)) return;
    this.cursor = message.cursor;
    this.options.onEvent(message as unknown as StreamEvent);
  }

  private scheduleRetry(reason: string): void {
    this.failures++;
    const delayMs = reconnectDelay(this.failures, this.options.backoff ?? DEFAULT_BACKOFF, this.options.random);
    this.setState({ status: 'reconnecting', attempt: this.failures, delayMs, retryAt: Date.now() + delayMs, reason });
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.running) this.connect();
    }, delayMs);
  }

  /** A server that vanished without closing (a laptop asleep, a dropped route) is found by its missing pong. */
  private startHeartbeat(socket: WebSocket): void {
    let answered = true;
    socket.on('pong', () => (answered = true));
    this.heartbeat = setInterval(() => {
      if (!answered) {
        socket.terminate();
        return;
      }
      answered = false;
      socket.ping();
    }, this.options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
  }

  private clearTimers(): void {
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.retryTimer = undefined;
    this.heartbeat = undefined;
  }

  private setState(state: ConnectionState): void {
    this.current = state;
    this.options.onState?.(state);
  }
}

/**
 * Whether `cursor` comes after `previous`: numbers compare as numbers, the server's `<stream>.<n>` by `n` within one
 * stream; anything else (another stream: the server restarted) is taken as new.
 */
function isAfter(cursor: StreamCursor, previous: StreamCursor): boolean {
  if (typeof cursor === 'number' && typeof previous === 'number') return cursor > previous;
  const a = /^(.+)\.(\d+)$/.exec(String(cursor));
  const b = /^(.+)\.(\d+)$/.exec(String(previous));
  if (a && b && a[1] === b[1]) return Number(a[2]) > Number(b[2]);
  return true;
}

function isCursor(value: unknown): value is StreamCursor {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.length > 0);
}
