// The programmatic API's runFlow (spec section 13): compiles when given a path or a definition, validates the
// input, wires history (checkpoints at node boundaries), the code sandbox and subflows, and resolves with the
// run record whatever the run's status. It rejects only when the flow does not compile or the input is invalid.

import { dirname, resolve } from 'node:path';
import { WeftError } from '../engine/errors';
import { HistoryStore } from '../engine/history/historyStore';
import { compileFlow } from '../engine/model/compileFlow';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import type { Diagnostic } from '../engine/model/diagnostics';
import { hasErrors } from '../engine/model/diagnostics';
import type { MockDefinition } from '../engine/model/flowSchema';
import type { NodeServices, SubflowDescription, SubflowRunOptions } from '../engine/nodes/nodeType';
import { checkSubflowDepth } from '../engine/nodes/subflow';
import type { NodeRegistry } from '../engine/nodes/registry';
import type { DebugAttachment } from '../engine/run/debugGate';
import type { EngineEvent } from '../engine/run/events';
import { executeFlow, maskedInputSecrets } from '../engine/run/executeFlow';
import type { RunMode, RunRecord, TriggerInfo } from '../engine/run/runRecord';
import { sharedCodeSandbox } from './sharedSandbox';
import { loadFlow } from './loadFlow';
import { notifyAfterRun, type NotifyOutcome } from '../engine/run/notifyRun';

export interface RunFlowOptions {
  /** The run input (the trigger payload); validated against the flow's `inputs`, defaults applied. */
  input?: unknown;
  /** Called synchronously for every event, in order. */
  onEvent?: (event: EngineEvent) => void;
  /** Cancels the run. */
  signal?: AbortSignal;
  /** Nodes that do not execute and yield this instead (tests). */
  mocks?: Record<string, MockDefinition>;
  /** Secret values by name. Default: the environment variables named like the secrets the flow reads. */
  secrets?: Record<string, string>;
  /** A directory for run history (`.weft`), a store, or false for none. Default: `.weft` in the working directory. */
  history?: string | HistoryStore | false;
  mode?: RunMode;
  trigger?: TriggerInfo;
  /** Resume this run (a record, or its id in history): reuse its completed nodes, run the rest. */
  resumeFrom?: RunRecord | string;
  /** With resumeFrom: re-run from this node, reusing only nodes that are not downstream of it. */
  rerunFrom?: string;
  parentExecutionId?: string;
  /** Set by subflow nodes: the flow files from the top run down to this one, for the depth limit. */
  subflowChain?: string[];
  executionId?: string;
  registry?: NodeRegistry;
  /** Replace services: fetch for http and ai, the code sandbox, the default AI base URL, the circuit breakers. */
  services?: Partial<Omit<NodeServices, 'runGraph' | 'runSubflow'>>;
  /** The first checkpoint is durable before any node runs; when it cannot be written the run rejects, nothing ran. */
  durableStart?: boolean;
  /**
   * Where checkpoints go instead of a history (queue mode's workers write them to Redis): `history` is then not
   * opened. Subflow runs checkpoint here too.
   */
  onCheckpoint?: (record: RunRecord) => Promise<void>;
  /** Input properties the record keeps masked (see ExecuteOptions.maskInputKeys). */
  maskInputKeys?: readonly string[];
  /** A debugger's gate (src/debug): asked before each node of this run and of its subflow runs starts. */
  debug?: DebugAttachment;
  /**
   * After a run whose flow has settings.notify: the outcome of the POST and/or the subflow (never thrown; errors
   * are in it, without secret values). Not called for test runs nor for runs a notification started.
   */
  onNotified?: (outcome: NotifyOutcome) => void;
}

export async function runFlow(flowOrPath: CompiledFlow | string | object, options: RunFlowOptions = {}): Promise<RunRecord> {
  const flow = resolveFlow(flowOrPath, options.registry);
  const history = options.onCheckpoint ? undefined : openHistory(options.history);
  // Awaited only when there is something to look up: a turn of the event loop before the first event costs more
  // than the rest of a run's start (bench: first-event latency).
  const previous = options.resumeFrom === undefined ? undefined : await resolvePrevious(options.resumeFrom, history);
  if (previous && previous.flowId !== flow.id) {
    throw new WeftError('usage', `Run ${previous.id} is of flow '${previous.flowId}', not '${flow.id}'.`);
  }
  if (options.rerunFrom !== undefined && !flow.graph.byId.has(options.rerunFrom)) {
    throw new WeftError('not-found', `Flow '${flow.id}' has no node '${options.rerunFrom}'.`);
  }

  const rawInput = options.input !== undefined ? options.input : previous ? previous.input : undefined;
  const validation = flow.validateInput(rawInput);
  if (!validation.ok) {
    const diagnostics: Diagnostic[] = validation.errors.map((e) => ({
      code: 'invalid-schema',
      severity: 'error',
      message: `input${e.path}: ${e.message}`,
      path: ['input', ...e.path.split('/').filter(Boolean)],
    }));
    throw new WeftError('invalid-input', `The input does not match the flow's inputs:\n${diagnostics.map((d) => `  ${d.message}`).join('\n')}`, {
      diagnostics,
      details: { errors: validation.errors },
    });
  }

  const secrets = options.secrets ?? secretsFromEnvironment(flow.secretNames);
  const executionIdRef: { id?: string } = {};
  const sandbox = options.services?.runCode ? undefined : sharedCodeSandbox();
  const services = new RunServices(
    options.services?.fetch ?? globalThis.fetch,
    options.services?.runCode ?? ((request, signal) => sandbox!.run(request, signal)),
    (path, input, signal, subflowOptions) => runSubflow(flow, path, input, signal, { ...options, secrets, history: history ?? false }, executionIdRef, subflowOptions),
    (path) => describeSubflow(flow, path, options.registry),
    options.services?.aiBaseUrl,
    options.services?.circuits,
  );

  const record = await executeFlow(flow, {
    input: validation.value,
    executionId: options.executionId,
    mode: options.mode,
    trigger: options.trigger,
    signal: options.signal,
    onEvent: (event) => {
      if (event.type === 'execution.started') executionIdRef.id = event.executionId;
      options.onEvent?.(event);
    },
    mocks: options.mocks,
    secrets,
    services,
    onCheckpoint: options.onCheckpoint ?? (history ? (r) => history.save(r) : undefined),
    resume: previous ? { from: previous, rerunFrom: options.rerunFrom } : undefined,
    parentExecutionId: options.parentExecutionId,
    durableStart: options.durableStart,
    maskInputKeys: options.maskInputKeys,
    debug: options.debug,
  });
  // Awaited (bounded by the POST's timeout) so that a CLI run posts before its process exits.
  if (flow.notify !== undefined && options.mode !== 'test' && options.trigger?.type !== 'notify') {
    const outcome = await notifyAfterRun(flow, record, {
      fetch: options.services?.fetch ?? globalThis.fetch,
      secrets,
      runSubflow: async (path, summary) => {
        const file = resolve(flow.file ? dirname(flow.file) : process.cwd(), path);
        const child = await runFlow(resolveFlow(file, options.registry), {
          input: summary,
          history: history ?? false,
          registry: options.registry,
          services: options.services,
          parentExecutionId: record.id,
          trigger: { type: 'notify', parentFlowId: flow.id },
        });
        return { status: child.status };
      },
    });
    if (outcome) options.onNotified?.(outcome);
  }
  // A store this call opened is this call's to close: its journal's file handle and its lease go with it.
  if (history && typeof options.history !== 'object') await history.close();
  return record;
}

/**
 * A run's services. A class, so that the default AI base URL is read from the environment only when an ai node
 * asks: a process.env read costs half a microsecond at every run's start (bench: first-event latency), and an
 * object literal with a getter costs more.
 */
class RunServices implements Omit<NodeServices, 'runGraph'> {
  constructor(
    readonly fetch: NodeServices['fetch'],
    readonly runCode: NodeServices['runCode'],
    readonly runSubflow: NodeServices['runSubflow'],
    readonly describeSubflow: NonNullable<NodeServices['describeSubflow']>,
    private readonly givenAiBaseUrl: string | undefined,
    // Absent: nodes use the process's registry (processCircuits()), so every run of a process shares it.
    readonly circuits?: NodeServices['circuits'],
  ) {}

  get aiBaseUrl(): string | undefined {
    return this.givenAiBaseUrl ?? process.env.WEFT_AI_BASE_URL;
  }
}

function resolveFlow(flowOrPath: CompiledFlow | string | object, registry?: NodeRegistry): CompiledFlow {
  if (typeof flowOrPath === 'string') return compiledOrThrow(loadFlow(flowOrPath, { registry }), flowOrPath);
  if (isCompiledFlow(flowOrPath)) return flowOrPath;
  return compiledOrThrow(compileFlow(flowOrPath, { registry }), '<flow>');
}

function isCompiledFlow(value: object): value is CompiledFlow {
  return 'graph' in value && 'validateInput' in value && typeof (value as CompiledFlow).validateInput === 'function';
}

function compiledOrThrow(result: { flow?: CompiledFlow; diagnostics: Diagnostic[] }, name: string): CompiledFlow {
  if (result.flow && !hasErrors(result.diagnostics)) return result.flow;
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  const lines = errors.slice(0, 10).map((d) => {
    const at = d.range ? `:${d.range.start.line + 1}:${d.range.start.character + 1}` : '';
    return `  ${d.file ?? name}${at}: ${d.message} [${d.code}]`;
  });
  throw new WeftError('invalid-flow', `${name} does not compile:\n${lines.join('\n')}`, { diagnostics: result.diagnostics });
}

function openHistory(option: RunFlowOptions['history']): HistoryStore | undefined {
  if (option === false) return undefined;
  if (option instanceof HistoryStore) return option;
  return HistoryStore.open({ dir: resolve(option ?? '.weft') });
}

async function resolvePrevious(from: RunRecord | string | undefined, history: HistoryStore | undefined): Promise<RunRecord | undefined> {
  if (from === undefined) return undefined;
  if (typeof from !== 'string') return from;
  if (!history) throw new WeftError('usage', 'Resuming a run by id needs run history.');
  const record = await history.get(from);
  if (!record) throw new WeftError('not-found', `No run '${from}' in ${history.dir}.`);
  return record;
}

async function runSubflow(
  parent: CompiledFlow,
  path: string,
  input: unknown,
  signal: AbortSignal,
  options: RunFlowOptions,
  parentId: { id?: string },
  subflowOptions?: SubflowRunOptions,
): Promise<unknown> {
  const file = subflowFile(parent, path);
  const onStarted = subflowOptions?.onStarted;
  const chain = [...(options.subflowChain ?? [parent.file ?? parent.id]), file];
  checkSubflowDepth(chain);
  // The child reads its own secrets: the parent's hold only the names the parent reads, so those the child
  // alone reads come from the environment, as for any run (not in a test run, which reads none from there).
  // What the parent's record masks (a GET webhook's `?token=`) stays masked in the child's record.
  const parentMasked = maskedInputSecrets(options.input, options.maskInputKeys);
  const child = await Promise.resolve()
    .then(() => resolveFlow(file, options.registry))
    .then((flow) =>
      runFlow(flow, {
        subflowChain: chain,
        input,
        signal,
        secrets: options.mode === 'test' ? { ...options.secrets, ...parentMasked } : { ...secretsFromEnvironment(flow.secretNames), ...options.secrets, ...parentMasked },
        history: options.history,
        onCheckpoint: options.onCheckpoint,
        mode: options.mode,
        registry: options.registry,
        services: options.services,
        parentExecutionId: parentId.id,
        trigger: { type: 'subflow', parentFlowId: parent.id },
        debug: options.debug && subflowOptions?.debugFrames ? { gate: options.debug.gate, frames: subflowOptions.debugFrames } : undefined,
        onEvent: onStarted && ((event) => event.type === 'execution.started' && onStarted(event.executionId)),
      }),
    )
    .catch((error: unknown) => {
      throw new WeftError('subflow', `Subflow ${path}: ${(error as Error).message}`, { cause: error });
    });
  if (child.status === 'completed') return child.output;
  // The depth error is passed up as it is, not wrapped once per level.
  if (child.error?.code === 'subflow-depth') throw new WeftError('subflow-depth', child.error.message, { details: { childExecutionId: child.id } });
  throw new WeftError('subflow', `Subflow ${path} ${child.status}: ${child.error?.message ?? 'no error message'} (run ${child.id})`, {
    details: { childExecutionId: child.id },
  });
}

function subflowFile(parent: CompiledFlow, path: string): string {
  return resolve(parent.file ? dirname(parent.file) : process.cwd(), path);
}

/** An ai node's tool: the subflow's id, description and inputs, loaded as a subflow node would load it. */
async function describeSubflow(parent: CompiledFlow, path: string, registry: NodeRegistry | undefined): Promise<SubflowDescription> {
  const flow = await Promise.resolve()
    .then(() => resolveFlow(subflowFile(parent, path), registry))
    .catch((error: unknown) => {
      throw new WeftError('subflow', `Tool flow ${path}: ${(error as Error).message}`, { cause: error });
    });
  const description: SubflowDescription = { id: flow.id, validateInput: (input) => flow.validateInput(input) };
  if (flow.definition.description !== undefined) description.description = flow.definition.description;
  if (flow.definition.inputs !== undefined) description.inputs = flow.definition.inputs;
  return description;
}

/**
 * The values of the secrets `names`, from `source`: by default environment variables of the same name (the CLI's
 * and API's default); live mode passes the secrets its host gave it.
 */
export function secretsFromEnvironment(names: readonly string[], source: Record<string, string | undefined> = process.env): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const name of names) {
    const value = source[name];
    if (value !== undefined) secrets[name] = value;
  }
  return secrets;
}
