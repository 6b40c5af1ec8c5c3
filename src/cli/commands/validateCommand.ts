// `weft validate <files or dirs...>`: compiles every flow file and prints `file:line:col: severity: message [code]`.

import { relative } from 'node:path';
import { loadFlow } from '../../api/loadFlow';
import { formatDiagnostic, hasErrors } from '../../engine/model/diagnostics';
import { reportDuplicateFlowIds, type CheckedFile } from '../../engine/model/duplicateFlowIds';
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
  for (const file of files) results.push({ file, ...loadFlow(file) });
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

const ZERO = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
