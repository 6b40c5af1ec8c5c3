// Splits a string into literal text and `{{ ... }}` templates (spec section 6). `\{{` is a literal `{{`.
// A template ends at the first `}}` outside quotes and outside braces of its own, so an expression may hold
// object literals and strings with `}}` in them; when that finds no end (an unterminated quote, say), the first
// `}}` ends it and the parser reports what is wrong inside.

import type { CompiledExpression } from './compileCache';
import type { TemplateSpan } from './exprTypes';

export type TemplateSegment =
  /** Literal text, with `\{{` already turned into `{{`. `start`/`end` cover the raw text. */
  | { kind: 'text'; text: string; start: number; end: number }
  /** `compiled`: the expression parsed, kept here by compiledTemplate (compileCache.ts) the first time it is asked. */
  | { kind: 'template'; span: TemplateSpan; compiled: CompiledExpression | undefined }
  /** A `{{` with no `}}` after it: from `start` to the end of the string. */
  | { kind: 'unclosed'; start: number; end: number };

/**
 * The segments of `text`, in order. Adjacent text is merged into one segment. Shared between callers (do not
 * modify them; only compiledTemplate fills a template's `compiled`): compiling, reference checks and type checks
 * each scan every string of a flow, and the editor compiles on every edit, so each text is scanned once while it
 * stays among the last MAX_SCANNED.
 */
export function scanTemplateString(text: string): readonly TemplateSegment[] {
  const cached = scanned.get(text);
  if (cached !== undefined) return cached;
  const segments = scan(text);
  if (scanned.size >= MAX_SCANNED) scanned.delete(scanned.keys().next().value as string);
  scanned.set(text, segments);
  return segments;
}

/** About 3 templated strings per node: a 3,000-node flow's strings, a few MB at most. */
const MAX_SCANNED = 10_000;
const scanned = new Map<string, readonly TemplateSegment[]>();

function scan(text: string): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let literal = '';
  let literalStart = 0;
  let i = 0;
  const flushText = (end: number): void => {
    if (literal !== '') segments.push({ kind: 'text', text: literal, start: literalStart, end });
    literal = '';
  };
  for (;;) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      literal += text.slice(i);
      flushText(text.length);
      return segments;
    }
    if (open > 0 && text[open - 1] === '\\') {
      literal += text.slice(i, open - 1) + '{{';
      i = open + 2;
      continue;
    }
    literal += text.slice(i, open);
    const close = findClose(text, open + 2);
    if (close < 0) {
      flushText(open);
      segments.push({ kind: 'unclosed', start: open, end: text.length });
      return segments;
    }
    flushText(open);
    segments.push({
      kind: 'template',
      span: { start: open, end: close + 2, source: text.slice(open + 2, close), sourceStart: open + 2 },
      compiled: undefined,
    });
    i = close + 2;
    literalStart = i;
  }
}

/** Offset of the `}}` that closes a template whose expression starts at `from`, or -1. */
function findClose(text: string, from: number): number {
  let depth = 0;
  let quote = '';
  for (let i = from; i < text.length; i++) {
    const ch = text[i];
    if (quote !== '') {
      if (ch === '\\') i++;
      else if (ch === quote) quote = '';
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '{') {
      depth++;
    } else if (ch === '}') {
      if (depth > 0) depth--;
      else if (text[i + 1] === '}') return i;
    }
  }
  // No balanced end: fall back to the first `}}`, so the parser can say what is wrong in between.
  return text.indexOf('}}', from);
}

/** True when the string holds a template or an unclosed `{{` (escaped `\{{` does not count). */
export function hasTemplateSyntax(text: string): boolean {
  let open = text.indexOf('{{');
  while (open >= 0) {
    if (open === 0 || text[open - 1] !== '\\') return true;
    open = text.indexOf('{{', open + 2);
  }
  return false;
}
