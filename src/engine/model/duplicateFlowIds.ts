// A flow id is unique in a workspace (live mode refuses the second flow with an id, and history, tests and the
// run API name flows by id). A copied file that keeps its `id` compiles on its own; this check across the files
// of one `weft validate` run finds it before `weft serve` does: a `duplicate-flow-id` error in each file, at its
// `id`, naming the other file and where its id is.

import type { CompiledFlow } from './compiledFlow';
import type { Diagnostic } from './diagnostics';

export interface CheckedFile {
  file: string;
  /** Present when the file compiled; a file that does not compile has no id to compare. */
  flow?: CompiledFlow;
  /** Where the diagnostics found here are added. */
  diagnostics: Diagnostic[];
}

/** Adds a duplicate-flow-id error to every file whose flow id another file also has. `name` shows a file in messages. */
export function reportDuplicateFlowIds(files: readonly CheckedFile[], name: (file: string) => string = (file) => file): void {
  const byId = new Map<string, CheckedFile[]>();
  for (const checked of files) {
    if (checked.flow === undefined) continue;
    const same = byId.get(checked.flow.id);
    if (same) same.push(checked);
    else byId.set(checked.flow.id, [checked]);
  }
  for (const [id, same] of byId) {
    if (same.length < 2) continue;
    for (const checked of same) {
      const others = same.filter((other) => other !== checked).map((other) => `${name(other.file)}${where(other.flow!)}`);
      const diagnostic: Diagnostic = {
        code: 'duplicate-flow-id',
        severity: 'error',
        message: `Flow id '${id}' is also the id of ${others.join(', ')}: a flow id is unique in the workspace`,
        file: checked.file,
        path: ['id'],
        data: { flowId: id, files: same.filter((other) => other !== checked).map((other) => other.file) },
      };
      if (checked.flow!.idRange) diagnostic.range = checked.flow!.idRange;
      checked.diagnostics.push(diagnostic);
    }
  }
}

/** `:line:col`, one-based as `weft validate` prints positions; empty when unknown. */
function where(flow: CompiledFlow): string {
  return flow.idRange ? `:${flow.idRange.start.line + 1}:${flow.idRange.start.character + 1}` : '';
}
