// Renaming a node: its `"id"`, every edge end, every test mock and expectation key and layout key naming it,
// and every `nodes.<id>` path that reads it, in templates anywhere in the flow (loop bodies, edge maps, outputs),
// in conditions (with or without braces, and JSON Logic `var` paths) and in code nodes' JavaScript. Only the
// identifier's characters change, so formatting and comments stay as they are. A path matches by whole steps:
// renaming `a` leaves `nodes.ab` alone, and `input.a` too except where a merge keyed its output by `a`
// (mergedInputReaders.ts).

import type { Position, Range } from '../engine/model/diagnostics';
import { NODE_ID_PATTERN } from '../shared/nodeId';
import type { FlowDocument } from './flowDocument';
import { stringContent } from '../engine/model/jsonStringOffsets';
import type { JsonNode } from './jsonTree';
import type { TextEdit } from './textEdit';
import { targetAt } from './targetAt';
import type { HostString } from './expressionIndex';
import { mergedInputReaders, within } from './mergedInputReaders';

export interface PrepareRenameResult {
  range: Range;
  placeholder: string;
}

/** The node id under the cursor and its range, when it names a node of the flow. */
export function prepareRename(doc: FlowDocument, position: Position): PrepareRenameResult | undefined {
  const target = targetAt(doc, doc.offsetAt(position));
  if (target?.kind !== 'nodeId' || !doc.model.byId.has(target.id)) return undefined;
  return { range: doc.rangeAt(target.start, target.end), placeholder: target.id };
}

/** The edits that rename the node under the cursor to `newName`, or why it cannot be. */
export function rename(doc: FlowDocument, position: Position, newName: string): TextEdit[] | { error: string } {
  const target = targetAt(doc, doc.offsetAt(position));
  if (target?.kind !== 'nodeId') return { error: 'Only a node id can be renamed here.' };
  const oldName = target.id;
  if (!doc.model.byId.has(oldName)) return { error: `There is no node '${oldName}' in this flow to rename.` };
  if (newName === oldName) return [];
  if (!NODE_ID_PATTERN.test(newName)) {
    return { error: `'${newName}' is not a valid node id: it starts with a letter or _ and holds only letters, digits, _ and -, and is not __proto__, constructor or prototype.` };
  }
  if (doc.model.byId.has(newName)) return { error: `A node with id '${newName}' already exists in this flow.` };
  return renameEdits(doc, oldName, newName);
}

/** Every edit that renames node `oldName` to `newName` (both valid, `newName` unused). */
export function renameEdits(doc: FlowDocument, oldName: string, newName: string): TextEdit[] {
  const text = doc.text;
  const model = doc.model;
  const spans: { start: number; end: number; newText: string }[] = [];
  const replaceString = (node: JsonNode | undefined): void => {
    if (node?.type !== 'string' || node.value !== oldName) return;
    const { start, end } = stringContent(text, node);
    spans.push({ start, end, newText: newName });
  };

  for (const node of model.nodes) replaceString(node.idNode);
  for (const edge of model.edges) {
    replaceString(edge.from);
    replaceString(edge.to);
  }
  for (const use of model.nodeKeys) replaceString(use.key);

  const isIdentifier = /^[A-Za-z_$][\w$]*$/.test(newName);
  const merged = mergedInputReaders(model, oldName);
  const readsMergedInput = (host: HostString): boolean =>
    merged.maps.some((map) => within(host.node, map)) ||
    (host.reader !== undefined && merged.nodes.has(host.reader) && within(host.node, host.reader.object));
  for (const reference of doc.expressions.references) {
    const step = reference.steps[0];
    if (step?.value !== oldName) continue;
    if (reference.root !== 'nodes' && !(reference.root === 'input' && readsMergedInput(reference.host))) continue;
    if (step.bracketed || reference.host.kind === 'var' || isIdentifier) {
      spans.push({ start: step.start, end: step.end, newText: newName });
      continue;
    }
    // `nodes.old` -> `nodes['new-name']`: a dash would read as a minus. Single quotes need no JSON escape.
    const dot = dotBefore(text, step.start);
    if (dot === undefined) continue;
    spans.push({ start: dot.start, end: step.end, newText: `${dot.optional ? '?.' : ''}['${newName}']` });
  }

  const seen = new Set<number>();
  return spans
    .sort((a, b) => a.start - b.start)
    .filter((s) => (seen.has(s.start) ? false : (seen.add(s.start), true)))
    .map((s) => ({ range: doc.rangeAt(s.start, s.end), newText: s.newText }));
}

/** The `.` (or `?.`) before a dotted step, skipping spaces. */
function dotBefore(text: string, stepStart: number): { start: number; optional: boolean } | undefined {
  let i = stepStart - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (text[i] !== '.') return undefined;
  return text[i - 1] === '?' ? { start: i - 1, optional: true } : { start: i, optional: false };
}
