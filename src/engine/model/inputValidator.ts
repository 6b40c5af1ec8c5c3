// The run input checked against the flow's `inputs` JSON Schema (spec section 2), with its `default`s applied.
// ajv compiles each distinct schema once; each validation works on a copy, so the caller's input is untouched.
//
// `pattern` and `patternProperties` are matched by RE2 (re2js), not by JavaScript's backtracking RegExp: a schema
// comes from a flow file and the input from whoever calls a webhook, and `"^(a+)+$"` against 40 bytes would
// otherwise hold the event loop (every flow of `weft serve`) for seconds. RE2 matches in time linear in the input.
// A pattern RE2 cannot run (backreferences, lookaround) fails the compile with a message that says so, rather than
// falling back to backtracking.

import Ajv from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { RE2JS } from 're2js';
import { re2Pattern } from './re2Pattern';
import type { InputValidation } from './compiledFlow';

export type InputValidator = (input: unknown) => InputValidation;

/** Accepts anything; `undefined` becomes `{}`. For flows without `inputs`. */
export const acceptAnyInput: InputValidator = (input) => ({ ok: true, value: input === undefined ? {} : input, errors: [] });

/**
 * Compiles `schema`; throws (ajv's error) when it is not a schema ajv can compile. Validators are shared by
 * schema text: the editor compiles a flow on every edit, and a new Ajv instance (which compiles its meta-schema)
 * plus the schema's code cost more than the rest of compiling a 1,000-node flow (bench: type checks).
 */
export function createInputValidator(schema: Record<string, unknown>): InputValidator {
  // The meta-schema a `$schema` names may not be loaded (2020-12): the keywords are what count here.
  const { $schema: _ignored, ...rest } = schema;
  const key = JSON.stringify(rest);
  if (!shared || shared.validators.size >= SHARED_VALIDATORS) shared = newShared();
  const cached = shared.validators.get(key);
  if (cached) return cached;
  let validate: ValidateFunction;
  try {
    validate = shared.ajv.compile(rest);
  } catch (error) {
    // Another schema compiled by this instance may have claimed the same `$id`: try once in an instance of its own.
    if (shared.validators.size === 0) throw error;
    shared = newShared();
    validate = shared.ajv.compile(rest);
  }
  const validator: InputValidator = (input) => {
    const value = copy(input === undefined ? {} : input);
    if (validate(value)) return { ok: true, value, errors: [] };
    return { ok: false, value, errors: (validate.errors ?? []).map(describeError) };
  };
  shared.validators.set(key, validator);
  return validator;
}

/** Distinct schemas one Ajv instance compiles before a new one replaces it: ajv keeps every schema it compiled. */
const SHARED_VALIDATORS = 256;

let shared: { ajv: Ajv; validators: Map<string, InputValidator> } | undefined;

function newShared(): { ajv: Ajv; validators: Map<string, InputValidator> } {
  return { ajv: new Ajv({ useDefaults: true, allErrors: true, strict: false, logger: false, code: { regExp: re2Engine } }), validators: new Map() };
}

/** ajv's RegExpEngine over RE2. JSON Schema patterns are unanchored and carry no flags (ajv passes "u"). */
const re2Engine = Object.assign(
  (pattern: string): { test: (text: string) => boolean; toString: () => string } => {
    let compiled: RE2JS;
    try {
      compiled = RE2JS.compile(re2Pattern(pattern));
    } catch (error) {
      throw new Error(
        `the pattern "${pattern}" cannot be matched in linear time (${(error as Error).message}); Weft matches input patterns with RE2, which has no backreferences or lookaround`,
      );
    }
    // ajv keeps one compiled pattern per `toString()` of what this returns: without its own, every pattern of an
    // Ajv instance would be "[object Object]", and all would match as the first one did.
    return { test: (text: string) => compiled.test(text), toString: () => `RE2(${JSON.stringify(pattern)})` };
  },
  { code: 'RE2JS' },
);

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
