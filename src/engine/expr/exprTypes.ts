// Types shared by the expression parser, the evaluator, the compiler's checks and the language service.

import type { Scope } from './scope';

/** A parsed expression. Offsets are into the expression source (the text between `{{` and `}}`). */
export type ExprNode =
  | { kind: 'literal'; value: unknown; start: number; end: number }
  | { kind: 'array'; elements: ExprNode[]; start: number; end: number }
  | { kind: 'object'; entries: { key: string; value: ExprNode }[]; start: number; end: number }
  | { kind: 'identifier'; name: string; start: number; end: number }
  /** `a.b` (computed false) or `a[expr]` (computed true). */
  | { kind: 'member'; object: ExprNode; property: ExprNode; computed: boolean; start: number; end: number }
  | { kind: 'call'; callee: string; args: ExprNode[]; start: number; end: number }
  | { kind: 'unary'; operator: '!' | '-' | '+'; argument: ExprNode; start: number; end: number }
  | { kind: 'binary'; operator: string; left: ExprNode; right: ExprNode; start: number; end: number }
  | { kind: 'conditional'; test: ExprNode; consequent: ExprNode; alternate: ExprNode; start: number; end: number };

/** A template or expression found in a string: `{{ expr }}`. Offsets are into the string's value. */
export interface TemplateSpan {
  /** Offset of `{{`. */
  start: number;
  /** Offset just after `}}`. */
  end: number;
  /** The expression's text, between the braces, untrimmed. */
  source: string;
  /** Offset of `source` in the string. */
  sourceStart: number;
}

/**
 * A name path an expression reads, e.g. `nodes.fetch.body.items[0]` is
 * `{ root: 'nodes', path: ['fetch', 'body', 'items', 0] }`. A computed step that is not a literal ends the path.
 * Offsets are into the expression source.
 */
export interface Reference {
  root: string;
  path: (string | number)[];
  start: number;
  end: number;
}

/** A syntax error with the offsets it covers, into the text that was parsed. */
export interface ExpressionProblem {
  message: string;
  start: number;
  end: number;
}

/** A JSON value with its templates compiled once, evaluated many times. */
export interface CompiledValue {
  /** True when the value holds no template: `evaluate` returns the same value every time. */
  readonly isStatic: boolean;
  evaluate(scope: Scope): unknown;
}
