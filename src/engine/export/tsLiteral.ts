// Writes a JSON value as a TypeScript object literal the way a person would: bare keys where they are
// identifiers, single quotes, short values on one line and long ones broken one entry a line with trailing
// commas (the shape Prettier gives). `weft export` builds its `.flow.ts` from it; `RawCode` marks text that is
// already TypeScript (a code node's function) and is written as it is.

/** TypeScript source to write unchanged in place of a value. */
export class RawCode {
  constructor(readonly text: string) {}
}

/** Line width the printer tries to keep to. */
const MAX_WIDTH = 110;
const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

/** A string as a TypeScript literal: single quotes, or double ones when that saves escapes (as Prettier does). */
export function quoteString(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${quote}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x2028 || code === 0x2029 || code === 0x7f || (code >= 0xd800 && code <= 0xdfff)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}${quote}`;
}

/** An object key: bare when it is an identifier. `__proto__` is computed, since a literal one sets the prototype. */
export function propertyKey(key: string): string {
  if (key === '__proto__') return `['__proto__']`;
  return IDENTIFIER.test(key) ? key : quoteString(key);
}

/** `value` as a TypeScript expression, its first line at column `column` and later lines indented by `indent`. */
export function printLiteral(value: unknown, indent = '', column = indent.length): string {
  if (value instanceof RawCode) return value.text.split('\n').join(`\n${indent}`);
  if (value === null) return 'null';
  if (typeof value === 'string') return quoteString(value);
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (typeof value === 'boolean') return String(value);
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const flat = flatText(value);
    if (flat !== undefined && column + flat.length <= MAX_WIDTH) return flat;
    const inner = `${indent}  `;
    return `[\n${value.map((item) => `${inner}${printLiteral(item, inner)},`).join('\n')}\n${indent}]`;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    if (entries.length === 0) return '{}';
    const flat = flatText(value);
    if (flat !== undefined && column + flat.length <= MAX_WIDTH) return flat;
    const inner = `${indent}  `;
    const lines = entries.map(([key, v]) => {
      const head = `${inner}${propertyKey(key)}: `;
      return `${head}${printLiteral(v, inner, head.length)},`;
    });
    return `{\n${lines.join('\n')}\n${indent}}`;
  }
  throw new TypeError(`Not a JSON value: ${typeof value}`);
}

/** The value on one line, or undefined when it holds code (code always gets lines of its own). */
function flatText(value: unknown): string | undefined {
  if (value instanceof RawCode) return value.text.includes('\n') ? undefined : value.text;
  if (Array.isArray(value)) {
    const parts: string[] = [];
    for (const item of value) {
      const part = flatText(item);
      if (part === undefined) return undefined;
      parts.push(part);
    }
    return `[${parts.join(', ')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const parts: string[] = [];
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      if (v === undefined) continue;
      const part = flatText(v);
      if (part === undefined) return undefined;
      parts.push(`${propertyKey(key)}: ${part}`);
    }
    return parts.length === 0 ? '{}' : `{ ${parts.join(', ')} }`;
  }
  return printLiteral(value);
}
