// A config schema checks the raw config, before its templates are evaluated, so wherever a value may be
// computed a "{{ ... }}" string must be accepted in its place. After evaluation the value can be anything a
// template gives, so `run` checks it again (`expectNumber` and friends) with a message that names the field.

import { z } from 'zod';
import { WeftError } from '../errors';

// `\{{` is a literal `{{` (spec section 6), so it does not make a string a template.
const TEMPLATE_PATTERN = /(^|[^\\])\{\{/;

export function isTemplateString(value: unknown): value is string {
  return typeof value === 'string' && TEMPLATE_PATTERN.test(value);
}

/**
 * `schema`, or a template that computes a value for it. `expected` says what `schema` wants ("a number"): zod
 * reports a plain string that is no template against the template branch, so that message must name both.
 */
export function orTemplate<T extends z.ZodType>(schema: T, expected: string): z.ZodUnion<[T, z.ZodString]> {
  const template = z.string().regex(TEMPLATE_PATTERN, `expected ${expected}, or a {{ template }}`);
  return z.union([schema, template.describe('A {{ template }} computing the value.')]);
}

/** A short, safe description of a value for an error message. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return value.length > 40 ? `a string of ${value.length} characters` : JSON.stringify(value);
  return String(value);
}

/** The error for a config value that has the wrong shape once its templates are evaluated. */
export function configError(nodeType: string, field: string, expected: string, value: unknown): WeftError {
  return new WeftError('invalid-config', `The ${nodeType} node's config.${field} must be ${expected}; it is ${describeValue(value)}.`);
}

// One definition for the engine: node types import it from here with the other config helpers.
export { isPlainObject } from '../../shared/isPlainObject';
