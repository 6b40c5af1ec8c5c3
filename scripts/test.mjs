// `npm test`: every test, from a fresh clone. Installs what is missing, type-checks, lints (eslint.config.mjs: the
// recommended rules and the layers of the code base), builds, runs the unit and
// integration suites (vitest), then the samples' and the spec examples' in-file tests through the built CLI, then
// the extension in a real VS Code (npm run test:vscode).
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { ensureDependencies } from './ensure.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (command) => {
  console.error(`\n$ ${command}`);
  execSync(command, { cwd: root, stdio: 'inherit' });
};

ensureDependencies();
run('npx tsc -p tsconfig.json --noEmit');
run('npx eslint .');
run('node esbuild.mjs');
// Queue mode's tests start real Redis servers: Debian's redis-server first (a no-op when present).
run('node scripts/ensureRedis.mjs');
run('npx vitest run');
run('node dist/cli.js test samples test/fixtures/spec-examples --no-history');
// The extension in a real VS Code (code-server + Debian's Chromium): the system packages first (a no-op when
// present), then one session for the extension-host tests and one for the e2e scenarios.
run('node scripts/ensureVsCodeDeps.mjs');
// The runners build nothing: the build above is theirs (`npm run test:vscode` alone builds first).
run('node test/vscode/runExtensionTests.mjs');
run('node test/e2e/runE2e.mjs');
// The .vsix as users install it: under 5 MB, no node_modules.
run('node scripts/checkPackage.mjs');
