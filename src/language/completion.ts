// Completion in a .flow.json: node types in a node's `"type"`, config keys from the type's schema, node ids in
// edge ends and in tests' mock and expectation keys (and layout keys), ports in an edge's `"port"`, and inside
// `{{ ... }}`: scope roots and functions, node ids after `nodes.` (upstream of the node being edited first), the
// fields a node's output had in the last run or has by its type's outputSchema, variables, secrets, and the
// trigger's fields from the `inputs` schema and the last run's input.
//
// The text is usually invalid while typing (an unterminated string, a missing comma), so where the cursor is
// comes from jsonc-parser's getLocation, which scans only up to the cursor, and the expression before the cursor
// is read with a tolerant scanner (partialPath.ts).

import { getLocation, getNodeValue } from 'jsonc-parser';
import type { JSONPath, Location } from 'jsonc-parser';
import { FUNCTION_DOCS } from '../engine/expr/functions';
import { readMember } from '../engine/expr/member';
import { SCOPE_ROOTS } from '../engine/expr/scope';
import { scanTemplateString } from '../engine/expr/templateScan';
import type { Position, Range } from '../engine/model/diagnostics';
import { DEFAULT_PORT, ERROR_PORT } from '../engine/nodes/nodeType';
import type { FlowDocument } from './flowDocument';
import { edgeTarget, upstreamNodes, visibleNodes } from './flowModel';
import type { FlowModel, ModelGraph, ModelNode } from './flowModel';
import { propertiesOf, stringOf } from './jsonTree';
import { stringContent, stringIndexAt, stringOffsetAt } from '../engine/model/jsonStringOffsets';
import type { JsonNode } from './jsonTree';
import { partialPathBefore } from './partialPath';
import type { PartialPath } from './partialPath';
import { jsonPreview } from './runScope';
import { describeSchema, isOptionalSchema, objectShape, schemaAt, schemaDescription } from './zodShape';
import { portList } from './nodePorts';
import { isPlainObject } from '../shared/isPlainObject';
import type { RunRecord } from '../engine/run/runRecord';
import { observedFields, observedLabel } from './observedFields';

export type CompletionKind = 'nodeType' | 'nodeId' | 'port' | 'configKey' | 'field' | 'function' | 'variable' | 'secret' | 'scopeRoot';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  /** One line beside the label. */
  detail?: string;
  /** Markdown. */
  documentation?: string;
  /** Text to insert, when not the label. */
  insertText?: string;
  /** The text the completion replaces; absent: the word at the cursor. */
  range?: Range;
  /** Sorts the list (the editor sorts by label otherwise): upstream nodes first, required keys first. */
  sortText?: string;
}

const ROOT_DOCS: Record<(typeof SCOPE_ROOTS)[number], string> = {
  trigger: 'The run input (the trigger payload).',
  input: "This node's input, built from its incoming edges.",
  nodes: 'Outputs of the nodes that ran: `nodes.<id>`.',
  variables: "The flow's `variables`.",
  secrets: "Secrets, by name: the editor's secret storage, or environment variables in the CLI.",
  execution: 'This run: `id`, `flowId`, `startedAt`, `trigger`.',
  item: 'The current item, in a loop body or a filter condition.',
  index: 'The current item\'s index, in a loop body or a filter condition.',
};

const EXECUTION_FIELDS: Record<string, string> = {
  id: "The run's id.",
  flowId: "The flow's id.",
  startedAt: 'When the run started (ISO date-time).',
  trigger: 'What started the run: `{ type, ... }`.',
};

export function completionsAt(doc: FlowDocument, position: Position): CompletionItem[] {
  const offset = doc.offsetAt(position);
  const location = getLocation(doc.text, offset);
  const node = location.previousNode;
  const inString = node?.type === 'string' && offset > node.offset && offset <= stringContent(doc.text, node).end;
  const path = location.path;

  if (inString && !location.isAtPropertyKey) {
    const expression = expressionCompletions(doc, location, node!, offset);
    if (expression) return expression;
  }
  const stringRange = inString ? contentRange(doc, node!) : undefined;
  const last = path[path.length - 1];

  if (location.isAtPropertyKey) {
    if (path[path.length - 2] === 'config' && isNodePath(path.slice(0, -2))) return configKeyCompletions(doc, path.slice(0, -2), stringRange, inString);
    if (path.length === 4 && path[0] === 'tests' && path[2] === 'mocks') return nodeIdKeyCompletions(doc, stringRange, inString);
    if (path.length === 5 && path[0] === 'tests' && path[2] === 'expect' && path[3] === 'nodes') return nodeIdKeyCompletions(doc, stringRange, inString);
    if (path.length === 2 && path[0] === 'layout') return nodeIdKeyCompletions(doc, stringRange, inString);
    return [];
  }
  if (last === 'type' && isNodePath(path.slice(0, -1))) return nodeTypeCompletions(doc, stringRange);
  if ((last === 'from' || last === 'to' || last === 'port') && isEdgePath(path.slice(0, -1))) {
    const graph = graphAt(doc.model, path.slice(0, -3));
    const edge = graph?.edges.find((e) => samePath(e.path, path.slice(0, -1)));
    if (!graph) return [];
    return last === 'port' ? portCompletions(doc, graph, edge, stringRange) : edgeEndCompletions(graph, edge, last, stringRange);
  }
  return [];
}

// ---------------------------------------------------------------------------------------------------------
// Values and keys of the flow's own structure

function nodeTypeCompletions(doc: FlowDocument, range: Range | undefined): CompletionItem[] {
  return doc.context.registry.list().map((type) => withValueRange({ label: type.type, kind: 'nodeType', detail: type.title, documentation: type.description }, range));
}

function edgeEndCompletions(graph: ModelGraph, edge: { object: JsonNode } | undefined, end: 'from' | 'to', range: Range | undefined): CompletionItem[] {
  // The other end is not offered: an edge from a node to itself is a cycle.
  const other = edge ? stringOf(edge.object, end === 'from' ? 'to' : 'from') : undefined;
  return graph.nodes
    .filter((n) => n.id !== undefined && n.id !== other)
    .map((n) => withValueRange(nodeItem(n), range));
}

function portCompletions(doc: FlowDocument, graph: ModelGraph, edge: { object: JsonNode } | undefined, range: Range | undefined): CompletionItem[] {
  const fromId = edge ? stringOf(edge.object, 'from') : undefined;
  const from = graph.nodes.find((n) => n.id !== undefined && n.id === fromId);
  const type = doc.nodeTypeOf(from);
  if (!from || !type) return [];
  // onError skip fires `out` with the error, whatever ports the type has.
  const ports = portList(type, from.config ? getNodeValue(from.config) : {}, stringOf(from.object, 'onError') === 'skip' ? [DEFAULT_PORT] : []);
  return ports.map((port) =>
    withValueRange(
      {
        label: port,
        kind: 'port',
        detail: port === ERROR_PORT ? `fires when '${from.id}' fails` : `port of '${from.id}' (${type.type})`,
      },
      range,
    ),
  );
}

function configKeyCompletions(doc: FlowDocument, nodePath: JSONPath, range: Range | undefined, inString: boolean): CompletionItem[] {
  const node = doc.model.nodes.find((n) => samePath(n.path, nodePath));
  const type = doc.nodeTypeOf(node);
  const shape = type ? objectShape(type.configSchema) : undefined;
  if (!node || !shape) return [];
  const present = new Set(propertiesOf(node.config).map((p) => p.key.value as string));
  const items: CompletionItem[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    if (present.has(key)) continue;
    const optional = isOptionalSchema(schema);
    const item: CompletionItem = {
      label: key,
      kind: 'configKey',
      detail: `${describeSchema(schema)}${optional ? '' : ' (required)'}`,
      sortText: `${optional ? 1 : 0}_${key}`,
    };
    const description = schemaDescription(schema);
    if (description) item.documentation = description;
    if (range) item.range = range;
    if (!inString) item.insertText = `${JSON.stringify(key)}: `;
    items.push(item);
  }
  return items;
}

function nodeIdKeyCompletions(doc: FlowDocument, range: Range | undefined, inString: boolean): CompletionItem[] {
  return doc.model.nodes
    .filter((n) => n.id !== undefined)
    .map((n) => {
      const item = nodeItem(n);
      if (range) item.range = range;
      if (!inString) item.insertText = `${JSON.stringify(n.id)}: `;
      return item;
    });
}

function nodeItem(node: ModelNode): CompletionItem {
  const item: CompletionItem = { label: node.id!, kind: 'nodeId' };
  if (node.type !== undefined) item.detail = node.type;
  const name = stringOf(node.object, 'name');
  const description = stringOf(node.object, 'description');
  const docs = [name && `**${name}**`, description].filter(Boolean).join('\n\n');
  if (docs) item.documentation = docs;
  return item;
}

/** In a string, the completion replaces its content; outside one, it inserts a whole JSON string. */
function withValueRange(item: CompletionItem, range: Range | undefined): CompletionItem {
  if (range) item.range = range;
  else item.insertText = JSON.stringify(item.label);
  return item;
}

function contentRange(doc: FlowDocument, node: JsonNode): Range {
  const { start, end } = stringContent(doc.text, node);
  return doc.rangeAt(start, end);
}

// ---------------------------------------------------------------------------------------------------------
// Inside expressions

function expressionCompletions(doc: FlowDocument, location: Location, node: JsonNode, offset: number): CompletionItem[] | undefined {
  const value = typeof node.value === 'string' ? node.value : '';
  const index = stringIndexAt(doc.text, node, offset);
  const exprStart = expressionStart(value, index, location.path);
  if (exprStart === undefined) return undefined;
  const partial = partialPathBefore(value.slice(exprStart, index));
  if (!partial) return [];
  const toDocument = (i: number): number => stringOffsetAt(doc.text, node, exprStart + i);
  const range = doc.rangeAt(toDocument(partial.partialStart), offset);
  const bracketRange = partial.dotStart === undefined ? undefined : doc.rangeAt(toDocument(partial.dotStart), offset);
  const { reader, graph } = readerAt(doc.model, location.path);

  if (partial.root === undefined) return rootCompletions(range);
  const names = pathCompletions(doc, partial, reader, graph);
  return names.map((item) => {
    const out: CompletionItem = { ...item, range };
    // A name that is no identifier (`my-node`) cannot follow a dot: `['my-node']` replaces the dot.
    if (!partial.quote && !/^[A-Za-z_$][\w$]*$/.test(item.label) && bracketRange) {
      out.range = bracketRange;
      out.insertText = `['${item.label.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}']`;
    }
    return out;
  });
}

/**
 * Where the expression around value index `index` starts: in a `{{ }}` (closed, or still open), or at 0 for a
 * condition written without braces. Undefined when the cursor is in plain text.
 */
function expressionStart(value: string, index: number, path: JSONPath): number | undefined {
  for (const segment of scanTemplateString(value)) {
    if (segment.kind === 'template' && index >= segment.span.sourceStart && index <= segment.span.end - 2) return segment.span.sourceStart;
    if (segment.kind === 'unclosed' && index >= segment.start + 2) return segment.start + 2;
  }
  const isCondition = path[path.length - 1] === 'condition' && path.includes('config');
  return isCondition && !value.includes('{{') ? 0 : undefined;
}

function rootCompletions(range: Range): CompletionItem[] {
  const roots = SCOPE_ROOTS.map((root): CompletionItem => ({ label: root, kind: 'scopeRoot', documentation: ROOT_DOCS[root], range, sortText: `0_${root}` }));
  const functions = Object.entries(FUNCTION_DOCS).map(
    ([name, fn]): CompletionItem => ({ label: name, kind: 'function', detail: fn.signature, documentation: fn.doc, range, sortText: `1_${name}` }),
  );
  return [...roots, ...functions];
}

type NameItem = Omit<CompletionItem, 'range'>;

function pathCompletions(doc: FlowDocument, partial: PartialPath, reader: ModelNode | undefined, graph: ModelGraph | undefined): NameItem[] {
  const { root, steps } = partial;
  const run = doc.context.lastRun;
  switch (root) {
    case 'nodes': {
      if (steps.length === 0) return nodeIdCompletions(reader, graph ?? doc.model.graph);
      const id = steps[0];
      if (typeof id !== 'string') return [];
      const rest = steps.slice(1);
      const items = valueFields(run?.nodes[id]?.output, rest, run ? `in run ${run.id}` : undefined);
      addObservedFields(items, doc.context.recentRuns, id, rest);
      const type = doc.nodeTypeOf(doc.model.byId.get(id));
      if (type?.outputSchema) mergeFields(items, schemaFields(schemaAt(type.outputSchema, rest)));
      return items;
    }
    case 'variables':
      return steps.length === 0
        ? Object.entries(doc.variables).map(([name, value]) => ({ label: name, kind: 'variable', detail: jsonPreview(value) }))
        : valueFields(doc.variables, steps, undefined);
    case 'secrets': {
      if (steps.length > 0) return [];
      const names = new Set(doc.context.knownSecrets ?? []);
      for (const reference of doc.secretReferences) {
        const first = reference.steps[0]?.value;
        if (typeof first === 'string' && first !== partial.partial) names.add(first);
      }
      return [...names].sort().map((name) => ({
        label: name,
        kind: 'secret',
        detail: doc.context.knownSecrets === undefined ? 'secret' : doc.context.knownSecrets.has(name) ? 'secret (set)' : 'secret (not set)',
      }));
    }
    case 'trigger': {
      const items = inputSchemaFields(doc, steps);
      mergeFields(items, valueFields(run?.input, steps, run ? `in run ${run.id}` : undefined));
      return items;
    }
    case 'input':
      return reader?.id !== undefined && run ? valueFields(run.nodes[reader.id]?.input, steps, `in run ${run.id}`) : [];
    case 'execution':
      if (steps.length === 0) return Object.entries(EXECUTION_FIELDS).map(([name, doc]) => ({ label: name, kind: 'field', documentation: doc }));
      return run && steps[0] === 'trigger' ? valueFields(run.trigger, steps.slice(1), `in run ${run.id}`) : [];
    default:
      return [];
  }
}

/** Node ids a template may read here: upstream of the reader first, nearest first, then the others. */
function nodeIdCompletions(reader: ModelNode | undefined, graph: ModelGraph | undefined): NameItem[] {
  const upstream = reader ? upstreamNodes(reader) : [];
  const rank = new Map(upstream.map((n, i) => [n, i]));
  const items: NameItem[] = [];
  const seen = new Set<string>();
  for (const node of [...upstream, ...visibleNodes(graph)]) {
    if (node.id === undefined || node === reader || seen.has(node.id)) continue;
    seen.add(node.id);
    const position = rank.get(node);
    const item = nodeItem(node);
    if (reader) item.detail = `${item.detail ?? ''}${position === undefined ? ' (not upstream)' : ' (upstream)'}`.trim();
    item.sortText = position === undefined ? `1_${node.id}` : `0_${String(position).padStart(4, '0')}`;
    items.push(item);
  }
  return items;
}

/** The keys of the object at `steps` inside `value`, each with a preview of its value. */
function valueFields(value: unknown, steps: (string | number)[], source: string | undefined): NameItem[] {
  let current = value;
  for (const step of steps) current = readMember(current, step);
  if (!isPlainObject(current)) return [];
  return Object.entries(current).map(([key, v]) => ({
    label: key,
    kind: 'field',
    detail: source ? `${jsonPreview(v)}  (${source})` : jsonPreview(v),
  }));
}

function schemaFields(schema: unknown): NameItem[] {
  const shape = objectShape(schema);
  if (!shape) return [];
  return Object.entries(shape).map(([key, field]) => {
    const item: NameItem = { label: key, kind: 'field', detail: describeSchema(field) };
    const description = schemaDescription(field);
    if (description) item.documentation = description;
    return item;
  });
}

/** Fields of the `inputs` JSON Schema at `steps`: `properties`, through `items` for array indexes. */
function inputSchemaFields(doc: FlowDocument, steps: (string | number)[]): NameItem[] {
  let schema: unknown = doc.model.inputs ? getNodeValue(doc.model.inputs) : undefined;
  for (const step of steps) {
    const s = schema as { properties?: Record<string, unknown>; items?: unknown } | undefined;
    schema = typeof step === 'number' ? s?.items : s?.properties?.[step];
  }
  const properties = (schema as { properties?: unknown } | undefined)?.properties;
  if (typeof properties !== 'object' || properties === null) return [];
  return Object.entries(properties as Record<string, { type?: unknown; description?: unknown }>).map(([key, property]) => {
    const item: NameItem = { label: key, kind: 'field' };
    const type = property?.type;
    if (typeof type === 'string' || Array.isArray(type)) item.detail = [type].flat().join(' | ');
    if (typeof property?.description === 'string') item.documentation = property.description;
    return item;
  });
}

/** The keys recent runs' outputs had at this path, marked as observed (beside the last run's preview, if any). */
function addObservedFields(items: NameItem[], runs: readonly RunRecord[] | undefined, id: string, steps: (string | number)[]): void {
  const observed = runs && runs.length > 0 ? observedFields(runs, id, steps) : undefined;
  if (!observed) return;
  for (const { key, runs: found } of observed.keys) {
    const label = observedLabel(found, observed.runs);
    const existing = items.find((i) => i.label === key);
    if (existing) existing.detail = existing.detail ? `${existing.detail} · ${label}` : label;
    else items.push({ label: key, kind: 'field', detail: label });
  }
}

/** Adds `more` to `items`, completing the details of names both have. */
function mergeFields(items: NameItem[], more: NameItem[]): void {
  for (const item of more) {
    const existing = items.find((i) => i.label === item.label);
    if (!existing) {
      items.push(item);
      continue;
    }
    existing.detail ??= item.detail;
    existing.documentation ??= item.documentation;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Where in the flow

/** The node whose template holds the cursor (for an edge map, the edge's target) and the graph it is in. */
function readerAt(model: FlowModel, path: JSONPath): { reader?: ModelNode; graph?: ModelGraph } {
  let best: { reader?: ModelNode; graph?: ModelGraph; depth: number } = { graph: model.graph, depth: -1 };
  for (const node of model.nodes) {
    if (node.path.length > best.depth && startsWith(path, [...node.path, 'config'])) {
      // The body's own output is read at the end of the body: no reader there.
      const inBodyOutput = node.body && startsWith(path, [...node.body.path, 'output']);
      best = inBodyOutput ? { graph: node.body, depth: node.path.length } : { reader: node, graph: node.graph, depth: node.path.length };
    }
  }
  for (const edge of model.edges) {
    if (edge.path.length > best.depth && startsWith(path, [...edge.path, 'map'])) {
      best = { reader: edgeTarget(edge), graph: edge.graph, depth: edge.path.length };
    }
  }
  return best;
}

function graphAt(model: FlowModel, path: JSONPath): ModelGraph | undefined {
  if (path.length === 0) return model.graph;
  return model.nodes.find((n) => n.body && samePath(n.body.path, path))?.body;
}

/** `[]` or a loop node's `config.body`. */
function isGraphPath(path: JSONPath): boolean {
  return path.length === 0 || (path[path.length - 1] === 'body' && path[path.length - 2] === 'config' && isNodePath(path.slice(0, -2)));
}

function isNodePath(path: JSONPath): boolean {
  return path.length >= 2 && path[path.length - 2] === 'nodes' && typeof path[path.length - 1] === 'number' && isGraphPath(path.slice(0, -2));
}

function isEdgePath(path: JSONPath): boolean {
  return path.length >= 2 && path[path.length - 2] === 'edges' && typeof path[path.length - 1] === 'number' && isGraphPath(path.slice(0, -2));
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  return a.length === b.length && a.every((s, i) => s === b[i]);
}

function startsWith(path: readonly (string | number)[], prefix: readonly (string | number)[]): boolean {
  return path.length >= prefix.length && prefix.every((s, i) => s === path[i]);
}
