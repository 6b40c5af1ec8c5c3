// The canvas's intents (move, connect, delete, add, edit a node) as minimal edits of a .flow.json text: only the
// lines that must change do, in the file's own indentation and line ends, and comments elsewhere stay where they
// are. A new entry goes on its own line where its list is written one entry per line (so a later git diff shows
// one line), inline where the list is written inline. Loop bodies are edited in place (`config.body` of the
// loop node). Edits are offsets into the text (jsonc-parser's Edit); those of one call never overlap.
//
// The text surgery itself (append, remove, diff a value) is jsonEdits.ts's, shared with the quick fixes.
//
// Pure: no vscode. A text with syntax errors is refused (an edit computed on a guessed tree could break it more).

import { getNodeValue, parseTree, type Edit, type ParseError } from 'jsonc-parser';
import { WeftError } from '../engine/errors';
import { NODE_ID_PATTERN } from '../shared/nodeId';
import { DEFAULT_PORT } from '../engine/nodes/nodeType';
import type { CanvasPosition } from '../protocol/canvasProtocol';
import { buildFlowModel, type FlowModel, type ModelGraph, type ModelNode } from './flowModel';
import { appendEntries, diffValue, inlineJson, jsonTextContext, lineIndent, removeChildren, type JsonTextContext } from './jsonEdits';
import { propertyOf, stringOf, valueOf } from './jsonTree';
import { isPlainObject } from '../shared/isPlainObject';
import { placeholderFor } from './zodShape';

export type { Edit };

/** An edge by its graph (the loop whose body holds it; undefined for the flow's own edges) and its index there. */
export interface EdgeRef {
  owner?: string;
  index: number;
}

export interface NodeFields {
  /** The whole new config. */
  config?: Record<string, unknown>;
  /** '' removes the name. */
  name?: string;
  /** false removes the flag. */
  disabled?: boolean;
}

export interface AddNodeOptions {
  /** Add into this loop node's body (position relative to its group). */
  into?: string;
  /** The new node's config (default: none). */
  config?: Record<string, unknown>;
  /** Positions of other nodes to write with it (the canvas sends those of nodes not yet in `layout`). */
  positions?: Record<string, CanvasPosition>;
}

interface Context extends JsonTextContext {
  model: FlowModel;
}

function contextOf(text: string): Context {
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { allowTrailingComma: true, disallowComments: false });
  if (errors.length > 0 || root?.type !== 'object') {
    throw new WeftError('usage', 'The file has JSON syntax errors; fix them in the text editor before editing on the canvas.', { kind: 'user' });
  }
  return { ...jsonTextContext(text, root), model: buildFlowModel(root) };
}

// ---------------------------------------------------------------------------------------------------------------
// The intents

/** Writes `layout` positions (rounded to whole pixels) for the nodes named; creates `layout` when missing. */
export function moveNodes(text: string, positions: Record<string, CanvasPosition>): Edit[] {
  const context = contextOf(text);
  const known = Object.fromEntries(Object.entries(positions).filter(([id]) => context.model.byId.has(id)));
  return layoutEdits(context, known);
}

/** Adds the edge `from` → `to` on `port` in the graph holding both; nothing when it exists already. */
export function connect(text: string, from: string, port: string, to: string): Edit[] {
  const context = contextOf(text);
  const source = context.model.byId.get(from);
  const target = context.model.byId.get(to);
  if (!source || !target) throw refused(`There is no node "${source ? to : from}".`);
  if (source.graph !== target.graph) throw refused(`${from} and ${to} are not in the same graph: an edge cannot cross a loop body's border.`);
  if (from === to) throw refused('A node cannot be connected to itself.');
  const graph = source.graph;
  const edges = edgesOf(graph);
  if (edges.some((e) => e.from === from && e.to === to && e.port === port)) return [];
  if (reaches(edges, to, from)) throw refused(`Connecting ${from} to ${to} would make a cycle; repetition is a loop node's body.`);
  const fields: Record<string, string> = { from, to };
  if (port !== DEFAULT_PORT) fields.port = port;
  const edgeText = inlineJson(fields);
  const array = valueOf(graph.object, 'edges');
  if (array?.type === 'array') return appendEntries(context, array, () => [edgeText]);
  if (array) throw refused('The graph\'s "edges" is not an array.');
  const after = propertyOf(graph.object, 'nodes');
  return appendEntries(context, graph.object, (indent, multiLine) => [
    `"edges": ${multiLine ? `[${context.format.eol}${indent}${context.unit}${edgeText}${context.format.eol}${indent}]` : `[${edgeText}]`}`,
  ], after);
}

/** Removes nodes (with their edges, their layout entries and, for a loop, its body's entries) and edges. */
export function deleteElements(text: string, nodeIds: readonly string[], edgeRefs: readonly EdgeRef[]): Edit[] {
  const context = contextOf(text);
  const doomed = new Set(nodeIds.filter((id) => context.model.byId.has(id)));
  // A loop's body goes with it: its nodes' layout entries too.
  const gone = new Set<string>();
  for (const node of context.model.nodes) if (node.id !== undefined && isWithin(node, doomed)) gone.add(node.id);

  const edits: Edit[] = [];
  for (const graph of graphsOf(context.model)) {
    if (graph.owner && isWithin(graph.owner, doomed)) continue; // removed with its loop node
    const nodes = valueOf(graph.object, 'nodes');
    const nodeIndices = new Set<number>();
    (nodes?.children ?? []).forEach((element, i) => {
      const id = stringOf(element, 'id');
      if (id !== undefined && doomed.has(id)) nodeIndices.add(i);
    });
    if (nodes && nodeIndices.size > 0) edits.push(...removeChildren(context, nodes, nodeIndices));

    const edges = valueOf(graph.object, 'edges');
    const edgeIndices = new Set<number>();
    const owner = graph.owner?.id;
    for (const ref of edgeRefs) if (ref.owner === owner) edgeIndices.add(ref.index);
    (edges?.children ?? []).forEach((element, i) => {
      const from = stringOf(element, 'from');
      const to = stringOf(element, 'to');
      if ((from !== undefined && gone.has(from)) || (to !== undefined && gone.has(to))) edgeIndices.add(i);
    });
    const count = edges?.children?.length ?? 0;
    for (const i of edgeIndices) if (i >= count) edgeIndices.delete(i);
    if (edges?.type === 'array' && edgeIndices.size > 0) edits.push(...removeChildren(context, edges, edgeIndices));
  }

  const layout = valueOf(context.root, 'layout');
  if (layout?.type === 'object') {
    const entries = new Set<number>();
    (layout.children ?? []).forEach((property, i) => {
      const key = property.children?.[0]?.value;
      if (typeof key === 'string' && gone.has(key)) entries.add(i);
    });
    if (entries.size > 0) edits.push(...removeChildren(context, layout, entries));
  }
  return edits;
}

/** Adds a node of `type` with a new unique id at `position` (and its layout entry); returns the id. */
export function addNode(text: string, type: string, position: CanvasPosition, options: AddNodeOptions = {}): { id: string; edits: Edit[] } {
  const context = contextOf(text);
  let graph = context.model.graph!;
  if (options.into !== undefined) {
    const loop = context.model.byId.get(options.into);
    if (!loop?.body) throw refused(`"${options.into}" is not a loop with a body.`);
    graph = loop.body;
  }
  const id = uniqueNodeId(type, new Set(context.model.nodes.map((n) => n.id).filter((x): x is string => x !== undefined)));
  const node: Record<string, unknown> = { id, type };
  if (options.config && Object.keys(options.config).length > 0) node.config = options.config;
  const nodeText = inlineJson(node);
  const array = valueOf(graph.object, 'nodes');
  const edits =
    array?.type === 'array'
      ? appendEntries(context, array, () => [nodeText])
      : appendEntries(context, graph.object, () => [`"nodes": [${nodeText}]`]);
  const positions: Record<string, CanvasPosition> = {};
  for (const [other, at] of Object.entries(options.positions ?? {})) if (context.model.byId.has(other)) positions[other] = at;
  positions[id] = position;
  edits.push(...layoutEdits(context, positions));
  return { id, edits };
}

/** Sets a node's config, name and disabled flag, changing only the values that differ. */
export function setNodeFields(text: string, nodeId: string, fields: NodeFields): Edit[] {
  const context = contextOf(text);
  const node = context.model.byId.get(nodeId);
  if (!node) throw refused(`There is no node "${nodeId}".`);
  const current = getNodeValue(node.object) as Record<string, unknown>;
  const next: Record<string, unknown> = { ...current };
  if (fields.name !== undefined) {
    if (fields.name === '') delete next.name;
    else next.name = fields.name;
  }
  if (fields.disabled !== undefined) {
    if (fields.disabled) next.disabled = true;
    else delete next.disabled;
  }
  if (fields.config !== undefined) {
    if (Object.keys(fields.config).length === 0 && current.config === undefined) delete next.config;
    else next.config = fields.config;
  }
  return diffValue(context, node.object, next);
}

/** `http1`, `http2`, …: the type name made a valid id, with the lowest free number. */
export function uniqueNodeId(type: string, taken: ReadonlySet<string>): string {
  let base = type.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^[^A-Za-z_]+/, '');
  if (!base) base = 'node';
  for (let n = 1; ; n++) {
    const id = `${base}${n}`;
    if (!taken.has(id) && NODE_ID_PATTERN.test(id)) return id;
  }
}

/**
 * A starting config from a type's zod config schema (zodShape.ts's placeholders, as the quick fixes use): valid
 * against that schema, so the new node is complete in shape and the inspector shows it.
 */
export function starterConfig(configSchema: unknown): Record<string, unknown> {
  const config = placeholderFor(configSchema);
  return isPlainObject(config) ? config : {};
}

// ---------------------------------------------------------------------------------------------------------------
// Graph helpers

function refused(message: string): WeftError {
  return new WeftError('usage', message, { kind: 'user' });
}

function graphsOf(model: FlowModel): ModelGraph[] {
  const graphs: ModelGraph[] = model.graph ? [model.graph] : [];
  for (const node of model.nodes) if (node.body) graphs.push(node.body);
  return graphs;
}

/** True when `node` is one of `ids`, or inside the body of one. */
function isWithin(node: ModelNode, ids: ReadonlySet<string>): boolean {
  for (let current: ModelNode | undefined = node; current; current = current.graph.owner) {
    if (current.id !== undefined && ids.has(current.id)) return true;
  }
  return false;
}

function edgesOf(graph: ModelGraph): { from?: string; to?: string; port: string }[] {
  return graph.edges.map((e) => ({ from: stringOf(e.object, 'from'), to: stringOf(e.object, 'to'), port: stringOf(e.object, 'port') ?? DEFAULT_PORT }));
}

function reaches(edges: { from?: string; to?: string }[], start: string, goal: string): boolean {
  const seen = new Set<string>([start]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    for (const edge of edges) {
      if (edge.from !== queue[head] || edge.to === undefined || seen.has(edge.to)) continue;
      if (edge.to === goal) return true;
      seen.add(edge.to);
      queue.push(edge.to);
    }
  }
  return false;
}

// ---------------------------------------------------------------------------------------------------------------
// Layout

function layoutEdits(context: Context, positions: Record<string, CanvasPosition>): Edit[] {
  const entries = Object.entries(positions).map(([id, p]) => [id, { x: Math.round(p.x), y: Math.round(p.y) }] as const);
  if (entries.length === 0) return [];
  const { eol } = context.format;
  const entryText = (id: string, p: CanvasPosition): string => `${JSON.stringify(id)}: { "x": ${p.x}, "y": ${p.y} }`;
  const layout = valueOf(context.root, 'layout');
  if (!layout) {
    return appendEntries(context, context.root, (indent) => [
      `"layout": {${eol}${entries.map(([id, p]) => `${indent}${context.unit}${entryText(id, p)}`).join(`,${eol}`)}${eol}${indent}}`,
    ]);
  }
  if (layout.type !== 'object') throw refused('The flow\'s "layout" is not an object.');
  const edits: Edit[] = [];
  const missing: (readonly [string, CanvasPosition])[] = [];
  for (const [id, p] of entries) {
    const entry = valueOf(layout, id);
    const x = valueOf(entry, 'x');
    const y = valueOf(entry, 'y');
    if (entry?.type === 'object' && x?.type === 'number' && y?.type === 'number') {
      if (x.value !== p.x) edits.push({ offset: x.offset, length: x.length, content: String(p.x) });
      if (y.value !== p.y) edits.push({ offset: y.offset, length: y.length, content: String(p.y) });
    } else if (entry) {
      edits.push({ offset: entry.offset, length: entry.length, content: `{ "x": ${p.x}, "y": ${p.y} }` });
    } else {
      missing.push([id, p]);
    }
  }
  if (missing.length > 0) {
    if ((layout.children ?? []).length === 0) {
      // `{}` becomes one entry per line, so that later moves change one line each.
      const indent = lineIndent(context.text, layout.offset);
      edits.push({
        offset: layout.offset,
        length: layout.length,
        content: `{${eol}${missing.map(([id, p]) => `${indent}${context.unit}${entryText(id, p)}`).join(`,${eol}`)}${eol}${indent}}`,
      });
    } else {
      edits.push(...appendEntries(context, layout, () => missing.map(([id, p]) => entryText(id, p))));
    }
  }
  return edits;
}
