// Every string of a flow that holds expressions, and every name path they read, with document offsets down to
// each step: what definition, rename, hover and the missing-secret check work from. Which strings hold what
// follows the compiler: node configs, edge maps, graph outputs and webhook secrets are templates; a node's
// `condition` (if, switch cases, filter) may also be an expression without braces or a JSON Logic rule whose
// `var` operands are paths; a `code` node's `code` is JavaScript, where `nodes.x` is read as text.

import { getCompiledExpression } from '../engine/expr/compileCache';
import type { ExprNode, Reference } from '../engine/expr/exprTypes';
import { collectReferences } from '../engine/expr/references';
import { findTemplates } from '../engine/expr/template';
import { hasTemplateSyntax } from '../engine/expr/templateScan';
import { edgeTarget } from './flowModel';
import type { FlowModel, ModelGraph, ModelNode } from './flowModel';
import { keyOfValue, valueOf } from './jsonTree';
import { stringOffsetAt } from '../engine/model/jsonStringOffsets';
import type { JsonNode } from './jsonTree';
import { scanPathSteps, splitVarPath } from './referenceSteps';
import type { PathSpans, StepSpan } from './referenceSteps';

/**
 * `template`: a string with `{{ }}`; `expression`: a condition written without braces; `var`: a JSON Logic
 * `var` operand; `code`: a code node's JavaScript.
 */
export type HostKind = 'template' | 'expression' | 'var' | 'code';

export interface HostString {
  /** The string literal. */
  node: JsonNode;
  value: string;
  kind: HostKind;
  /** The node whose value it is (for an edge map, the edge's target); undefined for a graph output or a trigger. */
  reader?: ModelNode;
  graph: ModelGraph;
}

export interface ExpressionReference {
  host: HostString;
  root: string;
  path: (string | number)[];
  /** Document offsets of the whole path, of its root name, and of each step's text. */
  start: number;
  end: number;
  rootStart: number;
  rootEnd: number;
  steps: StepSpan[];
}

export interface ExpressionIndex {
  hosts: HostString[];
  hostByNode: Map<JsonNode, HostString>;
  references: ExpressionReference[];
  referencesByHost: Map<HostString, ExpressionReference[]>;
}

const referencesOf = new WeakMap<ExprNode, Reference[]>();

/**
 * Indexes the flow's expressions. `only`, when given, keeps the strings whose text it accepts (the missing-secret
 * check reads only strings that mention `secrets`, which spares it parsing every other template).
 */
export function buildExpressionIndex(text: string, model: FlowModel, only?: (value: string) => boolean): ExpressionIndex {
  const hosts: HostString[] = [];
  const add = (node: JsonNode, kind: HostKind, graph: ModelGraph, reader?: ModelNode): void => {
    const value = node.value as string;
    if (only === undefined || only(value)) hosts.push({ node, value, kind, graph, reader });
  };

  for (const node of model.nodes) {
    if (node.config) collectConfigHosts(node, add);
  }
  for (const edge of model.edges) {
    if (edge.map) collectTemplates(edge.map, (s) => add(s, 'template', edge.graph, edgeTarget(edge)));
  }
  const graphs = [model.graph, ...model.nodes.map((n) => n.body)].filter((g): g is ModelGraph => g !== undefined);
  for (const graph of graphs) {
    if (graph.output) collectTemplates(graph.output, (s) => add(s, 'template', graph));
  }
  if (model.graph) {
    for (const trigger of model.triggers) {
      const secret = valueOf(trigger, 'secret');
      if (secret) collectTemplates(secret, (s) => add(s, 'template', model.graph!));
    }
  }

  const references: ExpressionReference[] = [];
  const hostByNode = new Map<JsonNode, HostString>();
  const referencesByHost = new Map<HostString, ExpressionReference[]>();
  for (const host of hosts) {
    hostByNode.set(host.node, host);
    const own: ExpressionReference[] = [];
    referencesByHost.set(host, own);
    for (const found of hostReferences(host)) {
      const at = (index: number): number => stringOffsetAt(text, host.node, index);
      own.push({
        host,
        root: found.root,
        path: found.path,
        start: at(found.start),
        end: at(found.end),
        rootStart: at(found.spans.rootStart),
        rootEnd: at(found.spans.rootEnd),
        steps: found.spans.steps.map((s) => ({ ...s, start: at(s.start), end: at(s.end) })),
      });
    }
    references.push(...own);
  }
  return { hosts, hostByNode, references, referencesByHost };
}

type AddHost = (node: JsonNode, kind: HostKind, graph: ModelGraph, reader?: ModelNode) => void;

/** The strings of a node's config, its loop body left out (the body's nodes are nodes of their own). */
function collectConfigHosts(node: ModelNode, add: AddHost): void {
  const isCode = node.type === 'code';
  const stack: { value: JsonNode; inCondition: boolean }[] = [];
  for (const property of node.config!.children ?? []) {
    const [key, value] = property.children ?? [];
    if (!value) continue;
    if (key?.value === 'body' && node.body) continue;
    if (isCode && key?.value === 'code') {
      if (value.type === 'string' && (value.value as string).includes('nodes')) add(value, 'code', node.graph, node);
      continue;
    }
    stack.push({ value, inCondition: key?.value === 'condition' });
  }
  while (stack.length > 0) {
    const { value, inCondition } = stack.pop()!;
    if (value.type === 'string') {
      const text = value.value as string;
      if (hasTemplateSyntax(text)) add(value, 'template', node.graph, node);
      else if (inCondition && keyOfValue(value) === 'condition') add(value, 'expression', node.graph, node);
      else if (inCondition && isVarOperand(value)) add(value, 'var', node.graph, node);
      continue;
    }
    for (const child of value.children ?? []) {
      if (child.type === 'property') {
        const [key, inner] = child.children ?? [];
        if (inner) stack.push({ value: inner, inCondition: inCondition || key?.value === 'condition' });
      } else {
        stack.push({ value: child, inCondition });
      }
    }
  }
}

/** `{"var": "a.b"}` or `{"var": ["a.b", fallback]}`: the path string. */
function isVarOperand(node: JsonNode): boolean {
  if (keyOfValue(node) === 'var') return true;
  const parent = node.parent;
  return parent?.type === 'array' && parent.children?.[0] === node && keyOfValue(parent) === 'var';
}

function collectTemplates(value: JsonNode, onString: (node: JsonNode) => void): void {
  const stack = [value];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'string') {
      if (hasTemplateSyntax(current.value as string)) onString(current);
    } else {
      for (const child of current.children ?? []) stack.push(child.type === 'property' ? child.children?.[1] ?? child : child);
    }
  }
}

interface FoundReference {
  root: string;
  path: (string | number)[];
  /** Offsets into the host string's value. */
  start: number;
  end: number;
  spans: PathSpans;
}

function hostReferences(host: HostString): FoundReference[] {
  const out: FoundReference[] = [];
  const value = host.value;
  switch (host.kind) {
    case 'template':
      for (const span of findTemplates(value)) expressionReferences(value, span.source, span.sourceStart, out);
      break;
    case 'expression':
      expressionReferences(value, value, 0, out);
      break;
    case 'var': {
      const spans = splitVarPath(value);
      if (spans) {
        out.push({ root: value.slice(0, spans.rootEnd), path: spans.steps.map((s) => s.value), start: 0, end: value.length, spans });
      }
      break;
    }
    case 'code':
      codeReferences(value, out);
      break;
  }
  return out;
}

function expressionReferences(value: string, source: string, offset: number, out: FoundReference[]): void {
  const compiled = getCompiledExpression(source);
  // A template with a syntax error reads nothing yet; its error is the compiler's to report.
  if (!compiled.ok) return;
  let references = referencesOf.get(compiled.node);
  if (!references) {
    references = collectReferences(compiled.node);
    referencesOf.set(compiled.node, references);
  }
  for (const reference of references) {
    const spans = scanPathSteps(value, offset + reference.start, reference.path.length);
    if (!spans) continue;
    out.push({ root: reference.root, path: reference.path, start: offset + reference.start, end: offset + reference.end, spans });
  }
}

// `nodes.x`, `nodes?.x` and `nodes["x"]` in JavaScript, but not `other.nodes.x`.
const CODE_DOT = /(?<![\w$.])nodes\s*(?:\?\.|\.)\s*([A-Za-z_$][\w$]*)/g;
const CODE_BRACKET = /(?<![\w$.])nodes\s*(?:\?\.)?\s*\[\s*(['"])([A-Za-z_][A-Za-z0-9_-]*)\1\s*\]/g;

function codeReferences(value: string, out: FoundReference[]): void {
  for (const match of value.matchAll(CODE_DOT)) {
    const start = match.index;
    const nameStart = start + match[0].length - match[1].length;
    out.push({
      root: 'nodes',
      path: [match[1]],
      start,
      end: start + match[0].length,
      spans: { rootStart: start, rootEnd: start + 5, steps: [{ value: match[1], start: nameStart, end: nameStart + match[1].length, bracketed: false }] },
    });
  }
  for (const match of value.matchAll(CODE_BRACKET)) {
    const start = match.index;
    const nameStart = start + match[0].indexOf(match[1]) + 1;
    out.push({
      root: 'nodes',
      path: [match[2]],
      start,
      end: start + match[0].length,
      spans: { rootStart: start, rootEnd: start + 5, steps: [{ value: match[2], start: nameStart, end: nameStart + match[2].length, bracketed: true }] },
    });
  }
}
