// scripts/checkPackage.mjs (the last step of `npm test`) packages the extension to check it, and must leave alone
// the weft-<version>.vsix in the repository: `npm start` tells the user to install that very file. Runs the script
// in a copy of the repository (it rebuilds dist/, which the other integration tests use).

import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './runCli';

const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const VSIX = `weft-${version}.vsix`;
/** Not the copy's: package-lock.json is left out so that scripts/ensure.mjs never reinstalls the shared node_modules. */
const LEFT_OUT = new Set(['node_modules', '.git', 'dist', 'out', 'test-artifacts', '.weft', 'package-lock.json', VSIX]);

let copy: string;

beforeAll(() => {
  copy = mkdtempSync(join(tmpdir(), 'weft-check-package-test-'));
  cpSync(REPO_ROOT, copy, { recursive: true, filter: (path) => path === REPO_ROOT || !LEFT_OUT.has(basename(path)) });
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');
});

afterAll(() => {
  if (copy) rmSync(copy, { recursive: true, force: true });
});

function runScript(cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/checkPackage.mjs'], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('scripts/checkPackage.mjs', () => {
  it("checks a package of its own and keeps the user's weft-<version>.vsix as it was", async () => {
    // ARRANGE: the package `npm start` made and told the user to install.
    const users = join(copy, VSIX);
    writeFileSync(users, 'the package the user was told to install');
    const scratchBefore = readdirSync(tmpdir()).filter((name) => name.startsWith('weft-package-check-'));

    // ACT
    const result = await runScript(copy);

    // ASSERT: the check passed on a real package, the user's file is untouched, and the checked one is gone.
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${VSIX.replace(/\./g, '\\.')}: \\d+ KB, \\d+ files, no node_modules$`, 'm'));
    expect(readFileSync(users, 'utf8')).toBe('the package the user was told to install');
    expect(readdirSync(tmpdir()).filter((name) => name.startsWith('weft-package-check-'))).toEqual(scratchBefore);
  }, 300_000);
});
