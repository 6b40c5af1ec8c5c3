// The error an expression throws at run time when an operation has no meaningful result: arithmetic on a
// value that is not a number, a result that is not a finite number, a value demanded from a path that went
// through null. It carries the offsets of the failing part so the editor can point at it; `??` and `default()`
// catch it, which is how a template says "this may have no value" (docs/decisions.md, "No silent wrong results").

import { WeftError, type ErrorLocation } from '../errors';
import type { JsonPath } from '../../shared/jsonPath';

export interface ExpressionEvaluationErrorOptions {
  /** The whole message; the reason alone when absent. */
  message?: string;
  /** Once the template is known: the JSON path of its string inside the compiled value, and `start`/`end` are into that string. */
  valuePath?: JsonPath;
  /** Once the value's place in the flow is known (compileTemplateAt). */
  location?: ErrorLocation;
  /** A way out, e.g. how to give a fallback. */
  hint?: string;
}

export class ExpressionEvaluationError extends WeftError {
  /** Offsets of the failing part: into the expression source when thrown, into the string once `valuePath` is set. */
  readonly start: number;
  readonly end: number;
  /** The reason alone, without the template text ("cannot divide number by string"). */
  readonly reason: string;
  readonly valuePath?: JsonPath;
  readonly location?: ErrorLocation;

  constructor(reason: string, start: number, end: number, options: ExpressionEvaluationErrorOptions = {}) {
    super('expression-error', options.message ?? reason, { kind: 'user', name: 'ExpressionEvaluationError', hint: options.hint });
    this.reason = reason;
    this.start = start;
    this.end = end;
    if (options.valuePath !== undefined) this.valuePath = options.valuePath;
    if (options.location !== undefined) this.location = options.location;
  }
}

/** Whether evaluation failed in the way `??` and `default()` may replace with their fallback. */
export function isExpressionEvaluationError(error: unknown): error is ExpressionEvaluationError {
  return error instanceof ExpressionEvaluationError;
}

/** The type of a value as a message names it: "number", "string", "null", "undefined", "array", "object", "NaN". */
export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}
