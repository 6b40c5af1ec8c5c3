// `npm start`: Weft itself, from a fresh clone. Installs what is missing, packages the extension (.vsix), runs the
// samples' tests through the `weft` CLI it ships, installs it into a fresh VS Code (code-server) and opens the
// samples workspace there, printing the URL. Runs until Ctrl+C. WEFT_PORT picks the port (default 8080).
import { execFileSync, execSync, spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureDependencies } from './ensure.mjs';
import { ensureAptPackages } from './ensureVsCodeDeps.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const samples = join(root, 'samples');
const port = Number(process.env.WEFT_PORT ?? 8080);
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

ensureAptPackages();
ensureDependencies();
// Packaging builds dist/ (production); the samples' tests then run on the very CLI the .vsix ships.
console.error('\nPackaging the extension…');
execSync('npm run --silent package', { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
console.error('\n$ weft test samples');
execSync('node ../dist/cli.js test . --no-history', { cwd: samples, stdio: 'inherit' });
const vsix = join(root, `weft-${version}.vsix`);

// A fresh VS Code profile: settings first, so no trust dialog or welcome page covers the editor.
const profile = mkdtempSync(join(tmpdir(), 'weft-start-'));
// The profile is this session's only: gone when the script ends, however it ends (Ctrl+C, SIGTERM, a failed step).
// code-server's last writes can race the removal, hence the retries.
process.on('exit', () => rmSync(profile, { recursive: true, force: true, maxRetries: 5 }));
// A signal stops code-server once it runs (its exit then ends this script); before that, it ends the script at once.
// Either way the process exits through process.exit, which runs the hook above (a default signal death would not).
let server;
const stop = () => (server ? server.kill() : process.exit(130));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
const userData = join(profile, 'user-data');
const extensions = join(profile, 'extensions');
mkdirSync(join(userData, 'User'), { recursive: true });
// The same settings the real-VS-Code tests use.
copyFileSync(join(root, 'test', 'vscode', 'codeServerSettings.json'), join(userData, 'User', 'settings.json'));
const codeServer = join(root, 'node_modules', '.bin', 'code-server');
const env = { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":""}' };
execFileSync(codeServer, ['--user-data-dir', userData, '--extensions-dir', extensions, '--install-extension', vsix], { env, stdio: 'ignore' });

server = spawn(
  codeServer,
  [
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened',
    samples,
  ],
  { env, stdio: ['ignore', 'ignore', 'inherit'] },
);
server.on('exit', (code) => process.exit(code ?? 0));
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(samples)}`;
// The URL is printed once code-server answers, however long a busy machine takes; if it dies, its exit ends this.
console.error('\nStarting VS Code (code-server)…');
for (;;) {
  try {
    if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) break;
  } catch {
    // not up yet
  }
  await new Promise((resolve) => setTimeout(resolve, 200));
}
console.log(`\nWeft ${version} is installed in VS Code with the samples open:\n\n  ${url}\n\nOpen a .flow.json and click Run above it. Ctrl+C stops.`);
console.log(`To install it into a desktop VS Code: code --install-extension ${vsix}`);
