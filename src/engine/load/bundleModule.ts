// Loads a workspace's TypeScript or JavaScript module (a `.flow.ts`, a custom node type) the way ts-node and
// esbuild-register do: bundle it with esbuild, then evaluate the bundle as a CommonJS module. This runs the user's
// own program on purpose, as `require` would; it is not the evaluation of an expression string.
//
// - The workspace's own modules (relative imports) are bundled in; packages stay external and are required at run
//   time from the module's own folder, so the workspace's node_modules are used.
// - `weft` resolves to the running engine's authoring API, never to a copy on disk: `flow` in the module is the
//   engine's `flow`. esbuild's synchronous API takes no plugins, so instead of a virtual module `weft` is left
//   external and the module's `require` answers it.
// - Synchronous on purpose: compileFlow is synchronous.
// - Cached by file and the mtime and size of every file esbuild read: the language service loads on every edit.

import { buildSync, type Message } from 'esbuild';
import { readFileSync, statSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, resolve } from 'node:path';
import { defineNodeType, flow } from '../../api/authoring';
import type { Diagnostic, Range } from '../model/diagnostics';
import { ensureStackMapping, firstFrameIn, registerBundle } from './stackMapping';

export interface BundleOptions {
  /**
   * What `import ... from 'weft'` gives the module, on top of the authoring helpers (`flow`, `defineNodeType`).
   * Pass the same object each time: it is part of the cache key.
   */
  api?: Record<string, unknown>;
}

export interface BundleResult {
  /** The module's exports (`exports.default` for `export default`), absent when it could not be loaded. */
  exports?: unknown;
  /** `load-error`s: the bundler's errors at their source position, or what the module threw while evaluated. */
  diagnostics: Diagnostic[];
  /** Absolute paths of the files the bundle was made of (the module and the workspace modules it imports). */
  inputs: string[];
}

/** The running engine's authoring API, what `import { flow } from 'weft'` gives a workspace module. */
export const AUTHORING_API: Readonly<Record<string, unknown>> = Object.freeze({ flow, defineNodeType });

interface FileStamp {
  path: string;
  mtimeMs: number;
  size: number;
}

interface CacheEntry {
  api: object;
  stamps: FileStamp[];
  result: BundleResult;
}

// Only successful loads are cached: a failure may be cured by a file esbuild never got to read (a module
// created, a package installed), and failing again is cheap.
const cache = new Map<string, CacheEntry>();
const mergedApis = new WeakMap<object, Readonly<Record<string, unknown>>>();
let builds = 0;

/** Bundles and evaluates `file`; a second call with no input changed returns the same result (same exports). */
export function bundleModule(file: string, options: BundleOptions = {}): BundleResult {
  const entry = resolve(file);
  const apiKey = options.api ?? AUTHORING_API;
  const cached = cache.get(entry);
  if (cached !== undefined && cached.api === apiKey && stampsUnchanged(cached.stamps)) return cached.result;

  const folder = dirname(entry);
  builds += 1;
  let code: string;
  let inputs: string[];
  try {
    const built = buildSync({
      entryPoints: [entry],
      absWorkingDir: folder, // source map sources become relative to the module's folder, as Node resolves them
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      sourcemap: 'inline',
      sourcesContent: false,
      packages: 'external',
      external: ['weft'], // also when a workspace's tsconfig `paths` maps it somewhere
      // `import.meta.url` is empty in CommonJS output; give it the module's URL so reads relative to it work
      // (workspace modules bundled in see the entry module's URL, which is in the same workspace).
      banner: { js: 'var __weft_import_meta_url = require("url").pathToFileURL(__filename).href;' },
      define: { 'import.meta.url': '__weft_import_meta_url' },
      metafile: true,
      write: false,
      logLevel: 'silent',
    });
    code = built.outputFiles[0].text;
    inputs = Object.keys(built.metafile.inputs).map((input) => resolve(folder, input));
  } catch (error) {
    return { diagnostics: bundlerDiagnostics(error, entry, folder), inputs: [entry] };
  }

  let exports: unknown;
  try {
    exports = evaluate(entry, code, apiFor(options.api));
  } catch (error) {
    return { diagnostics: [evaluationDiagnostic(error, entry, inputs)], inputs };
  }
  const result: BundleResult = { exports, diagnostics: [], inputs };
  cache.set(entry, { api: apiKey, stamps: inputs.map(stampOf), result });
  return result;
}

/** How many times esbuild has run in this process (cache hits do not count). */
export function bundleBuildCount(): number {
  return builds;
}

/** Forgets cached modules (all, or one file's): e.g. after packages in node_modules changed. */
export function clearBundleCache(file?: string): void {
  if (file === undefined) cache.clear();
  else cache.delete(resolve(file));
}

interface CompilableModule extends NodeJS.Module {
  _compile(code: string, filename: string): unknown;
}

const ModuleClass = Module as unknown as {
  new (id: string, parent?: NodeJS.Module): CompilableModule;
  _nodeModulePaths(folder: string): string[];
  prototype: { require(id: string): unknown };
};

function evaluate(file: string, code: string, api: Readonly<Record<string, unknown>>): unknown {
  ensureStackMapping();
  registerBundle(file, code);
  const m = new ModuleClass(file);
  m.filename = file;
  m.paths = ModuleClass._nodeModulePaths(dirname(file));
  // The module's `require` (Node hands `_compile`d code `(id) => module.require(id)`): `weft` is the engine itself,
  // anything else resolves from the module's folder.
  m.require = ((id: string) => (id === 'weft' ? api : ModuleClass.prototype.require.call(m, id))) as NodeJS.Require;
  m._compile(code, file);
  m.loaded = true;
  return m.exports;
}

function apiFor(extra: Record<string, unknown> | undefined): Readonly<Record<string, unknown>> {
  if (extra === undefined) return AUTHORING_API;
  let merged = mergedApis.get(extra);
  if (merged === undefined) {
    merged = Object.freeze({ ...AUTHORING_API, ...extra });
    mergedApis.set(extra, merged);
  }
  return merged;
}

function stampOf(path: string): FileStamp {
  const stat = statSync(path, { throwIfNoEntry: false });
  return { path, mtimeMs: stat?.mtimeMs ?? -1, size: stat?.size ?? -1 };
}

function stampsUnchanged(stamps: readonly FileStamp[]): boolean {
  for (const stamp of stamps) {
    const now = stampOf(stamp.path);
    if (now.mtimeMs !== stamp.mtimeMs || now.size !== stamp.size) return false;
  }
  return true;
}

function bundlerDiagnostics(error: unknown, entry: string, folder: string): Diagnostic[] {
  const messages = (error as { errors?: Message[] } | undefined)?.errors;
  if (!Array.isArray(messages) || messages.length === 0) {
    const reason = error instanceof Error ? error.message : String(error);
    return [loadError(`${basename(entry)} could not be bundled: ${reason}`, entry, undefined)];
  }
  return messages.map((message) => {
    const location = message.location;
    if (!location) return loadError(message.text, entry, undefined);
    const file = resolve(folder, location.file);
    // esbuild counts lines from 1 and columns in UTF-8 bytes; diagnostics count from 0 in UTF-16 units.
    const start = utf16Column(location.lineText, location.column);
    const end = utf16Column(location.lineText, location.column + location.length);
    return loadError(message.text, file, { start: { line: location.line - 1, character: start }, end: { line: location.line - 1, character: end } });
  });
}

function evaluationDiagnostic(error: unknown, entry: string, inputs: readonly string[]): Diagnostic {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const message = `${basename(entry)} threw while it was loaded: ${reason}`;
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const frame = firstFrameIn(stack, new Set(inputs));
  if (frame === undefined) return loadError(message, entry, undefined);
  // Underline from the throwing column to the end of its line.
  const lineText = readLine(frame.file, frame.line - 1);
  const start = { line: frame.line - 1, character: frame.column - 1 };
  return loadError(message, frame.file, { start, end: { line: start.line, character: Math.max(start.character, lineText.length) } });
}

const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function loadError(message: string, file: string, range: Range | undefined): Diagnostic {
  const diagnostic: Diagnostic = { code: 'load-error', severity: 'error', message, file, range: range ?? FILE_START };
  const offset = range === undefined ? undefined : offsetOf(file, range);
  if (offset !== undefined) {
    diagnostic.offset = offset.start;
    diagnostic.length = offset.end - offset.start;
  }
  return diagnostic;
}

function utf16Column(lineText: string, byteColumn: number): number {
  return Buffer.from(lineText, 'utf8').subarray(0, byteColumn).toString('utf8').length;
}

/** Error path only: reads the file to turn a range into offsets. */
function offsetOf(file: string, range: Range): { start: number; end: number } | undefined {
  const text = readText(file);
  if (text === undefined) return undefined;
  const at = (line: number, character: number): number => {
    let offset = 0;
    for (let i = 0; i < line; i += 1) {
      const next = text.indexOf('\n', offset);
      if (next === -1) return text.length;
      offset = next + 1;
    }
    return Math.min(offset + character, text.length);
  };
  return { start: at(range.start.line, range.start.character), end: at(range.end.line, range.end.character) };
}

function readLine(file: string, line: number): string {
  return (readText(file) ?? '').split(/\r?\n/)[line] ?? '';
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
