// One webhook request, from the route to the response (spec section 8). The order of the checks is what a client
// sees and is stated here once: route (404), method (405 with Allow), rate limit (429 with Retry-After, before
// anything is read), body size and time (413, 408), secret (401), JSON (400), the flow's `inputs` (422, nothing
// runs), then the run: `ack` answers 202 once the run's first checkpoint is in history, `result` answers 200 with
// the output or 500 with the error once the run has ended.
//
// Every answer to a request for a flow's path is recorded in that flow's invocation log (method, status,
// latency, run), accepted or not.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RunRecord, TriggerInfo } from '../engine/run/runRecord';
import type { ServedFlow, WebhookRoute } from './activateFlows';
import type { Invocation, InvocationLog } from './invocationLog';
import type { LiveRuns } from './liveRuns';
import type { RateLimiter } from './rateLimiter';
import { BodyError, readBody } from './readBody';
import { recordedHeaders } from './recordedHeaders';
import { checkWebhookAuth } from './webhookAuth';
import { queryObject } from './webhookPath';

/** A served flow's state while the server runs. */
export interface LiveFlow {
  served: ServedFlow;
  limiter: RateLimiter;
  log: InvocationLog;
  /** Every secret value the flow knows: kept out of recorded headers. */
  secretValues: string[];
}

export interface HookRoute {
  route: WebhookRoute;
  flow: LiveFlow;
}

export type LiveLogLevel = 'info' | 'warn' | 'error';

/** What the server reports as it works; the CLI prints these, the editor may show them. */
export interface LiveLogEntry {
  level: LiveLogLevel;
  kind: 'invocation' | 'run' | 'schedule' | 'resume' | 'server';
  message: string;
  flowId?: string;
  executionId?: string;
  invocation?: Invocation;
}

export interface WebhookContext {
  runs: LiveRuns;
  bodyLimitBytes: number;
  bodyTimeoutMs: number;
  closing: () => boolean;
  log: (entry: LiveLogEntry) => void;
  /** Called when a run started by a request has ended. */
  onRunEnd: (record: RunRecord, flowId: string) => void;
}

const JSON_TYPE = 'application/json; charset=utf-8';

export async function handleWebhook(
  request: IncomingMessage,
  response: ServerResponse,
  byMethod: ReadonlyMap<string, HookRoute>,
  query: string,
  context: WebhookContext,
): Promise<void> {
  const started = performance.now();
  const at = new Date().toISOString();
  const method = request.method ?? 'GET';
  const hook = byMethod.get(method);
  const anyRoute = hook ?? byMethod.values().next().value;
  if (anyRoute === undefined) return; // the caller only passes paths that have routes
  const { flow } = anyRoute;
  const path = anyRoute.route.path;

  const finish = (status: number, body: unknown, options: { headers?: Record<string, string>; close?: boolean; executionId?: string; error?: string } = {}): void => {
    send(response, status, body, options.headers, options.close || shouldClose(request, status));
    const invocation: Invocation = { at, method, path, status, latencyMs: round(performance.now() - started) };
    if (options.executionId) invocation.executionId = options.executionId;
    if (options.error) invocation.error = options.error;
    flow.log.add(invocation);
    context.log({
      level: status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
      kind: 'invocation',
      message: `${method} /hooks/${path} ${status} ${invocation.latencyMs} ms${options.executionId ? ` run ${options.executionId}` : ''}${options.error ? `: ${options.error}` : ''}`,
      flowId: flow.served.flow.id,
      ...(options.executionId ? { executionId: options.executionId } : {}),
      invocation,
    });
  };
  const refuse = (status: number, code: string, message: string, headers?: Record<string, string>, extra?: Record<string, unknown>, logged = message): void =>
    finish(status, { error: { message, code }, ...extra }, { headers, error: logged });

  if (context.closing()) {
    refuse(503, 'stopping', 'The live server is stopping.', undefined);
    return;
  }
  if (hook === undefined) {
    const allow = [...byMethod.keys()].join(', ');
    refuse(405, 'method-not-allowed', `/hooks/${path} accepts ${allow}.`, { allow });
    return;
  }
  const { route } = hook;

  const token = flow.limiter.take();
  if (!token.ok) {
    const seconds = Math.max(1, Math.ceil(token.retryAfterMs / 1000));
    refuse(429, 'rate-limited', `Too many requests for flow '${route.flowId}'; try again in ${seconds} s.`, { 'retry-after': String(seconds) });
    return;
  }

  let body: Buffer;
  try {
    body = await readBody(request, { limitBytes: context.bodyLimitBytes, timeoutMs: context.bodyTimeoutMs });
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    if (error.status === 400 && request.destroyed) {
      flow.log.add({ at, method, path, status: 499, latencyMs: round(performance.now() - started), error: error.message });
      return; // the client is gone: there is nobody to answer
    }
    const code = error.status === 413 ? 'body-too-large' : error.status === 408 ? 'body-timeout' : 'bad-body';
    finish(error.status, { error: { message: error.message, code } }, { close: true, error: error.message });
    return;
  }

  let scheme: 'bearer' | 'signature' | undefined;
  if (route.secret !== undefined) {
    const auth = checkWebhookAuth(request.headers, body, route.secret);
    if (!auth.ok) {
      refuse(401, 'unauthorized', auth.reason, { 'www-authenticate': 'Bearer' });
      return;
    }
    scheme = auth.scheme;
  }

  let input: unknown;
  if (method === 'GET') {
    input = queryObject(query);
  } else if (body.length > 0) {
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch (error) {
      refuse(400, 'invalid-json', `The body is not JSON: ${(error as Error).message}`);
      return;
    }
  }

  const compiled = flow.served.flow;
  const validation = compiled.validateInput(input);
  if (!validation.ok) {
    const listed = validation.errors.slice(0, 3).map((e) => `input${e.path} ${e.message}`).join('; ');
    refuse(422, 'invalid-input', "The body does not match the flow's inputs; nothing ran.", undefined, { errors: validation.errors }, `invalid input: ${listed}`);
    return;
  }

  const trigger: TriggerInfo = {
    type: 'webhook',
    path: route.path,
    method,
    respond: route.respond,
    receivedAt: at,
    headers: recordedHeaders(request.headers, flow.secretValues),
  };
  if (query !== '' && method !== 'GET') trigger.query = queryObject(query);
  if (scheme) trigger.authenticated = scheme;

  const run = context.runs.start(compiled, { input, trigger, secrets: flow.served.secrets });
  const executionId = run.executionId;
  const headers = { 'x-weft-execution-id': executionId };
  run.done.then(
    (record) => context.onRunEnd(record, route.flowId),
    () => undefined, // reported through firstCheckpoint below
  );

  if (route.respond === 'ack') {
    try {
      await run.firstCheckpoint;
    } catch (error) {
      const message = `The run could not be recorded: ${(error as Error).message}`;
      finish(500, { executionId, error: { message, code: 'history' } }, { headers, executionId, error: message });
      return;
    }
    finish(202, { executionId }, { headers, executionId });
    return;
  }

  let record: RunRecord;
  try {
    record = await run.done;
  } catch (error) {
    const message = (error as Error).message;
    finish(500, { executionId, error: { message, code: 'internal' } }, { headers, executionId, error: message });
    return;
  }
  if (record.status === 'completed') {
    finish(200, record.output ?? null, { headers, executionId });
  } else if (record.status === 'interrupted' || (record.status === 'cancelled' && context.closing())) {
    const message = 'The live server stopped before the run ended; the next start resumes it.';
    finish(503, { executionId, error: { message, code: 'stopping' } }, { headers, executionId, error: message, close: true });
  } else {
    const error = record.error ?? { message: `The run ${record.status}.` };
    const body = { executionId, error: { message: error.message, ...(error.code ? { code: error.code } : {}), ...(error.nodeId ? { nodeId: error.nodeId } : {}) } };
    finish(500, body, { headers, executionId, error: error.message });
  }
}

/** Answers a request that names no flow: 400 for an odd path, 404 otherwise. */
export function refuseUnrouted(request: IncomingMessage, response: ServerResponse, status: 400 | 404 | 405 | 503, message: string, headers?: Record<string, string>): void {
  const code = status === 400 ? 'bad-path' : status === 404 ? 'not-found' : status === 405 ? 'method-not-allowed' : 'stopping';
  send(response, status, { error: { message, code } }, headers, shouldClose(request, status));
}

export function send(response: ServerResponse, status: number, body: unknown, headers?: Record<string, string>, close?: boolean): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': JSON_TYPE,
    'content-length': String(Buffer.byteLength(text)),
    'cache-control': 'no-store',
    ...headers,
    ...(close ? { connection: 'close' } : {}),
  });
  response.end(text);
}

/**
 * Whether to close the connection after answering: when the request body was not read (an early refusal) and may
 * be large or of unknown length, node would otherwise read and discard all of it to reuse the connection.
 */
function shouldClose(request: IncomingMessage, status: number): boolean {
  if (status === 408 || status === 413 || status === 503) return true;
  if (request.readableEnded) return false;
  const length = request.headers['content-length'];
  if (length === undefined) return request.headers['transfer-encoding'] !== undefined;
  return Number(length) > 64 * 1024;
}

function round(ms: number): number {
  return Math.round(ms * 100) / 100;
}
