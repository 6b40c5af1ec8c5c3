// The run input checked against the flow's `inputs` JSON Schema (spec section 2), with its `default`s applied.
// ajv compiles the schema once per flow; each validation works on a copy, so the caller's input is untouched.

import Ajv from 'ajv';
import type { ErrorObject } from 'ajv';
import type { InputValidation } from './compiledFlow';

export type InputValidator = (input: unknown) => InputValidation;

/** Accepts anything; `undefined` becomes `{}`. For flows without `inputs`. */
export const acceptAnyInput: InputValidator = (input) => ({ ok: true, value: input === undefined ? {} : input, errors: [] });

/** Compiles `schema`; throws (ajv's error) when it is not a schema ajv can compile. */
export function createInputValidator(schema: Record<string, unknown>): InputValidator {
  const ajv = new Ajv({ useDefaults: true, allErrors: true, strict: false, logger: false });
  // The meta-schema a `$schema` names may not be loaded (2020-12): the keywords are what count here.
  const { $schema: _ignored, ...rest } = schema;
  const validate = ajv.compile(rest);
  return (input) => {
    const value = copy(input === undefined ? {} : input);
    if (validate(value)) return { ok: true, value, errors: [] };
    return { ok: false, value, errors: (validate.errors ?? []).map(describeError) };
  };
}

function describeError(error: ErrorObject): { path: string; message: string } {
  const base = error.instancePath;
  if (error.keyword === 'required') {
    return { path: `${base}/${escapePointer(String(error.params.missingProperty))}`, message: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    return { path: `${base}/${escapePointer(String(error.params.additionalProperty))}`, message: 'is not allowed' };
  }
  return { path: base === '' ? '/' : base, message: error.message ?? 'is not valid' };
}

function escapePointer(segment: string): string {
  return segment.replace(/~/g, '~0').replace(/\//g, '~1');
}

/** Defaults are written into the value: never into the caller's. */
function copy(value: unknown): unknown {
  try {
    return structuredClone(value);
  } catch {
    // Functions and the like cannot be cloned; JSON Schema cannot describe them anyway.
    return value;
  }
}
