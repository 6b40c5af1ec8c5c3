// The compiled model: what the engine runs. Built once by compileFlow, then read-only. Nodes and edges are
// arrays with their indices precomputed, so scheduling does no lookups by id on the hot path.

import type { Cron } from 'croner';
import type { CompiledValue } from '../expr/exprTypes';
import type { NodeTypeDefinition } from '../nodes/nodeType';
import type { Diagnostic, Range } from './diagnostics';
import type { FlowValueTypes } from '../types/checkTypes';
import type { FlowDefinition, NodeDefinition, TestCaseDefinition } from './flowSchema';

export interface ResolvedRetry {
  maxAttempts: number;
  delayMs: number;
  backoff: 'exponential' | 'fixed';
  maxDelayMs: number;
}

export interface CompiledNode {
  index: number;
  id: string;
  definition: NodeDefinition;
  type: NodeTypeDefinition;
  /** The config as written (templates unevaluated). */
  rawConfig: Record<string, unknown>;
  /** Without `prepare`: the whole config compiled as a template. */
  config: CompiledValue;
  /** What the type's `prepare` returned, if it has one. */
  prepared: unknown;
  /** Output ports, `error` not included. */
  ports: readonly string[];
  incoming: CompiledEdge[];
  outgoing: CompiledEdge[];
  /** Starts on the first active incoming edge instead of waiting for all (merge mode "first"). */
  startsOnFirstInput: boolean;
  /** True when an outgoing edge uses the `error` port: the node handles its own failure. */
  handlesErrors: boolean;
  retry: ResolvedRetry;
  timeoutMs?: number;
  onError: 'fail' | 'skip';
  disabled: boolean;
  /** Where the node is defined in the source, for errors and CodeLens. */
  range?: Range;
}

export interface CompiledEdge {
  index: number;
  from: CompiledNode;
  to: CompiledNode;
  port: string;
  /** `map` compiled; evaluated with `input` bound to the source's output. */
  map?: CompiledValue;
}

export interface CompiledGraph {
  nodes: CompiledNode[];
  edges: CompiledEdge[];
  byId: Map<string, CompiledNode>;
  /** Nodes with no incoming edge. */
  roots: CompiledNode[];
  /** Nodes with no outgoing edge. */
  sinks: CompiledNode[];
  /** A topological order (indices into `nodes`). */
  order: number[];
  /** The `output` template, if given. */
  output?: CompiledValue;
}

export interface InputValidation {
  ok: boolean;
  /** The input with schema defaults applied. */
  value: unknown;
  errors: { path: string; message: string }[];
}

export interface CompiledFlow {
  definition: FlowDefinition;
  id: string;
  /** Absolute path of the source file, when it came from one. */
  file?: string;
  /** Where `id` is written, when known: for diagnostics about the flow among others (a duplicate id). */
  idRange?: Range;
  /** sha256 of the source text (or of the canonical JSON of an object), hex. */
  hash: string;
  graph: CompiledGraph;
  settings: { timeoutMs: number; concurrency: number };
  variables: Record<string, unknown>;
  tests: TestCaseDefinition[];
  /** Validates a run input against `inputs` and applies its defaults. */
  validateInput(input: unknown): InputValidation;
  /** The flow's triggers with their defaults applied, in the order written (see CompiledTrigger). */
  triggers: CompiledTrigger[];
  /** settings.notify, checked (compileNotify.ts); absent when the flow has none. */
  notify?: CompiledNotify;
  /** Secret names the flow's templates read (`secrets.NAME`). */
  secretNames: string[];
  /** Each read of a secret during a run, with who reads it: what decides the secrets a run needs. */
  secretReads: SecretRead[];
  diagnostics: Diagnostic[];
  /** The inferred types of the top-level nodes (absent when type checks were off): typed `.flow.ts` export. */
  valueTypes?: FlowValueTypes;
}

/**
 * A trigger as the compiler accepted it, defaults applied once here (spec section 8): what live mode serves and
 * arms. `index` is its place in the flow's `triggers`; `range` is where it is written, when the source says.
 */
export type CompiledTrigger = CompiledManualTrigger | CompiledWebhookTrigger | CompiledScheduleTrigger;

export interface CompiledManualTrigger {
  type: 'manual';
  index: number;
  range?: Range;
}

export type WebhookMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface CompiledWebhookTrigger {
  type: 'webhook';
  index: number;
  range?: Range;
  /** Where it is served, without the `/hooks/` prefix: its `path`, else the flow id; a path the compiler accepted. */
  path: string;
  /** Default POST. */
  method: WebhookMethod;
  /** Default ack. */
  respond: 'ack' | 'result';
  /** The secret as written (a template, usually `{{ secrets.NAME }}`), never its value: live mode evaluates it. */
  secret?: CompiledWebhookSecret;
}

export interface CompiledWebhookSecret {
  template: string;
  compiled: CompiledValue;
  /** The secrets it reads, by name: what to set when it comes out empty. */
  secretNames: string[];
  range?: Range;
}

export interface CompiledScheduleTrigger {
  type: 'schedule';
  index: number;
  range?: Range;
  cron: string;
  /** Default UTC. */
  timezone: string;
  /** The run input as written; the compiler checked it against `inputs`. */
  input: unknown;
  /** The pattern read by croner in the time zone: computes the due times, starts nothing. */
  pattern: Cron;
}

/** A read of secret `name` by a run. A webhook trigger's secret is not one; nor is a read by a disabled node. */
export interface SecretRead {
  name: string;
  /** The node that reads it and the loop nodes around it, innermost first; empty for a graph's `output`. */
  nodeIds: string[];
  /** Written with a fallback (`secrets.NAME ?? null`): the flow has said what to do without it. */
  optional: boolean;
  /** The reading node's type has side effects (http, ai): unmocked in a test, it fails before reading anything. */
  sideEffect: boolean;
}

export const DEFAULT_RUN_TIMEOUT_MS = 300_000;
export const DEFAULT_CONCURRENCY = 16;
export const DEFAULT_RETRY: ResolvedRetry = { maxAttempts: 1, delayMs: 1000, backoff: 'exponential', maxDelayMs: 30_000 };

/** settings.notify as the compiler accepted it: what to do after a run ends (engine/run/notifyRun.ts). */
export interface CompiledNotify {
  on: 'failure' | 'completion' | 'always';
  url?: string;
  /** The signing secret as written (a template), never its value. */
  secret?: { template: string; compiled: CompiledValue; secretNames: string[] };
  /** A flow file, relative to this flow's file. */
  subflow?: string;
}
