// One webhook request, from the route to the response (spec section 8). The order of the checks is what a client
// sees and is stated here once: route (404), method (405 with Allow), then the secret (401), from the headers alone
// when they decide it (a bearer token, or no credential at all: the body is never read); only an HMAC signature
// needs the body, which is then read first. An unauthenticated request therefore never reads a body, nor takes
// from the flow's rate budget. Then a repeated Idempotency-Key (the first answer again, nothing runs); the rate
// limit (429 with Retry-After); the body, if not read yet (413 over the size limit, 408 too slow, 503 past what the
// server holds at once across all requests); JSON (400, the body never echoed); the input's shape (400: nesting
// over 64 levels, `__proto__`/`constructor`/`prototype` keys); the flow's `inputs` (422, nothing runs); history
// (503 with Retry-After while it cannot be written); then the run: `ack` answers 202 once the run's first record
// is written, before any node runs (if it cannot be written: 503, nothing ran); `result` answers 200 with the
// output or 500 with the error once the run has ended.
//
// Every answer to a request for a flow's path is recorded in that flow's invocation log (method, status,
// latency, run), accepted or not.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { deferred } from '../engine/history/deferred';
import type { HistoryStore } from '../engine/history/historyStore';
import type { RunRecord, TriggerInfo } from '../engine/run/runRecord';
import type { ServedFlow, WebhookRoute } from './activateFlows';
import type { BodyBudget } from './bodyBudget';
import type { HistoryHealth } from './historyHealth';
import { MAX_IDEMPOTENCY_KEY_LENGTH, type IdempotencyKeys } from './idempotencyKeys';
import { inputShapeProblem } from './inputShape';
import type { Invocation, InvocationLog } from './invocationLog';
import type { RateLimiter } from './rateLimiter';
import type { RunDispatcher } from './runDispatcher';
import type { RunAdmission } from './runSlots';
import { BodyError, readBody } from './readBody';
import { recordedHeaders } from './recordedHeaders';
import { credentialParameters, recordedQuery } from './recordedQuery';
import { queryObject } from './webhookPath';
import { checkWebhookAuth, checkWebhookAuthHeaders } from './webhookAuth';

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
  runs: RunDispatcher;
  /** Where this server records runs (an Idempotency-Key's replay reads the first run's record). */
  history: HistoryStore;
  bodyLimitBytes: number;
  bodyTimeoutMs: number;
  /** The bytes of bodies held at once, across all requests. */
  budget: BodyBudget;
  health: HistoryHealth;
  idempotency: IdempotencyKeys;
  closing: () => boolean;
  log: (entry: LiveLogEntry) => void;
  /** Called when a run started by a request has ended. */
  onRunEnd: (record: RunRecord, flowId: string) => void;
  /** Whether a run may start now (runSlots.ts: bounded concurrency and backlog); absent: always. */
  admitRun?: () => RunAdmission;
}

const JSON_TYPE = 'application/json; charset=utf-8';
export const IDEMPOTENCY_HEADER = 'idempotency-key';

interface Answer {
  status: number;
  body: unknown;
  error?: string;
  close?: boolean;
}

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

  // The body, once read: its bytes count against the server's budget until it is parsed.
  let body: Buffer | undefined;
  const readOrRefuse = async (): Promise<Buffer | undefined> => {
    try {
      return await readBody(request, { limitBytes: context.bodyLimitBytes, timeoutMs: context.bodyTimeoutMs, budget: context.budget });
    } catch (error) {
      if (!(error instanceof BodyError)) throw error;
      if (error.status === 400 && request.destroyed) {
        flow.log.add({ at, method, path, status: 499, latencyMs: round(performance.now() - started), error: error.message });
        return undefined; // the client is gone: there is nobody to answer
      }
      const code = error.status === 413 ? 'body-too-large' : error.status === 408 ? 'body-timeout' : error.status === 503 ? 'busy' : 'bad-body';
      const headers = error.status === 503 ? { 'retry-after': '1' } : undefined;
      finish(error.status, { error: { message: error.message, code } }, { close: true, error: error.message, headers });
      return undefined;
    }
  };

  // Idempotency: the pending mark is settled on every way out of this function.
  const answered = deferred();
  try {
    let scheme: 'bearer' | 'signature' | undefined;
    if (route.secret !== undefined) {
      let auth = checkWebhookAuthHeaders(request.headers, route.secret);
      if (auth === undefined) {
        body = await readOrRefuse();
        if (body === undefined) return;
        auth = checkWebhookAuth(request.headers, body, route.secret);
      }
      if (!auth.ok) {
        refuse(401, 'unauthorized', auth.reason, { 'www-authenticate': 'Bearer' });
        return;
      }
      scheme = auth.scheme;
    }

    const idempotencyKey = single(request.headers[IDEMPOTENCY_HEADER]);
    if (idempotencyKey !== undefined) {
      if (idempotencyKey.trim() === '' || idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
        refuse(400, 'bad-idempotency-key', `An Idempotency-Key is 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`);
        return;
      }
      // A request with the same key still being answered: wait for it, then answer as it did.
      let pending: Promise<void> | undefined;
      while ((pending = context.idempotency.pending(route.flowId, idempotencyKey)) !== undefined) await pending;
      const remembered = context.idempotency.find(route.flowId, idempotencyKey);
      if (remembered) {
        const replay = await replayedAnswer(context, remembered.status, remembered.executionId);
        const headers = { 'x-weft-execution-id': remembered.executionId, 'idempotent-replayed': 'true' };
        finish(replay.status, replay.body, { headers, executionId: remembered.executionId, error: replay.error, close: replay.close });
        return;
      }
      context.idempotency.begin(route.flowId, idempotencyKey, answered.promise);
    }

    const token = flow.limiter.take();
    if (!token.ok) {
      const seconds = Math.max(1, Math.ceil(token.retryAfterMs / 1000));
      refuse(429, 'rate-limited', `Too many requests for flow '${route.flowId}'; try again in ${seconds} s.`, { 'retry-after': String(seconds) });
      return;
    }

    if (body === undefined) {
      body = await readOrRefuse();
      if (body === undefined) return;
    }

    let input: unknown;
    let maskInputKeys: string[] | undefined;
    if (method === 'GET') {
      const parameters = queryObject(query);
      input = parameters;
      maskInputKeys = credentialParameters(parameters, flow.secretValues);
    } else if (body.length > 0) {
      try {
        input = JSON.parse(body.toString('utf8'));
      } catch (error) {
        // JSON.parse's message quotes the body, which may be a secret: only the position is told.
        const position = /position (\d+)/.exec((error as Error).message)?.[1];
        refuse(400, 'invalid-json', `The body is not JSON${position === undefined ? '' : ` (at character ${position})`}.`);
        return;
      }
    }
    context.budget.give(body.length);
    body = undefined;

    const shape = inputShapeProblem(input);
    if (shape) {
      refuse(400, shape.code, shape.message);
      return;
    }

    const compiled = flow.served.flow;
    const validation = compiled.validateInput(input);
    if (!validation.ok) {
      const listed = validation.errors.slice(0, 3).map((e) => `input${e.path} ${e.message}`).join('; ');
      refuse(422, 'invalid-input', "The body does not match the flow's inputs; nothing ran.", undefined, { errors: validation.errors }, `invalid input: ${listed}`);
      return;
    }

    // The slots are asked in the same turn as the run starts below, so their bound is exact.
    const slots = context.admitRun?.();
    if (slots && !slots.ok) {
      refuse(503, 'busy', slots.message, { 'retry-after': String(slots.retryAfterSeconds) });
      return;
    }

    const admission = context.health.admit();
    if (!admission.admit) {
      const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
      refuse(503, 'history-unavailable', `Run history cannot be written; nothing ran. Try again in ${seconds} s.`, { 'retry-after': String(seconds) });
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
    if (query !== '' && method !== 'GET') trigger.query = recordedQuery(query, flow.secretValues);
    if (scheme) trigger.authenticated = scheme;

    // An `ack` is an answer that the run will happen: its first record is written before any node runs. While
    // history is failing, the probe run of a `result` flow starts the same way.
    const durableStart = route.respond === 'ack' || admission.probe;
    const run = context.runs.start(compiled, { input, trigger, secrets: flow.served.secrets, durableStart, maskInputKeys });
    const executionId = run.executionId;
    const headers = { 'x-weft-execution-id': executionId };
    run.done.then(
      (record) => context.onRunEnd(record, route.flowId),
      () => undefined, // reported through firstCheckpoint below
    );
    if (admission.probe) {
      const ended = (): void => context.health.probeEnded();
      run.firstCheckpoint.then(ended, ended);
    }

    const remember = async (status: number): Promise<void> => {
      if (idempotencyKey === undefined) return;
      try {
        await context.idempotency.remember(route.flowId, idempotencyKey, { at, status, executionId });
      } catch (error) {
        context.log({ level: 'error', kind: 'server', flowId: route.flowId, message: `Could not remember the Idempotency-Key of run ${executionId}: ${(error as Error).message}` });
      }
    };

    if (route.respond === 'ack') {
      try {
        await run.firstCheckpoint;
      } catch (error) {
        const message = `The run could not be recorded, so it did not start: ${(error as Error).message}`;
        finish(503, { error: { message, code: 'history-unavailable' } }, { headers: { 'retry-after': String(context.health.retryAfterSeconds) }, error: message });
        return;
      }
      await remember(202);
      finish(202, { executionId }, { headers, executionId });
      return;
    }

    let record: RunRecord;
    try {
      record = await run.done;
    } catch (error) {
      const message = (error as Error).message;
      if (durableStart || (error as { code?: unknown }).code === 'queue-unavailable') {
        // The probe's first record could not be written (or Redis could not take the run): the run did not start.
        const text = `The run could not be recorded, so it did not start: ${message}`;
        finish(503, { error: { message: text, code: 'history-unavailable' } }, { headers: { 'retry-after': String(context.health.retryAfterSeconds) }, error: text });
        return;
      }
      finish(500, { executionId, error: { message, code: 'internal' } }, { headers, executionId, error: message });
      return;
    }
    const answer = resultAnswer(record, context.closing());
    if (answer.status !== 503) await remember(answer.status);
    finish(answer.status, answer.body, { headers, executionId, error: answer.error, close: answer.close });
  } finally {
    if (body !== undefined) context.budget.give(body.length);
    answered.resolve();
  }
}

/** The answer of a `result` request from its run's final record. */
function resultAnswer(record: RunRecord, closing: boolean): Answer {
  const executionId = record.id;
  if (record.status === 'completed') return { status: 200, body: record.output ?? null };
  if (record.status === 'interrupted' && record.error?.code !== undefined && record.error.code !== 'interrupted') {
    // Queue mode's dead letter (a worker refused another version, the queue gave up): the run has not ended and
    // may still run after `weft retry`; say why, not that the server stopped.
    const message = record.error.message;
    return { status: 503, body: { executionId, error: { message, code: record.error.code } }, error: message };
  }
  if (record.status === 'interrupted' || (record.status === 'cancelled' && closing)) {
    const message = 'The live server stopped before the run ended; the next start resumes it.';
    return { status: 503, body: { executionId, error: { message, code: 'stopping' } }, error: message, close: true };
  }
  const error = record.error ?? { message: `The run ${record.status}.` };
  const body = { executionId, error: { message: error.message, ...(error.code ? { code: error.code } : {}), ...(error.nodeId ? { nodeId: error.nodeId } : {}) } };
  return { status: 500, body, error: error.message };
}

/** The first answer to an Idempotency-Key again: a 202 as it was; a result rebuilt from the run's record. */
async function replayedAnswer(context: WebhookContext, status: number, executionId: string): Promise<Answer> {
  if (status === 202) return { status: 202, body: { executionId } };
  const record = await context.history.get(executionId).catch(() => undefined);
  if (record && record.status !== 'running') return resultAnswer(record, false);
  const message = `The answer to this Idempotency-Key was ${status}; run ${executionId} is no longer in history.`;
  return { status, body: { executionId, error: { message, code: 'idempotent-replay' } }, error: message };
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
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
