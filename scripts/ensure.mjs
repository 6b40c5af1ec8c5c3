// Installs the project's dependencies when they are missing or older than package-lock.json, so every
// npm script works on a fresh clone with nothing but Node and npm.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ensureVsCodeDeps, needsVsCodeDeps, vsCodeInstallEnv } from './ensureVsCodeDeps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const lock = join(root, 'package-lock.json');

export function ensureDependencies() {
  const stale = !existsSync(marker) || (existsSync(lock) && statSync(lock).mtimeMs > statSync(marker).mtimeMs);
  if (!stale) return;
  // code-server (the real-VS Code tests) builds native modules and would download ripgrep in its postinstall:
  // the Debian packages and the seeded ripgrep cache must be there before npm runs, with its environment.
  const vscode = needsVsCodeDeps();
  if (vscode) ensureVsCodeDeps();
  const install = () =>
    execSync(existsSync(lock) ? 'npm ci --no-audit --no-fund' : 'npm install --no-audit --no-fund', {
      cwd: root,
      stdio: 'inherit',
      env: vscode ? vsCodeInstallEnv() : process.env,
    });
  console.error('Installing dependencies (npm ci)…');
  try {
    install();
  } catch (error) {
    if (!vscode) throw error;
    // Seen once: code-server's nested install lost a native module's build folder mid-build (node-gyp), and the
    // same install then passed. `npm ci` starts from an empty node_modules, so one more try is clean.
    console.error('Install failed; trying once more (code-server native modules are occasionally flaky).');
    install();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) ensureDependencies();
