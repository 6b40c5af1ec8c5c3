// The parts of a flow the language features point at, found once per document version in the syntax tree:
// graphs (the flow and each loop body), their nodes and edges, variables, the node ids named by tests and the
// layout. It is built from the tree rather than the parsed value, so it works on a file with syntax errors
// too (mid-typing) and every part carries its position.

import type { JsonPath } from '../shared/jsonPath';
import { elementsOf, propertiesOf, stringOf, valueOf } from './jsonTree';
import type { JsonNode } from './jsonTree';

export interface ModelNode {
  /** The node's id, when it is a string. */
  id?: string;
  /** The `"id"` value (a string literal). */
  idNode?: JsonNode;
  /** The node's object. */
  object: JsonNode;
  path: JsonPath;
  type?: string;
  typeNode?: JsonNode;
  config?: JsonNode;
  graph: ModelGraph;
  /** The graph in `config.body` (a loop's). */
  body?: ModelGraph;
}

export interface ModelEdge {
  object: JsonNode;
  path: JsonPath;
  from?: JsonNode;
  to?: JsonNode;
  port?: JsonNode;
  map?: JsonNode;
  graph: ModelGraph;
}

export interface ModelGraph {
  /** Path of the `{ nodes, edges, output }` object: [] for the flow. */
  path: JsonPath;
  object: JsonNode;
  nodes: ModelNode[];
  edges: ModelEdge[];
  output?: JsonNode;
  /** The node whose body this graph is. */
  owner?: ModelNode;
  parent?: ModelGraph;
}

/** A property key that names a node: a test's mock or expectation, a layout entry. */
export interface NodeKeyUse {
  id: string;
  /** The key's string literal. */
  key: JsonNode;
  kind: 'mock' | 'expect' | 'layout';
}

export interface VariableEntry {
  name: string;
  key: JsonNode;
  value?: JsonNode;
}

export interface FlowModel {
  root?: JsonNode;
  /** The flow's own graph; undefined when the text holds no object. */
  graph?: ModelGraph;
  /** Every node, loop bodies included, in source order. */
  nodes: ModelNode[];
  /** Every edge, loop bodies included. */
  edges: ModelEdge[];
  /** The first node with each id (ids are unique flow-wide). */
  byId: Map<string, ModelNode>;
  /** Node and edge objects, to find what holds a position by walking up the tree. */
  nodeByObject: Map<JsonNode, ModelNode>;
  edgeByObject: Map<JsonNode, ModelEdge>;
  variablesObject?: JsonNode;
  variables: VariableEntry[];
  nodeKeys: NodeKeyUse[];
  triggers: JsonNode[];
  tests: JsonNode[];
  inputs?: JsonNode;
}

/** Loop bodies nest; a file nesting them deeper than this is not one a person wrote. */
const MAX_BODY_DEPTH = 64;

export function buildFlowModel(root: JsonNode | undefined): FlowModel {
  const model: FlowModel = {
    root,
    nodes: [],
    edges: [],
    byId: new Map(),
    nodeByObject: new Map(),
    edgeByObject: new Map(),
    variables: [],
    nodeKeys: [],
    triggers: [],
    tests: [],
  };
  if (root?.type !== 'object') return model;
  model.graph = buildGraph(model, root, [], undefined, 0);

  const variables = valueOf(root, 'variables');
  if (variables?.type === 'object') {
    model.variablesObject = variables;
    for (const { key, value } of propertiesOf(variables)) {
      if (typeof key.value === 'string') model.variables.push({ name: key.value, key, value });
    }
  }
  model.triggers = elementsOf(valueOf(root, 'triggers')).filter((t) => t.type === 'object');
  model.tests = elementsOf(valueOf(root, 'tests')).filter((t) => t.type === 'object');
  for (const test of model.tests) {
    addKeys(model, valueOf(test, 'mocks'), 'mock');
    addKeys(model, valueOf(valueOf(test, 'expect'), 'nodes'), 'expect');
  }
  addKeys(model, valueOf(root, 'layout'), 'layout');
  const inputs = valueOf(root, 'inputs');
  if (inputs?.type === 'object') model.inputs = inputs;
  return model;
}

function addKeys(model: FlowModel, object: JsonNode | undefined, kind: NodeKeyUse['kind']): void {
  for (const { key } of propertiesOf(object)) {
    if (typeof key.value === 'string') model.nodeKeys.push({ id: key.value, key, kind });
  }
}

function buildGraph(model: FlowModel, object: JsonNode, path: JsonPath, owner: ModelNode | undefined, depth: number): ModelGraph {
  const graph: ModelGraph = { path, object, nodes: [], edges: [], owner, parent: owner?.graph };
  const output = valueOf(object, 'output');
  if (output) graph.output = output;

  elementsOf(valueOf(object, 'nodes')).forEach((element, i) => {
    if (element.type !== 'object') return;
    const node: ModelNode = { object: element, path: [...path, 'nodes', i], graph };
    const idNode = valueOf(element, 'id');
    if (idNode?.type === 'string') {
      node.idNode = idNode;
      node.id = idNode.value as string;
      if (!model.byId.has(node.id)) model.byId.set(node.id, node);
    }
    const typeNode = valueOf(element, 'type');
    if (typeNode?.type === 'string') {
      node.typeNode = typeNode;
      node.type = typeNode.value as string;
    }
    const config = valueOf(element, 'config');
    if (config) node.config = config;
    graph.nodes.push(node);
    model.nodes.push(node);
    model.nodeByObject.set(element, node);
    // A body's nodes come right after their loop node, as they appear in the text.
    const body = valueOf(config, 'body');
    if (body?.type === 'object' && valueOf(body, 'nodes')?.type === 'array' && depth < MAX_BODY_DEPTH) {
      node.body = buildGraph(model, body, [...node.path, 'config', 'body'], node, depth + 1);
    }
  });

  elementsOf(valueOf(object, 'edges')).forEach((element, j) => {
    if (element.type !== 'object') return;
    const edge: ModelEdge = { object: element, path: [...path, 'edges', j], graph };
    const from = valueOf(element, 'from');
    const to = valueOf(element, 'to');
    const port = valueOf(element, 'port');
    const map = valueOf(element, 'map');
    if (from) edge.from = from;
    if (to) edge.to = to;
    if (port) edge.port = port;
    if (map) edge.map = map;
    graph.edges.push(edge);
    model.edges.push(edge);
    model.edgeByObject.set(element, edge);
  });
  return graph;
}

/** The model node whose object holds `node` (itself, or the closest enclosing one). */
export function enclosingNode(model: FlowModel, node: JsonNode | undefined): ModelNode | undefined {
  for (let current = node; current; current = current.parent) {
    const found = model.nodeByObject.get(current);
    if (found) return found;
  }
  return undefined;
}

/** The model edge whose object holds `node`. */
export function enclosingEdge(model: FlowModel, node: JsonNode | undefined): ModelEdge | undefined {
  for (let current = node; current; current = current.parent) {
    const found = model.edgeByObject.get(current);
    if (found) return found;
    // An edge never holds a node: stop at the first node object.
    if (model.nodeByObject.has(current)) return undefined;
  }
  return undefined;
}

/** The node an edge's `to` names, in the edge's graph. */
export function edgeTarget(edge: ModelEdge): ModelNode | undefined {
  const id = edge.to?.type === 'string' ? (edge.to.value as string) : undefined;
  return id === undefined ? undefined : edge.graph.nodes.find((n) => n.id === id);
}

/** The node ids a template in `graph` may name: its own graph's and the enclosing graphs'. */
export function visibleNodes(graph: ModelGraph | undefined): ModelNode[] {
  const out: ModelNode[] = [];
  for (let g = graph; g; g = g.parent) out.push(...g.nodes);
  return out;
}

/**
 * The nodes upstream of `reader` (with a path to it) that a template of `reader` may read, nearest first:
 * its own graph's, then, for a body node, those upstream of the loop node in the enclosing graphs.
 */
export function upstreamNodes(reader: ModelNode): ModelNode[] {
  const out: ModelNode[] = [];
  const seen = new Set<ModelNode>();
  for (let node: ModelNode | undefined = reader; node; node = node.graph.owner) {
    const graph = node.graph;
    const byId = new Map<string, ModelNode>();
    for (const n of graph.nodes) if (n.id !== undefined && !byId.has(n.id)) byId.set(n.id, n);
    const sources = new Map<ModelNode, ModelNode[]>();
    for (const edge of graph.edges) {
      const from = byId.get(stringOf(edge.object, 'from') ?? '');
      const to = byId.get(stringOf(edge.object, 'to') ?? '');
      if (!from || !to) continue;
      const list = sources.get(to);
      if (list) list.push(from);
      else sources.set(to, [from]);
    }
    // Breadth first from the reader backwards: the nearest sources come first.
    const queue = [...(sources.get(node) ?? [])];
    for (let head = 0; head < queue.length; head++) {
      const current = queue[head];
      if (seen.has(current) || current === reader) continue;
      seen.add(current);
      out.push(current);
      queue.push(...(sources.get(current) ?? []));
    }
  }
  return out;
}
