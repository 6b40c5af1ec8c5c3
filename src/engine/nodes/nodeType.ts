// A node type is data plus a function: an id, a config schema, its output ports and `run(ctx)`. Built-ins and a
// workspace's own types are registered the same way; the engine has no switch on type names. `run` sees a
// context, never the engine's internals.

import type { DebugFrame } from '../run/debugGate';
import type { z } from 'zod';
import type { CircuitChange } from '../circuit/callThroughCircuit';
import type { CircuitStore } from '../circuit/circuitStore';
import type { CompiledValue } from '../expr/exprTypes';
import type { Scope } from '../expr/scope';
import type { CompiledGraph } from '../model/compiledFlow';
import type { NodeUsage } from '../run/runRecord';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What a node's run gives back: its output, and which output ports fire (default: `out`). */
export interface NodeOutcome {
  output: unknown;
  ports?: readonly string[];
  /** A node that called a model: what the call used (recorded, and carried on `node.completed`). */
  usage?: NodeUsage;
  /** A loop node: how many iterations ran. */
  iterations?: number;
}

/**
 * Compile-time helpers handed to `prepare`. Each compiles a part of the node's config once, reporting
 * problems as diagnostics at `path` (relative to the node's `config`), and returns something `run` evaluates.
 */
export interface PrepareTools {
  /** A JSON value whose strings may hold templates. */
  template(value: unknown, path: (string | number)[], options?: { itemScope?: boolean }): CompiledValue;
  /** A condition: a JSON Logic object or an expression string (with or without braces); evaluates to a boolean. */
  condition(value: unknown, path: (string | number)[], options?: { itemScope?: boolean }): CompiledValue;
  /** A sub-flow `{ nodes, edges, output? }` (a loop's body), compiled like a flow. */
  graph(body: unknown, path: (string | number)[]): CompiledGraph | undefined;
  /** Reports a problem with the config at `path`. */
  error(message: string, path: (string | number)[]): void;
  /** The file the flow came from, if any (to resolve relative paths). */
  readonly file?: string;
}

/** Services the host gives node types: the engine's own, and the outside world's. */
export interface NodeServices {
  /** Runs a compiled sub-graph once, each root getting `input`, with extra names (item, index) in scope. */
  runGraph(graph: CompiledGraph, options: { input: unknown; extra: Partial<Scope>; signal: AbortSignal; iteration: number }): Promise<unknown>;
  /**
   * Runs another flow file as a child run; resolves with its output or rejects with its error. The engine adds
   * `debugFrames` while a debugger is attached (the child run is gated too).
   */
  runSubflow(path: string, input: unknown, signal: AbortSignal, options?: SubflowRunOptions): Promise<unknown>;
  /** Loads another flow file (relative to this flow's) and says what it takes: an ai node's tools. */
  describeSubflow?(path: string): Promise<SubflowDescription>;
  /** Runs a `code` node's JavaScript in the sandbox. */
  runCode(request: CodeRequest, signal: AbortSignal): Promise<unknown>;
  fetch: typeof fetch;
  /** The circuit breakers of ai and http nodes' targets; absent: the process's own (processCircuits()). */
  circuits?: CircuitStore;
  /** Default base URL of the `ai` node (an OpenAI-compatible API). */
  aiBaseUrl?: string;
}

export interface SubflowRunOptions {
  /** Called with the child run's id once it has started. */
  onStarted?(executionId: string): void;
  /** Where the calling node runs, while a debugger is attached: set by the engine, not by node types. */
  debugFrames?: readonly DebugFrame[];
}

/** A flow file as a caller sees it: its id, description and `inputs`, and the check of an input against them. */
export interface SubflowDescription {
  id: string;
  description?: string;
  inputs?: Record<string, unknown>;
  validateInput(input: unknown): { ok: boolean; value: unknown; errors: { path: string; message: string }[] };
}

/** An ai node's tool call as `node.progress` reports it (started, then completed or failed). */
export interface ToolCallProgress {
  id: string;
  name: string;
  status: 'started' | 'completed' | 'failed';
  arguments: unknown;
  output?: unknown;
  error?: string;
  executionId?: string;
  durationMs?: number;
  flow?: string;
}

export interface CodeRequest {
  code: string;
  /** JSON-serialisable names the code sees: input, trigger, nodes, variables, item, index, execution. */
  globals: Record<string, unknown>;
  timeoutMs: number;
  memoryLimitMb?: number;
  log: (level: LogLevel, message: string) => void;
}

/** What a running node reports as it goes (a `node.progress` event; nothing of it is recorded). */
export interface NodeProgress {
  /** The next piece of streamed text, in order. */
  delta?: string;
  /** Which text `delta` continues: the answer (default) or the model's reasoning. */
  channel?: 'answer' | 'reasoning';
  /** 0..1. */
  progress?: number;
  message?: string;
  /** An ai node's tool call, as it starts and ends. */
  toolCall?: ToolCallProgress;
}

export interface InputContribution {
  from: string;
  port: string;
  value: unknown;
}

export interface NodeContext<Config = Record<string, unknown>, Prepared = unknown> {
  readonly nodeId: string;
  readonly executionId: string;
  readonly flowId: string;
  readonly flowFile?: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The node's `retry.maxAttempts` (1 without retry): `attempt === maxAttempts` is the last try. */
  readonly maxAttempts: number;
  readonly mode: 'run' | 'test';
  readonly input: unknown;
  /** The contributions `input` was built from, one per active incoming edge, in edge order. */
  readonly inputs: readonly InputContribution[];
  /** Without `prepare`: the config with its templates evaluated. With `prepare`: the raw config. */
  readonly config: Config;
  /** What `prepare` returned at compile time. */
  readonly prepared: Prepared;
  /** The names templates read; do not mutate. */
  readonly scope: Scope;
  /** Fires on cancel, on the run's timeout and on this attempt's timeout. */
  readonly signal: AbortSignal;
  log(level: LogLevel, message: string): void;
  /** Reports progress (streamed text) as a `node.progress` event. Secrets in it are redacted. */
  progress(update: NodeProgress): void;
  /** Reports that a circuit breaker this node called through opened or closed (`circuit.opened`, `circuit.closed`). */
  circuitChanged(change: CircuitChange): void;
  /** Evaluates a value compiled by `prepare`, with extra names in scope. */
  evaluate(value: CompiledValue, extra?: Partial<Scope>): unknown;
  /** State saved by an earlier attempt of this node in a run it resumes (a wait's due time), else undefined. */
  readonly savedState: unknown;
  /** Saves node state in the run's checkpoint; resolves once it is durable. */
  saveState(state: unknown): Promise<void>;
  readonly services: NodeServices;
}

// `any` defaults: a registry holds definitions of every Config and Prepared, and `unknown` would make their
// functions (which take those as parameters) unassignable to it.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface NodeTypeDefinition<Config = any, Prepared = any> {
  type: string;
  /** One line for the palette and completion. */
  title: string;
  /** Markdown for hover. */
  description: string;
  /** Checks the raw config (before templates are evaluated; a template string may stand for any value). */
  configSchema: z.ZodType<Config>;
  /** Output ports; `error` is always available in addition. */
  ports: readonly string[] | ((config: Config) => readonly string[]);
  /** Known shape of the output, for completion of `nodes.<id>.` paths. */
  outputSchema?: z.ZodType;
  /** Default per-attempt timeout when the node sets none. */
  defaultTimeoutMs?: number;
  /** Secrets the node reads by name rather than through a template (the ai node's API key). */
  secretNames?(config: Config): string[];
  /** Reaches the outside world: in test mode it must be mocked. */
  sideEffect?: boolean;
  /**
   * When the node may start: `all` (default) once every incoming edge is settled; `first` as soon as one
   * incoming edge is active (merge with mode "first").
   */
  readiness?(config: Config): 'all' | 'first';
  /** Compiles parts of the config once. Without it the whole config is one template evaluated before run. */
  prepare?(config: Config, tools: PrepareTools): Prepared;
  run(ctx: NodeContext<Config, Prepared>): NodeOutcome | Promise<NodeOutcome>;
}

export const ERROR_PORT = 'error';
export const DEFAULT_PORT = 'out';

export function portsOf(type: NodeTypeDefinition, config: unknown): readonly string[] {
  return typeof type.ports === 'function' ? type.ports(config) : type.ports;
}

/** The helper custom node type modules default-export (spec section 10). */
export function defineNodeType<Config, Prepared = unknown>(
  definition: NodeTypeDefinition<Config, Prepared>,
): NodeTypeDefinition<Config, Prepared> {
  return definition;
}
