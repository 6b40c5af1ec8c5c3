// Loads a `.flow.ts` (spec section 1): a module whose default export is `flow({...})`. The definition it gives is
// the same model as a `.flow.json`, except that `code` configs may be functions; compileFlow takes it from here,
// placing its diagnostics in the `.flow.ts` text with `locate`.

import { resolve } from 'node:path';
import { isMarkedFlow } from '../authoring';
import type { Diagnostic, Range } from '../model/diagnostics';
import { bundleModule, type BundleOptions } from './bundleModule';
import { createFlowSourceLocator, type FlowSourceLocator } from './locateFlowSource';
import type { JsonPath } from '../../shared/jsonPath';
import { readSourceFile, SourceFileError } from './readSourceFile';

export { findFlowCallRange, findNodeRanges } from './locateFlowSource';

export interface FlowModule {
  /** The default export: a flow definition (not yet validated), absent when the module could not be loaded. */
  definition?: unknown;
  /** The module's text as read, for positions. */
  sourceText: string;
  /** Where the value at a JSON path of the definition is written (see locateFlowSource.ts for the heuristic). */
  locate: (path: (string | number)[]) => Range | undefined;
  /** `load-error`s, empty when `definition` is there. */
  diagnostics: Diagnostic[];
  /** Absolute paths of the files the module was made of: a change to any of them calls for a reload. */
  inputs: string[];
}

const NOT_A_FLOW = 'A .flow.ts module must `export default flow({...})`.';

export function loadFlowModule(file: string, options: BundleOptions = {}): FlowModule {
  const path = resolve(file);
  let sourceText: string;
  try {
    sourceText = readSourceFile(path);
  } catch (error) {
    const diagnostic = loadError((error as Error).message, path, undefined);
    if (error instanceof SourceFileError) diagnostic.code = error.diagnosticCode;
    return { sourceText: '', locate: () => undefined, diagnostics: [diagnostic], inputs: [path] };
  }

  // Parsed on first use: a flow that compiles cleanly never needs a position.
  let locator: FlowSourceLocator | undefined;
  const getLocator = (): FlowSourceLocator => (locator ??= createFlowSourceLocator(sourceText));
  const locate = (jsonPath: JsonPath): Range | undefined => getLocator().locate(jsonPath);

  const bundle = bundleModule(path, options);
  const { inputs } = bundle;
  if (bundle.diagnostics.length > 0) return { sourceText, locate, diagnostics: bundle.diagnostics, inputs };

  const definition = (bundle.exports as { default?: unknown } | undefined)?.default;
  if (!isFlowDefinition(definition)) {
    const range = exportDefaultRange(sourceText) ?? getLocator().flowCallRange ?? FILE_START;
    return { sourceText, locate, diagnostics: [loadError(NOT_A_FLOW, path, range)], inputs };
  }
  return { definition, sourceText, locate, diagnostics: [], inputs };
}

/** Made by `flow()`, or a plain object of the flow's shape (a module that does without the helper). */
function isFlowDefinition(value: unknown): boolean {
  if (isMarkedFlow(value)) return true;
  return value !== null && typeof value === 'object' && 'version' in value && Array.isArray((value as { nodes?: unknown }).nodes);
}

const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** The `export default` that gave the wrong thing; at a line start, so one named in a comment does not count. */
function exportDefaultRange(sourceText: string): Range | undefined {
  const match = /^export\s+default\b/m.exec(sourceText);
  if (match === null) return undefined;
  const line = sourceText.slice(0, match.index).split('\n').length - 1;
  return { start: { line, character: 0 }, end: { line, character: match[0].length } };
}

function loadError(message: string, file: string, range: Range | undefined): Diagnostic {
  const diagnostic: Diagnostic = { code: 'load-error', severity: 'error', message, file };
  if (range !== undefined) diagnostic.range = range;
  return diagnostic;
}
