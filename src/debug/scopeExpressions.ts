// Expressions typed in the debugger (conditions, logpoints, Watch, the Debug Console, hover, Set Value) are read
// with the engine's own expression language, in the paused node's scope: no eval. A text holding `{{ }}` is a
// template (spec section 6); anything else is taken as one bare expression, as a watch usually is.

import { getCompiledExpression } from '../engine/expr/compileCache';
import { FUNCTION_DOCS } from '../engine/expr/functions';
import { SCOPE_ROOTS, type Scope } from '../engine/expr/scope';
import { stringifyValue } from '../engine/expr/stringify';
import { compileValue } from '../engine/expr/template';

export function evaluateInScope(text: string, scope: Scope): unknown {
  let source = text.trim();
  // Hover over a template in a .flow.json hands over the string literal, quotes included.
  if (/^"[\s\S]*"$/.test(source) && source.includes('{{')) source = JSON.parse(source) as string;
  if (source.includes('{{')) return compileValue(source).evaluate(scope);
  const compiled = getCompiledExpression(source);
  if (!compiled.ok) throw compiled.error;
  return compiled.evaluate(scope);
}

/** A logpoint's message: a template whose `{{ }}` parts are spliced in as text. */
export function renderLogMessage(template: string, scope: Scope): string {
  try {
    return stringifyValue(compileValue(template).evaluate(scope));
  } catch (error) {
    return `${template} (${(error as Error).message})`;
  }
}

/** A Set Value text: JSON first (what the Variables view shows), else an expression in the node's scope. */
export function parseNewValue(text: string, scope: Scope): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return evaluateInScope(text, scope);
  }
}

export interface Completion {
  label: string;
  type: 'property' | 'function' | 'variable';
  /** How many characters before the cursor the completion replaces. */
  replaceLength: number;
}

/** Completions at `column` (0-based) of `text`: scope roots and functions, or the keys of the value before a dot. */
export function completionsAt(text: string, column: number, scope: Scope): Completion[] {
  const before = text.slice(0, column);
  const match = /((?:[A-Za-z_$][\w$-]*|\])(?:\.[A-Za-z_$][\w$-]*|\[\d+\])*)\.([\w$-]*)$/.exec(before);
  if (match) {
    const [, objectPath, partial] = match;
    let value: unknown;
    try {
      value = evaluateInScope(objectPath, scope);
    } catch {
      return [];
    }
    if (value === null || typeof value !== 'object') return [];
    return Object.keys(value)
      .filter((key) => key.startsWith(partial))
      .map((key) => ({ label: key, type: 'property' as const, replaceLength: partial.length }));
  }
  const word = /([A-Za-z_$][\w$]*)?$/.exec(before)?.[1] ?? '';
  const roots = SCOPE_ROOTS.filter((root) => root !== 'secrets' && root.startsWith(word)).map((label) => ({ label, type: 'variable' as const, replaceLength: word.length }));
  const functions = Object.keys(FUNCTION_DOCS)
    .filter((name) => name.startsWith(word))
    .map((label) => ({ label, type: 'function' as const, replaceLength: word.length }));
  return [...roots, ...functions];
}
