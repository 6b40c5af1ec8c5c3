// Loads a flow file of either kind into the one compiled model: `.flow.json` (JSONC text) or `.flow.ts`
// (a module whose default export is `flow({...})`).

import { resolve } from 'node:path';
import { compileFlow, type CompileResult } from '../engine/model/compileFlow';
import type { Diagnostic, DiagnosticCode } from '../engine/model/diagnostics';
import { loadFlowModule } from '../engine/load/loadFlowModule';
import { loadNodeTypeModules } from '../engine/load/loadNodeTypeModules';
import { readSourceFile, SourceFileError } from '../engine/load/readSourceFile';
import type { NodeRegistry } from '../engine/nodes/registry';
import { flowFileKind } from '../shared/flowFiles';

export interface LoadFlowOptions {
  registry?: NodeRegistry;
  /** The file's text, when an editor holds a newer version than the disk (.flow.json only). */
  text?: string;
}

export function loadFlow(file: string, options: LoadFlowOptions = {}): CompileResult {
  const absolute = resolve(file);
  const kind = flowFileKind(absolute);
  // The same rule as the directory walk and the editor: a file is a flow everywhere or nowhere.
  if (kind === undefined) return { diagnostics: [loadError(`${absolute} is not a flow file: a flow is a *.flow.json or a *.flow.ts file.`, absolute)] };
  if (kind === 'ts') {
    const loaded = loadFlowModule(absolute);
    if (loaded.definition === undefined) return { diagnostics: withFile(loaded.diagnostics, absolute) };
    const result = compileFlow(loaded.definition as object, {
      file: absolute,
      registry: options.registry,
      locate: loaded.locate,
      loadImports: loadNodeTypeModules,
    });
    return { ...result, diagnostics: withFile([...loaded.diagnostics, ...result.diagnostics], absolute) };
  }
  let text = options.text;
  if (text === undefined) {
    try {
      text = readSourceFile(absolute);
    } catch (error) {
      return { diagnostics: [loadError((error as Error).message, absolute, error instanceof SourceFileError ? error.diagnosticCode : 'load-error')] };
    }
  }
  const result = compileFlow(text, { file: absolute, registry: options.registry, loadImports: loadNodeTypeModules });
  return { ...result, diagnostics: withFile(result.diagnostics, absolute) };
}

function loadError(message: string, file: string, code: DiagnosticCode = 'load-error'): Diagnostic {
  return { code, severity: 'error', message, file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

function withFile(diagnostics: Diagnostic[], file: string): Diagnostic[] {
  return diagnostics.map((d) => (d.file ? d : { ...d, file }));
}
