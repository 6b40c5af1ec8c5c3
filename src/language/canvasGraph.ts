// What the canvas draws: a flow's nodes (with their ports), edges, loop bodies and layout. From the text of a
// .flow.json it is read off the tolerant syntax tree, so a file with a syntax error mid-typing still shows what
// parses (read-only until it parses again); from a compiled flow (a .flow.ts, compiled in the run worker) it is
// read off the compiled graph. Pure: no vscode.

import { getNodeValue, parseTree, printParseErrorCode, type ParseError } from 'jsonc-parser';
import type { CompiledGraph, CompiledFlow } from '../engine/model/compiledFlow';
import type { Range } from '../engine/model/diagnostics';
import { LineIndex } from '../engine/model/lineIndex';
import { createDefaultRegistry } from '../engine/nodes/builtins';
import { DEFAULT_PORT } from '../engine/nodes/nodeType';
import type { NodeRegistry } from '../engine/nodes/registry';
import type { CanvasEdge, CanvasGraph, CanvasNode, CanvasPosition } from '../protocol/canvasProtocol';
import { buildFlowModel, type ModelGraph } from './flowModel';
import { portList } from './nodePorts';
import { propertiesOf, stringOf, valueOf, type JsonNode } from './jsonTree';
import { isPlainObject } from '../shared/isPlainObject';
import { nodeConfigProblems } from './nodeConfigProblems';

export interface CanvasGraphOptions {
  /** The node types (ports come from here). Default: the built-ins. */
  registry?: NodeRegistry;
}

let defaultRegistry: NodeRegistry | undefined;

/** The canvas graph of a .flow.json text; tolerant of syntax errors. */
export function canvasGraphFromText(text: string, options: CanvasGraphOptions = {}): CanvasGraph {
  const registry = options.registry ?? (defaultRegistry ??= createDefaultRegistry());
  const errors: ParseError[] = [];
  let root: JsonNode | undefined;
  try {
    root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  } catch {
    // Absurd nesting overflows the parser's stack: nothing to draw.
    root = undefined;
  }
  const lines = new LineIndex(text);
  const problems: string[] = errors.slice(0, 5).map((e) => {
    const at = lines.positionAt(e.offset);
    return `Line ${at.line + 1}: ${describeParseError(printParseErrorCode(e.error))}.`;
  });
  if (errors.length > 0) problems.unshift('The file has JSON syntax errors: the canvas shows what parses and cannot edit it until they are fixed.');
  const model = buildFlowModel(root);
  const layout = readLayout(valueOf(root, 'layout'));
  if (!model.graph) {
    if (errors.length === 0) problems.push('The file holds no flow object.');
    return { nodes: [], edges: [], layout: {}, readOnly: true, problems };
  }
  const graph = fromModelGraph(model.graph, { registry, lines, layout, problems });
  graph.layout = layout;
  const flowId = stringOf(root, 'id');
  if (flowId) graph.flowId = flowId;
  graph.readOnly = errors.length > 0;
  graph.problems = problems;
  return graph;
}

interface TextContext {
  registry: NodeRegistry;
  lines: LineIndex;
  layout: Record<string, CanvasPosition>;
  problems: string[];
}

function fromModelGraph(graph: ModelGraph, context: TextContext): CanvasGraph {
  const nodes: CanvasNode[] = [];
  const ids = new Set<string>();
  for (const modelNode of graph.nodes) {
    const object = modelNode.object;
    if (modelNode.id === undefined) {
      context.problems.push(`A node at line ${context.lines.positionAt(object.offset).line + 1} has no id, so it is not drawn.`);
      continue;
    }
    if (ids.has(modelNode.id)) {
      context.problems.push(`The node id "${modelNode.id}" is used twice; only the first is drawn.`);
      continue;
    }
    ids.add(modelNode.id);
    const configValue = modelNode.config ? safeValue(modelNode.config) : undefined;
    const config = isPlainObject(configValue) ? configValue : {};
    const node: CanvasNode = {
      id: modelNode.id,
      type: modelNode.type ?? '?',
      ports: [],
      range: context.lines.rangeAt(object.offset, object.offset + object.length),
      config,
      knownType: modelNode.type !== undefined && context.registry.has(modelNode.type),
    };
    const name = stringOf(object, 'name');
    if (name !== undefined) node.name = name;
    if (valueOf(object, 'disabled')?.value === true) node.disabled = true;
    if (modelNode.body) {
      const body = fromModelGraph(modelNode.body, context);
      body.layout = pick(context.layout, body.nodes.map((n) => n.id));
      node.body = body;
    }
    nodes.push(node);
  }

  const edges: CanvasEdge[] = [];
  graph.edges.forEach((edge, index) => {
    const from = stringOf(edge.object, 'from');
    const to = stringOf(edge.object, 'to');
    if (from === undefined || to === undefined) return;
    if (!ids.has(from) || !ids.has(to)) {
      const missing = ids.has(from) ? to : from;
      context.problems.push(`The edge ${from} → ${to} names "${missing}", which is not a node${graph.owner?.id ? ` of the loop body of ${graph.owner.id}` : ''}.`);
      return;
    }
    edges.push({ index, from, to, port: stringOf(edge.object, 'port') ?? DEFAULT_PORT });
  });

  for (const node of nodes) {
    const type = node.type === '?' ? undefined : context.registry.get(node.type);
    if (!type && node.type !== '?') context.problems.push(`The node type "${node.type}" of ${node.id} is not known; its ports are read from its edges.`);
    if (type) {
      const problems = nodeConfigProblems(type, node.config);
      if (problems.length > 0) node.problems = problems;
    }
    node.ports = portList(type, node.config, edges.filter((e) => e.from === node.id).map((e) => e.port));
  }
  return { nodes, edges, layout: {}, readOnly: false, problems: [] };
}

function readLayout(object: JsonNode | undefined): Record<string, CanvasPosition> {
  const layout: Record<string, CanvasPosition> = {};
  for (const { key, value } of propertiesOf(object)) {
    if (typeof key.value !== 'string' || value?.type !== 'object') continue;
    const x = valueOf(value, 'x')?.value;
    const y = valueOf(value, 'y')?.value;
    if (typeof x === 'number' && typeof y === 'number' && Number.isFinite(x) && Number.isFinite(y)) layout[key.value] = { x, y };
  }
  return layout;
}

/** The graph of a compiled flow (a .flow.ts): no layout, read-only. `ranges` point at each node's definition. */
export function canvasGraphFromCompiled(flow: CompiledFlow, ranges?: ReadonlyMap<string, Range>): CanvasGraph {
  const graph = fromCompiledGraph(flow.graph, ranges, 0);
  graph.readOnly = true;
  graph.problems = [];
  graph.layout = {};
  if (flow.id) graph.flowId = flow.id;
  return graph;
}

const MAX_BODY_DEPTH = 64;

function fromCompiledGraph(graph: CompiledGraph, ranges: ReadonlyMap<string, Range> | undefined, depth: number): CanvasGraph {
  const nodes: CanvasNode[] = graph.nodes.map((compiled) => {
    const config = jsonSafe(compiled.rawConfig, 0);
    const node: CanvasNode = {
      id: compiled.id,
      type: compiled.type.type,
      ports: portList(compiled.type, compiled.rawConfig, compiled.outgoing.map((e) => e.port)),
      config: isPlainObject(config) ? config : {},
      knownType: true,
    };
    const range = ranges?.get(compiled.id) ?? compiled.range;
    if (range) node.range = range;
    if (compiled.definition.name !== undefined) node.name = compiled.definition.name;
    if (compiled.disabled) node.disabled = true;
    const body = bodyOf(compiled.prepared);
    if (body && depth < MAX_BODY_DEPTH) node.body = { ...fromCompiledGraph(body, ranges, depth + 1), readOnly: true };
    return node;
  });
  const edges: CanvasEdge[] = graph.edges.map((edge) => ({ index: edge.index, from: edge.from.id, to: edge.to.id, port: edge.port }));
  return { nodes, edges, layout: {}, readOnly: true, problems: [] };
}

/** A node type whose prepared config holds a compiled sub-graph under `body` (the loop) draws it as a group. */
function bodyOf(prepared: unknown): CompiledGraph | undefined {
  const body = (prepared as { body?: unknown } | undefined)?.body as CompiledGraph | undefined;
  return body && Array.isArray(body.nodes) && Array.isArray(body.edges) && body.byId instanceof Map ? body : undefined;
}

/** A value that survives structured cloning and JSON: functions become "[function]", depth is bounded. */
function jsonSafe(value: unknown, depth: number): unknown {
  if (typeof value === 'function') return '[function]';
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' || typeof value === 'symbol' ? String(value) : value;
  if (depth > 32) return '[…]';
  if (Array.isArray(value)) return value.map((v) => jsonSafe(v, depth + 1) ?? null);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) if (v !== undefined) out[key] = jsonSafe(v, depth + 1);
  return out;
}

function safeValue(node: JsonNode): unknown {
  try {
    return getNodeValue(node);
  } catch {
    return undefined;
  }
}

function pick(layout: Record<string, CanvasPosition>, ids: string[]): Record<string, CanvasPosition> {
  const out: Record<string, CanvasPosition> = {};
  for (const id of ids) if (layout[id]) out[id] = layout[id];
  return out;
}

function describeParseError(code: string): string {
  // "PropertyNameExpected" → "property name expected"
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase().replace(/^./, (c) => c.toUpperCase());
}
