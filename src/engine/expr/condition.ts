// Conditions of `if`, `switch` and `filter` (spec section 6): a JSON Logic object, with `var` paths read from
// the same scope as templates and the extra operations `contains`, `startsWith` and `endsWith`; or an expression
// string, with braces (`"{{ a > 1 }}"`) or without (`"a > 1"`); or a boolean. The value is taken as truthy or
// falsy the JavaScript way.
//
// json-logic-js keeps one operation table per process, so the extra operations are added once, here. Its `var`
// reads any property, inherited ones included (`{"var": "constructor"}`); it is replaced, also once, by one
// with the same meaning that reads only own properties and never `__proto__`, `constructor` or `prototype`,
// which every other user of json-logic-js in the process then gets too.

import jsonLogic from 'json-logic-js';
import { isPlainObject } from '../../shared/isPlainObject';
import type { CompiledValue } from './exprTypes';
import { WeftError } from '../errors';
import { getCompiledExpression } from './compileCache';
import { containsValue, getFunction } from './functions';
import { isBlockedKey, readMember } from './member';
import { compileValue, type ValueProblem } from './template';
import { scanTemplateString } from './templateScan';
import type { Evaluator } from './evaluate';
import { ExpressionSyntaxError } from './expressionSyntaxError';
import { ExpressionEvaluationError, isExpressionEvaluationError } from './expressionEvaluationError';

/** The operations a condition may use: JSON Logic's own (except `log`, which writes to the console), and ours. */
export const JSON_LOGIC_OPERATIONS: readonly string[] = [
  'var', 'missing', 'missing_some', 'if', '?:', '==', '===', '!=', '!==', '!', '!!', 'or', 'and',
  '>', '>=', '<', '<=', 'max', 'min', '+', '-', '*', '/', '%', 'map', 'filter', 'reduce', 'all', 'none', 'some',
  'merge', 'in', 'cat', 'substr',
  'contains', 'startsWith', 'endsWith',
];

const ALLOWED_OPERATIONS: ReadonlySet<string> = new Set(JSON_LOGIC_OPERATIONS);

const MAX_RULE_DEPTH = 200;

// json-logic calls `var` with the data as `this`.
function ownVar(this: unknown, path: unknown, fallback: unknown): unknown {
  return readVar(this, path, fallback);
}

function readVar(data: unknown, path: unknown, fallback: unknown): unknown {
  const notFound = fallback === undefined ? null : fallback;
  if (path === undefined || path === '' || path === null) return data;
  for (const step of String(path).split('.')) {
    if (data === null || data === undefined) return notFound;
    data = readMember(data, step);
    if (data === undefined) return notFound;
  }
  return data;
}

jsonLogic.add_operation('var', ownVar);
jsonLogic.add_operation('contains', (a: unknown, b: unknown) => containsValue(a, b));
// The same functions as the expression language's, so a rule and an expression agree.
jsonLogic.add_operation('startsWith', getFunction('startsWith')!);
jsonLogic.add_operation('endsWith', getFunction('endsWith')!);

/**
 * Compiles a condition once; `evaluate` gives a boolean. Problems go to `onProblem` (a broken condition is
 * false); without it the first problem throws an ExpressionSyntaxError. For an expression string, `start`/`end`
 * are offsets into the string and `path` is []; for a JSON Logic rule, `path` leads to the offending part
 * inside the rule, and offsets are into the string there (0 when it is not a string).
 */
export function compileCondition(value: unknown, onProblem?: (problem: ValueProblem) => void): CompiledValue {
  const report =
    onProblem ??
    ((problem: ValueProblem): void => {
      throw new ExpressionSyntaxError(problem.message, problem.start, problem.end);
    });
  if (typeof value === 'boolean') return { isStatic: true, evaluate: () => value };
  if (typeof value === 'string') return truthyOf(compileExpressionCondition(value, report));
  if (isPlainObject(value)) return compileRule(value, report);
  report({ message: 'A condition is a JSON Logic object, an expression string or a boolean', start: 0, end: 0, path: [] });
  return { isStatic: true, evaluate: () => false };
}

function truthyOf(evaluate: Evaluator): CompiledValue {
  return { isStatic: false, evaluate: (scope) => Boolean(evaluate(scope)) };
}

const alwaysUndefined: Evaluator = () => undefined;

function compileExpressionCondition(text: string, report: (problem: ValueProblem) => void): Evaluator {
  const segments = scanTemplateString(text);
  const templates = segments.filter((s) => s.kind !== 'text');
  if (templates.length === 0) {
    // No braces: the whole string is the expression.
    return expressionAt(text, 0, report);
  }
  const unclosed = segments.find((s) => s.kind === 'unclosed');
  if (unclosed !== undefined) {
    report({ message: "Unclosed '{{': end the condition with '}}'", start: unclosed.start, end: unclosed.end, path: [] });
    return alwaysUndefined;
  }
  const onlySpace = segments.every((s) => s.kind !== 'text' || s.text.trim() === '');
  if (templates.length > 1 || !onlySpace) {
    report({
      message: 'A condition is one expression, written with braces or without, not text around templates',
      start: 0,
      end: text.length,
      path: [],
    });
    return alwaysUndefined;
  }
  const span = (templates[0] as Extract<(typeof segments)[number], { kind: 'template' }>).span;
  return expressionAt(span.source, span.sourceStart, report);
}

function expressionAt(source: string, offset: number, report: (problem: ValueProblem) => void): Evaluator {
  const compiled = getCompiledExpression(source);
  if (compiled.ok) return placedFailures(compiled.evaluate, source, offset);
  report({ message: compiled.error.message, start: offset + compiled.error.start, end: offset + compiled.error.end, path: [] });
  return alwaysUndefined;
}

/**
 * The condition's evaluator with its failures placed in the string (offsets past `offset`). Unlike a template,
 * a condition demands no value: a path that reads through null is simply falsy; only an operation with no
 * meaningful result (`a / b` with b a string) fails.
 */
function placedFailures(evaluate: Evaluator, source: string, offset: number): Evaluator {
  return (scope) => {
    try {
      return evaluate(scope);
    } catch (error) {
      if (!isExpressionEvaluationError(error) || error.valuePath !== undefined) throw error;
      const text = source.slice(error.start, error.end).trim();
      throw new ExpressionEvaluationError(error.reason, offset + error.start, offset + error.end, {
        message: `\`${text}\`: ${error.reason}`,
        valuePath: [],
      });
    }
  };
}

// ---------------------------------------------------------------------------------------------------------
// JSON Logic

function compileRule(rule: object, report: (problem: ValueProblem) => void): CompiledValue {
  let broken = false;
  const reportRule = (problem: ValueProblem): void => {
    broken = true;
    report(problem);
  };
  if (Object.keys(rule).length !== 1) {
    reportRule({ message: 'A JSON Logic rule is an object with exactly one operation, like {"==": [a, b]}', start: 0, end: 0, path: [] });
  } else {
    checkRule(rule, [], reportRule, 0);
  }
  // Strings inside the rule may hold templates, like every string of a node's config.
  const compiled = compileValue(rule, reportRule);
  if (broken) return { isStatic: true, evaluate: () => false };
  return {
    isStatic: false,
    evaluate: (scope) => {
      const logic = compiled.evaluate(scope);
      try {
        return Boolean(jsonLogic.apply(logic as jsonLogic.RulesLogic, scope));
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        throw new WeftError('expression', `The condition could not be evaluated: ${reason}`, { cause: error });
      }
    },
  };
}

/** Rejects unknown operations (json-logic-js would walk dotted names into its own table) and unsafe `var` paths. */
function checkRule(rule: unknown, path: (string | number)[], report: (problem: ValueProblem) => void, depth: number): void {
  if (depth > MAX_RULE_DEPTH) {
    report({ message: 'This condition is nested too deeply', start: 0, end: 0, path: [...path] });
    return;
  }
  if (Array.isArray(rule)) {
    rule.forEach((element, i) => checkRule(element, [...path, i], report, depth + 1));
    return;
  }
  if (typeof rule !== 'object' || rule === null) return;
  const keys = Object.keys(rule);
  // An object with several keys is data to JSON Logic, not an operation; it is not evaluated.
  if (keys.length !== 1) return;
  const op = keys[0];
  const args = (rule as Record<string, unknown>)[op];
  if (!ALLOWED_OPERATIONS.has(op)) {
    report({ message: `Unknown JSON Logic operation '${op}'`, start: 0, end: 0, path: [...path, op] });
    return;
  }
  if (op === 'var') checkVarPath(Array.isArray(args) ? args[0] : args, Array.isArray(args) ? [...path, op, 0] : [...path, op], report);
  checkRule(args, [...path, op], report, depth + 1);
}

function checkVarPath(value: unknown, path: (string | number)[], report: (problem: ValueProblem) => void): void {
  if (typeof value !== 'string') return;
  let offset = 0;
  for (const step of value.split('.')) {
    if (isBlockedKey(step)) {
      report({ message: `A path cannot read '${step}'`, start: offset, end: offset + step.length, path });
    }
    offset += step.length + 1;
  }
}
