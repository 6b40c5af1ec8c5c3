// Loads a workspace's TypeScript or JavaScript module (a `.flow.ts`, a custom node type) with the workspace
// modules it imports, as one unit: moduleLoader.ts transpiles and evaluates them, this file caches the result and
// turns what went wrong into `load-error` diagnostics. This runs the user's own program on purpose, as `require`
// would; it is not the evaluation of an expression string.
//
// - The workspace's own modules (relative imports) are loaded with it; packages are required at run time from the
//   importing module's folder, so the workspace's node_modules are used.
// - `weft` resolves to the running engine's authoring API, never to a copy on disk.
// - Synchronous on purpose: compileFlow is synchronous.
// - Cached by file and the mtime and size of every workspace file read: the language service loads on every edit.

import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { defineNodeType, flow } from '../authoring';
import type { Diagnostic } from '../model/diagnostics';
import { lineOf, loadErrorDiagnostic, ModuleLoadError, readText } from './loadErrors';
import { loadModule } from './moduleLoader';
import { firstFrameIn } from './stackMapping';

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
  /** `load-error`s: syntax errors and unresolved imports at their source position, or what a module threw while evaluated. */
  diagnostics: Diagnostic[];
  /** Absolute paths of the files the module was made of (it and the workspace modules it imports), as far as read. */
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

// Only successful loads are cached: a failure may be cured by a file never read (a module created, a package
// installed), and failing again is cheap.
const cache = new Map<string, CacheEntry>();
const mergedApis = new WeakMap<object, Readonly<Record<string, unknown>>>();
let builds = 0;

/** Loads and evaluates `file`; a second call with no input changed returns the same result (same exports). */
export function bundleModule(file: string, options: BundleOptions = {}): BundleResult {
  const entry = resolve(file);
  const apiKey = options.api ?? AUTHORING_API;
  const cached = cache.get(entry);
  if (cached !== undefined && cached.api === apiKey && stampsUnchanged(cached.stamps)) return cached.result;

  builds += 1;
  const outcome = loadModule(entry, apiFor(options.api));
  const inputs = outcome.inputs.length > 0 ? outcome.inputs : [entry];
  if (!outcome.ok) {
    const diagnostic = outcome.error instanceof ModuleLoadError ? outcome.error.diagnostic : evaluationDiagnostic(outcome.error, entry, inputs);
    return { diagnostics: [diagnostic], inputs };
  }
  const result: BundleResult = { exports: outcome.exports, diagnostics: [], inputs };
  cache.set(entry, { api: apiKey, stamps: inputs.map(stampOf), result });
  return result;
}

/** How many times a module was loaded afresh in this process (cache hits do not count). */
export function bundleBuildCount(): number {
  return builds;
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

function evaluationDiagnostic(error: unknown, entry: string, inputs: readonly string[]): Diagnostic {
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  const message = `${basename(entry)} threw while it was loaded: ${reason}`;
  const stack = error instanceof Error && typeof error.stack === 'string' ? error.stack : '';
  const frame = firstFrameIn(stack, new Set(inputs));
  if (frame === undefined) return loadErrorDiagnostic(message, entry, undefined);
  // Underline from the throwing column to the end of its line.
  const text = readText(frame.file);
  const lineText = lineOf(text ?? '', frame.line - 1);
  const start = { line: frame.line - 1, character: frame.column - 1 };
  return loadErrorDiagnostic(message, frame.file, { start, end: { line: start.line, character: Math.max(start.character, lineText.length) } }, text);
}
