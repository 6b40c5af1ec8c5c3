// What the history index keeps of a run's input and output so that a list can tell runs apart and find them by
// their data without opening run files: a one-line summary of the input ("orderId A-42, total 120") and a short
// searchable text of the scalar values of the input and output. Both are capped: the index stays small (see
// docs/decisions.md, "History search").

/** The input line a history row shows. */
export const MAX_INPUT_SUMMARY_CHARS = 120;
/** The searchable text of input and output together. */
export const MAX_SEARCH_TEXT_CHARS = 240;
/** Nested values are walked this deep at most (a huge output must not cost a long walk at every save). */
const MAX_DEPTH = 4;
/** Scalars longer than this are cut: a long text is rarely what someone types into a search box. */
const MAX_SCALAR_CHARS = 60;

/** "orderId A-42, total 120, items [2]": the input's top-level keys and values, in one line; '' for no input. */
export function describeInput(input: unknown): string {
  if (input === undefined || input === null) return '';
  if (typeof input !== 'object') return cut(scalarText(input), MAX_INPUT_SUMMARY_CHARS);
  const parts: string[] = [];
  let length = 0;
  const entries = Array.isArray(input) ? [[`[${input.length}]`, undefined] as const] : Object.entries(input as Record<string, unknown>);
  for (const [key, value] of entries) {
    const part = value === undefined && Array.isArray(input) ? key : `${key} ${shortValue(value)}`;
    parts.push(part);
    length += part.length + 2;
    if (length > MAX_INPUT_SUMMARY_CHARS) break;
  }
  return cut(parts.join(', '), MAX_INPUT_SUMMARY_CHARS);
}

/**
 * The scalar values (and the keys that hold them) of the input, then of the output, space-separated, lower case,
 * cut to MAX_SEARCH_TEXT_CHARS: input first, as it is what tells a run apart ("A-42").
 */
export function searchTextOf(input: unknown, output: unknown): string {
  const words: string[] = [];
  let length = 0;
  const visit = (value: unknown, depth: number): boolean => {
    if (length >= MAX_SEARCH_TEXT_CHARS) return false;
    if (value === null || value === undefined) return true;
    if (typeof value !== 'object') {
      const text = cut(scalarText(value), MAX_SCALAR_CHARS);
      words.push(text);
      length += text.length + 1;
      return length < MAX_SEARCH_TEXT_CHARS;
    }
    if (depth >= MAX_DEPTH) return true;
    if (Array.isArray(value)) {
      for (const item of value) if (!visit(item, depth + 1)) return false;
      return true;
    }
    for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
      words.push(key);
      length += key.length + 1;
      if (!visit(item, depth + 1)) return false;
    }
    return true;
  };
  if (visit(input, 0)) visit(output, 0);
  return words.join(' ').slice(0, MAX_SEARCH_TEXT_CHARS).toLowerCase();
}

function shortValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return `[${value.length}]`;
  if (typeof value === 'object') return '{…}';
  return cut(scalarText(value), 40);
}

function scalarText(value: unknown): string {
  return typeof value === 'string' ? value.replace(/\s+/g, ' ') : String(value);
}

function cut(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
