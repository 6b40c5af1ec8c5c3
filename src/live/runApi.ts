// The run API of `weft serve` (spec section 14), JSON under /_weft/runs. It goes through the server's
// RunDispatcher to start and cancel runs, and through its HistoryStore to list and read them, and never past them:
// in queue mode the same code starts runs on workers.
//
// POST /_weft/runs answers as a webhook with `respond: ack` does, with the same checks in the same order: the body
// (413 too large, 408 too slow, 503 over the server's budget), JSON (400), the input's shape (400), then the flow
// (404 unknown id), its `inputs` (422, nothing runs), history (503 with Retry-After while it cannot be written),
// the server's run slots (503 with Retry-After when the backlog is full), then 202 once the run's first record is
// durable. Its trigger is recorded as `{ "type": "api" }`.
//
// Authentication is checked before this is called (apiAuth.ts).

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HistoryStore } from '../engine/history/historyStore';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import type { NodeRegistry } from '../engine/nodes/registry';
import type { RunRecord, RunStatus } from '../engine/run/runRecord';
import type { BodyBudget } from './bodyBudget';
import type { HistoryHealth } from './historyHealth';
import { inputShapeProblem } from './inputShape';
import { BodyError, readBody } from './readBody';
import type { RunDispatcher } from './runDispatcher';
import type { RunAdmission } from './runSlots';
import { send, type LiveLogEntry } from './webhookHandler';
import type { ApiRoute } from './webhookPath';

/** A flow the API can start: every flow of the server that compiles, by id. */
export interface ApiFlow {
  flow: CompiledFlow;
  secrets: Record<string, string>;
}

export interface RunApiContext {
  runs: RunDispatcher;
  history: HistoryStore;
  flows: ReadonlyMap<string, ApiFlow>;
  /** The flow a record's run belongs to, for resume (by its file when it has one, else by id). */
  flowOfRecord: (record: RunRecord) => ApiFlow | undefined;
  bodyLimitBytes: number;
  bodyTimeoutMs: number;
  budget: BodyBudget;
  health: HistoryHealth;
  /** Whether a run may start now (bounded concurrency); absent: always. */
  admitRun?: () => RunAdmission;
  registry?: NodeRegistry;
  closing: () => boolean;
  log: (entry: LiveLogEntry) => void;
  onRunEnd: (record: RunRecord, flowId: string) => void;
}

const STATUSES: ReadonlySet<string> = new Set<RunStatus>(['running', 'completed', 'failed', 'cancelled', 'interrupted']);
export const DEFAULT_LIST_LIMIT = 50;
export const MAX_LIST_LIMIT = 1000;

type Route = Exclude<ApiRoute, { name: 'events' } | { name: 'run-events' } | { name: 'unknown' }>;

class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers?: Record<string, string>,
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export async function handleRunApi(request: IncomingMessage, response: ServerResponse, route: Route, query: string, context: RunApiContext): Promise<void> {
  try {
    const answer = await answerRoute(request, route, query, context);
    send(response, answer.status, answer.body);
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const close = error.status === 408 || error.status === 413 || (error.status === 503 && !request.readableEnded);
    send(response, error.status, { error: { message: error.message, code: error.code }, ...error.extra }, error.headers, close);
  }
}

async function answerRoute(request: IncomingMessage, route: Route, query: string, context: RunApiContext): Promise<{ status: number; body: unknown }> {
  const method = request.method ?? 'GET';
  const allow = (methods: string): never => {
    throw new ApiError(405, 'method-not-allowed', `This accepts ${methods}.`, { allow: methods });
  };
  switch (route.name) {
    case 'runs':
      if (method === 'GET' || method === 'HEAD') return { status: 200, body: await listRuns(query, context) };
      if (method === 'POST') return startRun(request, context);
      return allow('GET, HEAD, POST');
    case 'run': {
      if (method !== 'GET' && method !== 'HEAD') return allow('GET, HEAD');
      return { status: 200, body: await recordOf(route.executionId, context) };
    }
    case 'cancel':
      if (method !== 'POST') return allow('POST');
      return cancelRun(route.executionId, context);
    case 'resume':
      if (method !== 'POST') return allow('POST');
      return resumeRun(request, route.executionId, context);
  }
}

async function listRuns(query: string, context: RunApiContext): Promise<{ runs: unknown[]; total: number }> {
  const params = new URLSearchParams(query);
  const flowId = params.get('flow') ?? undefined;
  const statuses = params.getAll('status').flatMap((value) => value.split(',')).filter((value) => value !== '');
  for (const status of statuses) {
    if (!STATUSES.has(status)) throw new ApiError(400, 'bad-query', `"status" is one of ${[...STATUSES].join(', ')}, not "${status.slice(0, 40)}".`);
  }
  const limit = integerParam(params, 'limit', DEFAULT_LIST_LIMIT, 0, MAX_LIST_LIMIT);
  const offset = integerParam(params, 'offset', 0, 0, Number.MAX_SAFE_INTEGER);
  const matching = await context.history.list({ flowId, ...(statuses.length > 0 ? { status: statuses as RunStatus[] } : {}) });
  return { runs: matching.slice(offset, offset + limit), total: matching.length };
}

function integerParam(params: URLSearchParams, name: string, fallback: number, min: number, max: number): number {
  const text = params.get(name);
  if (text === null) return fallback;
  const value = Number(text);
  if (!/^\d+$/.test(text) || value < min || value > max) throw new ApiError(400, 'bad-query', `"${name}" is a whole number from ${min} to ${max}, not "${text.slice(0, 40)}".`);
  return value;
}

async function recordOf(executionId: string, context: RunApiContext): Promise<RunRecord> {
  // By its full id only: history's prefix lookup is for people typing ids, an API client has the whole one.
  const record = await context.history.get(executionId).catch(() => undefined);
  if (record === undefined || record.id !== executionId) throw new ApiError(404, 'not-found', `No run ${executionId} in history.`);
  return record;
}

async function startRun(request: IncomingMessage, context: RunApiContext): Promise<{ status: number; body: unknown }> {
  const body = await jsonBody(request, context);
  if (body === null || typeof body !== 'object' || Array.isArray(body) || typeof (body as { flow?: unknown }).flow !== 'string') {
    throw new ApiError(400, 'bad-request', 'The body is { "flow": "<flow id>", "input": ... }.');
  }
  const { flow: flowId, input } = body as { flow: string; input?: unknown };
  const target = context.flows.get(flowId);
  if (target === undefined) throw new ApiError(404, 'unknown-flow', `This server has no flow "${flowId.slice(0, 200)}".`);
  const validation = target.flow.validateInput(input);
  if (!validation.ok) {
    throw new ApiError(422, 'invalid-input', "The input does not match the flow's inputs; nothing ran.", undefined, { errors: validation.errors });
  }
  const run = startAdmitted(context, target.flow, { input, trigger: { type: 'api' }, secrets: target.secrets });
  return { status: 202, body: { executionId: await accepted(run, context) } };
}

async function cancelRun(executionId: string, context: RunApiContext): Promise<{ status: number; body: unknown }> {
  const outcome = await context.runs.cancel(executionId, 'Cancelled through the run API.');
  if (outcome === 'cancelled') return { status: 202, body: { executionId, status: 'cancelled' } };
  if (outcome === 'not-found') throw new ApiError(404, 'not-found', `No run ${executionId}.`);
  const record = await context.history.get(executionId).catch(() => undefined);
  if (record?.status === 'running') {
    throw new ApiError(409, 'not-here', `Run ${executionId} is running, but not in this server: it cannot be cancelled from here.`);
  }
  throw new ApiError(409, 'ended', `Run ${executionId} has already ended (${record?.status ?? 'ended'}).`);
}

async function resumeRun(request: IncomingMessage, executionId: string, context: RunApiContext): Promise<{ status: number; body: unknown }> {
  const body = await jsonBody(request, context);
  if (body !== undefined && (body === null || typeof body !== 'object' || Array.isArray(body))) {
    throw new ApiError(400, 'bad-request', 'The body is empty or { "from"?: "<node id>" }.');
  }
  const from = (body as { from?: unknown } | undefined)?.from;
  if (from !== undefined && typeof from !== 'string') throw new ApiError(400, 'bad-request', '"from" is a node id.');
  const previous = await recordOf(executionId, context);
  if (previous.status === 'running' || context.runs.ids().includes(executionId)) {
    throw new ApiError(409, 'running', `Run ${executionId} is still running; cancel it first, or wait for it to end.`);
  }
  const target = context.flowOfRecord(previous);
  if (target === undefined) throw new ApiError(404, 'unknown-flow', `This server has no flow "${previous.flowId}" to resume run ${executionId} with.`);
  if (from !== undefined && !target.flow.graph.byId.has(from)) {
    throw new ApiError(404, 'unknown-node', `The flow "${target.flow.id}" has no node "${from.slice(0, 200)}".`);
  }
  const run = startAdmitted(context, target.flow, {
    input: previous.input,
    trigger: { type: 'api' },
    secrets: target.secrets,
    resumeFrom: previous,
    ...(from !== undefined ? { rerunFrom: from } : {}),
  });
  return { status: 202, body: { executionId: await accepted(run, context) } };
}

/** Checks history and the run slots, then starts the run in the same turn (runSlots.ts: the bound is exact). */
function startAdmitted(context: RunApiContext, flow: CompiledFlow, options: Parameters<RunDispatcher['start']>[1]): ReturnType<RunDispatcher['start']> {
  if (context.closing()) throw new ApiError(503, 'stopping', 'The live server is stopping.', { 'retry-after': '5' });
  const slots = context.admitRun?.() ?? { ok: true };
  if (!slots.ok) throw new ApiError(503, 'busy', slots.message, { 'retry-after': String(slots.retryAfterSeconds) });
  const admission = context.health.admit();
  if (!admission.admit) {
    const seconds = Math.max(1, Math.ceil(admission.retryAfterMs / 1000));
    throw new ApiError(503, 'history-unavailable', `Run history cannot be written; nothing ran. Try again in ${seconds} s.`, { 'retry-after': String(seconds) });
  }
  const run = context.runs.start(flow, { ...options, registry: context.registry, durableStart: admission.probe });
  if (admission.probe) {
    const ended = (): void => context.health.probeEnded();
    run.firstCheckpoint.then(ended, ended);
  }
  run.done.then(
    (record) => context.onRunEnd(record, flow.id),
    () => undefined, // reported through firstCheckpoint
  );
  context.log({ level: 'info', kind: 'run', flowId: flow.id, executionId: run.executionId, message: `${flow.id} run ${run.executionId} started through the run API` });
  return run;
}

/** The run's id once its first record is durable (a 202 is a promise that it will happen). */
async function accepted(run: ReturnType<RunDispatcher['start']>, context: RunApiContext): Promise<string> {
  try {
    await run.firstCheckpoint;
  } catch (error) {
    const message = `The run could not be recorded, so it did not start: ${(error as Error).message}`;
    throw new ApiError(503, 'history-unavailable', message, { 'retry-after': String(context.health.retryAfterSeconds) });
  }
  return run.executionId;
}

/** The request's JSON body (undefined when empty), with the webhooks' limits and answers. */
async function jsonBody(request: IncomingMessage, context: RunApiContext): Promise<unknown> {
  let body: Buffer;
  try {
    body = await readBody(request, { limitBytes: context.bodyLimitBytes, timeoutMs: context.bodyTimeoutMs, budget: context.budget });
  } catch (error) {
    if (!(error instanceof BodyError)) throw error;
    const code = error.status === 413 ? 'body-too-large' : error.status === 408 ? 'body-timeout' : error.status === 503 ? 'busy' : 'bad-body';
    throw new ApiError(error.status, code, error.message, error.status === 503 ? { 'retry-after': '1' } : undefined);
  }
  try {
    if (body.length === 0) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(body.toString('utf8'));
    } catch (error) {
      // JSON.parse's message quotes the body, which may hold a secret: only the position is told.
      const position = /position (\d+)/.exec((error as Error).message)?.[1];
      throw new ApiError(400, 'invalid-json', `The body is not JSON${position === undefined ? '' : ` (at character ${position})`}.`);
    }
    const shape = inputShapeProblem(value);
    if (shape) throw new ApiError(400, shape.code, shape.message);
    return value;
  } finally {
    context.budget.give(body.length);
  }
}
