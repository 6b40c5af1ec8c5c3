// Where each step of a name path is written in an expression: `nodes.fetch.body` or `nodes["my-node"]?.x`.
// The parser gives a reference's start and end only; renaming `fetch`, or pointing at it, needs the exact
// characters of each step, so they are read again here from the reference's start.

/** A step of a path as written: offsets of its text (inside the quotes when it is bracketed). */
export interface StepSpan {
  value: string | number;
  start: number;
  end: number;
  /** Written `["x"]` or `['x']` rather than `.x`. */
  bracketed: boolean;
}

export interface PathSpans {
  rootStart: number;
  rootEnd: number;
  steps: StepSpan[];
}

const IDENTIFIER_PART = /[A-Za-z0-9_$\u0080-\uffff]/;

/**
 * Reads the root name at `start` of `source` and then `count` literal steps, as the parser accepted them.
 * Returns undefined when the text does not look like that (it always does for a reference the parser made).
 */
export function scanPathSteps(source: string, start: number, count: number): PathSpans | undefined {
  let i = start;
  while (i < source.length && IDENTIFIER_PART.test(source[i])) i++;
  if (i === start) return undefined;
  const spans: PathSpans = { rootStart: start, rootEnd: i, steps: [] };
  for (let k = 0; k < count; k++) {
    i = skipSpace(source, i);
    if (source.startsWith('?.', i) && source[i + 2] === '[') i += 2;
    if (source[i] === '[') {
      i = skipSpace(source, i + 1);
      const quote = source[i];
      if (quote === '"' || quote === "'") {
        let j = i + 1;
        let value = '';
        while (j < source.length && source[j] !== quote) {
          if (source[j] === '\\') {
            value += source[j + 1] ?? '';
            j += 2;
          } else {
            value += source[j];
            j++;
          }
        }
        if (j >= source.length) return undefined;
        spans.steps.push({ value, start: i + 1, end: j, bracketed: true });
        i = j + 1;
      } else {
        let j = i;
        while (j < source.length && /[0-9]/.test(source[j])) j++;
        if (j === i) return undefined;
        spans.steps.push({ value: Number(source.slice(i, j)), start: i, end: j, bracketed: true });
        i = j;
      }
      i = skipSpace(source, i);
      if (source[i] !== ']') return undefined;
      i++;
      continue;
    }
    if (source.startsWith('?.', i)) i += 2;
    else if (source[i] === '.') i += 1;
    else return undefined;
    i = skipSpace(source, i);
    const nameStart = i;
    while (i < source.length && IDENTIFIER_PART.test(source[i])) i++;
    if (i === nameStart) return undefined;
    spans.steps.push({ value: source.slice(nameStart, i), start: nameStart, end: i, bracketed: false });
  }
  return spans;
}

/** The steps of a JSON Logic `var` path (`"nodes.fetch.body"`): split at dots, as json-logic reads it. */
export function splitVarPath(path: string): PathSpans | undefined {
  const parts = path.split('.');
  if (parts[0] === '') return undefined;
  const spans: PathSpans = { rootStart: 0, rootEnd: parts[0].length, steps: [] };
  let offset = parts[0].length + 1;
  for (const part of parts.slice(1)) {
    spans.steps.push({ value: /^(0|[1-9]\d*)$/.test(part) ? Number(part) : part, start: offset, end: offset + part.length, bracketed: false });
    offset += part.length + 1;
  }
  return spans;
}

function skipSpace(source: string, i: number): number {
  while (i < source.length && /\s/.test(source[i])) i++;
  return i;
}
