// The outline of a .flow.json (the flow, its nodes with their loop bodies, triggers and tests) and where the
// flow and each node are, for CodeLens.

import type { Range } from '../engine/model/diagnostics';
import type { FlowDocument } from './flowDocument';
import type { ModelGraph, ModelNode } from './flowModel';
import { stringOf, valueOf } from './jsonTree';

export type SymbolKind = 'flow' | 'node' | 'trigger' | 'test';

export interface DocumentSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** The whole object. */
  range: Range;
  /** What to select and reveal: the id, name or type that names it. */
  selectionRange: Range;
  children: DocumentSymbol[];
}

export function documentSymbols(doc: FlowDocument): DocumentSymbol[] {
  const model = doc.model;
  const root = model.root;
  if (root?.type !== 'object' || !model.graph) return [];
  const id = stringOf(root, 'id');
  const name = stringOf(root, 'name');
  const idNode = valueOf(root, 'id');
  const range = doc.rangeOf(root);
  const flow: DocumentSymbol = {
    name: name ?? id ?? 'flow',
    kind: 'flow',
    range,
    selectionRange: idNode ? doc.rangeOf(idNode) : doc.rangeAt(root.offset, root.offset + 1),
    children: [...graphSymbols(doc, model.graph), ...triggerSymbols(doc), ...testSymbols(doc)],
  };
  if (name !== undefined && id !== undefined) flow.detail = id;
  return [flow];
}

function graphSymbols(doc: FlowDocument, graph: ModelGraph): DocumentSymbol[] {
  return graph.nodes.map((node) => nodeSymbol(doc, node));
}

function nodeSymbol(doc: FlowDocument, node: ModelNode): DocumentSymbol {
  const name = stringOf(node.object, 'name');
  const symbol: DocumentSymbol = {
    name: node.id ?? '(no id)',
    kind: 'node',
    range: doc.rangeOf(node.object),
    selectionRange: doc.rangeOf(node.idNode ?? node.object),
    children: node.body ? graphSymbols(doc, node.body) : [],
  };
  const detail = [node.type, name].filter((part): part is string => part !== undefined).join(' · ');
  if (detail) symbol.detail = detail;
  return symbol;
}

function triggerSymbols(doc: FlowDocument): DocumentSymbol[] {
  return doc.model.triggers.map((trigger) => {
    const type = stringOf(trigger, 'type') ?? 'trigger';
    const detail = type === 'webhook' ? stringOf(trigger, 'path') : type === 'schedule' ? stringOf(trigger, 'cron') : undefined;
    const symbol: DocumentSymbol = {
      name: type,
      kind: 'trigger',
      range: doc.rangeOf(trigger),
      selectionRange: doc.rangeOf(valueOf(trigger, 'type') ?? trigger),
      children: [],
    };
    if (detail !== undefined) symbol.detail = detail;
    return symbol;
  });
}

function testSymbols(doc: FlowDocument): DocumentSymbol[] {
  return doc.model.tests.map((test, i) => ({
    name: stringOf(test, 'name') ?? `test ${i + 1}`,
    kind: 'test' as const,
    range: doc.rangeOf(test),
    selectionRange: doc.rangeOf(valueOf(test, 'name') ?? test),
    children: [],
  }));
}

/**
 * The range of each node's object, by id: the flow's own nodes, and with `includeBodies` the nodes of loop
 * bodies too (which cannot be run on their own). The first node with an id wins.
 */
export function nodeRanges(doc: FlowDocument, options: { includeBodies?: boolean } = {}): Map<string, Range> {
  const ranges = new Map<string, Range>();
  const nodes = options.includeBodies ? doc.model.nodes : (doc.model.graph?.nodes ?? []);
  for (const node of nodes) {
    if (node.id !== undefined && !ranges.has(node.id)) ranges.set(node.id, doc.rangeOf(node.object));
  }
  return ranges;
}

/** The range of the flow's top-level object. */
export function flowRange(doc: FlowDocument): Range | undefined {
  const root = doc.model.root;
  return root?.type === 'object' ? doc.rangeOf(root) : undefined;
}
