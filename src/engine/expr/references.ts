// The names an expression, a templated value or a condition reads, so the flow compiler can check every
// `nodes.x` against the graph and the language service can offer definitions and renames.

import type { ExprNode, Reference } from './exprTypes';
import { getCompiledExpression } from './compileCache';
import { childrenOf } from './parser';
import { scanTemplateString } from './templateScan';

/** A reference found inside a JSON value. */
export interface ValueReference {
  /** JSON path of the string (inside the value) that holds the reference. */
  path: (string | number)[];
  /**
   * The reference, with `start`/`end` as offsets into that string's value (the decoded string, not the JSON
   * text of the file): they already include the template's position in the string.
   */
  reference: Reference;
}

/**
 * Every maximal name path the expression reads: a root identifier followed by its literal steps
 * (`a.b`, `a["b"]`, `a[0]`). A step computed at run time ends the path there (`nodes.x[i].y` reads `nodes.x`,
 * and whatever `i` reads). Offsets are into the expression source. Unknown roots are included, for the
 * compiler to report.
 */
export function collectReferences(node: ExprNode): Reference[] {
  const out: Reference[] = [];
  visit(node, out);
  return out;
}

function visit(node: ExprNode, out: Reference[]): void {
  if (node.kind !== 'member' && node.kind !== 'identifier') {
    for (const child of childrenOf(node)) visit(child, out);
    return;
  }
  // Walk down the chain of literal steps; `steps` collects them from the outside in.
  const steps: (string | number)[] = [];
  let current: ExprNode = node;
  while (current.kind === 'member') {
    const property: ExprNode = current.property;
    if (property.kind !== 'literal' || (typeof property.value !== 'string' && typeof property.value !== 'number')) {
      // A computed step: the path read is the one below it; the steps above it are not a name path.
      visit(current.object, out);
      visit(property, out);
      return;
    }
    steps.push(property.value);
    current = current.object;
  }
  if (current.kind !== 'identifier') {
    visit(current, out);
    return;
  }
  steps.reverse();
  out.push({ root: current.name, path: steps, start: current.start, end: node.end });
}

/**
 * Every reference in the templates of a JSON value (a node's config, an edge's map, the flow's output).
 * Templates with syntax errors are skipped: their problems are reported by compileValue.
 */
export function collectTemplateReferences(value: unknown): ValueReference[] {
  const out: ValueReference[] = [];
  walkStrings(value, [], new Set(), (text, path) => collectStringReferences(text, path, out));
  return out;
}

function collectStringReferences(text: string, path: (string | number)[], out: ValueReference[]): void {
  if (!text.includes('{{')) return;
  for (const segment of scanTemplateString(text)) {
    if (segment.kind !== 'template') continue;
    const compiled = getCompiledExpression(segment.span.source);
    if (!compiled.ok) continue;
    for (const reference of collectReferences(compiled.node)) {
      out.push({ path: [...path], reference: shift(reference, segment.span.sourceStart) });
    }
  }
}

function shift(reference: Reference, offset: number): Reference {
  return { root: reference.root, path: reference.path, start: reference.start + offset, end: reference.end + offset };
}

const MAX_DEPTH = 1000;

function walkStrings(
  value: unknown,
  path: (string | number)[],
  ancestors: Set<object>,
  onString: (text: string, path: (string | number)[]) => void,
): void {
  if (typeof value === 'string') {
    onString(value, path);
    return;
  }
  if (typeof value !== 'object' || value === null || ancestors.has(value) || path.length > MAX_DEPTH) return;
  ancestors.add(value);
  if (Array.isArray(value)) {
    value.forEach((element, i) => walkStrings(element, [...path, i], ancestors, onString));
  } else {
    for (const [key, element] of Object.entries(value)) walkStrings(element, [...path, key], ancestors, onString);
  }
  ancestors.delete(value);
}

// Operations whose second argument is evaluated once per element, with that element as its data: `var`
// inside it reads the element, not the scope.
const PER_ELEMENT_OPERATIONS: ReadonlySet<string> = new Set(['map', 'filter', 'reduce', 'all', 'none', 'some']);

/**
 * The references of a condition (see compileCondition): for an expression string, with or without braces,
 * offsets are into the string and `path` is []; for a JSON Logic rule, each `var` path read from the scope
 * (`"item.paid"` is `{ root: 'item', path: ['paid'] }`, digit-only steps as numbers) with `path` leading to the
 * var's string and offsets covering it, plus the references of templates in the rule's strings.
 */
export function collectConditionReferences(value: unknown): ValueReference[] {
  const out: ValueReference[] = [];
  if (typeof value === 'string') {
    if (scanTemplateString(value).some((s) => s.kind !== 'text')) {
      collectStringReferences(value, [], out);
    } else {
      const compiled = getCompiledExpression(value);
      if (compiled.ok) for (const reference of collectReferences(compiled.node)) out.push({ path: [], reference });
    }
    return out;
  }
  if (typeof value === 'object' && value !== null) {
    collectVarReferences(value, [], out, new Set());
    out.push(...collectTemplateReferences(value));
  }
  return out;
}

function collectVarReferences(rule: unknown, path: (string | number)[], out: ValueReference[], ancestors: Set<object>): void {
  if (typeof rule !== 'object' || rule === null || ancestors.has(rule) || path.length > MAX_DEPTH) return;
  ancestors.add(rule);
  if (Array.isArray(rule)) {
    rule.forEach((element, i) => collectVarReferences(element, [...path, i], out, ancestors));
  } else {
    const keys = Object.keys(rule);
    if (keys.length === 1) {
      const op = keys[0];
      const args = (rule as Record<string, unknown>)[op];
      if (op === 'var') {
        const isList = Array.isArray(args);
        const target = isList ? args[0] : args;
        if (typeof target === 'string' && target !== '') {
          out.push({ path: isList ? [...path, op, 0] : [...path, op], reference: varReference(target) });
        } else {
          collectVarReferences(target, isList ? [...path, op, 0] : [...path, op], out, ancestors);
        }
        if (isList) for (let i = 1; i < args.length; i++) collectVarReferences(args[i], [...path, op, i], out, ancestors);
      } else if (PER_ELEMENT_OPERATIONS.has(op) && Array.isArray(args)) {
        // Only the collection (and reduce's initial value) read the scope.
        collectVarReferences(args[0], [...path, op, 0], out, ancestors);
        if (op === 'reduce') collectVarReferences(args[2], [...path, op, 2], out, ancestors);
      } else {
        collectVarReferences(args, [...path, op], out, ancestors);
      }
    }
  }
  ancestors.delete(rule);
}

function varReference(text: string): Reference {
  const [root, ...rest] = text.split('.');
  return { root, path: rest.map((step) => (/^(0|[1-9]\d*)$/.test(step) ? Number(step) : step)), start: 0, end: text.length };
}
