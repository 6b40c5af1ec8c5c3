// Compiles one graph, `{ nodes, edges, output? }`: the flow itself, or a loop body through PrepareTools.graph
// (which recurses only once per nesting level). Per node: its type, its config against the type's schema, the
// type's `prepare` (or the whole config as a template), ports, retry and timeout. Per edge: both ends, the port,
// the map. Then the graph's order, cycles and nodes that can never run. References in templates are only
// collected here; they are checked once every graph of the flow is built (checkReferences.ts), because a
// template may name a node of an enclosing graph, or one defined later.

import { z } from 'zod';
import { WeftError, type ErrorLocation } from '../errors';
import { compileCondition } from '../expr/condition';
import type { CompiledValue } from '../expr/exprTypes';
import { collectConditionReferences } from '../expr/references';
import { compileValue } from '../expr/template';
import { ExpressionEvaluationError, isExpressionEvaluationError } from '../expr/expressionEvaluationError';
import { DEFAULT_PORT, ERROR_PORT, portsOf } from '../nodes/nodeType';
import type { NodeTypeDefinition, PrepareTools } from '../nodes/nodeType';
import { closestName } from './closestName';
import type { CompileContext, GraphScope, ReferenceUse } from './compileContext';
import { DEFAULT_RETRY } from './compiledFlow';
import type { CompiledEdge, CompiledGraph, CompiledNode, ResolvedRetry } from './compiledFlow';
import type { Range } from './diagnostics';
import { edgeSchema, nodeSchema } from './flowSchema';
import type { EdgeDefinition, NodeDefinition, RetryDefinition } from './flowSchema';
import { orderGraph } from './graphOrder';
import { describeIssues } from './schemaIssues';
import { forEachTemplateReference } from './templateReferences';
import type { JsonPath } from '../../shared/jsonPath';
import { findUnreachable } from './unreachableNodes';
import type { LivenessEdge } from './unreachableNodes';

export interface GraphDefinition {
  nodes: NodeDefinition[];
  edges?: EdgeDefinition[];
  output?: unknown;
}

/** A loop body as PrepareTools.graph accepts it. */
export const graphBodySchema = z
  .object({
    nodes: z.array(nodeSchema).min(1, 'a body has at least one node'),
    edges: z.array(edgeSchema).optional(),
    output: z.unknown().optional(),
  })
  .strict();

export interface CompiledGraphResult {
  graph: CompiledGraph;
  scope: GraphScope;
}

/** Per-node facts the checks need but the compiled model does not keep. */
interface NodeFacts {
  /** False when the ports could not be known (unknown type, invalid config): no port checks then. */
  portsKnown: boolean;
  path: JsonPath;
}

export function compileGraph(
  ctx: CompileContext,
  definition: GraphDefinition,
  basePath: JsonPath,
  parent?: { scope: GraphScope; owner: number },
): CompiledGraphResult {
  const inBody = parent !== undefined;
  const nodes: CompiledNode[] = [];
  const facts: NodeFacts[] = [];
  const scope: GraphScope = { basePath, nodes, ids: new Map(), incoming: [], parent };
  ctx.scopes.push(scope);

  // Every id of this graph is claimed before any `prepare` runs, so a body compiled by one of them sees ids of
  // nodes defined after its owner.
  definition.nodes.forEach((def, i) => {
    const path = [...basePath, 'nodes', i];
    const first = ctx.claimedIds.get(def.id);
    if (first) {
      const line = ctx.lineOf(first);
      ctx.report('duplicate-node-id', 'error', `Duplicate node id '${def.id}'${line ? `: already used on line ${line}` : ''}`, [...path, 'id'], {
        data: { nodeId: def.id, firstPath: first },
      });
    } else {
      ctx.claimedIds.set(def.id, path);
    }
    if (!scope.ids.has(def.id)) scope.ids.set(def.id, i);
    nodes.push(placeholderNode(i, def, ctx, path));
    facts.push({ portsKnown: false, path });
  });

  nodes.forEach((node, i) => compileNode(ctx, scope, node, facts[i], inBody));

  const { edges, definitionIndex, liveness } = compileEdges(ctx, scope, definition.edges ?? [], facts, inBody);
  for (const edge of edges) {
    edge.from.outgoing.push(edge);
    edge.to.incoming.push(edge);
  }
  for (const node of nodes) node.handlesErrors = node.outgoing.some((e) => e.port === ERROR_PORT);
  scope.incoming = nodes.map((node) => node.incoming.map((e) => e.from.index));

  const { order, cycles } = orderGraph({ nodeCount: nodes.length, edges: edges.map((e) => [e.from.index, e.to.index] as const) });
  for (const cycle of cycles) {
    const ids = cycle.nodes.map((n) => nodes[n].id);
    ctx.report(
      'cycle',
      'error',
      `Cycle: ${[...ids, ids[0]].join(' → ')}. A flow is acyclic; repeat work with a loop node's body`,
      [...basePath, 'edges', definitionIndex[cycle.edge]],
      { data: { cycle: ids } },
    );
  }
  if (cycles.length === 0) {
    scope.order = order;
    for (const { node, reason } of findUnreachable(nodes.length, liveness, order)) {
      const id = nodes[node].id;
      const why =
        reason === 'ports'
          ? 'no edge into it comes from a port that can fire (a fail node fires none; a disabled node fires only out)'
          : 'every node with an edge into it can never run either';
      ctx.report('unreachable-node', 'warning', `Node '${id}' can never run: ${why}`, [...facts[node].path, 'id'], { data: { nodeId: id } });
    }
  }

  const graph: CompiledGraph = {
    nodes,
    edges,
    byId: new Map([...scope.ids].map(([id, index]) => [id, nodes[index]])),
    roots: nodes.filter((n) => n.incoming.length === 0),
    sinks: nodes.filter((n) => n.outgoing.length === 0),
    order,
  };
  if (definition.output !== undefined) {
    graph.output = compileTemplateAt(ctx, definition.output, [...basePath, 'output'], scope, undefined, 'template', inBody);
  }
  return { graph, scope };
}

function compileNode(ctx: CompileContext, scope: GraphScope, node: CompiledNode, facts: NodeFacts, inBody: boolean): void {
  const def = node.definition;
  const configPath = [...facts.path, 'config'];
  const rawConfig = node.rawConfig;
  const type = ctx.registry.get(def.type);
  if (!type) {
    node.type = unknownType(def.type);
    const suggestion = closestName(def.type, ctx.registry.names());
    ctx.report(
      'unknown-node-type',
      'error',
      suggestion
        ? `Unknown node type '${def.type}'. Did you mean '${suggestion}'?`
        : `Unknown node type '${def.type}'. Known types: ${ctx.registry.names().join(', ')}`,
      [...facts.path, 'type'],
      { data: suggestion ? { type: def.type, suggestion } : { type: def.type } },
    );
    // Whatever the type turns out to be, its strings are most likely templates: check them now.
    node.config = compileTemplateAt(ctx, rawConfig, configPath, scope, node.index, 'template', inBody);
    collectOpaqueTexts(ctx, rawConfig);
    return;
  }
  node.type = type;
  node.timeoutMs = def.timeoutMs ?? type.defaultTimeoutMs;

  let configOk = true;
  try {
    const result = type.configSchema.safeParse(rawConfig);
    if (!result.success) {
      configOk = false;
      for (const issue of describeIssues(result.error.issues, rawConfig, type.configSchema)) {
        ctx.report('invalid-config', 'error', issue.message, [...configPath, ...issue.path], { at: issue.at, data: issue.data });
      }
    }
  } catch (error) {
    configOk = false;
    ctx.report('invalid-config', 'error', `The ${type.type} config could not be checked: ${messageOf(error)}`, configPath);
  }

  try {
    const ports = portsOf(type, rawConfig);
    if (Array.isArray(ports) && ports.every((p) => typeof p === 'string')) {
      node.ports = [...ports];
      // Ports computed from a config that is invalid are a guess: don't judge edges by them.
      facts.portsKnown = configOk || typeof type.ports !== 'function';
    }
  } catch {
    facts.portsKnown = false;
  }

  if (configOk) applyTypeHooks(ctx, type, node, configPath, scope);

  if (!type.prepare) {
    node.config = compileTemplateAt(ctx, rawConfig, configPath, scope, node.index, 'template', inBody);
    collectOpaqueTexts(ctx, rawConfig);
    return;
  }
  collectOpaqueTexts(ctx, rawConfig);
  if (!configOk) return;
  try {
    node.prepared = type.prepare(rawConfig, prepareTools(ctx, scope, node, configPath, inBody));
  } catch (error) {
    ctx.report('invalid-config', 'error', `The ${type.type} node could not prepare its config: ${messageOf(error)}`, configPath);
  }
}

/** The type's optional hooks that read the config: when the node may start, which secrets it reads by name. */
function applyTypeHooks(ctx: CompileContext, type: NodeTypeDefinition, node: CompiledNode, configPath: JsonPath, scope: GraphScope): void {
  try {
    node.startsOnFirstInput = type.readiness?.(node.rawConfig) === 'first';
    const secrets = type.secretNames?.(node.rawConfig) ?? [];
    for (const name of secrets) {
      if (typeof name !== 'string') continue;
      ctx.typeSecretNames.push(name);
      ctx.typeSecretReaders.push({ name, scope, reader: node.index });
    }
  } catch (error) {
    ctx.report('invalid-config', 'error', `The ${type.type} node could not read its config: ${messageOf(error)}`, configPath);
  }
}

function prepareTools(ctx: CompileContext, scope: GraphScope, node: CompiledNode, configPath: JsonPath, inBody: boolean): PrepareTools {
  return {
    template: (value, path, options) =>
      compileTemplateAt(ctx, value, [...configPath, ...path], scope, node.index, 'template', inBody || options?.itemScope === true),
    condition: (value, path, options) =>
      compileTemplateAt(ctx, value, [...configPath, ...path], scope, node.index, 'condition', inBody || options?.itemScope === true),
    graph: (body, path) => compileBody(ctx, body, [...configPath, ...path], { scope, owner: node.index }),
    error: (message, path) => {
      ctx.report('invalid-config', 'error', message, [...configPath, ...path]);
    },
    file: ctx.file,
  };
}

function compileBody(
  ctx: CompileContext,
  body: unknown,
  path: JsonPath,
  parent: { scope: GraphScope; owner: number },
): CompiledGraph | undefined {
  const parsed = graphBodySchema.safeParse(body);
  if (!parsed.success) {
    for (const issue of describeIssues(parsed.error.issues, body, graphBodySchema)) {
      ctx.report('invalid-schema', 'error', issue.message, [...path, ...issue.path], { at: issue.at, data: issue.data });
    }
    return undefined;
  }
  return compileGraph(ctx, parsed.data, path, parent).graph;
}

function compileEdges(
  ctx: CompileContext,
  scope: GraphScope,
  definitions: EdgeDefinition[],
  facts: NodeFacts[],
  inBody: boolean,
): { edges: CompiledEdge[]; definitionIndex: number[]; liveness: LivenessEdge[] } {
  const { nodes } = scope;
  const edges: CompiledEdge[] = [];
  const definitionIndex: number[] = [];
  const liveness: LivenessEdge[] = [];
  definitions.forEach((def, j) => {
    const path = [...scope.basePath, 'edges', j];
    const from = resolveEnd(ctx, scope, def.from, [...path, 'from']);
    const to = resolveEnd(ctx, scope, def.to, [...path, 'to']);
    const port = def.port ?? DEFAULT_PORT;
    let portValid = true;
    if (from !== undefined && facts[from].portsKnown) {
      const source = nodes[from];
      const valid = validPorts(source);
      if (!valid.includes(port)) {
        portValid = false;
        const suggestion = closestName(port, valid);
        const hint = suggestion ? ` Did you mean '${suggestion}'?` : '';
        ctx.report(
          'unknown-port',
          'error',
          `Node '${source.id}' (${source.type.type}) has no port '${port}'. Its ports: ${valid.join(', ')}.${hint}`,
          def.port !== undefined ? [...path, 'port'] : path,
          { data: { nodeId: source.id, port, ports: valid, ...(suggestion ? { suggestion } : {}) } },
        );
      }
    }
    const map =
      def.map === undefined ? undefined : compileTemplateAt(ctx, def.map, [...path, 'map'], scope, to, 'template', inBody);
    if (from === undefined || to === undefined) return;
    const edge: CompiledEdge = { index: edges.length, from: nodes[from], to: nodes[to], port };
    if (map) edge.map = map;
    edges.push(edge);
    definitionIndex.push(j);
    liveness.push({ from, to, canFire: portValid && canFire(nodes[from], port, facts[from].portsKnown) });
  });
  return { edges, definitionIndex, liveness };
}

function resolveEnd(ctx: CompileContext, scope: GraphScope, id: string, path: JsonPath): number | undefined {
  const index = scope.ids.get(id);
  if (index !== undefined) return index;
  const elsewhere = ctx.claimedIds.has(id);
  const suggestion = elsewhere ? undefined : closestName(id, scope.ids.keys());
  const message = elsewhere
    ? `Node '${id}' is not in this graph: an edge connects nodes of the same graph (a loop body is a graph of its own)`
    : `Unknown node '${id}'${suggestion ? `. Did you mean '${suggestion}'?` : ''}`;
  ctx.report('unknown-node', 'error', message, path, { data: suggestion ? { nodeId: id, suggestion } : { nodeId: id } });
  return undefined;
}

/** The ports an edge may use: the type's, `error`, and `out` when a failure is skipped (it fires `out`). */
function validPorts(node: CompiledNode): string[] {
  const ports = [...node.ports];
  if (node.definition.onError === 'skip' && !ports.includes(DEFAULT_PORT)) ports.push(DEFAULT_PORT);
  if (!ports.includes(ERROR_PORT)) ports.push(ERROR_PORT);
  return ports;
}

/** Whether `node` can ever fire `port`, as far as compile time can tell. */
function canFire(node: CompiledNode, port: string, portsKnown: boolean): boolean {
  // A disabled node does not run: it passes its input on `out`, and neither fails nor branches.
  if (node.disabled) return port === DEFAULT_PORT;
  if (port === ERROR_PORT) return true;
  if (port === DEFAULT_PORT && node.onError === 'skip') return true;
  return !portsKnown || node.ports.includes(port);
}

/**
 * Compiles a template value or a condition at `path` (its problems become `invalid-expression` diagnostics at
 * their exact place) and records the references it makes, read by node `reader` of `scope`.
 */
export function compileTemplateAt(
  ctx: CompileContext,
  value: unknown,
  path: JsonPath,
  scope: GraphScope,
  reader: number | undefined,
  kind: 'template' | 'condition',
  itemScope: boolean,
): CompiledValue {
  const onProblem = (problem: { message: string; start: number; end: number; path: JsonPath }): void => {
    ctx.report('invalid-expression', 'error', problem.message, [...path, ...problem.path], { start: problem.start, end: problem.end });
  };
  const compiled = locateFailures(
    ctx,
    kind === 'condition' ? compileCondition(value, onProblem) : compileValue(value, onProblem),
    path,
  );
  ctx.templates.push({ scope, reader, value, path, kind, itemScope, compiled });
  if (kind === 'condition') {
    for (const { path: inner, reference } of collectConditionReferences(value)) {
      ctx.uses.push({ scope, reader, reference, path: [...path, ...inner], itemScope });
    }
  } else {
    forEachTemplateReference(value, (reference, inner) => {
      const use: ReferenceUse = { scope, reader, reference, path: inner.length === 0 ? path : [...path, ...inner], itemScope };
      if (reference.root === 'secrets') use.optional = hasFallback(stringAt(value, inner), reference.end);
      ctx.uses.push(use);
    });
  }
  return compiled;
}

/**
 * The compiled value, whose evaluation failures (ExpressionEvaluationError) say where they are in the flow
 * file: the path of the string from the file's root, offsets into it, and the range in the compiled source.
 * The locator is asked only when a template fails.
 */
function locateFailures(ctx: CompileContext, compiled: CompiledValue, path: JsonPath): CompiledValue {
  if (compiled.isStatic) return compiled;
  const { locator, file } = ctx;
  const base = [...path];
  return {
    isStatic: false,
    evaluate: (scope) => {
      try {
        return compiled.evaluate(scope);
      } catch (error) {
        if (!isExpressionEvaluationError(error) || error.valuePath === undefined || error.location !== undefined) throw error;
        const location: ErrorLocation = { path: [...base, ...error.valuePath], start: error.start, end: error.end };
        try {
          const span = locator.locateInString(location.path, error.start, error.end);
          if (span !== undefined) location.range = span.range;
        } catch {
          // A position is a nicety: the error stands without one.
        }
        if (file !== undefined) location.file = file;
        throw new ExpressionEvaluationError(error.reason, error.start, error.end, {
          message: error.message,
          valuePath: error.valuePath,
          location,
          hint: error.hint,
        });
      }
    },
  };
}

/** Whether the expression goes on with `??` or `||` after offset `end` of `text`: a fallback for a missing value. */
function hasFallback(text: unknown, end: number): boolean {
  return typeof text === 'string' && /^\s*(?:\?\?|\|\|)/.test(text.slice(end));
}

function stringAt(value: unknown, path: JsonPath): unknown {
  let current = value;
  for (const step of path) current = typeof current === 'object' && current !== null ? (current as Record<string | number, unknown>)[step] : undefined;
  return current;
}

/** Strings without templates and functions (code): `variables.x` in them is a use of x that templates do not show. */
function collectOpaqueTexts(ctx: CompileContext, value: unknown): void {
  const seen = new Set<object>();
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const current = stack.pop();
    if (typeof current === 'string') {
      if (current.includes('variables') && !current.includes('{{')) ctx.opaqueTexts.push(current);
    } else if (typeof current === 'function') {
      ctx.opaqueTexts.push(Function.prototype.toString.call(current));
    } else if (typeof current === 'object' && current !== null && !seen.has(current)) {
      seen.add(current);
      for (const child of Array.isArray(current) ? current : Object.values(current)) stack.push(child);
    }
  }
}

/**
 * A compiled node. A class rather than a literal so every node has one shape (the scheduler reads these on its
 * hot path) and `range` can be located on first use: positions need the syntax tree, which compiling a valid
 * flow otherwise never builds.
 */
class CompiledNodeRecord implements CompiledNode {
  readonly index: number;
  readonly id: string;
  readonly definition: NodeDefinition;
  /** Replaced by the registered type, or by a stand-in when the type is unknown (compileNode). */
  type: NodeTypeDefinition = PENDING_TYPE;
  readonly rawConfig: Record<string, unknown>;
  config: CompiledValue;
  prepared: unknown = undefined;
  ports: readonly string[] = [];
  incoming: CompiledEdge[] = [];
  outgoing: CompiledEdge[] = [];
  startsOnFirstInput = false;
  handlesErrors = false;
  retry: ResolvedRetry;
  timeoutMs: number | undefined = undefined;
  onError: 'fail' | 'skip';
  disabled: boolean;
  #locate: () => Range | undefined;
  #range: Range | undefined | null = null;

  constructor(index: number, definition: NodeDefinition, locate: () => Range | undefined) {
    this.index = index;
    this.id = definition.id;
    this.definition = definition;
    const rawConfig = (definition.config ?? {}) as Record<string, unknown>;
    this.rawConfig = rawConfig;
    this.config = { isStatic: true, evaluate: () => rawConfig };
    this.retry = resolveRetry(definition.retry);
    this.onError = definition.onError ?? 'fail';
    this.disabled = definition.disabled ?? false;
    this.#locate = locate;
  }

  get range(): Range | undefined {
    if (this.#range === null) this.#range = this.#locate();
    return this.#range;
  }
}

function placeholderNode(index: number, definition: NodeDefinition, ctx: CompileContext, path: JsonPath): CompiledNode {
  const locator = ctx.locator;
  return new CompiledNodeRecord(index, definition, () => locator.locate(path)?.range);
}

function resolveRetry(retry: RetryDefinition | undefined): ResolvedRetry {
  return {
    maxAttempts: retry?.maxAttempts ?? DEFAULT_RETRY.maxAttempts,
    delayMs: retry?.delayMs ?? DEFAULT_RETRY.delayMs,
    backoff: retry?.backoff ?? DEFAULT_RETRY.backoff,
    maxDelayMs: retry?.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs,
  };
}

const PENDING_TYPE = unknownType('(pending)');

/** Stands in for a type the registry does not know; a flow with such a node never compiles, so it never runs. */
function unknownType(name: string): NodeTypeDefinition {
  return {
    type: name,
    title: name,
    description: '',
    configSchema: z.unknown(),
    ports: [],
    run: () => {
      throw new WeftError('internal', `Node type '${name}' is not registered.`, { kind: 'unexpected' });
    },
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
