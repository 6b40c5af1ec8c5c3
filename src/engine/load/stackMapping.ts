// Stack traces of workspace modules point at their TypeScript source (spec section 1: "errors thrown there point
// at the .flow.ts line"). Each module the loader evaluates carries an inline source map of its transpilation.
//
// Node maps stack frames through inline source maps by itself once `process.setSourceMapsEnabled(true)` is on,
// `_compile`d modules included, but only while nobody has replaced `Error.prepareStackTrace`: an override
// formats the raw call sites and Node's mapping is skipped. Hosts do replace it (vitest's workers; VS Code's
// extension host, which tags errors with the extension that raised them). So when an override is present we
// wrap it: frames in a module we evaluated are mapped before the override sees them. With no override we stay
// out of the way, so Node keeps mapping every other file too.

import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

interface EvaluatedModule {
  payload: SourceMapPayload;
  /** Made on first use: most modules never throw. */
  map?: SourceMap;
}

/** A position in a source file; line and column one-based, as in stack traces. */
export interface SourcePosition {
  file: string;
  line: number;
  column: number;
}

type PrepareStackTrace = (error: Error, stackTrace: NodeJS.CallSite[]) => unknown;

// Keyed by the filename the module was compiled under (its own source file). A reloaded file replaces its entry,
// so a function kept from an older version of the file maps through the newer map; Node's own cache does the same.
const modules = new Map<string, EvaluatedModule>();
let sourceMapsEnabled = false;
/** What `Error.prepareStackTrace` read right after we installed our wrapper (a host may wrap it in turn). */
let installed: unknown;

/** Records the source map of the code evaluated under `file`, so frames in it can be mapped. */
export function registerModule(file: string, payload: SourceMapPayload): void {
  modules.set(file, { payload });
}

/**
 * Makes sure frames of registered modules will be mapped: turns Node's source maps on once, and wraps a
 * `prepareStackTrace` override if one has appeared since the last call. Call before evaluating a module.
 */
export function ensureStackMapping(): void {
  if (!sourceMapsEnabled) {
    process.setSourceMapsEnabled(true);
    sourceMapsEnabled = true;
  }
  const current = Error.prepareStackTrace as PrepareStackTrace | undefined;
  if (current === undefined || current === installed) return;
  const wrapper: PrepareStackTrace = (error, stackTrace) => current.call(Error, error, stackTrace.map(mapCallSite));
  Error.prepareStackTrace = wrapper;
  installed = Error.prepareStackTrace;
}

/** Maps a one-based position in a registered module to its source, or undefined when it is not one of ours. */
export function mapModulePosition(file: string, line: number, column: number): SourcePosition | undefined {
  const evaluated = modules.get(file);
  if (evaluated === undefined) return undefined;
  evaluated.map ??= new SourceMap(evaluated.payload);
  const entry = evaluated.map.findEntry(line - 1, column - 1) as {
    originalSource?: string;
    originalLine?: number;
    originalColumn?: number;
  };
  if (entry.originalSource === undefined || entry.originalLine === undefined || entry.originalColumn === undefined) {
    return undefined;
  }
  return { file: sourcePath(entry.originalSource, file), line: entry.originalLine + 1, column: entry.originalColumn + 1 };
}

/**
 * The first frame of a (mapped) stack trace that lies in one of `files`: where a module threw while it was
 * evaluated. Reads V8's frame format, `at name (file:line:col)` or `at file:line:col`.
 */
export function firstFrameIn(stack: string, files: { has(file: string): boolean }): SourcePosition | undefined {
  for (const text of stack.split('\n')) {
    const match = /^\s+at (?:.*? \()?(.+?):(\d+):(\d+)\)?$/.exec(text);
    if (match === null) continue;
    const file = match[1].startsWith('file://') ? fileURLToPath(match[1]) : match[1];
    if (files.has(file)) return { file, line: Number(match[2]), column: Number(match[3]) };
  }
  return undefined;
}

function mapCallSite(site: NodeJS.CallSite): NodeJS.CallSite {
  const file = site.getFileName();
  const line = site.getLineNumber();
  const column = site.getColumnNumber();
  if (!file || line === null || column === null) return site;
  const position = mapModulePosition(file, line, column);
  return position === undefined ? site : mappedCallSite(site, position, `${file}:${line}:${column}`);
}

/** A call site that answers with the source position and delegates everything else (as source-map-support does). */
function mappedCallSite(site: NodeJS.CallSite, position: SourcePosition, generated: string): NodeJS.CallSite {
  const copy: Record<string, unknown> = {};
  const prototype = Object.getPrototypeOf(site) as Record<string, unknown>;
  for (const name of Object.getOwnPropertyNames(prototype)) {
    const method = prototype[name];
    if (name !== 'constructor' && typeof method === 'function') copy[name] = () => method.call(site);
  }
  copy.getFileName = () => position.file;
  copy.getScriptNameOrSourceURL = () => position.file;
  copy.getLineNumber = () => position.line;
  copy.getColumnNumber = () => position.column;
  copy.toString = () => {
    const text = site.toString();
    const at = text.lastIndexOf(generated);
    const mapped = `${position.file}:${position.line}:${position.column}`;
    return at === -1 ? text : text.slice(0, at) + mapped + text.slice(at + generated.length);
  };
  return copy as unknown as NodeJS.CallSite;
}

/** Sources in the map are relative to the module's folder, as Node resolves them too. */
function sourcePath(source: string, moduleFile: string): string {
  if (source.startsWith('file://')) return fileURLToPath(source);
  return isAbsolute(source) ? source : resolve(dirname(moduleFile), source);
}
