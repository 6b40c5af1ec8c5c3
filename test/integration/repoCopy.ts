// A copy of the repository for tests of the scripts that build, package or install (scripts/*.mjs): they rewrite
// dist/ and write a .vsix, which must not happen under the other integration tests running the built CLI.

import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { REPO_ROOT } from './runCli';

export const REPO_VERSION = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * Not copied: builds, history, artifacts, the user's package, and package-lock.json, so that scripts/ensure.mjs
 * sees nothing newer than the installed node_modules and never reinstalls the shared (symlinked) one.
 */
const LEFT_OUT = new Set(['node_modules', '.git', 'dist', 'out', 'test-artifacts', '.weft', 'package-lock.json', `weft-${REPO_VERSION}.vsix`]);

/** Copies the repository's sources into a fresh temporary folder with node_modules linked to the repository's. */
export function copyRepository(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(REPO_ROOT, dir, { recursive: true, filter: (path) => path === REPO_ROOT || !LEFT_OUT.has(basename(path)) });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
