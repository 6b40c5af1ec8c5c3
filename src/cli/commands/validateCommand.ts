// `weft validate <files or dirs...>`: compiles every flow file and prints `file:line:col: severity: message [code]`.
// It also warns at each secret the flow reads that is not set in the environment (a run would fail on it), with
// the editor's own check (src/language/secretDiagnostics.ts).

import { readSourceFile } from '../../engine/load/readSourceFile';
import { relative } from 'node:path';
import { loadFlow } from '../../api/loadFlow';
import { flowFileKind } from '../../shared/flowFiles';
import type { CompileResult } from '../../engine/model/compileFlow';
import type { Diagnostic } from '../../engine/model/diagnostics';
import { formatDiagnostic, hasErrors } from '../../engine/model/diagnostics';
import { reportDuplicateFlowIds, type CheckedFile } from '../../engine/model/duplicateFlowIds';
import { createDefaultRegistry } from '../../engine/nodes/builtins';
import { FlowDocument } from '../../language/flowDocument';
import { missingSecretDiagnostics } from '../../language/secretDiagnostics';
import { findFlowFiles } from '../../engine/load/findFlowFiles';
import { dim, err, out, red, yellow } from '../terminal';
import { EXIT_FAILED, EXIT_OK, type CliOptions } from '../cliTypes';

export function validateCommand(args: string[], options: CliOptions): number {
  const { files, missing } = findFlowFiles(args);
  const results: CheckedFile[] = [];
  for (const arg of missing) {
    results.push({
      file: arg,
      diagnostics: [{ code: 'load-error', severity: 'error', message: `No such file or directory: ${arg}`, range: ZERO }],
    });
  }
  const setInEnvironment = new Set(Object.keys(process.env).filter((name) => process.env[name] !== ''));
  for (const file of files) {
    const compiled = loadFlow(file);
    const secrets = missingSecretWarnings(file, compiled, setInEnvironment);
    results.push({ file, ...compiled, diagnostics: secrets.length === 0 ? compiled.diagnostics : inSourceOrder([...compiled.diagnostics, ...secrets]) });
  }
  reportDuplicateFlowIds(results, (file) => relative(process.cwd(), file) || file);
  const failed = results.some((r) => hasErrors(r.diagnostics));

  if (options.json) {
    out(JSON.stringify(results.map((r) => ({ file: r.file, diagnostics: r.diagnostics.map(({ file: _file, ...d }) => d) })), null, 2));
    return failed ? EXIT_FAILED : EXIT_OK;
  }
  let errors = 0;
  let warnings = 0;
  for (const { file, diagnostics } of results) {
    for (const d of diagnostics) {
      const line = formatDiagnostic(d, relative(process.cwd(), file) || file);
      if (d.severity === 'error') {
        errors++;
        out(red(line));
      } else {
        warnings++;
        out(yellow(line));
      }
    }
  }
  if (files.length === 0 && missing.length === 0) err('No flow files (*.flow.json, *.flow.ts) found.');
  out(dim(`${files.length} flow file${files.length === 1 ? '' : 's'}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`));
  return failed ? EXIT_FAILED : EXIT_OK;
}

/**
 * `missing-secret` warnings for the secrets the flow reads that the environment does not set (an empty value
 * counts as not set, as for a run). At each `secrets.NAME` in a `.flow.json`; a `.flow.ts` gets one warning per
 * secret at the top of the file, since the editor's reference index reads JSON text only.
 */
function missingSecretWarnings(file: string, compiled: CompileResult, known: ReadonlySet<string>): Diagnostic[] {
  const secretNames = compiled.flow?.secretNames;
  // A flow that does not compile has errors to fix first; one whose secrets are all set has nothing to warn.
  if (!secretNames || secretNames.every((name) => known.has(name))) return [];
  const howToSet = (name: string): string => `Set the environment variable ${name}.`;
  if (flowFileKind(file) === 'ts') {
    return secretNames
      .filter((name) => !known.has(name))
      .map((name) => ({ code: 'missing-secret', severity: 'warning', message: `Secret '${name}' is not set. ${howToSet(name)}`, range: ZERO, data: { secret: name } }));
  }
  const doc = FlowDocument.create(readSourceFile(file), file, { registry: createDefaultRegistry(), knownSecrets: known });
  return missingSecretDiagnostics(doc, { secretNames, howToSet });
}

function inSourceOrder(diagnostics: Diagnostic[]): Diagnostic[] {
  const line = (d: Diagnostic): number => d.range?.start.line ?? 0;
  const character = (d: Diagnostic): number => d.range?.start.character ?? 0;
  // Array.prototype.sort is stable: diagnostics at one position keep their order.
  return [...diagnostics].sort((a, b) => line(a) - line(b) || character(a) - character(b));
}

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
