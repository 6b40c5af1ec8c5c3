// Evaluates a workspace module (a .flow.ts, a custom node type) and the workspace modules it imports, each as a
// CommonJS module of its own, transpiled by transpileModule.ts: what ts-node or esbuild-register do, except that
// Node's global `require` is left as it is. Nothing is registered in `Module._extensions` nor put in
// `require.cache`: this runs in VS Code's extension host, next to other extensions. Instead each module gets a
// `require` of its own:
//
// - `weft` is the running engine's authoring API, never a copy on disk: `flow` in the module is the engine's.
// - A relative or absolute path names a workspace file, resolved the way TypeScript does: with or without an
//   extension (.ts .tsx .mts .cts .js .jsx .mjs .cjs .json), `./x.js` meaning `./x.ts` when only that exists
//   (TypeScript has ES module imports written with the extension of the compiled file), a folder meaning its
//   package.json `main` or its index file. It is loaded by this same loader.
// - Anything else (a package, `node:fs`) goes to Node's own require for the module's file (createRequire), so
//   the workspace's node_modules are used and packages stay Node's, shared and cached as usual.
//
// One load has a module table of its own: a module imported twice is evaluated once, and an import cycle sees
// the partly filled exports, as in Node. The next load evaluates every workspace module afresh (the caller
// caches whole loads). Synchronous on purpose: compileFlow is synchronous.

import { statSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { Range } from '../model/diagnostics';
import { lineOf, loadErrorDiagnostic, ModuleLoadError } from './loadErrors';
import { LineIndex } from '../model/lineIndex';
import { readSourceFile, SourceFileError } from './readSourceFile';
import { ensureStackMapping, firstFrameIn, mapModulePosition, registerModule } from './stackMapping';
import { transpileModule } from './transpileModule';

/**
 * `exports`: the entry module's `module.exports`. `error`: a ModuleLoadError (a problem with a place: a syntax
 * error, an import of no file) or whatever a module threw. `inputs`: the workspace files read, the entry first.
 */
export type LoadOutcome = { ok: true; exports: unknown; inputs: string[] } | { ok: false; error: unknown; inputs: string[] };

/** Extensions tried, in order, for an import written without one (and for a folder's index file). */
const MODULE_EXTENSIONS: readonly string[] = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs', '.json'];
// What an import of a compiled file's name may mean instead, when no file of that name exists.
const TYPESCRIPT_SOURCES: Readonly<Record<string, readonly string[]>> = { '.js': ['.ts', '.tsx'], '.jsx': ['.tsx'], '.mjs': ['.mts'], '.cjs': ['.cts'] };
const LOADED_HERE = new Set(MODULE_EXTENSIONS);

interface CompilableModule extends NodeJS.Module {
  // `format` ('commonjs'): Node >= 20.19 would otherwise retry code that fails to compile as an ES module.
  _compile(code: string, filename: string, format?: string): unknown;
}

const ModuleClass = Module as unknown as {
  new (id: string, parent?: NodeJS.Module): CompilableModule;
  _nodeModulePaths(folder: string): string[];
};

interface Load {
  api: Readonly<Record<string, unknown>>;
  modules: Map<string, CompilableModule>;
  /** Every workspace file read, in the order read. */
  inputs: string[];
}

/** Loads `file` (an absolute path) and what it imports; `api` is what `import ... from 'weft'` gives. */
export function loadModule(file: string, api: Readonly<Record<string, unknown>>): LoadOutcome {
  ensureStackMapping();
  const load: Load = { api, modules: new Map(), inputs: [] };
  try {
    return { ok: true, exports: evaluate(load, file, undefined), inputs: load.inputs };
  } catch (error) {
    return { ok: false, error, inputs: load.inputs };
  }
}

/**
 * The workspace file an import of `path` (absolute, as written after resolving it against the importer's
 * folder) names, or undefined (see the header for the rules).
 */
export function resolveWorkspaceFile(path: string): string | undefined {
  return asFile(path) ?? asTypeScriptSource(path) ?? asFolder(path);
}

function evaluate(load: Load, file: string, parent: NodeJS.Module | undefined): unknown {
  const known = load.modules.get(file);
  if (known !== undefined) return known.exports;

  const text = readSource(file);
  load.inputs.push(file);
  const m = new ModuleClass(file, parent);
  m.filename = file;
  m.paths = ModuleClass._nodeModulePaths(dirname(file));
  load.modules.set(file, m); // before evaluating: a cycle back to this module gets its exports so far
  try {
    if (extname(file).toLowerCase() === '.json') {
      m.exports = parseJson(file, text);
    } else {
      const { code, map } = transpileModule(file, text);
      if (map !== undefined) registerModule(file, map);
      // Node hands `_compile`d code `(id) => module.require(id)`.
      m.require = requireFor(load, m, text) as NodeJS.Require;
      compile(m, code, file, text);
    }
  } catch (error) {
    load.modules.delete(file);
    throw error;
  }
  m.loaded = true;
  return m.exports;
}

function requireFor(load: Load, m: CompilableModule, text: string): (id: string) => unknown {
  let nodeRequire: NodeJS.Require | undefined;
  const fromNode = (id: string): unknown => (nodeRequire ??= createRequire(m.filename))(id);
  return (id: string): unknown => {
    if (id === 'weft') return load.api;
    if (!isPath(id)) return fromNode(id);
    const target = resolveWorkspaceFile(resolve(dirname(m.filename), id));
    if (target === undefined) throw notFound(id, m.filename, text);
    // Anything else a path may name (a native addon, say) is Node's to load.
    return LOADED_HERE.has(extname(target).toLowerCase()) ? evaluate(load, target, m) : fromNode(target);
  };
}

function isPath(id: string): boolean {
  return /^\.\.?(?:[\\/]|$)/.test(id) || isAbsolute(id);
}

function readSource(file: string): string {
  let text: string;
  try {
    text = readSourceFile(file);
  } catch (error) {
    const diagnostic = loadErrorDiagnostic((error as Error).message, file, undefined, '');
    if (error instanceof SourceFileError) diagnostic.code = error.diagnosticCode;
    throw new ModuleLoadError(diagnostic);
  }
  // Node strips a byte order mark too; an editor's text of the file has none.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function compile(m: CompilableModule, code: string, file: string, text: string): void {
  try {
    m._compile(code, file, 'commonjs');
  } catch (error) {
    throw compileError(error, file, text) ?? error;
  }
}

/**
 * A syntax error V8 found where sucrase did not (`const a` declared twice, a top-level `await`), as a
 * ModuleLoadError; undefined for anything else `_compile` let through (what the module threw when it ran).
 * V8 heads the stack of a compile error with `file:line`, the line and a row of carets.
 */
function compileError(error: unknown, file: string, text: string): ModuleLoadError | undefined {
  if (!(error instanceof SyntaxError) || typeof error.stack !== 'string') return undefined;
  const [head, , carets] = error.stack.split('\n');
  const header = /^(.*):(\d+)$/.exec(head ?? '');
  if (header === null || header[1] !== file) return undefined;
  const line = Number(header[2]);
  const caret = /^(\s*)(\^+)/.exec(carets ?? '');
  let range: Range | undefined;
  if (caret !== null) {
    // The generated line is the source line (sucrase keeps lines); the column goes through the source map.
    const column = mapModulePosition(file, line, caret[1].length + 1)?.column ?? caret[1].length + 1;
    const start = { line: line - 1, character: column - 1 };
    range = { start, end: { line: line - 1, character: column - 1 + caret[2].length } };
  } else {
    range = { start: { line: line - 1, character: 0 }, end: { line: line - 1, character: 0 } };
  }
  return new ModuleLoadError(loadErrorDiagnostic(error.message, file, range, text));
}

/** An import that names no file: reported at the import, found through the stack of the `require` call. */
function notFound(id: string, file: string, text: string): ModuleLoadError {
  const frame = firstFrameIn(new Error().stack ?? '', new Set([file]));
  const range = specifierRange(text, id, frame === undefined ? undefined : frame.line - 1);
  const extensions = MODULE_EXTENSIONS.slice(0, -1).join(', ') + ' or ' + MODULE_EXTENSIONS[MODULE_EXTENSIONS.length - 1];
  const message =
    `Cannot find the module '${id}' imported by ${basename(file)}: no such file, with or without a ${extensions} ` +
    'extension, and no folder of that name with an index file.';
  return new ModuleLoadError(loadErrorDiagnostic(message, file, range, text));
}

/** The quoted specifier on `line`, else its first quoted occurrence in the text, else the line itself. */
function specifierRange(text: string, id: string, line: number | undefined): Range | undefined {
  const quoted = [`'${id}'`, `"${id}"`, `\`${id}\``];
  if (line !== undefined) {
    const lineText = lineOf(text, line);
    for (const literal of quoted) {
      const at = lineText.indexOf(literal);
      if (at !== -1) return { start: { line, character: at }, end: { line, character: at + literal.length } };
    }
  }
  for (const literal of quoted) {
    const at = text.indexOf(literal);
    if (at !== -1) return new LineIndex(text).rangeAt(at, at + literal.length);
  }
  return line === undefined ? undefined : { start: { line, character: 0 }, end: { line, character: lineOf(text, line).length } };
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /at position (\d+)/.exec(message);
    const start = position === null ? undefined : new LineIndex(text).positionAt(Number(position[1]));
    const range = start === undefined ? undefined : { start, end: { line: start.line, character: start.character + 1 } };
    throw new ModuleLoadError(loadErrorDiagnostic(message, file, range, text));
  }
}

function asFile(path: string): string | undefined {
  if (isFile(path)) return path;
  for (const extension of MODULE_EXTENSIONS) {
    if (isFile(path + extension)) return path + extension;
  }
  return undefined;
}

function asTypeScriptSource(path: string): string | undefined {
  const extension = extname(path);
  const stem = path.slice(0, path.length - extension.length);
  for (const source of TYPESCRIPT_SOURCES[extension] ?? []) {
    if (isFile(stem + source)) return stem + source;
  }
  return undefined;
}

function asFolder(path: string): string | undefined {
  if (!isDirectory(path)) return undefined;
  const main = packageMain(path);
  if (main !== undefined) {
    const target = resolve(path, main);
    const found = asFile(target) ?? asTypeScriptSource(target) ?? asIndex(target);
    if (found !== undefined) return found;
  }
  return asIndex(path);
}

function asIndex(folder: string): string | undefined {
  for (const extension of MODULE_EXTENSIONS) {
    const index = join(folder, `index${extension}`);
    if (isFile(index)) return index;
  }
  return undefined;
}

function packageMain(folder: string): string | undefined {
  const manifest = join(folder, 'package.json');
  if (!isFile(manifest)) return undefined;
  try {
    const main = (JSON.parse(readSourceFile(manifest)) as { main?: unknown }).main;
    return typeof main === 'string' && main.length > 0 ? main : undefined;
  } catch {
    return undefined;
  }
}

function isFile(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
}

function isDirectory(path: string): boolean {
  return statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}
