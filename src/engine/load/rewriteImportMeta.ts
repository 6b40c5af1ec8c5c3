// `import.meta` is a syntax error in CommonJS, which is what workspace modules are evaluated as (moduleLoader.ts),
// and sucrase leaves it as written. So every `import.meta` of the transpiled code is rewritten to a call of a
// function appended after the code's last line, which gives what Node's `import.meta` gives a file module (`url`,
// `filename`, `dirname`). The call, `_weftMeta()`, is as long as `import.meta`: the columns of the source map stay
// right.
//
// A light scanner finds them: it skips comments, strings, template literal text (not the `${...}` in it) and
// regular expressions, so `"import.meta"` in a string is left alone. Its lexical rules (where each ends, when a
// `/` starts a regular expression) are scanJavaScript.ts's, shared with locateFlowSource.ts.

import {
  commentEnd,
  endsAtSubstitution,
  isIdentifierPart,
  isSpace,
  regexEnd,
  slashStartsRegex,
  stringEnd,
  templateTextEnd,
  wordEnd,
} from './scanJavaScript';

const META = 'import.meta';
const CALL = '_weftMeta()';
// `var`: hoisted, so a call before the last line (where this is appended) still finds the cache declared.
const HELPER =
  "\nfunction _weftMeta() { return _weftMetaValue || (_weftMetaValue = { url: require('node:url').pathToFileURL(__filename).href, " +
  'filename: __filename, dirname: __dirname }); } var _weftMetaValue;';

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
  // The last code token (scanJavaScript.ts): tells a regular expression from a division.
  let previous = '';
  let i = 0;
  while (i < code.length) {
    const c = code[i];
    const afterComment = commentEnd(code, i);
    if (isSpace(c)) {
      i += 1;
    } else if (afterComment !== undefined) {
      i = afterComment;
    } else if (c === '"' || c === "'") {
      i = stringEnd(code, i);
      previous = 'x';
    } else if (c === '`') {
      i = templateText(code, i + 1, templates, depth);
      previous = endsAtSubstitution(code, i) ? '{' : 'x';
    } else if (c === '/' && slashStartsRegex(previous)) {
      i = regexEnd(code, i);
      previous = 'x';
    } else if (c === '}' && templates.length > 0 && templates[templates.length - 1] === depth) {
      templates.pop();
      i = templateText(code, i + 1, templates, depth);
      previous = endsAtSubstitution(code, i) ? '{' : 'x';
    } else if (isIdentifierPart(c)) {
      let end = wordEnd(code, i);
      const word = code.slice(i, end);
      if (word === 'import' && code.startsWith(META, i) && !isIdentifierPart(code[i + META.length]) && code[i - 1] !== '.') {
        found.push(i);
        end = i + META.length;
        previous = 'x';
      } else {
        previous = word;
      }
      i = end;
    } else {
      if (c === '{') depth += 1;
      else if (c === '}') depth -= 1;
      previous = c;
      i += 1;
    }
  }
  return found;
}

/** Template text from `start`: past its closing backquote, or past a `${` (recorded in `templates`). */
function templateText(code: string, start: number, templates: number[], depth: number): number {
  const end = templateTextEnd(code, start);
  if (endsAtSubstitution(code, end)) templates.push(depth);
  return end;
}
