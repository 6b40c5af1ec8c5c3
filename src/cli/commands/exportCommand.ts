// `weft export <file.flow.json> [-o file.flow.ts] [--force]`: writes the equivalent typed `.flow.ts`
// (engine/export). Exit 0 when written, 2 for a flow that does not compile or a bad command line. An existing
// file is not overwritten without --force; `-o -` prints the module instead.

import { existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { defaultExportPath, exportFlowSource } from '../../engine/export/exportFlowSource';
import { readSourceFile } from '../../engine/load/readSourceFile';
import { formatDiagnostic } from '../../engine/model/diagnostics';
import { flowFileKind } from '../../shared/flowFiles';
import { EXIT_OK, EXIT_USAGE, UsageError } from '../cliTypes';
import { dim, err, out, red, yellow } from '../terminal';

export interface ExportCommandOptions {
  output?: string;
  force?: boolean;
}

export function exportCommand(args: string[], options: ExportCommandOptions): number {
  if (args.length !== 1) throw new UsageError('weft export takes one .flow.json file: weft export <file.flow.json> [-o file.flow.ts]');
  const file = resolve(args[0]);
  if (flowFileKind(file) !== 'json') throw new UsageError(`${args[0]} is not a .flow.json file.`);
  let text: string;
  try {
    text = readSourceFile(file);
  } catch (error) {
    err((error as Error).message);
    return EXIT_USAGE;
  }
  const shown = relative(process.cwd(), file) || file;
  const result = exportFlowSource(text, file);
  if (!result.ok) {
    for (const d of result.diagnostics) (d.severity === 'error' ? err : out)(d.severity === 'error' ? red(formatDiagnostic(d, shown)) : yellow(formatDiagnostic(d, shown)));
    err(`${shown} does not compile: nothing exported.`);
    return EXIT_USAGE;
  }
  for (const kept of result.keptAsStrings) {
    err(yellow(`${shown}: code node '${kept.nodeId}' stays a JavaScript string run in the sandbox: ${kept.reason}.`));
  }
  if (options.output === '-') {
    out(result.text.replace(/\n$/, ''));
    return EXIT_OK;
  }
  const target = resolve(options.output ?? defaultExportPath(file));
  if (flowFileKind(target) !== 'ts') throw new UsageError(`The output must be a .flow.ts file (${options.output}).`);
  if (existsSync(target) && !options.force) throw new UsageError(`${relative(process.cwd(), target) || target} exists: pass --force to overwrite it.`);
  writeFileSync(target, result.text);
  out(`Wrote ${relative(process.cwd(), target) || target}`);
  out(dim(`${shown} is unchanged: both files declare the flow id, so delete or rename one before they share a workspace.`));
  return EXIT_OK;
}
