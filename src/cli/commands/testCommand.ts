// `weft test [files or dirs...]`: runs every flow's in-file tests, one line per test, and ends with the line
// `N passed, N failed`. A flow that does not compile counts as one failed test.

import { relative } from 'node:path';
import { loadFlow } from '../../api/loadFlow';
import { runFlowTests, type TestResult } from '../../api/runTests';
import { formatDiagnostic, hasErrors } from '../../engine/model/diagnostics';
import { findFlowFiles } from '../../engine/load/findFlowFiles';
import { dim, formatDuration, green, out, red } from '../terminal';
import { EXIT_FAILED, EXIT_OK, type CliOptions } from '../cliTypes';
import { openHistory } from './runCommand';

export async function testCommand(args: string[], options: CliOptions): Promise<number> {
  const { files, missing } = findFlowFiles(args);
  let passed = 0;
  let failed = 0;
  const history = openHistory(options);
  for (const arg of missing) {
    failed++;
    out(`${red('✗')} ${arg} ${red('no such file or directory')}`);
  }
  for (const file of files) {
    const name = relative(process.cwd(), file) || file;
    const compiled = loadFlow(file);
    if (!compiled.flow || hasErrors(compiled.diagnostics)) {
      failed++;
      out(`${red('✗')} ${name} ${red('does not compile')}`);
      for (const d of compiled.diagnostics.filter((x) => x.severity === 'error')) out(`    ${formatDiagnostic(d, name)}`);
      continue;
    }
    const results = await runFlowTests(compiled.flow, { filter: options.filter, history: history ?? false });
    for (const result of results) {
      if (result.passed) passed++;
      else failed++;
      printResult(name, result);
    }
  }
  await history?.flush();
  out(`${passed} passed, ${failed} failed`);
  return failed === 0 ? EXIT_OK : EXIT_FAILED;
}

function printResult(file: string, result: TestResult): void {
  const mark = result.passed ? green('✓') : red('✗');
  out(`${mark} ${file} › ${result.name} ${dim(`(${formatDuration(result.durationMs)})`)}`);
  if (result.passed) return;
  if (result.error) out(`    ${red(result.error.split('\n').join('\n    '))}`);
  for (const m of result.mismatches) {
    out(`    ${m.path}${m.nodeId && !m.path.startsWith('nodes.') ? ` (node ${m.nodeId})` : ''}`);
    out(`      expected: ${red(show(m.expected))}`);
    out(`      actual:   ${green(show(m.actual))}${m.detail ? dim(` — ${m.detail}`) : ''}`);
    if (m.hint) out(dim(`      hint: ${m.hint}`));
  }
}

function show(value: unknown): string {
  const text = value === undefined ? 'undefined' : JSON.stringify(value);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
