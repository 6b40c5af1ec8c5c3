// Runs one node: mocks, the test-mode side-effect guard, config templates, attempts with retry and backoff,
// and per-attempt timeouts. Stays synchronous when the node is (no promise, no timer): most nodes of a flow
// are transforms and conditions, and a promise per node would dominate the engine's cost.

import { unmockedHint } from './errorHints';
import type { CompiledValue } from '../expr/exprTypes';
import type { Scope } from '../expr/scope';
import { WeftError, isRetryable } from '../errors';
import type { CompiledNode } from '../model/compiledFlow';
import type { CircuitChange } from '../circuit/callThroughCircuit';
import type { InputContribution, LogLevel, NodeContext, NodeOutcome, NodeProgress, NodeServices } from '../nodes/nodeType';
import { DEFAULT_PORT } from '../nodes/nodeType';
import { setLongTimeout } from './longTimer';
import { retryDelay } from './retryDelay';
import type { DebugFrame } from './debugGate';
import type { RunContext } from './runContext';
import type { NodeUsage } from './runRecord';

export type NodeResult =
  | { ok: true; output: unknown; ports: readonly string[]; iterations?: number; usage?: NodeUsage }
  | { ok: false; error: unknown };

/** What the runner needs from the graph run that owns the node. */
export interface NodeRunHost {
  readonly run: RunContext;
  /** The scope every template of this graph run sees, but for `input`. */
  readonly baseScope: Scope;
  /** Aborts on cancel, timeout, or an unhandled failure elsewhere in this graph run. */
  readonly signal: AbortSignal;
  onAttemptStarted(node: CompiledNode, attempt: number, input: unknown): void;
  /** May return a promise (a debugger stopped on the failed attempt): the next attempt waits for it too. */
  onRetrying(node: CompiledNode, nextAttempt: number, delayMs: number, error: unknown, input: unknown): void | Promise<unknown>;
  /** Where `node` runs, for a debugger (only called while one is attached). */
  debugFramesOf(node: CompiledNode): readonly DebugFrame[];
  log(node: CompiledNode, level: LogLevel, message: string): void;
  progress(node: CompiledNode, update: NodeProgress): void;
  circuitChanged(node: CompiledNode, change: CircuitChange): void;
  saveState(node: CompiledNode, state: unknown): Promise<void>;
  runGraph(caller: CompiledNode, ...args: Parameters<NodeServices['runGraph']>): ReturnType<NodeServices['runGraph']>;
}

const DEFAULT_PORTS: readonly string[] = [DEFAULT_PORT];

/** Errors that the same attempt would meet again: retrying them only wastes the delay. */
export function runNode(host: NodeRunHost, node: CompiledNode, input: unknown, inputs: readonly InputContribution[]): NodeResult | Promise<NodeResult> {
  return attempt(host, node, input, inputs, 1);
}

function attempt(host: NodeRunHost, node: CompiledNode, input: unknown, inputs: readonly InputContribution[], n: number): NodeResult | Promise<NodeResult> {
  host.onAttemptStarted(node, n, input);
  let outcome: NodeOutcome | Promise<NodeOutcome>;
  try {
    outcome = startAttempt(host, node, input, inputs, n);
  } catch (error) {
    return afterFailure(host, node, input, inputs, n, error);
  }
  if (isPromiseLike(outcome)) {
    return outcome.then(
      (value) => success(node, value),
      (error: unknown) => afterFailure(host, node, input, inputs, n, error),
    );
  }
  return success(node, outcome);
}

function success(node: CompiledNode, outcome: NodeOutcome): NodeResult {
  if (outcome === null || typeof outcome !== 'object' || !('output' in outcome)) {
    return { ok: false, error: new WeftError('internal', `Node type '${node.type.type}' returned no { output } from run().`, { nodeId: node.id }) };
  }
  const result: NodeResult = { ok: true, output: outcome.output, ports: outcome.ports ?? DEFAULT_PORTS };
  // Custom node types are JavaScript too: only well-formed facts are kept.
  if (typeof outcome.iterations === 'number') result.iterations = outcome.iterations;
  if (outcome.usage !== undefined && isUsage(outcome.usage)) result.usage = outcome.usage;
  return result;
}

function isUsage(usage: NodeUsage): boolean {
  return (
    typeof usage === 'object' &&
    usage !== null &&
    typeof usage.model === 'string' &&
    typeof usage.inputTokens === 'number' &&
    typeof usage.outputTokens === 'number' &&
    (usage.costUsd === undefined || typeof usage.costUsd === 'number')
  );
}

function afterFailure(
  host: NodeRunHost,
  node: CompiledNode,
  input: unknown,
  inputs: readonly InputContribution[],
  n: number,
  error: unknown,
): NodeResult | Promise<NodeResult> {
  const retryable = n < node.retry.maxAttempts && !host.signal.aborted && isRetryable(error);
  if (!retryable) return { ok: false, error };
  // A rate limit that says when to come back (429 with Retry-After) is waited for, up to the retry's maxDelayMs.
  const delayMs = Math.max(retryDelay(node.retry, n + 1), Math.min(askedDelayMs(error), node.retry.maxDelayMs));
  const debuggerStop = host.onRetrying(node, n + 1, delayMs, error, input);
  const wait = sleep(delayMs, host.signal);
  return (debuggerStop === undefined ? wait : Promise.all([wait, debuggerStop])).then(
    () => attempt(host, node, input, inputs, n + 1),
    () => ({ ok: false, error }) as NodeResult,
  );
}

/** The wait an error's answer asked for (`details.retryAfterMs`, set by the http and ai nodes), else 0. */
function askedDelayMs(error: unknown): number {
  const asked = (error as { details?: { retryAfterMs?: unknown } } | null)?.details?.retryAfterMs;
  return typeof asked === 'number' && Number.isFinite(asked) && asked > 0 ? asked : 0;
}

function startAttempt(host: NodeRunHost, node: CompiledNode, input: unknown, inputs: readonly InputContribution[], n: number): NodeOutcome | Promise<NodeOutcome> {
  const run = host.run;
  const mock = run.mocks[node.id];
  if (mock) {
    if ('error' in mock) throw new WeftError('mock-error', mock.error, { nodeId: node.id });
    const ports = node.ports.includes(DEFAULT_PORT) || node.ports.length === 0 ? DEFAULT_PORTS : [node.ports[0]];
    return { output: mock.output, ports };
  }
  if (run.mode === 'test' && node.type.sideEffect) {
    throw new WeftError('unmocked-side-effect', `unmocked side effect: node '${node.id}' (${node.type.type}) must be mocked in a test`, {
      nodeId: node.id,
      hint: unmockedHint(node.id),
    });
  }
  const timeoutMs = node.timeoutMs;
  const ctx = new RunningNodeContext(host, node, input, inputs, n, timeoutMs !== undefined);
  const outcome = node.type.run(ctx as NodeContext);
  if (timeoutMs === undefined) return outcome;
  return withTimeout(Promise.resolve(outcome), timeoutMs, ctx, node);
}

function withTimeout(promise: Promise<NodeOutcome>, timeoutMs: number, ctx: RunningNodeContext, node: CompiledNode): Promise<NodeOutcome> {
  return new Promise<NodeOutcome>((resolve, reject) => {
    const timer = setLongTimeout(() => {
      const error = new WeftError('timeout', `Node '${node.id}' timed out after ${timeoutMs} ms`, { nodeId: node.id, kind: 'operational' });
      ctx.abortAttempt(error);
      reject(error);
    }, timeoutMs);
    promise.then(
      (value) => {
        timer.clear();
        resolve(value);
      },
      (error: unknown) => {
        timer.clear();
        reject(error);
      },
    );
  });
}

/** Resolves after `ms` (any length: see longTimer), or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      timer.clear();
      reject(signal.reason);
    };
    const timer = setLongTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function isPromiseLike<T>(value: T | Promise<T>): value is Promise<T> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

/** The context a node type's `run` gets. Lazy where it can be: most nodes never touch signal or services. */
class RunningNodeContext implements NodeContext {
  readonly nodeId: string;
  readonly attempt: number;
  readonly input: unknown;
  readonly inputs: readonly InputContribution[];
  readonly config: Record<string, unknown>;
  readonly prepared: unknown;
  readonly scope: Scope;
  private controller?: AbortController;
  private attemptSignal?: AbortSignal;
  private boundServices?: NodeServices;

  constructor(
    private readonly host: NodeRunHost,
    private readonly node: CompiledNode,
    input: unknown,
    inputs: readonly InputContribution[],
    attempt: number,
    hasTimeout: boolean,
  ) {
    this.nodeId = node.id;
    this.attempt = attempt;
    this.input = input;
    this.inputs = inputs;
    this.prepared = node.prepared;
    const base = host.baseScope;
    this.scope = {
      trigger: base.trigger,
      input,
      nodes: base.nodes,
      variables: base.variables,
      secrets: base.secrets,
      execution: base.execution,
      item: base.item,
      index: base.index,
    };
    if (hasTimeout) this.controller = new AbortController();
    // Evaluated after the scope exists: config templates read `input`, `nodes`, ...
    this.config = node.type.prepare || node.config.isStatic ? node.rawConfig : (node.config.evaluate(this.scope) as Record<string, unknown>);
  }

  get executionId(): string {
    return this.host.run.executionId;
  }
  get flowId(): string {
    return this.host.run.flow.id;
  }
  get flowFile(): string | undefined {
    return this.host.run.flow.file;
  }
  get mode(): 'run' | 'test' {
    return this.host.run.mode;
  }
  get maxAttempts(): number {
    return this.node.retry.maxAttempts;
  }
  get savedState(): unknown {
    return this.host.run.savedStates.get(this.node.id);
  }

  get signal(): AbortSignal {
    if (!this.controller) return this.host.signal;
    this.attemptSignal ??= AbortSignal.any([this.host.signal, this.controller.signal]);
    return this.attemptSignal;
  }

  abortAttempt(reason: unknown): void {
    this.controller?.abort(reason);
  }

  get services(): NodeServices {
    const { host, node } = this;
    // Field by field, not spread: a host's services may be a class whose getters a spread would not copy.
    const run = host.run.services;
    this.boundServices ??= {
      fetch: run.fetch,
      runCode: run.runCode,
      // While a debugger is attached the child run is gated too, under this node's frames.
      runSubflow:
        host.run.debug === undefined
          ? run.runSubflow
          : (path, input, signal, options) => run.runSubflow(path, input, signal, { ...options, debugFrames: host.debugFramesOf(node) }),
      describeSubflow: run.describeSubflow,
      aiBaseUrl: run.aiBaseUrl,
      circuits: run.circuits,
      runGraph: (graph, options) => host.runGraph(node, graph, options),
    };
    return this.boundServices;
  }

  log(level: LogLevel, message: string): void {
    this.host.log(this.node, level, String(message));
  }

  progress(update: NodeProgress): void {
    this.host.progress(this.node, update);
  }

  circuitChanged(change: CircuitChange): void {
    this.host.circuitChanged(this.node, change);
  }

  evaluate(value: CompiledValue, extra?: Partial<Scope>): unknown {
    return value.evaluate(extra ? { ...this.scope, ...extra } : this.scope);
  }

  saveState(state: unknown): Promise<void> {
    return this.host.saveState(this.node, state);
  }
}
