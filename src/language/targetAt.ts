// What the text at an offset names, for hover, definition and rename: a node id (where it is defined, an edge
// end, a test's mock or expectation key, a layout key, `nodes.x` in an expression), a node type, a variable, a
// function, another path in an expression, or an expression as a whole.

import { findNodeAtOffset } from 'jsonc-parser';
import { getCompiledExpression } from '../engine/expr/compileCache';
import type { ExprNode, TemplateSpan } from '../engine/expr/exprTypes';
import { childrenOf } from '../engine/expr/parser';
import { findTemplates } from '../engine/expr/template';
import type { ExpressionReference, HostString } from './expressionIndex';
import type { FlowDocument } from './flowDocument';
import { enclosingEdge, enclosingNode } from './flowModel';
import type { ModelNode } from './flowModel';
import { isPropertyKey } from './jsonTree';
import { stringContent, stringIndexAt, stringOffsetAt } from '../engine/model/jsonStringOffsets';

export type NodeIdOrigin = 'definition' | 'edge' | 'mock' | 'expect' | 'layout' | 'reference';

/** Offsets `start`/`end` always cover the name's own characters (inside quotes). */
export type Target =
  | { kind: 'nodeId'; id: string; start: number; end: number; origin: NodeIdOrigin; reference?: ExpressionReference }
  | { kind: 'nodeType'; type: string; start: number; end: number; node: ModelNode }
  | { kind: 'variable'; name: string; start: number; end: number; origin: 'definition' | 'reference'; reference?: ExpressionReference }
  /** A path in an expression; `step` is the index of the step under the cursor, -1 for the root name. */
  | { kind: 'path'; reference: ExpressionReference; step: number; start: number; end: number }
  | { kind: 'function'; name: string; start: number; end: number; host: HostString }
  /** Anywhere else in an expression: the whole template (or brace-less condition). */
  | { kind: 'expression'; host: HostString; source: string; start: number; end: number };

export function targetAt(doc: FlowDocument, offset: number): Target | undefined {
  const root = doc.root;
  if (!root) return undefined;
  const node = findNodeAtOffset(root, offset);
  if (node?.type !== 'string') return undefined;
  const text = doc.text;
  const content = stringContent(text, node);
  const model = doc.model;
  const id = node.value as string;

  if (isPropertyKey(node)) {
    const use = model.nodeKeys.find((k) => k.key === node);
    if (use) return { kind: 'nodeId', id, ...content, origin: use.kind };
    if (model.variables.some((v) => v.key === node)) return { kind: 'variable', name: id, ...content, origin: 'definition' };
    return undefined;
  }
  const owner = enclosingNode(model, node);
  if (owner?.idNode === node) return { kind: 'nodeId', id, ...content, origin: 'definition' };
  if (owner?.typeNode === node) return { kind: 'nodeType', type: id, ...content, node: owner };
  const edge = enclosingEdge(model, node);
  if (edge && (edge.from === node || edge.to === node)) return { kind: 'nodeId', id, ...content, origin: 'edge' };

  const host = doc.expressions.hostByNode.get(node);
  return host ? expressionTarget(doc, host, offset) : undefined;
}

function expressionTarget(doc: FlowDocument, host: HostString, offset: number): Target | undefined {
  for (const reference of doc.expressions.referencesByHost.get(host) ?? []) {
    if (offset < reference.rootStart || offset > reference.end) continue;
    if (offset <= reference.rootEnd) return { kind: 'path', reference, step: -1, start: reference.rootStart, end: reference.rootEnd };
    const step = reference.steps.findIndex((s) => offset >= s.start && offset <= s.end);
    if (step < 0) continue;
    const span = reference.steps[step];
    if (step === 0 && typeof span.value === 'string') {
      if (reference.root === 'nodes') return { kind: 'nodeId', id: span.value, start: span.start, end: span.end, origin: 'reference', reference };
      if (reference.root === 'variables') {
        return { kind: 'variable', name: span.value, start: span.start, end: span.end, origin: 'reference', reference };
      }
    }
    return { kind: 'path', reference, step, start: span.start, end: span.end };
  }
  if (host.kind === 'var' || host.kind === 'code') return undefined;

  const index = stringIndexAt(doc.text, host.node, offset);
  const span = templateAt(host, index);
  if (!span) return undefined;
  const at = (i: number): number => stringOffsetAt(doc.text, host.node, i);
  const compiled = getCompiledExpression(span.source);
  if (compiled.ok) {
    const call = callAt(compiled.node, index - span.sourceStart);
    if (call) return { kind: 'function', name: call.callee, start: at(span.sourceStart + call.start), end: at(span.sourceStart + call.start + call.callee.length), host };
  }
  return { kind: 'expression', host, source: span.source, start: at(span.start), end: at(span.end) };
}

/** The template of the host string around value index `index`; a brace-less condition is one whole expression. */
function templateAt(host: HostString, index: number): TemplateSpan | undefined {
  if (host.kind === 'expression') return { start: 0, end: host.value.length, source: host.value, sourceStart: 0 };
  return findTemplates(host.value).find((s) => index >= s.start && index <= s.end);
}

/** The call whose function name covers `index` (an offset into the expression source). */
function callAt(node: ExprNode, index: number): Extract<ExprNode, { kind: 'call' }> | undefined {
  const stack = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.kind === 'call' && index >= current.start && index <= current.start + current.callee.length) return current;
    if (index >= current.start && index <= current.end) stack.push(...childrenOf(current));
  }
  return undefined;
}
