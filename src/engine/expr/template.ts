// Templates in JSON values (spec section 6). A value is compiled once: static parts are kept as they are (the
// very same objects, never copied), strings with templates become evaluators, and objects or arrays holding
// templates are rebuilt on each evaluation with only their dynamic parts evaluated again.
//
// A string that is one template and nothing else (`"{{ nodes.fetch.body }}"`, no surrounding spaces) gives the
// expression's value with its type; otherwise each template's value is stringified and spliced into the text.

import type { CompiledValue, ExprNode, ExpressionProblem, TemplateSpan } from './exprTypes';
import type { JsonPath } from '../../shared/jsonPath';
import type { Scope } from './scope';
import { getCompiledExpression } from './compileCache';
import { defineField, type Evaluator } from './evaluate';
import { ExpressionSyntaxError } from './expressionSyntaxError';
import { ExpressionEvaluationError, isExpressionEvaluationError } from './expressionEvaluationError';
import { readThroughMissing } from './readThroughMissing';
import { stringifyValue } from './stringify';
import { scanTemplateString } from './templateScan';


/** A problem in a value: `path` is the JSON path inside the value, `start`/`end` offsets into that string. */
export type ValueProblem = ExpressionProblem & { path: JsonPath };

/** Deeper values are left as they are and reported: nothing a person writes nests this deep. */
const MAX_VALUE_DEPTH = 1000;

const UNCLOSED_MESSAGE = "Unclosed '{{': end the template with '}}', or write '\\{{' for a literal '{{'";

/** The templates of a string, in order. Escaped `\{{` and an unclosed `{{` are not templates. */
export function findTemplates(text: string): TemplateSpan[] {
  const spans: TemplateSpan[] = [];
  for (const segment of scanTemplateString(text)) if (segment.kind === 'template') spans.push(segment.span);
  return spans;
}

/**
 * Compiles a JSON value whose strings may hold templates. Every problem goes to `onProblem`, and a broken
 * template evaluates to undefined; without `onProblem` the first problem throws an ExpressionSyntaxError
 * (offsets into the string that holds it).
 */
export function compileValue(value: unknown, onProblem?: (problem: ValueProblem) => void): CompiledValue {
  const report =
    onProblem ??
    ((problem: ValueProblem): void => {
      throw new ExpressionSyntaxError(problem.message, problem.start, problem.end);
    });
  const compiled = compileNode(value, [], report, new Set(), 0);
  if (compiled.isStatic) return staticValue(compiled.value);
  return { isStatic: false, evaluate: compiled.evaluate };
}

function staticValue(value: unknown): CompiledValue {
  return { isStatic: true, evaluate: () => value };
}

type Compiled = { isStatic: true; value: unknown } | { isStatic: false; evaluate: Evaluator };

type Report = (problem: ValueProblem) => void;

function isWalkable(value: object): boolean {
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  // Plain data only: class instances, dates and functions (from a .flow.ts) are values, not templates.
  return proto === Object.prototype || proto === null;
}

function compileNode(value: unknown, path: JsonPath, report: Report, ancestors: Set<object>, depth: number): Compiled {
  if (typeof value === 'string') return compileString(value, path, report);
  if (typeof value !== 'object' || value === null || !isWalkable(value) || ancestors.has(value)) {
    return { isStatic: true, value };
  }
  if (depth >= MAX_VALUE_DEPTH) {
    report({ message: 'This value is nested too deeply for its templates to be read', start: 0, end: 0, path: [...path] });
    return { isStatic: true, value };
  }
  ancestors.add(value);
  try {
    return Array.isArray(value)
      ? compileArray(value, path, report, ancestors, depth)
      : compileObject(value as Record<string, unknown>, path, report, ancestors, depth);
  } finally {
    ancestors.delete(value);
  }
}

function compileArray(value: unknown[], path: JsonPath, report: Report, ancestors: Set<object>, depth: number): Compiled {
  const children: Compiled[] = [];
  for (let i = 0; i < value.length; i++) {
    path.push(i);
    children.push(compileNode(value[i], path, report, ancestors, depth + 1));
    path.pop();
  }
  if (children.every((c) => c.isStatic)) {
    // Unchanged children keep the original array; an escaped `\{{` changed a string, so rebuild once, now.
    const changed = children.some((c, i) => (c as { value: unknown }).value !== value[i]);
    return { isStatic: true, value: changed ? children.map((c) => (c as { value: unknown }).value) : value };
  }
  const count = children.length;
  const statics = children.map((c) => (c.isStatic ? c.value : undefined));
  const dynamics = children.map((c) => (c.isStatic ? undefined : c.evaluate));
  return {
    isStatic: false,
    evaluate: (scope) => {
      const out = new Array<unknown>(count);
      for (let i = 0; i < count; i++) {
        const evaluate = dynamics[i];
        out[i] = evaluate === undefined ? statics[i] : evaluate(scope);
      }
      return out;
    },
  };
}

function compileObject(
  value: Record<string, unknown>,
  path: JsonPath,
  report: Report,
  ancestors: Set<object>,
  depth: number,
): Compiled {
  const keys = Object.keys(value);
  const children: Compiled[] = [];
  for (const key of keys) {
    path.push(key);
    children.push(compileNode(value[key], path, report, ancestors, depth + 1));
    path.pop();
  }
  if (children.every((c) => c.isStatic)) {
    const changed = children.some((c, i) => (c as { value: unknown }).value !== value[keys[i]]);
    if (!changed) return { isStatic: true, value };
    const rebuilt: Record<string, unknown> = {};
    keys.forEach((key, i) => defineField(rebuilt, key, (children[i] as { value: unknown }).value));
    return { isStatic: true, value: rebuilt };
  }
  const count = keys.length;
  const statics = children.map((c) => (c.isStatic ? c.value : undefined));
  const dynamics = children.map((c) => (c.isStatic ? undefined : c.evaluate));
  return {
    isStatic: false,
    evaluate: (scope) => {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < count; i++) {
        const evaluate = dynamics[i];
        defineField(out, keys[i], evaluate === undefined ? statics[i] : evaluate(scope));
      }
      return out;
    },
  };
}

const evaluateToUndefined: Evaluator = () => undefined;

function compileString(text: string, path: JsonPath, report: Report): Compiled {
  if (!text.includes('{{')) return { isStatic: true, value: text };
  const segments = scanTemplateString(text);
  // Parts of the output: literal text, or an evaluator whose value is stringified.
  const parts: (string | Evaluator)[] = [];
  for (const segment of segments) {
    if (segment.kind === 'text') {
      parts.push(segment.text);
    } else if (segment.kind === 'unclosed') {
      report({ message: UNCLOSED_MESSAGE, start: segment.start, end: segment.end, path: [...path] });
      parts.push(evaluateToUndefined);
    } else {
      parts.push(compileTemplate(segment.span, path, report));
    }
  }
  if (parts.length === 0) return { isStatic: true, value: '' };
  if (parts.length === 1) {
    const only = parts[0];
    if (typeof only === 'string') return { isStatic: true, value: only };
    // Exactly one template and nothing around it: the value keeps its type.
    return { isStatic: false, evaluate: only };
  }
  return { isStatic: false, evaluate: spliceEvaluator(parts) };
}

function compileTemplate(span: TemplateSpan, path: JsonPath, report: Report): Evaluator {
  const compiled = getCompiledExpression(span.source);
  if (compiled.ok) return demandingEvaluator(compiled.evaluate, compiled.node, span, [...path]);
  report({
    message: compiled.error.message,
    start: span.sourceStart + compiled.error.start,
    end: span.sourceStart + compiled.error.end,
    path: [...path],
  });
  return evaluateToUndefined;
}

/**
 * The template's evaluator, with its failures placed: an operation with no meaningful result, or a value
 * demanded from a path that read through null, fails with the template's text and the offsets of the failing
 * part inside the string at `path` (docs/decisions.md, "No silent wrong results").
 */
function demandingEvaluator(evaluate: Evaluator, node: ExprNode, span: TemplateSpan, path: JsonPath): Evaluator {
  return (scope) => {
    let value: unknown;
    try {
      value = evaluate(scope);
    } catch (error) {
      if (isExpressionEvaluationError(error) && error.valuePath === undefined) throw placed(error.reason, error.start, error.end, span, path, '0');
      throw error;
    }
    if (value === undefined) {
      const broken = readThroughMissing(node, scope, span.source);
      if (broken !== undefined) throw placed(broken.reason, broken.start, broken.end, span, path, 'null');
    }
    return value;
  };
}

/** `fallback` is the example the hint gives: 0 after arithmetic, null after a missing value. */
function placed(reason: string, start: number, end: number, span: TemplateSpan, path: JsonPath, fallback: string): ExpressionEvaluationError {
  const text = span.source.slice(start, end).trim();
  return new ExpressionEvaluationError(reason, span.sourceStart + start, span.sourceStart + end, {
    message: `\`${text}\`: ${reason}`,
    valuePath: path,
    hint: `If it may have no value, give a fallback: {{ ${text} ?? ${fallback} }} or {{ default(${text}, ${fallback}) }}.`,
  });
}

function spliceEvaluator(parts: (string | Evaluator)[]): Evaluator {
  const count = parts.length;
  if (count === 2) {
    const [a, b] = parts;
    if (typeof a === 'string' && typeof b !== 'string') return (s: Scope) => a + stringifyValue(b(s));
    if (typeof a !== 'string' && typeof b === 'string') return (s: Scope) => stringifyValue(a(s)) + b;
  }
  return (s: Scope) => {
    let out = '';
    for (let i = 0; i < count; i++) {
      const part = parts[i];
      out += typeof part === 'string' ? part : stringifyValue(part(s));
    }
    return out;
  };
}
