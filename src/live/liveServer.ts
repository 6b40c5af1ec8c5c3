// Live mode (spec section 8, `weft serve`): one HTTP server (node:http only) for the webhook triggers of every
// flow under a directory, a timer per schedule trigger, and the runs they start, recorded in history. No printing:
// what happens goes to `onLog`, so the CLI and the editor can both host it.
//
// Start, in this order: activate the flows (compile, check triggers); listen (a port in use fails the start before
// anything runs); mark the runs of dead processes interrupted and resume those of served flows; start one catch-up
// run per schedule that missed due times while nothing served it; arm the schedules.
//
// Stop (close): refuse new work (503 on open connections, no new connections, schedules disarmed); give runs in
// flight `graceMs` to end; then suspend the rest (default: saved `interrupted`, resumed by the next start, a wait
// at its due time) or cancel them; flush invocation logs and history.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { CircuitSnapshot } from '../engine/circuit/circuitBreaker';
import { processCircuits } from '../engine/circuit/circuitRegistry';
import type { HistoryStore } from '../engine/history/historyStore';
import { secretsFromEnvironment } from '../api/runFlow';
import type { NodeRegistry } from '../engine/nodes/registry';
import type { RunRecord, TriggerInfo } from '../engine/run/runRecord';
import { BodyBudget, DEFAULT_BODY_BUDGET_BYTES } from './bodyBudget';
import { ApiAuth } from './apiAuth';
import { publishingEvents, RunEventHub, type RunEventHubStats } from './eventHub';
import { EventSockets } from './eventSocket';
import { EventStreams } from './eventSse';
import type { QueueModeFactory } from './queueModeHooks';
import { handleRunApi, type ApiFlow } from './runApi';
import { RunSlots, type RunSlotsStatus } from './runSlots';
import { DEFAULT_HISTORY_RETRY_MS, HistoryHealth, type HistoryHealthStatus } from './historyHealth';
import { IdempotencyKeys, idempotencyKeysFile } from './idempotencyKeys';
import { activateFlows, type Activation, type LiveProblem, type ScheduleSpec } from './activateFlows';
import { InvocationLog, invocationLogFile, type Invocation } from './invocationLog';
import { lastScheduledRuns, scheduleKey } from './lastScheduledRuns';
import { LiveRuns } from './liveRuns';
import { RateLimiter } from './rateLimiter';
import { DEFAULT_BODY_LIMIT_BYTES, DEFAULT_BODY_TIMEOUT_MS } from './readBody';
import { runsToResume } from './runsToResume';
import { nextTimes, planCatchUp, ScheduleTimer } from './schedules';
import { handleWebhook, refuseUnrouted, send, type HookRoute, type LiveFlow, type LiveLogEntry } from './webhookHandler';
import { HOOKS_PREFIX, parseRequestTarget, type ApiRoute } from './webhookPath';

export type { LiveLogEntry } from './webhookHandler';

export const DEFAULT_PORT = 8787;
export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_RATE_LIMIT = 100;
export const DEFAULT_GRACE_MS = 5000;

export interface LiveServerOptions {
  /** The directories (searched recursively, as `weft validate` does) and flow files whose flows are served. */
  dir: string | readonly string[];
  /** Default 8787; 0 picks a free port (see `port` on the result). */
  port?: number;
  /** Default 127.0.0.1. Anything else exposes the webhooks beyond this machine. */
  host?: string;
  /** Where runs are recorded; also the home of `live/<flowId>.invocations.json`. */
  history: HistoryStore;
  /** Secret values by name. Default: environment variables of the same name. */
  secrets?: Record<string, string | undefined>;
  /** Webhook requests per second per flow (a token bucket, bursts up to one second's worth). 0: no limit. Default 100. */
  rateLimit?: number;
  /** Default 1 MiB (spec section 8). */
  bodyLimitBytes?: number;
  /** A request's headers and body must arrive within this. Default 10 s. */
  bodyTimeoutMs?: number;
  /** The bytes of request bodies held at once, across all requests; past it a request is answered 503. Default 32 MiB. */
  bodyBudgetBytes?: number;
  /** While history cannot be written, how long new requests are refused (503, Retry-After) between probes. Default 5 s. */
  historyRetryMs?: number;
  registry?: NodeRegistry;
  /** Flows already activated (the CLI activates first to print problems and decide whether to start). */
  activation?: Activation;
  /** Resume interrupted runs of the served directory's flows on start. Default true. */
  resumeInterrupted?: boolean;
  /** Start a catch-up run for schedules that missed due times (schedules.ts). Default true. */
  catchUpMissed?: boolean;
  /** Invocations kept per flow. Default 50. */
  invocationsKept?: number;
  onLog?: (entry: LiveLogEntry) => void;
  /** Queue mode (spec section 15, src/queue/queueMode.ts): runs are enqueued for workers; this server runs none. */
  queue?: QueueModeFactory;
  /** Events kept for clients that reconnect (`since`). Default 10,000 (eventHub.ts). */
  eventBufferEvents?: number;
  /** Bytes of serialized events kept for them. Default 16 MiB. */
  eventBufferBytes?: number;
  /**
   * The bearer token of the run API and the event stream (WEFT_API_TOKEN; apiAuth.ts). Unset: they answer only
   * when the server is bound to a loopback address.
   */
  apiToken?: string;
  /** Runs executing at once. Default 64 (runSlots.ts). */
  concurrency?: number;
  /** Runs waiting for a slot; past it new requests get 503 with Retry-After. Default 256. */
  backlog?: number;
  /** Bytes an event stream client may hold unsent before it is dropped. Default 4 MiB (eventSocket.ts). */
  eventClientBufferedBytes?: number;
  /** WebSocket event clients at once. Default 1,000. */
  eventClients?: number;
  /** How often event stream clients are pinged (a silent one is cut at the next). Default 30 s. */
  eventPingIntervalMs?: number;
}

export interface CloseOptions {
  /** How long runs in flight may take to end before they are suspended or cancelled. Default 5 s. */
  graceMs?: number;
  /** What happens to runs still in flight after the grace time. Default suspend. */
  inFlight?: 'suspend' | 'cancel';
}

export interface CloseResult {
  /** Runs saved as interrupted, for the next start to resume. */
  suspended: string[];
  /** Runs cancelled. */
  cancelled: string[];
}

export interface ResumedRun {
  from: string;
  executionId: string;
  flowId: string;
}

export interface CatchUpRun {
  flowId: string;
  cron: string;
  executionId: string;
  scheduledFor: string;
  missed: number;
}

export interface LiveStatus {
  url: string;
  pid: number;
  startedAt: string;
  inFlight: number;
  flows: LiveFlowStatus[];
  problems: Array<Omit<LiveProblem, 'diagnostics'> & { errors?: string[] }>;
  /** Recent requests that named no flow (404, 400), newest first. */
  unmatched: Invocation[];
  /** Whether run history can be written; while it cannot, webhook requests are answered 503. */
  history: HistoryHealthStatus;
  /** Bytes of request bodies held right now (see bodyBudgetBytes). */
  heldBodyBytes: number;
  /**
   * The circuit breakers of this process's ai and http calls, one per target called with `circuitBreaker`, in
   * first-use order. In queue mode the workers call the targets: the circuits they share in Redis, by target.
   */
  circuits: CircuitSnapshot[];
  /** Runs executing and waiting for a slot, and the bounds. */
  slots: RunSlotsStatus;
  /** The event stream: its cursor, buffer and subscribers. */
  events: RunEventHubStats;
}

export interface LiveFlowStatus {
  id: string;
  file: string;
  webhooks: Array<{ url: string; method: string; respond: string; secured: boolean }>;
  schedules: Array<{ cron: string; timezone: string; next: string[] }>;
  /** Newest first. */
  recentInvocations: Invocation[];
}

export interface LiveServer {
  /** `http://host:port`, the base of every webhook URL. */
  readonly url: string;
  readonly host: string;
  readonly port: number;
  readonly activation: Activation;
  readonly resumed: ResumedRun[];
  readonly catchUps: CatchUpRun[];
  /** Runs in flight. */
  inFlight(): number;
  /** The live event stream (spec section 14): runs of this process publish into it; queue mode publishes relayed events. */
  readonly events: RunEventHub;
  status(): LiveStatus;
  close(options?: CloseOptions): Promise<CloseResult>;
}

const UNMATCHED_KEPT = 50;

export async function startLiveServer(options: LiveServerOptions): Promise<LiveServer> {
  const host = options.host ?? DEFAULT_HOST;
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const history = options.history;
  const log = (entry: LiveLogEntry): void => {
    try {
      options.onLog?.(entry);
    } catch {
      // A logger's failure is not the server's.
    }
  };
  const activation = options.activation ?? activateFlows(options.dir, { secrets: options.secrets, registry: options.registry });
  const health = new HistoryHealth(options.historyRetryMs ?? DEFAULT_HISTORY_RETRY_MS);
  // One log line per run whose record could not be written (the engine keeps one record object per run).
  const reportedRuns = new WeakSet<RunRecord>();
  const liveRuns = new LiveRuns(history, {
    onWrite: (record, error) => {
      if (error === undefined) {
        if (health.writeSucceeded()) log({ level: 'info', kind: 'server', message: 'Run history can be written again; webhook requests are accepted.' });
        return;
      }
      const first = health.writeFailed(error);
      if (first) {
        log({ level: 'error', kind: 'server', message: `Run history cannot be written (${(error as Error).message}): webhook requests are answered 503 until it can.` });
      }
      if (!reportedRuns.has(record)) {
        reportedRuns.add(record);
        log({ level: 'error', kind: 'run', flowId: record.flowId, executionId: record.id, message: `Run ${record.id} of ${record.flowId} could not be recorded in history: ${(error as Error).message}` });
      }
    },
  });
  const events = new RunEventHub({ bufferEvents: options.eventBufferEvents, bufferBytes: options.eventBufferBytes });
  const slots = new RunSlots(liveRuns, { concurrency: options.concurrency, backlog: options.backlog });
  // Queue mode: the workers run what this server accepts; their events and records come back through the queue.
  const queue = options.queue
    ? await options.queue({
        history,
        activation,
        publish: (event, flowId) => void events.publish(event, flowId),
        log,
        onEnqueue: (error) => {
          if (error === undefined) {
            if (health.writeSucceeded()) log({ level: 'info', kind: 'server', message: 'Redis takes runs again; webhook requests are accepted.' });
          } else if (health.writeFailed(error)) {
            log({ level: 'error', kind: 'server', message: `Redis cannot take runs (${(error as Error).message}): webhook requests are answered 503 until it can.` });
          }
        },
      })
    : undefined;
  // In queue mode nothing runs here: no run slots, and the relay publishes the workers' events itself.
  const runs = queue ? queue.dispatcher : publishingEvents(slots, events);
  const auth = new ApiAuth(options.apiToken, isLoopbackHost(host));
  const eventClientBufferedBytes = options.eventClientBufferedBytes;
  const sockets = new EventSockets({ hub: events, auth, maxClientBufferedBytes: eventClientBufferedBytes, maxClients: options.eventClients, pingIntervalMs: options.eventPingIntervalMs });
  const budget = new BodyBudget(options.bodyBudgetBytes ?? DEFAULT_BODY_BUDGET_BYTES);
  const idempotency = new IdempotencyKeys(idempotencyKeysFile(history.dir));
  const startedAt = new Date().toISOString();
  let closing = false;

  // Per flow: its rate limiter and invocation log; per path: the routes by method.
  const flows: LiveFlow[] = [];
  const routes = new Map<string, Map<string, HookRoute>>();
  for (const served of activation.served) {
    const flow: LiveFlow = {
      served,
      limiter: new RateLimiter({ ratePerSecond: options.rateLimit ?? DEFAULT_RATE_LIMIT }),
      log: new InvocationLog({
        flowId: served.flow.id,
        file: invocationLogFile(history.dir, served.flow.id),
        capacity: options.invocationsKept,
        onWriteError: (error) => log({ level: 'warn', kind: 'server', message: `Could not write the invocation log of '${served.flow.id}': ${error.message}` }),
      }),
      secretValues: [
        ...Object.values(served.secrets),
        ...served.webhooks.flatMap((route) => (route.secret === undefined ? [] : [route.secret])),
      ],
    };
    flows.push(flow);
    for (const route of served.webhooks) {
      let byMethod = routes.get(route.path);
      if (!byMethod) routes.set(route.path, (byMethod = new Map()));
      byMethod.set(route.method, { route, flow });
    }
  }
  await Promise.all([...flows.map((flow) => flow.log.load()), idempotency.load()]);
  const unmatched: Invocation[] = [];

  const onRunEnd = (record: RunRecord, flowId: string): void => {
    if (closing && (record.status === 'cancelled' || record.status === 'interrupted')) return;
    const trigger = record.trigger.type;
    if (record.status === 'completed') {
      // Webhook runs are told by their request line; the others get a line of their own.
      if (trigger !== 'webhook') log({ level: 'info', kind: 'run', flowId, executionId: record.id, message: `${flowId} run ${record.id} completed (${trigger})` });
      return;
    }
    const reason = record.error ? `: ${record.error.nodeId ? `${record.error.nodeId}: ` : ''}${record.error.message}` : '';
    log({ level: 'warn', kind: 'run', flowId, executionId: record.id, message: `${flowId} run ${record.id} ${record.status} (${trigger})${reason}` });
  };

  const webhookContext = {
    runs,
    history,
    bodyLimitBytes: options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES,
    bodyTimeoutMs,
    budget,
    health,
    idempotency,
    closing: () => closing,
    log,
    onRunEnd,
    admitRun: () => slots.admit(),
  };

  // The flows the run API starts, by id: every flow that compiles (served or manual only), but no id two files share.
  const servedByFile = new Map(activation.served.map((served) => [served.file, served]));
  const apiFlows = new Map<string, ApiFlow>();
  const sharedIds = new Set<string>();
  for (const [file, flow] of activation.compiled) {
    if (apiFlows.has(flow.id)) sharedIds.add(flow.id);
    apiFlows.set(flow.id, { flow, secrets: servedByFile.get(file)?.secrets ?? secretsFromEnvironment(flow.secretNames, options.secrets) });
  }
  for (const id of sharedIds) apiFlows.delete(id);
  const apiFlowByFile = new Map([...apiFlows.values()].map((apiFlow) => [apiFlow.flow.file, apiFlow]));
  const runApiContext = {
    ...webhookContext,
    flows: apiFlows,
    flowOfRecord: (record: RunRecord): ApiFlow | undefined => (record.flowFile !== undefined ? apiFlowByFile.get(record.flowFile) : undefined) ?? apiFlows.get(record.flowId),
    registry: options.registry,
  };
  const streams = new EventStreams({ hub: events, history, runs, maxClientBufferedBytes: eventClientBufferedBytes ?? 4 * 1024 * 1024 });

  let url = '';
  const status = (): LiveStatus => ({
    url,
    pid: process.pid,
    startedAt,
    inFlight: runs.size,
    flows: flows.map((flow) => ({
      id: flow.served.flow.id,
      file: flow.served.file,
      webhooks: flow.served.webhooks.map((route) => ({
        url: `${url}${HOOKS_PREFIX}${route.path}`,
        method: route.method,
        respond: route.respond,
        secured: route.secret !== undefined,
      })),
      schedules: flow.served.schedules.map((schedule) => ({
        cron: schedule.cron,
        timezone: schedule.timezone,
        next: nextTimes(schedule.pattern, 5).map((time) => time.toISOString()),
      })),
      recentInvocations: flow.log.recent(),
    })),
    problems: activation.problems.map(({ diagnostics, ...problem }) => ({
      ...problem,
      ...(diagnostics ? { errors: diagnostics.map((d) => `${d.range ? `${d.range.start.line + 1}:${d.range.start.character + 1}: ` : ''}${d.message} [${d.code}]`) } : {}),
    })),
    unmatched: [...unmatched].reverse(),
    history: health.status(),
    heldBodyBytes: budget.heldBytes,
    circuits: processCircuits().snapshots(),
    slots: slots.status(),
    events: events.stats(),
  });

  const onRequest = (request: IncomingMessage, response: ServerResponse): void => {
    const target = parseRequestTarget(request.url ?? '/');
    if (target.kind === 'hook') {
      const byMethod = routes.get(target.path);
      if (byMethod) {
        handleWebhook(request, response, byMethod, target.query, webhookContext).catch((error: unknown) => {
          log({ level: 'error', kind: 'server', message: `Unexpected error answering ${request.method} /hooks/${target.path}: ${(error as Error)?.stack ?? String(error)}` });
          if (!response.headersSent) send(response, 500, { error: { message: 'Unexpected error in the live server.', code: 'internal' } }, undefined, true);
          else response.destroy();
        });
        return;
      }
    }
    const started = performance.now();
    const noteUnmatched = (status: number, error: string): void => {
      const invocation: Invocation = {
        at: new Date().toISOString(),
        method: request.method ?? '',
        // Without the query: it may carry a credential (`?token=`), and this goes to the log and the status.
        path: (request.url ?? '').split('?')[0].slice(0, 200),
        status,
        latencyMs: Math.round((performance.now() - started) * 100) / 100,
        error,
      };
      unmatched.push(invocation);
      if (unmatched.length > UNMATCHED_KEPT) unmatched.shift();
      log({ level: 'warn', kind: 'invocation', message: `${invocation.method} ${invocation.path} ${status}: ${error}`, invocation });
    };
    if (target.kind === 'api') {
      answerApi(request, response, target.route, target.query);
      return;
    }
    if (target.kind === 'status') {
      // The status lists files and flows: it answers this machine, or the holder of the API token (apiAuth.ts).
      if (!auth.checkStatus(request.headers, isLoopbackAddress(request.socket.remoteAddress)).ok) {
        refuseUnrouted(request, response, 404, 'Not found.');
      } else if (request.method !== 'GET' && request.method !== 'HEAD') {
        refuseUnrouted(request, response, 405, '/_weft/status accepts GET.', { allow: 'GET, HEAD' });
      } else if (queue) {
        // The workers call the targets: the circuits shown are the ones they share in Redis.
        Promise.all([queue.status(), queue.circuits().catch(() => [])]).then(
          ([queueStatus, circuits]) => send(response, 200, { ...status(), circuits, queue: queueStatus }),
          (error: unknown) => send(response, 200, { ...status(), queue: { error: (error as Error).message } }),
        );
      } else {
        send(response, 200, status());
      }
      return;
    }
    if (target.kind === 'bad-path') {
      noteUnmatched(400, target.reason);
      refuseUnrouted(request, response, 400, target.reason);
      return;
    }
    const message = target.kind === 'hook' ? `No flow is served at /hooks/${target.path}.` : 'Not found: webhooks are served under /hooks/<path>.';
    noteUnmatched(404, message);
    refuseUnrouted(request, response, 404, message);
  };

  const answerApi = (request: IncomingMessage, response: ServerResponse, route: ApiRoute, query: string): void => {
    const access = auth.checkApi(request.headers);
    if (!access.ok) {
      send(response, access.status, { error: { message: access.message, code: access.code } }, access.headers, !request.readableEnded);
      return;
    }
    const failed = (error: unknown): void => {
      log({ level: 'error', kind: 'server', message: `Unexpected error answering ${request.method} ${(request.url ?? '').split('?')[0]}: ${(error as Error)?.stack ?? String(error)}` });
      if (!response.headersSent) send(response, 500, { error: { message: 'Unexpected error in the live server.', code: 'internal' } }, undefined, true);
      else response.destroy();
    };
    if (route.name === 'events') {
      send(response, 426, { error: { message: '/_weft/events is a WebSocket: connect with Upgrade: websocket.', code: 'upgrade-required' } }, { upgrade: 'websocket' });
    } else if (route.name === 'run-events') {
      streams.handle(request, response, route.executionId).catch(failed);
    } else if (route.name === 'unknown') {
      send(response, 404, { error: { message: 'Not found: the run API is /_weft/runs, the event stream /_weft/events.', code: 'not-found' } });
    } else if (closing && request.method !== 'GET') {
      send(response, 503, { error: { message: 'The live server is stopping.', code: 'stopping' } }, { 'retry-after': '5' }, true);
    } else {
      handleRunApi(request, response, route, query, runApiContext).catch(failed);
    }
  };

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const target = parseRequestTarget(request.url ?? '/');
    if (target.kind === 'api' && target.route.name === 'events') {
      sockets.handleUpgrade(request, socket, head, target.query);
      return;
    }
    socket.on('error', () => socket.destroy());
    socket.end('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
  };

  const server: Server = createServer(
    {
      // node's own limits, behind readBody's: slow headers time out too, and a request is checked often enough
      // for a short timeout to mean something (node checks every 30 s by default).
      headersTimeout: bodyTimeoutMs,
      requestTimeout: bodyTimeoutMs + 1000,
      connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(bodyTimeoutMs / 4))),
      keepAliveTimeout: 5000,
    },
    onRequest,
  );
  const port = await listen(server, options.port ?? DEFAULT_PORT, host);
  url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  auth.allowOrigin(url);
  if (isLoopbackHost(host)) auth.allowOrigin(`http://localhost:${port}`);
  server.on('upgrade', onUpgrade);
  server.on('error', (error) => log({ level: 'error', kind: 'server', message: `The live server: ${error.message}` }));
  if (!isLoopbackHost(host)) {
    log({
      level: 'warn',
      kind: 'server',
      message: `Listening on ${host}, not on a loopback address: the webhooks can be called from other machines. Give every webhook a secret.`,
    });
    if (!auth.hasToken) {
      log({ level: 'warn', kind: 'server', message: 'The run API and the event stream (/_weft/) are off: set WEFT_API_TOKEN to use them beyond loopback.' });
    }
  }

  const resumed: ResumedRun[] = [];
  const catchUps: CatchUpRun[] = [];
  const timers: ScheduleTimer[] = [];
  const secretsOf = (file: string): Record<string, string> => servedByFile.get(file)?.secrets ?? {};

  // A start that fails after listening (history cannot be read or written: `.weft` is a file, a disk is full)
  // frees the port and stops what it started: nothing may be served without history.
  try {
    // In queue mode the workers resume runs (from their checkpoints in Redis), not this server.
    if (options.resumeInterrupted !== false && !queue) {
      await history.recoverInterrupted();
      const candidates = runsToResume(await history.list(), activation.compiled);
      for (const summary of candidates) {
        const flow = activation.compiled.get(summary.flowFile as string)!;
        const previous = await history.get(summary.id).catch(() => undefined);
        if (!previous) continue;
        const secrets = servedByFile.get(summary.flowFile as string)?.secrets ?? secretsFromEnvironment(flow.secretNames, options.secrets);
        const run = runs.start(flow, { trigger: previous.trigger, resumeFrom: previous, secrets, registry: options.registry });
        run.done.then(
          (record) => onRunEnd(record, flow.id),
          (error: unknown) => log({ level: 'error', kind: 'resume', flowId: flow.id, message: `Could not resume run ${summary.id}: ${(error as Error).message}` }),
        );
        resumed.push({ from: summary.id, executionId: run.executionId, flowId: flow.id });
        const changed = flow.hash !== previous.flowHash ? ' (the flow changed since; its completed nodes are reused as they were)' : '';
        log({ level: 'info', kind: 'resume', flowId: flow.id, executionId: run.executionId, message: `Resuming interrupted run ${summary.id} of ${flow.id} as ${run.executionId}${changed}` });
      }
    }

    const fire = (flow: LiveFlow, schedule: ScheduleSpec, dueAt: Date, missed: number): string => {
      const trigger: TriggerInfo = { type: 'schedule', cron: schedule.cron, timezone: schedule.timezone, scheduledFor: dueAt.toISOString() };
      if (missed > 0) {
        trigger.catchUp = true;
        trigger.missed = missed;
      }
      const run = runs.start(flow.served.flow, { input: schedule.input, trigger, secrets: secretsOf(flow.served.file), registry: options.registry });
      run.done.then(
        (record) => onRunEnd(record, schedule.flowId),
        (error: unknown) => log({ level: 'error', kind: 'schedule', flowId: schedule.flowId, message: `Schedule "${schedule.cron}" of ${schedule.flowId} could not start a run: ${(error as Error).message}` }),
      );
      return run.executionId;
    };

    if (queue) await queue.armSchedules();
    for (const flow of queue ? [] : flows) {
      if (flow.served.schedules.length === 0) continue;
      const last = options.catchUpMissed === false ? new Map<string, Date>() : await lastScheduledRuns(history, flow.served.flow.id);
      for (const schedule of flow.served.schedules) {
        const catchUp = planCatchUp(schedule.pattern, last.get(scheduleKey(schedule.cron, schedule.timezone)), new Date());
        if (catchUp) {
          const executionId = fire(flow, schedule, catchUp.dueAt, catchUp.missed);
          const scheduledFor = catchUp.dueAt.toISOString();
          catchUps.push({ flowId: schedule.flowId, cron: schedule.cron, executionId, scheduledFor, missed: catchUp.missed });
          log({
            level: 'warn',
            kind: 'schedule',
            flowId: schedule.flowId,
            executionId,
            message: `Schedule "${schedule.cron}" of ${schedule.flowId} missed ${catchUp.missed} time${catchUp.missed === 1 ? '' : 's'} while nothing was serving; one catch-up run ${executionId} for ${scheduledFor}`,
          });
        }
        const timer = new ScheduleTimer(schedule.pattern, (dueAt, missed) => {
          const executionId = fire(flow, schedule, dueAt, missed);
          log({
            level: missed > 0 ? 'warn' : 'info',
            kind: 'schedule',
            flowId: schedule.flowId,
            executionId,
            message: `Schedule "${schedule.cron}" of ${schedule.flowId} fired for ${dueAt.toISOString()}: run ${executionId}${missed > 0 ? ` (late: one run for ${missed} due times)` : ''}`,
          });
        });
        timer.start();
        timers.push(timer);
      }
    }
  } catch (error) {
    closing = true;
    for (const timer of timers) timer.stop();
    await runs.cancelAll().catch(() => undefined);
    await queue?.close().catch(() => undefined);
    sockets.closeAll();
    const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await serverClosed;
    throw error;
  }

  let closed: Promise<CloseResult> | undefined;
  const close = (closeOptions: CloseOptions = {}): Promise<CloseResult> => {
    closed ??= (async (): Promise<CloseResult> => {
      closing = true;
      for (const timer of timers) timer.stop();
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const graceMs = closeOptions.graceMs ?? DEFAULT_GRACE_MS;
      const result: CloseResult = { suspended: [], cancelled: [] };
      if (!(await runs.settle(graceMs))) {
        const reason = 'The live server stopped before the run ended; the next `weft serve` resumes it.';
        if ((closeOptions.inFlight ?? 'suspend') === 'suspend') {
          result.suspended = await runs.suspendAll(reason);
        } else {
          result.cancelled = runs.ids();
          await runs.cancelAll();
        }
      }
      // Event clients saw the runs' last events; answers to requests still open (a `result` whose run was just
      // stopped) have been written by now.
      sockets.closeAll();
      streams.closeAll();
      server.closeAllConnections();
      await serverClosed;
      await queue?.close();
      await Promise.all(flows.map((flow) => flow.log.flush()));
      await history.flush();
      return result;
    })();
    return closed;
  };

  return {
    url,
    host,
    port,
    activation,
    resumed,
    catchUps,
    inFlight: () => runs.size,
    events,
    status,
    close,
  };
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : port);
    });
  });
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  return address === '::1' || /^(::ffff:)?127\.\d+\.\d+\.\d+$/.test(address);
}
