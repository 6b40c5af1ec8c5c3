// The `load-error` diagnostics of workspace modules (a .flow.ts, a custom node type, the modules they import), and
// the error the module loader throws to carry one up through the modules that imported the failing one.

import { WeftError } from '../errors';
import type { Diagnostic, Range } from '../model/diagnostics';
import { LineIndex } from '../model/lineIndex';
import { readSourceFile } from './readSourceFile';

/**
 * A module could not be loaded for a reason with a place in a file (a syntax error, an import that names no
 * file): thrown by the loader through the `require` calls of the importing modules, turned back into its
 * diagnostic where the load began.
 */
export class ModuleLoadError extends WeftError {
  readonly diagnostic: Diagnostic;

  constructor(diagnostic: Diagnostic) {
    super('invalid-flow', diagnostic.message, { diagnostics: [diagnostic] });
    this.name = 'ModuleLoadError';
    this.diagnostic = diagnostic;
  }
}

const FILE_START: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/**
 * A `load-error` in `file`, at `range` (the file's start when unknown). `text` is the file's text if the caller
 * has it; else it is read, on this error path only, to give the range as offsets too.
 */
export function loadErrorDiagnostic(message: string, file: string, range: Range | undefined, text?: string): Diagnostic {
  const diagnostic: Diagnostic = { code: 'load-error', severity: 'error', message, file, range: range ?? FILE_START };
  if (range === undefined) return diagnostic;
  const source = text ?? readText(file);
  if (source === undefined) return diagnostic;
  const lines = new LineIndex(source);
  const start = lines.offsetAt(range.start);
  diagnostic.offset = start;
  diagnostic.length = lines.offsetAt(range.end) - start;
  return diagnostic;
}

/** Line `line` (zero-based) of `text`, without its line break. */
export function lineOf(text: string, line: number): string {
  return text.split(/\r?\n/)[line] ?? '';
}

export function readText(file: string): string | undefined {
  try {
    return readSourceFile(file);
  } catch {
    return undefined;
  }
}
