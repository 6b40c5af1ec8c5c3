// Runs one node of a flow alone ("Test this node"), with the engine's semantics: its config templates resolved
// against the scope given (the trigger and the upstream outputs a past run had, or the user's), its retries and
// per-attempt timeout, the flow's whole-run timeout as a cap, and optional mocks of the http and ai calls.
//
// Nothing is duplicated from the engine: the node runs through nodeRunner's `runNode` with a GraphRun of the
// flow as its host, the same host a real run gives it. That host records the attempt, the logs and the outcome
// into a run record that holds this node alone, and emits the same events (node.started, node.log,
// node.retrying, node.progress), so a view can fold them as it folds a run's. Nothing is written to history:
// this is a trial, not a run of the flow. Knows nothing of files or VS Code (the run worker calls it).

import { serializeError, WeftError, type SerializedError } from '../errors';
import type { CompiledFlow } from '../model/compiledFlow';
import type { InputContribution, NodeServices } from '../nodes/nodeType';
import type { EngineEvent } from './events';
import { newExecutionId } from './executeFlow';
import { GraphRun } from './graphRun';
import { eventEmitter } from './eventEmitter';
import { isoAt, isoNow } from './isoClock';
import { LogBudget } from './logBudget';
import { setLongTimeout } from './longTimer';
import { runNode } from './nodeRunner';
import { Redactor } from './redact';
import type { RunContext } from './runContext';
import type { LogEntry, NodeRecord, NodeUsage, RunRecord } from './runRecord';
import { mockedFetch, type SingleNodeMocks } from './singleNodeMocks';

export interface SingleNodeOptions {
  /** The node to run. */
  nodeId: string;
  /** What the node receives as `input` (and as its one input contribution when it has one incoming edge). */
  input: unknown;
  /** `{{ trigger }}`: the run input the node's templates read. */
  trigger?: unknown;
  /** `{{ nodes.* }}`: the upstream outputs the node's templates read, by node id. */
  nodes?: Record<string, unknown>;
  /** Answers for the node's http or ai calls instead of the network. */
  mocks?: SingleNodeMocks;
  secrets?: Record<string, string>;
  services: Omit<NodeServices, 'runGraph'>;
  signal?: AbortSignal;
  /** The events of the trial, as a run emits them (execution.* excepted). */
  onEvent?: (event: EngineEvent) => void;
}

/** What a trial of one node gives back: its outcome, its logs and how long it took. */
export interface SingleNodeResult {
  nodeId: string;
  status: 'completed' | 'failed' | 'cancelled';
  output?: unknown;
  /** The output ports that fired, when not just `out`. */
  ports?: string[];
  error?: SerializedError;
  logs: LogEntry[];
  attempts: number;
  startedAt: string;
  durationMs: number;
  usage?: NodeUsage;
}

export async function runSingleNode(flow: CompiledFlow, options: SingleNodeOptions): Promise<SingleNodeResult> {
  const node = flow.graph.byId.get(options.nodeId);
  // A loop body's node reads its item and index, which only its loop gives: testing it alone is not offered yet.
  if (!node) throw new WeftError('not-found', `Flow '${flow.id}' has no top-level node '${options.nodeId}' (a node inside a loop's body cannot be tested alone yet).`);

  const startedAtMs = Date.now();
  const startedAt = isoAt(startedAtMs);
  const t0 = performance.now();
  const executionId = newExecutionId(startedAtMs);
  const secrets = options.secrets ?? {};
  const redactor = new Redactor(secrets);
  const nodeRecord: NodeRecord = { status: 'pending', attempts: 0 };
  // The host writes the node's attempts and logs here, as it does in a run's record.
  const record: RunRecord = {
    id: executionId,
    flowId: flow.id,
    flowHash: flow.hash,
    status: 'running',
    mode: 'run',
    trigger: { type: 'manual' },
    input: redactor.value(options.trigger),
    startedAt,
    nodes: { [node.id]: nodeRecord },
  };

  const controller = new AbortController();
  const onOuterAbort = (): void => controller.abort(new WeftError('cancelled', 'The test of the node was cancelled.'));
  if (options.signal?.aborted) onOuterAbort();
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  // The flow's whole-run timeout caps a trial too: a node with no timeout of its own must not run forever.
  const timer = setLongTimeout(() => {
    controller.abort(new WeftError('timeout', `The test took longer than the flow's ${flow.settings.timeoutMs} ms and was stopped.`, { kind: 'operational' }));
  }, flow.settings.timeoutMs);

  const emit = eventEmitter(executionId, options.onEvent);

  const services = options.mocks ? { ...servicesOf(options.services), fetch: mockedFetch(options.mocks, options.services.fetch) } : options.services;
  const run: RunContext = {
    flow,
    executionId,
    mode: 'run',
    record,
    execution: { id: executionId, flowId: flow.id, startedAt, trigger: { type: 'manual' } },
    trigger: options.trigger,
    variables: flow.variables,
    secrets,
    redactor,
    logBudget: new LogBudget(),
    signal: controller.signal,
    mocks: {},
    services,
    reuse: EMPTY_MAP,
    savedStates: EMPTY_MAP,
    emit,
    checkpoint: () => RESOLVED,
    now: isoNow,
  };
  const host = new GraphRun({
    run,
    graph: flow.graph,
    rootInput: options.input,
    // A copy: a loop node's body writes its outputs into the table it is given.
    nodesTable: { ...(options.nodes ?? {}) },
    parentSignal: controller.signal,
    concurrency: flow.settings.concurrency,
  });

  let result: Awaited<ReturnType<typeof runNode>>;
  try {
    result = await runNode(host, node, options.input, contributionsOf(node, options));
  } catch (error) {
    result = { ok: false, error };
  } finally {
    timer.clear();
    options.signal?.removeEventListener('abort', onOuterAbort);
  }
  // The run's abort reason (timeout or cancel) says more than the error a node made of its aborted signal.
  const aborted = controller.signal.aborted ? (controller.signal.reason as unknown) : undefined;
  if (!controller.signal.aborted) controller.abort(TRIAL_ENDED);

  const durationMs = Math.round((performance.now() - t0) * 1000) / 1000;
  const outcome: SingleNodeResult = {
    nodeId: node.id,
    status: result.ok ? 'completed' : isCancel(aborted) ? 'cancelled' : 'failed',
    logs: nodeRecord.logs ?? [],
    attempts: nodeRecord.attempts,
    startedAt,
    durationMs,
  };
  if (result.ok) {
    outcome.output = redactor.value(result.output);
    if (result.ports.length !== 1 || result.ports[0] !== 'out') outcome.ports = [...result.ports];
    if (result.usage) outcome.usage = result.usage;
  } else {
    const error = serializeError(aborted ?? result.error, node.id);
    error.message = redactor.text(error.message);
    if (error.stack) error.stack = redactor.text(error.stack);
    outcome.error = error;
  }
  return outcome;
}

/**
 * The node's input contributions (what a merge node reads): with one incoming edge, the input itself; with
 * several, each source's output in `nodes` (what a past run had), since an edited input cannot be split back.
 */
function contributionsOf(node: { incoming: readonly { from: { id: string }; port: string }[] }, options: SingleNodeOptions): InputContribution[] {
  if (node.incoming.length === 0) return [];
  if (node.incoming.length === 1) return [{ from: node.incoming[0].from.id, port: node.incoming[0].port, value: options.input }];
  const nodes = options.nodes ?? {};
  return node.incoming.filter((edge) => Object.hasOwn(nodes, edge.from.id)).map((edge) => ({ from: edge.from.id, port: edge.port, value: nodes[edge.from.id] }));
}

/** Services field by field: a host's services may be a class whose getters a spread would not copy. */
function servicesOf(services: Omit<NodeServices, 'runGraph'>): Omit<NodeServices, 'runGraph'> {
  return {
    fetch: services.fetch,
    runCode: services.runCode,
    runSubflow: services.runSubflow,
    circuits: services.circuits,
    aiBaseUrl: services.aiBaseUrl,
  };
}

function isCancel(reason: unknown): boolean {
  return reason instanceof WeftError && reason.code === 'cancelled';
}

const RESOLVED = Promise.resolve();
const EMPTY_MAP: ReadonlyMap<string, never> = new Map<string, never>();
/** The abort reason what is still in flight sees once the trial has ended. */
const TRIAL_ENDED = new WeftError('cancelled', 'The test of the node has ended.');
