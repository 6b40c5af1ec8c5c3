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
    const position = /position (\d+)/.exec(message);
    const offset = position ? Number(position[1]) : text.length;
    return { ok: false, message: cleanMessage(message), offset, ...lineColumnOf(text, offset) };
  }
}

function cleanMessage(message: string): string {
  return message.replace(/ in JSON at position \d+.*$/, '').replace(/ \(line \d+ column \d+\)$/, '');
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
