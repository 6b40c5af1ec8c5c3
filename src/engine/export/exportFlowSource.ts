// A `.flow.json`'s text to the `.flow.ts` text `weft export` and the editor's "Convert to .flow.ts" write: the
// source is compiled first (an export of a flow that does not compile would only move its errors), then written
// by exportFlowTs with the keys in the author's order and the file's header comment.

import { basename } from 'node:path';
import { parse } from 'jsonc-parser';
import { compileFlow } from '../model/compileFlow';
import { hasErrors, type Diagnostic } from '../model/diagnostics';
import type { FlowDefinition } from '../model/flowSchema';
import { loadNodeTypeModules } from '../load/loadNodeTypeModules';
import type { NodeRegistry } from '../nodes/registry';
import { exportFlowTs, type ExportResult } from './exportFlowTs';
import { headerComment } from './headerComment';

export type ExportSourceResult = ({ ok: true } & ExportResult) | { ok: false; diagnostics: Diagnostic[] };

export interface ExportSourceOptions {
  registry?: NodeRegistry;
  /**
   * Load the modules the flow `imports` (custom node types): true for the CLI. The editor passes false, since
   * user code never runs in the extension host; such a flow then does not compile there.
   */
  loadImports?: boolean;
}

export function exportFlowSource(text: string, file: string, options: ExportSourceOptions = {}): ExportSourceResult {
  const compiled = compileFlow(text, { file, registry: options.registry, ...(options.loadImports === false ? {} : { loadImports: loadNodeTypeModules }) });
  if (!compiled.flow || hasErrors(compiled.diagnostics)) return { ok: false, diagnostics: compiled.diagnostics };
  const asWritten = parse(text, [], { allowTrailingComma: true }) as FlowDefinition;
  return { ok: true, ...exportFlowTs(compiled.flow, { sourceName: basename(file), headerComment: headerComment(text), asWritten }) };
}

/** Where the `.flow.ts` of a `.flow.json` goes by default: beside it, same name. */
export function defaultExportPath(file: string): string {
  return file.replace(/\.flow\.json$/i, '') + '.flow.ts';
}
