// Parses what a user typed as JSON and, when it does not parse, says where (line and column, 1-based), so an
// input edited in a textarea can point at its mistake (jsonParseError.ts finds the place).

import { parseJson } from './jsonParseError';

export type JsonInputResult = { ok: true; value: unknown } | { ok: false; message: string; line?: number; column?: number; offset?: number };

export function parseJsonInput(text: string, { emptyAs }: { emptyAs?: unknown } = {}): JsonInputResult {
  if (text.trim() === '') return emptyAs !== undefined ? { ok: true, value: emptyAs } : { ok: false, message: 'Empty: type a JSON value (null, {}, …).', line: 1, column: 1, offset: 0 };
  const parsed = parseJson(text);
  if (parsed.ok) return parsed;
  return { ok: false, message: parsed.message, line: parsed.line, column: parsed.column, offset: parsed.offset };
}

/** A value as the textarea shows it: indented JSON ("" for undefined). */
export function jsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}
