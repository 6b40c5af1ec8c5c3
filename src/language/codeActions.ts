// Quick fixes for compile diagnostics, as minimal text edits:
// - unknown-node-type: the suggested type, and other close names;
// - unknown-reference: `nodes.x` -> the closest node id; `variables.x` -> add x to `variables` (or use the
//   suggested one); an unknown root name -> the suggested one; a test's mock or expectation key -> the closest
//   node id; a layout entry for a node that is gone -> remove it;
// - unknown-node (an edge end) and unknown-port: the suggestion;
// - unknown-property: the suggested property name (and other close known keys);
// - type-mismatch where arithmetic gets text: read the number in it with number(...);
// - invalid-config with a missing key: add the key with a placeholder of the kind the type's schema wants.

import { findNodeAtLocation, modify } from 'jsonc-parser';
import { closestName, editDistance } from '../engine/model/closestName';
import type { Diagnostic, DiagnosticCode, Range } from '../engine/model/diagnostics';
import { detectFormatting } from './detectFormatting';
import type { ExpressionReference } from './expressionIndex';
import type { FlowDocument } from './flowDocument';
import { visibleNodes } from './flowModel';
import type { ModelNode } from './flowModel';
import { insertPropertyEdits, inlineJson } from './jsonEdits';
import { stringContent } from '../engine/model/jsonStringOffsets';
import type { JsonNode } from './jsonTree';
import type { TextEdit } from './textEdit';
import { placeholderFor, schemaAt } from './zodShape';

export interface CodeAction {
  title: string;
  diagnosticCode: DiagnosticCode;
  edits: TextEdit[];
  isPreferred?: boolean;
}

/** Most other close names offered beside the suggestion. */
const MAX_ALTERNATIVES = 3;

/** The fixes for every diagnostic of the document that touches `range`. */
export function codeActionsAt(doc: FlowDocument, range: Range): CodeAction[] {
  return doc.diagnostics.filter((d) => d.range && overlaps(d.range, range)).flatMap((d) => codeActionsFor(doc, d));
}

/** The fixes for one diagnostic (one of this document's, with its `path` and `data`). */
export function codeActionsFor(doc: FlowDocument, diagnostic: Diagnostic): CodeAction[] {
  try {
    switch (diagnostic.code) {
      case 'unknown-node-type':
        return unknownTypeFixes(doc, diagnostic);
      case 'unknown-reference':
        return unknownReferenceFixes(doc, diagnostic);
      case 'unknown-node':
      case 'unknown-port':
        return suggestionFix(doc, diagnostic);
      case 'invalid-config':
        return missingKeyFix(doc, diagnostic);
      case 'unknown-property':
        return unknownPropertyFixes(doc, diagnostic);
      case 'type-mismatch':
        return numberFix(doc, diagnostic);
      default:
        return [];
    }
  } catch {
    // A fix that cannot be worked out is no fix; the diagnostic still stands.
    return [];
  }
}

function unknownTypeFixes(doc: FlowDocument, diagnostic: Diagnostic): CodeAction[] {
  const value = nodeAtPath(doc, diagnostic.path);
  const written = typeof diagnostic.data?.type === 'string' ? diagnostic.data.type : (value?.value as string | undefined);
  if (value?.type !== 'string' || written === undefined) return [];
  const suggestion = typeof diagnostic.data?.suggestion === 'string' ? diagnostic.data.suggestion : undefined;
  const names = doc.context.registry.names();
  const candidates = [...(suggestion ? [suggestion] : []), ...closeNames(written, names.filter((n) => n !== suggestion), MAX_ALTERNATIVES)];
  return candidates.map((name, i) => ({
    title: `Change the type to '${name}'`,
    diagnosticCode: diagnostic.code,
    edits: [replaceContent(doc, value, name)],
    isPreferred: i === 0 && suggestion !== undefined,
  }));
}

function unknownReferenceFixes(doc: FlowDocument, diagnostic: Diagnostic): CodeAction[] {
  const data = diagnostic.data ?? {};
  const path = diagnostic.path ?? [];
  const suggestion = typeof data.suggestion === 'string' ? data.suggestion : undefined;

  // A key naming a node: a test's mock or expectation, a layout entry.
  if (typeof data.nodeId === 'string' && (path[0] === 'tests' || path[0] === 'layout')) {
    const key = keyNodeAtPath(doc, path);
    if (!key) return [];
    const actions: CodeAction[] = [];
    const ids = doc.model.nodes.map((n) => n.id).filter((id): id is string => id !== undefined);
    const closest = suggestion ?? closestAny(data.nodeId, ids);
    if (closest) {
      actions.push({ title: `Change to '${closest}'`, diagnosticCode: diagnostic.code, edits: [replaceContent(doc, key, closest)], isPreferred: true });
    }
    if (path[0] === 'layout') {
      const edits = modify(doc.text, path, undefined, { formattingOptions: detectFormatting(doc.text) });
      actions.push({
        title: `Remove the layout position of '${data.nodeId}'`,
        diagnosticCode: diagnostic.code,
        edits: edits.map((e) => ({ range: doc.rangeAt(e.offset, e.offset + e.length), newText: e.content })),
        isPreferred: closest === undefined,
      });
    }
    return actions;
  }

  const reference = referenceAt(doc, diagnostic);
  if (typeof data.nodeId === 'string') {
    const step = reference?.steps[0];
    if (!reference || reference.root !== 'nodes' || !step) return [];
    const ids = visibleNodes(reference.host.graph)
      .map((n: ModelNode) => n.id)
      .filter((id): id is string => id !== undefined);
    const closest = suggestion ?? closestAny(data.nodeId, ids);
    if (!closest) return [];
    return [{ title: `Change to 'nodes.${closest}'`, diagnosticCode: diagnostic.code, edits: [stepEdit(doc, reference.host.kind, step, closest)], isPreferred: true }];
  }
  if (typeof data.variable === 'string') {
    const actions: CodeAction[] = [];
    const step = reference?.steps[0];
    if (suggestion && step && reference) {
      actions.push({
        title: `Change to 'variables.${suggestion}'`,
        diagnosticCode: diagnostic.code,
        edits: [stepEdit(doc, reference.host.kind, step, suggestion)],
        isPreferred: true,
      });
    }
    const edits = insertPropertyEdits(doc, ['variables', data.variable], '');
    if (edits.length > 0) {
      actions.push({ title: `Add '${data.variable}' to variables`, diagnosticCode: diagnostic.code, edits, isPreferred: !suggestion });
    }
    return actions;
  }
  if (typeof data.name === 'string' && suggestion && reference) {
    return [
      {
        title: `Change to '${suggestion}'`,
        diagnosticCode: diagnostic.code,
        edits: [{ range: doc.rangeAt(reference.rootStart, reference.rootEnd), newText: suggestion }],
        isPreferred: true,
      },
    ];
  }
  return [];
}

/** An edge end or port that names something close to a real one. */
function suggestionFix(doc: FlowDocument, diagnostic: Diagnostic): CodeAction[] {
  const suggestion = diagnostic.data?.suggestion;
  const value = nodeAtPath(doc, diagnostic.path);
  if (typeof suggestion !== 'string' || value?.type !== 'string') return [];
  return [{ title: `Change to '${suggestion}'`, diagnosticCode: diagnostic.code, edits: [replaceContent(doc, value, suggestion)], isPreferred: true }];
}

/** A misspelt property: the diagnostic covers the name itself (inside the quotes of `a["b"]`). */
function unknownPropertyFixes(doc: FlowDocument, diagnostic: Diagnostic): CodeAction[] {
  const data = diagnostic.data ?? {};
  if (diagnostic.offset === undefined || typeof data.property !== 'string') return [];
  const suggestion = typeof data.suggestion === 'string' ? data.suggestion : undefined;
  const known = Array.isArray(data.known) ? data.known.filter((k): k is string => typeof k === 'string') : [];
  const others = closeNames(data.property, known.filter((k) => k !== suggestion), MAX_ALTERNATIVES);
  const start = diagnostic.offset;
  const end = start + (diagnostic.length ?? 0);
  return [...(suggestion ? [suggestion] : []), ...others]
    .filter((name) => !/["'\\]/.test(name))
    .map((name, i) => {
      // After a dot only an identifier may follow; anything else is read with brackets.
      const needsBrackets = data.bracketed !== true && !/^[A-Za-z_$][\w$]*$/.test(name) && doc.text[start - 1] === '.';
      const edit: TextEdit = needsBrackets
        ? { range: doc.rangeAt(start - 1, end), newText: `['${name}']` }
        : { range: doc.rangeAt(start, end), newText: name };
      return { title: `Change to '${name}'`, diagnosticCode: diagnostic.code, edits: [edit], isPreferred: i === 0 && suggestion !== undefined };
    });
}

/** Arithmetic on text: `number(x)` reads the number in it, as the message says. */
function numberFix(doc: FlowDocument, diagnostic: Diagnostic): CodeAction[] {
  const data = diagnostic.data ?? {};
  if (data.expected !== 'number' || data.type !== 'string' || diagnostic.offset === undefined) return [];
  const start = diagnostic.offset;
  const end = start + (diagnostic.length ?? 0);
  return [
    {
      title: 'Read the number in the text: number(...)',
      diagnosticCode: diagnostic.code,
      edits: [
        { range: doc.rangeAt(start, start), newText: 'number(' },
        { range: doc.rangeAt(end, end), newText: ')' },
      ],
      isPreferred: true,
    },
  ];
}

function missingKeyFix(doc: FlowDocument, diagnostic: Diagnostic): CodeAction[] {
  const key = diagnostic.data?.missingKey;
  const path = diagnostic.path;
  if (typeof key !== 'string' || !path) return [];
  // The node whose config misses the key: the deepest one whose config the path goes into.
  let owner: ModelNode | undefined;
  for (const node of doc.model.nodes) {
    const prefix = [...node.path, 'config'];
    if (prefix.length <= path.length && prefix.every((s, i) => s === path[i]) && (!owner || node.path.length > owner.path.length)) owner = node;
  }
  const type = doc.nodeTypeOf(owner);
  if (!owner || !type) return [];
  const inConfig = path.slice(owner.path.length + 1);
  const value = placeholderFor(schemaAt(type.configSchema, inConfig));
  const edits = insertPropertyEdits(doc, path, value);
  if (edits.length === 0) return [];
  return [{ title: `Add the missing key '${key}': ${inlineJson(value)}`, diagnosticCode: diagnostic.code, edits, isPreferred: true }];
}

// ---------------------------------------------------------------------------------------------------------

function nodeAtPath(doc: FlowDocument, path: (string | number)[] | undefined): JsonNode | undefined {
  const root = doc.root;
  return root && path ? findNodeAtLocation(root, path) : undefined;
}

function keyNodeAtPath(doc: FlowDocument, path: (string | number)[]): JsonNode | undefined {
  const property = nodeAtPath(doc, path)?.parent;
  return property?.type === 'property' ? property.children?.[0] : undefined;
}

/** The reference a template diagnostic covers: the one at its offset, in the string at its path. */
function referenceAt(doc: FlowDocument, diagnostic: Diagnostic): ExpressionReference | undefined {
  const string = nodeAtPath(doc, diagnostic.path);
  const host = string ? doc.expressions.hostByNode.get(string) : undefined;
  if (!host) return undefined;
  const references = doc.expressions.referencesByHost.get(host) ?? [];
  const offset = diagnostic.offset;
  return offset === undefined ? references[0] : (references.find((r) => r.start === offset) ?? references.find((r) => r.start <= offset && offset < r.end));
}

function stepEdit(doc: FlowDocument, hostKind: string, step: { start: number; end: number; bracketed: boolean }, name: string): TextEdit {
  if (step.bracketed || hostKind === 'var' || /^[A-Za-z_$][\w$]*$/.test(name)) return { range: doc.rangeAt(step.start, step.end), newText: name };
  // A name that is no identifier cannot follow a dot.
  const dot = doc.text.lastIndexOf('.', step.start);
  return { range: doc.rangeAt(dot, step.end), newText: `['${name}']` };
}

function replaceContent(doc: FlowDocument, node: JsonNode, newText: string): TextEdit {
  const { start, end } = stringContent(doc.text, node);
  return { range: doc.rangeAt(start, end), newText };
}

/** Names within a plausible typo's distance, closest first. */
function closeNames(name: string, candidates: string[], limit: number): string[] {
  const lower = name.toLowerCase();
  const bound = Math.max(2, Math.ceil(name.length / 2));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(lower, candidate.toLowerCase(), bound) }))
    .filter((c) => c.distance <= bound || c.candidate.startsWith(lower) || lower.startsWith(c.candidate))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, limit)
    .map((c) => c.candidate);
}

/** The closest name by the compiler's measure, else the nearest of all: there is always one to offer. */
function closestAny(name: string, candidates: string[]): string | undefined {
  const unique = [...new Set(candidates)].filter((c) => c !== name);
  const close = closestName(name, unique);
  if (close) return close;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of unique) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function overlaps(a: Range, b: Range): boolean {
  const before = (p: { line: number; character: number }, q: { line: number; character: number }): boolean =>
    p.line < q.line || (p.line === q.line && p.character < q.character);
  return !before(a.end, b.start) && !before(b.end, a.start);
}
