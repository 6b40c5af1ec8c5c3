// scripts/checkPackage.mjs (the last step of `npm test`) packages the extension to check it, and must leave alone
// the weft-<version>.vsix in the repository: `npm start` tells the user to install that very file. Runs the script
// in a copy of the repository (it rebuilds dist/, which the other integration tests use).

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRepository, REPO_VERSION } from './repoCopy';

const VSIX = `weft-${REPO_VERSION}.vsix`;

let copy: string;
let removeCopy: () => void = () => undefined;

beforeAll(() => {
  ({ dir: copy, remove: removeCopy } = copyRepository('weft-check-package-test-'));
});

afterAll(() => removeCopy());

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
