// The name path being typed at the end of an incomplete expression, for completion: `nodes.fe` is root `nodes`
// and partial `fe`; `nodes.fetch.body.` is root `nodes`, steps `fetch, body` and an empty partial;
// `nodes["my-` is typed in brackets. The parser cannot help here (the expression is unfinished by
// definition), so this reads backwards from the cursor over names, dots and literal brackets only.

export interface PartialPath {
  /** The path's root name; undefined when the root itself is being typed (or a function name). */
  root?: string;
  /** The literal steps between the root and the name being typed. */
  steps: (string | number)[];
  /** What is typed so far of the current name. */
  partial: string;
  /** Offset in the scanned text where the current name starts. */
  partialStart: number;
  /** The name is being typed inside `["...` with this quote. */
  quote?: '"' | "'";
  /** Offset of the `.` (or `?.`) before the name, so a completion can replace it with a bracket step. */
  dotStart?: number;
}

const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** The path being typed at the end of `text` (an expression up to the cursor), or undefined if none is. */
export function partialPathBefore(text: string): PartialPath | undefined {
  const openQuote = unclosedQuote(text);
  if (openQuote !== undefined) {
    // Only a quote right after `[` starts a step name; any other string literal is no path.
    const before = skipSpaceBack(text, openQuote);
    if (text[before - 1] !== '[') return undefined;
    const chain = chainBefore(text, before - 1);
    if (!chain) return undefined;
    const quote = text[openQuote] as '"' | "'";
    return { ...chain, partial: text.slice(openQuote + 1), partialStart: openQuote + 1, quote };
  }
  let start = text.length;
  while (start > 0 && WORD_CHAR.test(text[start - 1])) start--;
  const partial = text.slice(start);
  if (/^[0-9]/.test(partial)) return undefined;
  const beforeWord = skipSpaceBack(text, start);
  if (text[beforeWord - 1] === '.') {
    const dotStart = text[beforeWord - 2] === '?' ? beforeWord - 2 : beforeWord - 1;
    // `1.` is a number being typed, not a path.
    if (/[0-9]/.test(text[dotStart - 1] ?? '') && !chainBefore(text, dotStart)) return undefined;
    const chain = chainBefore(text, dotStart);
    if (!chain) return undefined;
    return { ...chain, partial, partialStart: start, dotStart };
  }
  return { steps: [], partial, partialStart: start };
}

/** The root and literal steps of the path that ends at `end`, or undefined when it is not a plain path. */
function chainBefore(text: string, end: number): { root: string; steps: (string | number)[] } | undefined {
  const steps: (string | number)[] = [];
  let i = end;
  for (let guard = 0; guard < 256; guard++) {
    i = skipSpaceBack(text, i);
    if (text[i - 1] === ']') {
      const open = text.lastIndexOf('[', i - 2);
      if (open < 0) return undefined;
      const inner = text.slice(open + 1, i - 1).trim();
      const quoted = /^(["'])(.*)\1$/.exec(inner);
      if (quoted) steps.unshift(quoted[2]);
      else if (/^\d+$/.test(inner)) steps.unshift(Number(inner));
      else return undefined;
      i = text[open - 1] === '.' && text[open - 2] === '?' ? open - 2 : open;
      continue;
    }
    let nameStart = i;
    while (nameStart > 0 && WORD_CHAR.test(text[nameStart - 1])) nameStart--;
    const name = text.slice(nameStart, i);
    if (name === '' || /^[0-9]/.test(name)) return undefined;
    const before = skipSpaceBack(text, nameStart);
    if (text[before - 1] === '.') {
      steps.unshift(name);
      i = text[before - 2] === '?' ? before - 2 : before - 1;
      continue;
    }
    return { root: name, steps };
  }
  return undefined;
}

/** Offset of the quote that opens a string literal still open at the end of `text`, if one is. */
function unclosedQuote(text: string): number | undefined {
  let quote = '';
  let open = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote !== '') {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      open = i;
    }
  }
  return quote === '' ? undefined : open;
}

function skipSpaceBack(text: string, i: number): number {
  while (i > 0 && /\s/.test(text[i - 1])) i--;
  return i;
}
