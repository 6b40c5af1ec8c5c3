// Turns a workspace module's TypeScript (or ES module JavaScript) into CommonJS that Node can evaluate, with
// sucrase: plain JavaScript and small once bundled, so the extension ships no native binary for it (esbuild's
// would have to come from node_modules). Sucrase strips types and rewrites `import`/`export` to `require` and
// `exports`, and nothing else: no type checking (as esbuild, as ts-node's transpile-only mode), no down-levelling
// (Node 20 runs ES2022 as written), and every line stays where it was, so the source map only moves columns.
//
// - .ts .mts .cts .tsx (and .jsx, .mjs) always get the `imports` transform. A .cjs file, or a .js file with no
//   line starting with `import` or `export`, is CommonJS already and is evaluated as written: the transform
//   would make it strict mode.
// - The code gets its source map inline, so Node maps stack frames by itself where it can (stackMapping.ts).

import type { SourceMapPayload } from 'node:module';
import { basename, extname } from 'node:path';
import { transform, type Transform } from 'sucrase';
import type { Range } from '../model/diagnostics';
import { loadErrorDiagnostic, ModuleLoadError } from './loadErrors';
import { LineIndex } from '../model/lineIndex';
import { rewriteImportMeta } from './rewriteImportMeta';

export interface TranspiledModule {
  /** CommonJS code, with its source map appended when it is not the source as written. */
  code: string;
  /** The source map (its source is the file's base name, relative to its folder), absent for code as written. */
  map?: SourceMapPayload;
}

const ESM_SYNTAX = /^[ \t]*(?:import\s*[\s{*'"]|export\s*[\s{*])/m;
// In two pieces: written whole, this line is itself a source map comment to a debugger that reads this file's
// text (js-debug, attached to `weft dap`, reads dist/cli.js's sources and reported a broken map here).
const MAP_PREFIX = '\n//# ' + 'sourceMappingURL=data:application/json;base64,';

/** Transpiles `source`, the text of `file`; throws a ModuleLoadError at the position of a syntax error. */
export function transpileModule(file: string, source: string): TranspiledModule {
  const transforms = transformsFor(file, source);
  if (transforms === undefined) return { code: source };
  let result: ReturnType<typeof transform>;
  try {
    result = transform(source, {
      transforms,
      filePath: file,
      sourceMapOptions: { compiledFilename: basename(file) },
      production: true,
      // Node 20 runs optional chaining, class fields and the like as written; rewriting them would only move columns.
      disableESTransforms: true,
    });
  } catch (error) {
    throw syntaxError(error, file, source);
  }
  const map = result.sourceMap as SourceMapPayload;
  map.sources = [basename(file)];
  const code = rewriteImportMeta(result.code);
  return { code: code + MAP_PREFIX + Buffer.from(JSON.stringify(map)).toString('base64'), map };
}

function transformsFor(file: string, source: string): Transform[] | undefined {
  switch (extname(file).toLowerCase()) {
    case '.ts':
    case '.mts':
    case '.cts':
      return ['typescript', 'imports'];
    case '.tsx':
      return ['typescript', 'jsx', 'imports'];
    case '.jsx':
      return ['jsx', 'imports'];
    case '.mjs':
      return ['imports'];
    case '.cjs':
      return undefined;
    default:
      return ESM_SYNTAX.test(source) ? ['imports'] : undefined;
  }
}

/** Sucrase's errors carry the offset (`pos`) and end their message with the one-based `(line:column)`. */
function syntaxError(error: unknown, file: string, source: string): ModuleLoadError {
  const raw = error instanceof Error ? error.message : String(error);
  const prefix = `Error transforming ${file}: `;
  const stripped = raw.startsWith(prefix) ? raw.slice(prefix.length) : raw;
  const location = / \((\d+):(\d+)\)$/.exec(stripped);
  const message = location === null ? stripped : stripped.slice(0, location.index);
  const pos = (error as { pos?: unknown } | undefined)?.pos;
  let range: Range | undefined;
  if (typeof pos === 'number') {
    range = tokenRange(source, pos);
  } else if (location !== null) {
    const start = { line: Number(location[1]) - 1, character: Number(location[2]) - 1 };
    range = { start, end: start };
  }
  return new ModuleLoadError(loadErrorDiagnostic(message, file, range, source));
}

/** The word (or the single character) at `offset`: what the parser stumbled on. */
function tokenRange(source: string, offset: number): Range {
  const word = /[\p{ID_Continue}$]+/uy;
  word.lastIndex = offset;
  const length = word.exec(source)?.[0].length ?? (offset < source.length && source[offset] !== '\n' ? 1 : 0);
  return new LineIndex(source).rangeAt(offset, offset + length);
}
