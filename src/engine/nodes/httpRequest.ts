// Sends one HTTP request through the injectable fetch and turns every way it can go wrong into a WeftError
// with a code: the engine's abort (cancel, run or attempt timeout), the request's own time limit, a network
// failure. Shared by the `http` and `ai` node types.

import { STATUS_CODES } from 'node:http';
import type { ErrorKind } from '../errors';
import { WeftError } from '../errors';
import { longTimeoutSignal } from '../run/longTimer';

export interface OutgoingRequest {
  method: string;
  url: URL;
  headers: Headers;
  body?: string;
  /** The node's signal: fires on cancel and on the engine's timeouts. */
  signal: AbortSignal;
  /** This request's own time limit (the http node's `config.timeoutMs`), on top of `signal`. */
  timeoutMs?: number;
}

export interface ReceivedResponse {
  status: number;
  /** The reason phrase, or the standard one when the server sent none (HTTP/2 sends none). */
  statusText: string;
  /** Lower-case names; a header sent several times has its values joined with ", ". */
  headers: Record<string, string>;
  /** The whole body as text. */
  text: string;
}

// What the usual error codes of Node's sockets and undici mean, in words.
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed while sending',
  UND_ERR_SOCKET: 'the server closed the connection',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
};

export interface ReadOptions {
  /**
   * Reads a successful answer sent as Server-Sent Events (`text/event-stream`) as it arrives, and returns the
   * body's text to keep. Runs under the same signals and time limit as the rest of the request; a WeftError it
   * throws goes out unchanged.
   */
  readEventStream?: (response: Response) => Promise<string>;
}

export async function sendRequest(fetchFn: typeof fetch, request: OutgoingRequest, options: ReadOptions = {}): Promise<ReceivedResponse> {
  const { method, signal, timeoutMs } = request;
  const url = withCredentialsAsHeader(request.url, request.headers);
  const what = describeRequest(method, url);
  const deadline = timeoutMs === undefined ? undefined : longTimeoutSignal(timeoutMs);
  const combined = deadline === undefined ? signal : AbortSignal.any([signal, deadline.signal]);

  let response: Response;
  let text: string;
  try {
    response = await fetchFn(url, { method, headers: request.headers, body: request.body, signal: combined });
    // The signal covers reading the body too: a server that sends headers and then stalls still times out.
    const readEventStream = options.readEventStream;
    text =
      readEventStream !== undefined && response.ok && isEventStreamContentType(response.headers.get('content-type'))
        ? await readEventStream(response)
        : await response.text();
  } catch (error) {
    // The engine's abort wins over our own deadline: its reason says whether it was a cancel or a timeout.
    if (signal.aborted) throw cancellation(signal.reason, what);
    if (deadline?.signal.aborted) {
      throw new WeftError('timeout', `${what} got no complete answer within ${timeoutMs} ms`, { cause: error });
    }
    if (error instanceof WeftError) throw error;
    throw new WeftError('network', `${what} failed: ${networkReason(error)}`, { cause: error });
  } finally {
    deadline?.clear();
  }

  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = name in headers ? `${headers[name]}, ${value}` : value;
  });
  return { status: response.status, statusText: response.statusText || STATUS_CODES[response.status] || '', headers, text };
}

/** `GET https://host/path`, never with the URL's user name or password. */
export function describeRequest(method: string, url: URL): string {
  if (url.username === '' && url.password === '') return `${method} ${url.href}`;
  const shown = new URL(url.href);
  shown.username = '';
  shown.password = '';
  return `${method} ${shown.href}`;
}

/** Whether a text is an absolute http:// or https:// URL: the only kinds the http and ai nodes will fetch. */
export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const protocol = new URL(text).protocol;
  return protocol === 'http:' || protocol === 'https:';
}

/** Whether a content type says JSON: application/json or any `+json` type, parameters ignored. */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semicolon = contentType.indexOf(';');
  const mediaType = (semicolon === -1 ? contentType : contentType.slice(0, semicolon)).trim().toLowerCase();
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function isEventStreamContentType(contentType: string | null): boolean {
  return contentType !== null && contentType.split(';')[0].trim().toLowerCase() === 'text/event-stream';
}

/**
 * How long a 429 or 503 answer asks the caller to wait (`Retry-After`, in seconds or as an HTTP date), in ms;
 * undefined when it does not say. `now` is injected for tests.
 */
export function retryAfterMs(headers: Record<string, string>, now: number = Date.now()): number | undefined {
  const value = headers['retry-after']?.trim();
  if (value === undefined || value === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Statuses a retry may cure (timeouts, rate limits, server errors) are operational; the rest are the user's. */
export function errorKindForStatus(status: number): ErrorKind {
  return status === 408 || status === 425 || status === 429 || status >= 500 ? 'operational' : 'user';
}

/** `503 Service Unavailable`. */
export function describeStatus(response: Pick<ReceivedResponse, 'status' | 'statusText'>): string {
  return response.statusText ? `${response.status} ${response.statusText}` : String(response.status);
}

function cancellation(reason: unknown, what: string): WeftError {
  // The engine aborts with its own WeftError (cancelled or timeout); hand it back unchanged.
  if (reason instanceof WeftError) return reason;
  return new WeftError('cancelled', `${what} was cancelled`, { cause: reason });
}

// fetch refuses URLs with credentials; do what curl does and send them as Basic authentication.
function withCredentialsAsHeader(url: URL, headers: Headers): URL {
  if (url.username === '' && url.password === '') return url;
  if (!headers.has('authorization')) {
    const pair = `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`;
    headers.set('authorization', `Basic ${Buffer.from(pair).toString('base64')}`);
  }
  const bare = new URL(url.href);
  bare.username = '';
  bare.password = '';
  return bare;
}

function networkReason(error: unknown): string {
  // fetch rejects with TypeError('fetch failed') whose cause is the socket's error, which carries the code.
  const cause = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const code = typeof (cause as { code?: unknown })?.code === 'string' ? (cause as { code: string }).code : undefined;
  const message = cause instanceof Error ? cause.message : String(cause);
  if (code === undefined) return message || 'unknown network error';
  const known = NETWORK_REASONS[code];
  if (known !== undefined) return `${code} (${known})`;
  return message && !message.includes(code) ? `${code} (${message})` : message || code;
}
