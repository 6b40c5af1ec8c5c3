// What a node type's zod schemas say about a config or an output, read from zod 4's definitions: the keys of an
// object (through optional, default, union with a template string, ...), the schema at a path, a one-line
// description of what a value must be, and a placeholder of the right kind for a missing key.

import type { z } from 'zod';
import { defOf, type SchemaDef } from '../engine/model/zodDef';


const WRAPPERS: ReadonlySet<string> = new Set(['optional', 'nullable', 'default', 'prefault', 'readonly', 'catch', 'nonoptional']);


/** The schema inside optional, default, pipe, lazy and the like. */
function unwrapSchema(schema: unknown): unknown {
  let current = schema;
  for (let guard = 0; guard < 32; guard++) {
    const def = defOf(current);
    if (!def?.type) return current;
    if (WRAPPERS.has(def.type)) current = def.innerType;
    else if (def.type === 'pipe') current = def.in;
    else if (def.type === 'lazy' && def.getter) current = def.getter();
    else return current;
  }
  return current;
}

/** True when the key may be left out (optional, or has a default). */
export function isOptionalSchema(schema: unknown): boolean {
  const type = defOf(schema)?.type;
  return type === 'optional' || type === 'default' || type === 'prefault';
}

/**
 * The properties of an object schema; for a union (a value or a template), those of its object branches.
 * Undefined when the schema is no object.
 */
export function objectShape(schema: unknown): Record<string, z.ZodType> | undefined {
  const inner = unwrapSchema(schema);
  const def = defOf(inner);
  if (def?.type === 'object') return (def.shape ?? {}) as Record<string, z.ZodType>;
  if (def?.type === 'union' || def?.type === 'intersection') {
    const options = def.type === 'union' ? (def.options ?? []) : [(def as { left?: unknown }).left, (def as { right?: unknown }).right];
    let merged: Record<string, z.ZodType> | undefined;
    for (const option of options) {
      const shape = objectShape(option);
      if (shape) merged = { ...(merged ?? {}), ...shape };
    }
    return merged;
  }
  return undefined;
}

/** The schema of the value at `path` inside a value of `schema`, as far as it can be told. */
export function schemaAt(schema: unknown, path: readonly (string | number)[]): unknown {
  let current: unknown = schema;
  for (const step of path) {
    const inner = unwrapSchema(current);
    const def = defOf(inner);
    if (!def) return undefined;
    if (def.type === 'object') current = def.shape?.[String(step)];
    else if (def.type === 'array') current = def.element;
    else if (def.type === 'record') current = def.valueType;
    else if (def.type === 'union') current = (def.options ?? []).map((o) => schemaAt(o, [step])).find((s) => s !== undefined);
    else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** The schema's `.describe()` text, looked for through its wrappers. */
export function schemaDescription(schema: unknown): string | undefined {
  let current = schema;
  for (let guard = 0; guard < 32 && current; guard++) {
    const description = (current as { description?: unknown }).description;
    if (typeof description === 'string' && description !== '') return description;
    const def = defOf(current);
    if (!def?.type || !(WRAPPERS.has(def.type) || def.type === 'pipe')) return undefined;
    current = def.type === 'pipe' ? def.in : def.innerType;
  }
  return undefined;
}

/** What a value must be, in a few words: `string`, `number`, `"GET" | "POST"`, `object`. */
export function describeSchema(schema: unknown, depth = 0): string {
  const def = defOf(unwrapSchema(schema));
  if (!def?.type) return 'any';
  switch (def.type) {
    case 'enum':
      return Object.values(def.entries ?? {})
        .map((v) => JSON.stringify(v))
        .join(' | ');
    case 'literal':
      return (def.values ?? []).map((v) => JSON.stringify(v)).join(' | ');
    case 'union': {
      if (depth > 2) return 'any';
      const kinds = [...new Set((def.options ?? []).map((o) => describeSchema(o, depth + 1)))];
      return kinds.join(' | ');
    }
    case 'array':
      return 'array';
    case 'object':
    case 'record':
      return 'object';
    case 'int':
      return 'integer';
    case 'unknown':
    case 'any':
      return 'any';
    case 'custom':
      return 'function';
    default:
      return def.type;
  }
}

/** Deepest level a placeholder spells out; below it objects are `{}` and arrays `[]`. */
const PLACEHOLDER_DEPTH = 3;

/**
 * A value of the schema's kind to put in place of a missing key or to start a new node with, for the person to
 * fill in. The schema's own first example (`.meta({ examples })`, also shown by the JSON Schema) wins: it is the
 * only way to satisfy a rule across fields ("`ms` or `until`"). Otherwise an object gets its required keys, an
 * array as many elements as it needs at least, and a string that must not be empty or must match a pattern gets
 * its key's name when that fits (a port named `port`), so the placeholder passes the schema it came from.
 */
export function placeholderFor(schema: unknown, depth = 0, key?: string): unknown {
  const example = firstExample(schema);
  if (example !== undefined) return structuredClone(example);
  const def = defOf(unwrapSchema(schema));
  switch (def?.type) {
    case 'string':
      return placeholderText(def, key);
    case 'number':
    case 'int':
    case 'bigint':
      return 0;
    case 'boolean':
      return false;
    case 'array': {
      const count = depth < PLACEHOLDER_DEPTH ? Math.min(minimumLength(def), 3) : 0;
      return Array.from({ length: count }, () => placeholderFor(def.element, depth + 1, key));
    }
    case 'object': {
      const out: Record<string, unknown> = {};
      if (depth >= PLACEHOLDER_DEPTH) return out;
      for (const [name, field] of Object.entries(def.shape ?? {})) {
        if (!isOptionalSchema(field)) out[name] = placeholderFor(field, depth + 1, name);
      }
      return out;
    }
    case 'record':
      return {};
    case 'null':
      return null;
    case 'enum':
      return Object.values(def.entries ?? {})[0] ?? '';
    case 'literal':
      return def.values?.[0] ?? '';
    case 'union': {
      // The first branch that is not a function (a .flow.ts-only form) decides.
      const options = (def.options ?? []).filter((o) => defOf(unwrapSchema(o))?.type !== 'custom');
      return options.length > 0 ? placeholderFor(options[0], depth, key) : '';
    }
    default:
      // `unknown`: most such fields hold a template or text.
      return '';
  }
}

/** The first `examples` entry of the schema or of a wrapper around it (optional, default, ...). */
function firstExample(schema: unknown): unknown {
  let current = schema;
  for (let guard = 0; guard < 32 && current; guard++) {
    const examples = (current as { meta?: () => { examples?: unknown } | undefined }).meta?.()?.examples;
    if (Array.isArray(examples) && examples.length > 0) return examples[0];
    const def = defOf(current);
    if (!def?.type || !(WRAPPERS.has(def.type) || def.type === 'pipe')) return undefined;
    current = def.type === 'pipe' ? def.in : def.innerType;
  }
  return undefined;
}

/** "" when the string may be empty; else the key's name, or "value", whichever the string's checks accept. */
function placeholderText(def: SchemaDef, key: string | undefined): string {
  let minimum = 0;
  const patterns: RegExp[] = [];
  for (const check of def.checks ?? []) {
    const checkDef = (check as { _zod?: { def?: { check?: string; minimum?: unknown; pattern?: unknown } } })._zod?.def;
    if (checkDef?.check === 'min_length' && typeof checkDef.minimum === 'number') minimum = Math.max(minimum, checkDef.minimum);
    if (checkDef?.pattern instanceof RegExp) patterns.push(checkDef.pattern);
  }
  if (minimum === 0 && patterns.length === 0) return '';
  const fits = (text: string): boolean => text.length >= minimum && patterns.every((p) => new RegExp(p.source, p.flags.replace('g', '')).test(text));
  return [key, 'value'].find((text): text is string => text !== undefined && fits(text)) ?? '';
}

/** The least number of elements an array schema accepts (its `.min()` / `.nonempty()`), 0 without one. */
function minimumLength(def: SchemaDef): number {
  let minimum = 0;
  for (const check of def.checks ?? []) {
    const checkDef = (check as { _zod?: { def?: { check?: string; minimum?: unknown } } })._zod?.def;
    if (checkDef?.check === 'min_length' && typeof checkDef.minimum === 'number') minimum = Math.max(minimum, checkDef.minimum);
  }
  return minimum;
}
