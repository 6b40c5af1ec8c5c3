// Runs this repository's TypeScript compiler on a project, as a user's `tsc -p` would: its report, '' when clean.

import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const TSC = join(__dirname, '../../node_modules/typescript/bin/tsc');

/** Writes `dir/tsconfig.json` with these compiler options and files, runs tsc on it, returns what it printed. */
export function tscReport(dir: string, compilerOptions: Record<string, unknown>, files: string[]): string {
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions, files }));
  try {
    execFileSync(process.execPath, [TSC, '-p', join(dir, 'tsconfig.json')], { encoding: 'utf8', cwd: dir });
    return '';
  } catch (error) {
    return String((error as { stdout?: string }).stdout ?? error);
  }
}
