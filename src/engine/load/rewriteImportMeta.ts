// `import.meta` is a syntax error in CommonJS, which is what workspace modules are evaluated as (moduleLoader.ts),
// and sucrase leaves it as written. So every `import.meta` of the transpiled code is rewritten to a call of a
// function appended after the code's last line, which gives what Node's `import.meta` gives a file module (`url`,
// `filename`, `dirname`). The call, `_weftMeta()`, is as long as `import.meta`: the columns of the source map stay
// right.
//
// A light scanner finds them: it skips comments, strings, template literal text (not the `${...}` in it) and
// regular expressions, so `"import.meta"` in a string is left alone. Like locateFlowSource.ts, it reads a `/` as
// the start of a regular expression after an operator, an opening bracket, `,` `;` `:` or a keyword that takes
// an expression (`return /x/`), else as a division.

const META = 'import.meta';
const CALL = '_weftMeta()';
// `var`: hoisted, so a call before the last line (where this is appended) still finds the cache declared.
const HELPER =
  "\nfunction _weftMeta() { return _weftMetaValue || (_weftMetaValue = { url: require('node:url').pathToFileURL(__filename).href, " +
  'filename: __filename, dirname: __dirname }); } var _weftMetaValue;';

const BEFORE_REGEX = new Set('([{,;:=!&|?+-*%<>~^}'.split(''));
const KEYWORDS_BEFORE_EXPRESSION = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']);

/** `code` with each `import.meta` outside strings, comments and regular expressions rewritten (see above). */
export function rewriteImportMeta(code: string): string {
  if (!code.includes(META)) return code;
  const starts = findImportMeta(code);
  if (starts.length === 0) return code;
  let out = '';
  let last = 0;
  for (const start of starts) {
    out += code.slice(last, start) + CALL;
    last = start + META.length;
  }
  return out + code.slice(last) + HELPER;
}

function findImportMeta(code: string): number[] {
  const found: number[] = [];
  // For each `${` of a template literal we are inside: the brace depth at which its `}` closes it.
  const templates: number[] = [];
  let depth = 0;
  let regexAllowed = true;
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i += 1;
    } else if (c === '/' && code[i + 1] === '/') {
      const end = code.indexOf('\n', i);
      i = end === -1 ? code.length : end;
    } else if (c === '/' && code[i + 1] === '*') {
      const end = code.indexOf('*/', i + 2);
      i = end === -1 ? code.length : end + 2;
    } else if (c === '"' || c === "'") {
      i = skipString(code, i);
      regexAllowed = false;
    } else if (c === '`') {
      i = skipTemplateText(code, i + 1, templates, depth);
      regexAllowed = templates.length > 0 && templates[templates.length - 1] === depth && code[i - 1] === '{';
    } else if (c === '/' && regexAllowed) {
      i = skipRegex(code, i);
      regexAllowed = false;
    } else if (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth) {
      templates.pop();
      i = skipTemplateText(code, i + 1, templates, depth);
      regexAllowed = templates.length > 0 && templates[templates.length - 1] === depth && code[i - 1] === '{';
    } else if (isIdentifierChar(c)) {
      let end = i + 1;
      while (end < code.length && isIdentifierChar(code[end])) end += 1;
      const word = code.slice(i, end);
      if (word === 'import' && code.startsWith(META, i) && !isIdentifierChar(code[i + META.length] ?? '') && code[i - 1] !== '.') {
        found.push(i);
        end = i + META.length;
        regexAllowed = false;
      } else {
        regexAllowed = KEYWORDS_BEFORE_EXPRESSION.has(word);
      }
      i = end;
    } else {
      if (c === '{') depth += 1;
      else if (c === '}') depth -= 1;
      regexAllowed = BEFORE_REGEX.has(c);
      i += 1;
    }
  }
  return found;
}

function skipString(code: string, start: number): number {
  const quote = code[start];
  let i = start + 1;
  while (i < code.length && code[i] !== quote && code[i] !== '\n') i += code[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** From inside a template literal's text: past its closing backquote, or past a `${` (recorded in `templates`). */
function skipTemplateText(code: string, start: number, templates: number[], depth: number): number {
  let i = start;
  while (i < code.length) {
    const c = code[i];
    if (c === '\\') i += 2;
    else if (c === '`') return i + 1;
    else if (c === '$' && code[i + 1] === '{') {
      templates.push(depth);
      return i + 2;
    } else i += 1;
  }
  return i;
}

function skipRegex(code: string, start: number): number {
  let i = start + 1;
  let inClass = false;
  while (i < code.length && code[i] !== '\n') {
    const c = code[i];
    if (c === '\\') i += 2;
    else {
      if (c === '[') inClass = true;
      else if (c === ']') inClass = false;
      else if (c === '/' && !inClass) return i + 1;
      i += 1;
    }
  }
  return i;
}

function isIdentifierChar(c: string): boolean {
  return /[\p{ID_Continue}$\u200c\u200d]/u.test(c);
}
