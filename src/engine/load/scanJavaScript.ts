// The lexical pieces of JavaScript that the light `.flow.ts` readers share (locateFlowSource.ts finds where
// things are; rewriteImportMeta.ts finds `import.meta`): where a comment, a string, a template literal's text or
// a regular expression ends, and whether a `/` starts a regular expression or is a division.
//
// A `/` starts a regular expression at the start of the code, after a punctuator that cannot end an operand
// (`( [ { } , ; : = ! & | ? + - * % < > ~ ^`) and after a keyword that takes an expression (`return /x/`,
// `typeof /x/`); after an identifier, a number, a literal, `)` or `]` it is a division. `}` ending a block
// before a division, and `)` of `if (x) /re/.test(y)`, are the cases a full parser would need; they are rare in
// flow modules and cost only a misplaced diagnostic or an `import.meta` left as written.

const PUNCTUATORS_BEFORE_REGEX = new Set('([{},;:=!&|?+-*%<>~^'.split(''));
const KEYWORDS_BEFORE_EXPRESSION = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await',
]);

/**
 * Whether a `/` after `previous` starts a regular expression. `previous` is the last code token: a punctuator
 * character, a whole word (identifier, keyword or number), or '' at the start of the code. A word must be
 * whole: the last letter of `return` says nothing.
 */
export function slashStartsRegex(previous: string): boolean {
  if (previous === '') return true;
  if (isIdentifierPart(previous[0])) return KEYWORDS_BEFORE_EXPRESSION.has(previous);
  return PUNCTUATORS_BEFORE_REGEX.has(previous);
}

/** At `//` or `/*`: the offset past the comment (a line comment ends before its newline); else undefined. */
export function commentEnd(text: string, start: number): number | undefined {
  if (text[start] !== '/') return undefined;
  if (text[start + 1] === '/') {
    const end = text.indexOf('\n', start);
    return end === -1 ? text.length : end;
  }
  if (text[start + 1] === '*') {
    const end = text.indexOf('*/', start + 2);
    return end === -1 ? text.length : end + 2;
  }
  return undefined;
}

/** At a quote: the offset past the closing quote, or of the newline that ends an unterminated string. */
export function stringEnd(text: string, start: number): number {
  const quote = text[start];
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === quote) return i + 1;
    else if (ch === '\n') return i;
    else i += 1;
  }
  return text.length;
}

/**
 * Inside a template literal's text (just past its backquote, or past the `}` of a substitution): the offset past
 * the closing backquote, or past the `${` of the next substitution (then `text[end - 1] === '{'`).
 */
export function templateTextEnd(text: string, start: number): number {
  let i = start;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '`') return i + 1;
    else if (ch === '$' && text[i + 1] === '{') return i + 2;
    else i += 1;
  }
  return text.length;
}

/** True when a template text scanned by `templateTextEnd` stopped at a substitution rather than its end. */
export function endsAtSubstitution(text: string, end: number): boolean {
  return text[end - 1] === '{' && text[end - 2] === '$';
}

/** At the opening `/` of a regular expression: the offset past its flags (or of the newline of an unterminated one). */
export function regexEnd(text: string, start: number): number {
  let inClass = false;
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\') i += 2;
    else if (ch === '\n') return i;
    else if (ch === '[') (inClass = true), (i += 1);
    else if (ch === ']') (inClass = false), (i += 1);
    else if (ch === '/' && !inClass) {
      i += 1;
      while (i < text.length && isIdentifierPart(text[i])) i += 1;
      return i;
    } else i += 1;
  }
  return text.length;
}

/** At an identifier (or a number): the offset past it. */
export function wordEnd(text: string, start: number): number {
  let i = start + 1;
  while (i < text.length && isIdentifierPart(text[i])) i += 1;
  return i;
}

export function isIdentifierStart(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36;
  return /[\p{ID_Start}]/u.test(ch);
}

export function isIdentifierPart(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  const c = ch.charCodeAt(0);
  if (c < 128) return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 36;
  return /[\p{ID_Continue}\u200c\u200d]/u.test(ch);
}

export function isSpace(ch: string): boolean {
  const c = ch.charCodeAt(0);
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0xfeff || c === 0x2028 || c === 0x2029;
}
