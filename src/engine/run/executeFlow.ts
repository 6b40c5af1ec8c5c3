// One execution of a compiled flow: the run record, the event stream, the whole-run timeout and cancel around
// the top-level graph run. Knows nothing of files, history or VS Code: those subscribe through `onEvent` and
// `onCheckpoint` (see src/api/runFlow.ts).

import { randomFillSync } from 'node:crypto';
import { currentRunOwner } from '../history/ownerLease';
import { serializeError, WeftError } from '../errors';
import type { ExecutionInfo } from '../expr/scope';
import type { CompiledFlow } from '../model/compiledFlow';
import type { MockDefinition } from '../model/flowSchema';
import type { NodeServices } from '../nodes/nodeType';
import type { DebugAttachment } from './debugGate';
import type { EngineEvent } from './events';
import { GraphRun, type GraphOutcome } from './graphRun';
import { eventEmitter } from './eventEmitter';
import { isoAt, isoNow } from './isoClock';
import { LogBudget } from './logBudget';
import { setLongTimeout } from './longTimer';
import { missingSecretsError } from './missingSecrets';
import { planReuse } from './planReuse';
import { REDACTED, Redactor } from './redact';
import type { EventDraft, RunContext } from './runContext';
import type { NodeRecord, RunMode, RunRecord, TriggerInfo } from './runRecord';

export interface ExecuteOptions {
  /** The run input, already validated against `inputs` with defaults applied. */
  input?: unknown;
  executionId?: string;
  mode?: RunMode;
  trigger?: TriggerInfo;
  signal?: AbortSignal;
  onEvent?: (event: EngineEvent) => void;
  mocks?: Record<string, MockDefinition>;
  secrets?: Record<string, string>;
  services: Omit<NodeServices, 'runGraph'>;
  /** Persists the record at node boundaries; the engine awaits it only before the final event. */
  onCheckpoint?: (record: RunRecord) => Promise<void>;
  /** Await the first checkpoint before any node runs, and throw (nothing ran) when it fails: live mode's `ack`. */
  durableStart?: boolean;
  /** Reuse the completed nodes of an earlier run; with `rerunFrom`, only those not downstream of that node. */
  resume?: { from: RunRecord; rerunFrom?: string };
  parentExecutionId?: string;
  /**
   * Top-level input properties the run reads but its record and events keep as REDACTED, their values (8
   * characters or more) masked wherever they appear: a GET webhook's credential-like query parameters (an OAuth
   * callback's `code`), which the flow needs and history must not keep.
   */
  maskInputKeys?: readonly string[];
  /** A debugger's gate: asked before each node starts, told after each ends (debugGate.ts). */
  debug?: DebugAttachment;
}

export function newExecutionId(ms = Date.now()): string {
  // Time first, so ids sort by start; the random part keeps concurrent starts apart. Both halves are cheap
  // because a run's id is made before its first event: the time part is formatted once per millisecond, the
  // random part is read from a pool of random bytes.
  if (ms !== idPrefixMs) {
    idPrefixMs = ms;
    idPrefix = ms.toString(36).padStart(9, '0') + '-';
  }
  if (randomOffset + 4 > randomPool.length) {
    randomFillSync(randomPool);
    randomOffset = 0;
  }
  const at = randomOffset;
  randomOffset += 4;
  return idPrefix + HEX[randomPool[at]] + HEX[randomPool[at + 1]] + HEX[randomPool[at + 2]] + HEX[randomPool[at + 3]];
}

let idPrefixMs = -1;
let idPrefix = '';
const randomPool = new Uint8Array(4096);
let randomOffset = randomPool.length;
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

export async function executeFlow(flow: CompiledFlow, options: ExecuteOptions): Promise<RunRecord> {
  // The execution.started event goes out first, before the abort signal, the run timer and the run context are
  // made: a subscriber hears of the run within microseconds (bench: first-event latency). Nothing can abort
  // or time out a run before it yields to the event loop, so nothing is lost by arming those just after.
  const startedAtMs = Date.now();
  const startedAt = isoAt(startedAtMs);
  const t0 = performance.now();
  const executionId = options.executionId ?? newExecutionId(startedAtMs);
  const trigger: TriggerInfo = options.trigger ?? { type: 'manual' };
  const secrets = options.secrets ?? {};
  const input = options.input;
  const masked = maskedInput(input, options.maskInputKeys);
  const redactor = hasSecrets(secrets) || masked.values.length > 0 ? new Redactor({ ...secrets, ...maskedValuesAsSecrets(masked.values) }) : NO_SECRETS;

  const nodes: Record<string, NodeRecord> = {};
  for (const node of flow.graph.nodes) nodes[node.id] = { status: 'pending', attempts: 0 };
  const record: RunRecord = {
    id: executionId,
    flowId: flow.id,
    flowHash: flow.hash,
    status: 'running',
    mode: options.mode ?? 'run',
    // What started the run (a webhook's headers and query) may carry a secret's value too.
    trigger: redactor.value(trigger),
    input: redactor.value(masked.recorded),
    startedAt,
    owner: currentRunOwner(),
    nodes,
  };
  if (flow.file) record.flowFile = flow.file;
  if (options.resume) record.resumedFrom = options.resume.from.id;
  if (options.resume?.rerunFrom) record.rerunFrom = options.resume.rerunFrom;
  if (options.parentExecutionId) record.parentExecutionId = options.parentExecutionId;

  const emit = eventEmitter(executionId, options.onEvent);

  const checkpointSink = options.onCheckpoint;
  let checkpointFailure: unknown;
  const checkpoint = checkpointSink
    ? (): Promise<void> =>
        checkpointSink(record).catch((error: unknown) => {
          checkpointFailure ??= error;
        })
    : (): Promise<void> => RESOLVED;

  // Literals rather than spreads of optional parts (the same keys in the same order): this is the first event.
  const started: EventDraft & { type: 'execution.started' } = flow.file
    ? { type: 'execution.started', ts: startedAt, flowId: flow.id, flowFile: flow.file, mode: record.mode, trigger: record.trigger, input: record.input, nodeIds: nodeIdsOf(flow) }
    : { type: 'execution.started', ts: startedAt, flowId: flow.id, mode: record.mode, trigger: record.trigger, input: record.input, nodeIds: nodeIdsOf(flow) };
  if (record.resumedFrom) started.resumedFrom = record.resumedFrom;
  if (record.parentExecutionId) started.parentExecutionId = record.parentExecutionId;
  emit(started);
  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(new WeftError('cancelled', 'The run was cancelled.'));
  if (options.signal?.aborted) onOuterAbort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  // Created only when it fires: most runs never time out, and an Error with its stack is not free.
  let timeoutError: WeftError | undefined;
  // A debugged run has no whole-run timeout: the time it spends paused is the user's (node timeouts still apply).
  const timer = options.debug
    ? NO_TIMER
    : setLongTimeout(() => {
        timeoutError = new WeftError('timeout', `The run took longer than ${flow.settings.timeoutMs} ms and was stopped.`, { kind: 'operational' });
        controller.abort(timeoutError);
      }, flow.settings.timeoutMs);

  const reusePlan = options.resume ? planReuse(flow.graph, options.resume.from, options.resume.rerunFrom) : undefined;
  const execution: ExecutionInfo = { id: executionId, flowId: flow.id, startedAt, trigger };
  const run: RunContext = {
    flow,
    executionId,
    mode: record.mode,
    record,
    execution,
    trigger: input,
    variables: flow.variables,
    secrets,
    redactor,
    logBudget: new LogBudget(),
    signal: controller.signal,
    mocks: options.mocks ?? {},
    services: options.services,
    reuse: reusePlan?.reuse ?? EMPTY_MAP,
    savedStates: reusePlan?.savedStates ?? EMPTY_MAP,
    debug: options.debug,
    emit,
    checkpoint,
    now: isoNow,
  };

  if (options.durableStart && checkpointSink) {
    try {
      await checkpointSink(record);
    } catch (error) {
      timer.clear();
      options.signal?.removeEventListener('abort', onOuterAbort);
      controller.abort(RUN_ENDED);
      throw error;
    }
  } else {
    void checkpoint();
  }

  // A secret the run would read and does not have fails it here, before any node runs (missingSecrets.ts).
  const runs = (id: string): boolean => !Object.hasOwn(run.mocks, id) && !run.reuse.has(id);
  const missingSecret = missingSecretsError(flow, secrets, { runs, test: run.mode === 'test' });
  const outcome: GraphOutcome = missingSecret ? { status: 'failed', error: missingSecret } : await new GraphRun({
    run,
    graph: flow.graph,
    rootInput: input,
    nodesTable: {},
    parentSignal: controller.signal,
    concurrency: flow.settings.concurrency,
  }).execute();

  timer.clear();
  options.signal?.removeEventListener('abort', onOuterAbort);
  // Whatever is still in flight (a node that ignored its signal, a sandbox job) is told to stop.
  if (!controller.signal.aborted) controller.abort(RUN_ENDED);

  const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
  record.finishedAt = new Date(startedAtMs + durationMs).toISOString();
  record.durationMs = durationMs;
  settleRecord(record, outcome, timeoutError, redactor);

  // Persist the final record before announcing it, so a subscriber that reads history on the final event
  // finds the run there.
  if (checkpointSink) await checkpoint();
  if (checkpointFailure !== undefined) record.error ??= serializeError(checkpointFailure);

  const ts = record.finishedAt;
  if (record.status === 'completed') emit({ type: 'execution.completed', status: 'completed', output: record.output, durationMs, ts });
  else if (record.status === 'cancelled') emit({ type: 'execution.cancelled', status: 'cancelled', durationMs, ts });
  else emit({ type: 'execution.failed', status: 'failed', error: record.error ?? { message: 'The run failed.' }, durationMs, ts });
  return record;
}

function settleRecord(record: RunRecord, outcome: GraphOutcome, timeoutError: WeftError | undefined, redactor: Redactor): void {
  if (outcome.status === 'completed') {
    record.status = 'completed';
    record.output = redactor.value(outcome.output);
    return;
  }
  if (timeoutError !== undefined && outcome.error === timeoutError) {
    record.status = 'failed';
    record.error = { message: timeoutError.message, code: 'timeout', name: 'WeftError' };
    return;
  }
  if (outcome.status === 'cancelled') {
    record.status = 'cancelled';
    record.error = { message: 'The run was cancelled.', code: 'cancelled', name: 'WeftError' };
    return;
  }
  record.status = 'failed';
  const error = serializeError(outcome.error, outcome.failedNodeId);
  error.message = redactor.text(error.message);
  if (error.stack) error.stack = redactor.text(error.stack);
  // The run's error says which node failed; the node's record holds the details.
  if (!error.code) error.code = 'node-failed';
  record.error = error;
}

/** The node ids of a flow, in order, worked out once per compiled flow (every run's started event lists them). */
function nodeIdsOf(flow: CompiledFlow): string[] {
  let ids = nodeIdsCache.get(flow);
  if (ids === undefined) {
    ids = flow.graph.nodes.map((n) => n.id);
    nodeIdsCache.set(flow, ids);
  }
  // A copy: a subscriber may keep or change the event's list.
  return ids.slice();
}
const nodeIdsCache = new WeakMap<CompiledFlow, string[]>();

/** Values shorter than this are masked only where they are recorded as input: they would mask unrelated text. */
const MIN_MASKED_VALUE = 8;

/**
 * The values of masked input properties, as secrets (names no template can spell): a run redacts them wherever
 * they appear in its record, and a subflow it starts gets them too, so the child's record never holds what the
 * parent's masks (api/runFlow.ts).
 */
export function maskedInputSecrets(input: unknown, keys: readonly string[] | undefined): Record<string, string> {
  return maskedValuesAsSecrets(maskedInput(input, keys).values);
}

function maskedValuesAsSecrets(values: readonly string[]): Record<string, string> {
  return Object.fromEntries(values.map((value, i) => [`\0masked-input-${i}`, value]));
}

function maskedInput(input: unknown, keys: readonly string[] | undefined): { recorded: unknown; values: string[] } {
  if (keys === undefined || keys.length === 0 || input === null || typeof input !== 'object' || Array.isArray(input)) return { recorded: input, values: [] };
  const recorded: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const values: string[] = [];
  for (const key of keys) {
    if (!Object.hasOwn(recorded, key)) continue;
    const value = recorded[key];
    for (const item of Array.isArray(value) ? value : [value]) if (typeof item === 'string' && item.length >= MIN_MASKED_VALUE) values.push(item);
    recorded[key] = Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
  }
  return { recorded, values };
}

function hasSecrets(secrets: Record<string, string>): boolean {
  for (const _ in secrets) return true;
  return false;
}
/** Redacts nothing; one shared instance, since most runs read no secret. */
const NO_SECRETS = new Redactor({});

const RESOLVED = Promise.resolve();
const NO_TIMER = { clear: (): void => undefined };
/** The abort reason nodes still in flight see once their run has ended; one shared instance. */
const RUN_ENDED = new WeftError('cancelled', 'The run has ended.');
const EMPTY_MAP: ReadonlyMap<string, never> = new Map<string, never>();
