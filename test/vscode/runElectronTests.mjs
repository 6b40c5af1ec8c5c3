// `npm run test:electron`: the same extension-host suite (out/test/vscode/index.js) in a desktop VS Code, for
// people who have a display and can reach update.code.visualstudio.com: @vscode/test-electron downloads VS Code
// (VSCODE_VERSION, default 1.100.3, the version code-server 4.100.3 embeds) into .vscode-test/. CI cannot
// download it and runs `npm run test:vscode` (code-server) instead. Builds nothing: the npm script builds first.
import { existsSync, mkdtempSync, cpSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const extensionTestsPath = join(repo, 'out', 'test', 'vscode', 'index.js');
if (!existsSync(extensionTestsPath)) {
  console.error(`${extensionTestsPath} is missing: build first (node esbuild.mjs).`);
  process.exit(1);
}

// A copy of samples/ (and language/, which the samples' "$schema" points at), as test:vscode uses.
const parent = mkdtempSync(join(tmpdir(), 'weft-electron-ws-'));
const workspace = join(parent, 'samples');
cpSync(join(repo, 'samples'), workspace, { recursive: true, filter: (path) => !/[\\/](\.weft|node_modules)$/.test(path) });
cpSync(join(repo, 'language'), join(parent, 'language'), { recursive: true });

let code = 1;
try {
  code = await runTests({
    version: process.env.VSCODE_VERSION ?? '1.100.3',
    extensionDevelopmentPath: repo,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes'],
  });
} catch (error) {
  console.error(`Extension tests failed to run: ${error instanceof Error ? error.message : String(error)}`);
  code = 1;
} finally {
  rmSync(parent, { recursive: true, force: true });
}
process.exit(code);
