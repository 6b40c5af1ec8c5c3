// Parses what a user typed as JSON and, when it does not parse, says where (line and column, 1-based), so an
// input edited in a textarea can point at its mistake. JSON.parse reports a character offset ("at position 12")
// or, in newer engines, a line and column: both are read, and the offset is turned into a line and column.

export type JsonInputResult = { ok: true; value: unknown } | { ok: false; message: string; line?: number; column?: number; offset?: number };

export function parseJsonInput(text: string, { emptyAs }: { emptyAs?: unknown } = {}): JsonInputResult {
  if (text.trim() === '') return emptyAs !== undefined ? { ok: true, value: emptyAs } : { ok: false, message: 'Empty: type a JSON value (null, {}, …).', line: 1, column: 1, offset: 0 };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const message = (error as Error).message;
    const lineColumn = /line (\d+) column (\d+)/.exec(message);
    if (lineColumn) {
      const line = Number(lineColumn[1]);
      const column = Number(lineColumn[2]);
      return { ok: false, message: cleanMessage(message), line, column, offset: offsetOf(text, line, column) };
    }
    // Some messages name no place ("Unexpected token ',', … is not valid JSON"): find it by scanning.
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : firstErrorOffset(text);
    return { ok: false, message: cleanMessage(message), offset, ...lineColumnOf(text, offset) };
  }
}

function cleanMessage(message: string): string {
  return message
    .replace(/ in JSON at position \d+.*$/s, '')
    .replace(/ \(line \d+ column \d+\)$/, '')
    .replace(/, "[\s\S]*" is not valid JSON$/, '');
}

/** Where a JSON text stops being JSON: a small recursive-descent scan, run only after JSON.parse refused it. */
function firstErrorOffset(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const space = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text[i] !== ch) fail();
      i++;
    }
  };
  const string = (): void => {
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail();
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail();
    i++;
  };
  const value = (): void => {
    space();
    const ch = text[i];
    if (ch === '{') {
      i++;
      space();
      if (text[i] === '}') return void i++;
      for (;;) {
        space();
        string();
        space();
        if (text[i] !== ':') fail();
        i++;
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === '}') return void i++;
        else fail();
      }
    }
    if (ch === '[') {
      i++;
      space();
      if (text[i] === ']') return void i++;
      for (;;) {
        value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] === ']') return void i++;
        else fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    const number = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!number) fail();
    i += number![0].length;
  };
  try {
    value();
    space();
    return i < text.length ? i : text.length;
  } catch (offset) {
    return typeof offset === 'number' ? Math.min(offset, text.length) : text.length;
  }
}

function lineColumnOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) offset = text.indexOf('\n', offset) + 1;
  return offset + column - 1;
}

/** A value as the textarea shows it: indented JSON ("" for undefined). */
export function jsonText(value: unknown): string {
  return value === undefined ? '' : JSON.stringify(value, null, 2);
}
