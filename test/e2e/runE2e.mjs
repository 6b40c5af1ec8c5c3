// `npm run test:vscode`, second half: the e2e scenarios (out/test/e2e/*.e2e.mjs, built from test/e2e/*.e2e.ts)
// driving the workbench through Chromium like a person. ONE code-server session for all of them: started here on a
// temporary copy of samples/ with the extension under development loaded, shared through globalThis (see
// test/e2e/vsCodePage.ts), stopped at the end. Mocha runs in this Node process; a failing scenario leaves a
// screenshot in test-artifacts/e2e/. Builds nothing: `npm run test:vscode` runs esbuild.mjs first.
//
//   node test/e2e/runE2e.mjs [--extension DIR] [--workspace DIR] [--timeout MS] [--grep TEXT]
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import Mocha from 'mocha';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const harness = join(repo, 'out', 'test', 'harness', 'runVsCode.mjs');
const scenarios = join(repo, 'out', 'test', 'e2e');

const { values: args } = parseArgs({
  options: {
    extension: { type: 'string', default: repo },
    workspace: { type: 'string', default: join(repo, 'samples') },
    // The whole run, server start included: about 2 minutes on an idle 2-core machine, and CI shares its cores with
    // whatever else runs, so the bound is for a hung run, not a slow one. Each scenario has mocha's own limit too.
    timeout: { type: 'string', default: '900000' },
    grep: { type: 'string' },
    artifacts: { type: 'string', default: join(repo, 'test-artifacts', 'e2e') },
  },
});
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;
const fail = (message) => {
  console.error(`\n[e2e] ${message}`);
  process.exit(1);
};

if (!existsSync(harness)) fail(`${harness} is missing: build first (node esbuild.mjs).`);
const files = existsSync(scenarios) ? readdirSync(scenarios).filter((name) => name.endsWith('.e2e.mjs')).sort() : [];
if (files.length === 0) fail(`No scenarios in ${scenarios}: build first (node esbuild.mjs).`);

const { copyWorkspace, startVsCode, waitForWorkbench } = await import(pathToFileURL(harness).href);

// A copy, so that what the tests write (history in .weft/, edits) never lands in the repository; language/ goes
// next to it because the samples' "$schema" is ../language/flow.schema.json.
const workspaceCopy = copyWorkspace(args.workspace, [join(repo, 'language')]);
const workspace = workspaceCopy.path;
process.once('exit', () => workspaceCopy.remove());
// Live mode's webhook port, free now and in the workspace settings before VS Code starts: a settings file written
// while it runs is read when its file watcher gets to it, which under load can be after a scenario activates.
const liveWebhookPort = await new Promise((resolvePort, reject) => {
  const probe = createServer();
  probe.once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const { port } = probe.address();
    probe.close(() => resolvePort(port));
  });
});
mkdirSync(join(workspace, '.vscode'), { recursive: true });
writeFileSync(join(workspace, '.vscode', 'settings.json'), JSON.stringify({ 'weft.live.webhookPort': liveWebhookPort }, null, 2));
const artifacts = resolve(args.artifacts);
mkdirSync(artifacts, { recursive: true });
// Screenshots of failures are this run's: those of an earlier run would mislead.
for (const name of readdirSync(artifacts)) if (name.startsWith('failed-') || name === 'final.png') rmSync(join(artifacts, name), { force: true });

// Ctrl+C or a CI cancel: exit through process.exit, so the harness's exit hook kills code-server's group.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const started = Date.now();
const watchdog = setTimeout(() => {
  console.error(`\n[e2e] TIMEOUT: the e2e scenarios did not finish within ${seconds(Number(args.timeout))}.`);
  void finish(1);
}, Number(args.timeout));

let session;
let finishing = false;
async function finish(code) {
  if (finishing) return;
  finishing = true;
  clearTimeout(watchdog);
  if (session) {
    if (code !== 0) {
      await session.page.screenshot({ path: join(artifacts, 'final.png'), timeout: 10_000 }).catch(() => undefined);
      console.error(`\n[e2e] server and browser log:\n${session.logs.slice(-150).join('\n')}`);
    }
    await session.stop();
  }
  workspaceCopy.remove();
  process.exit(code);
}

try {
  session = await startVsCode({ workspace, extensionDevelopmentPath: resolve(args.extension) });
  console.error(`[e2e] code-server ready in ${seconds(session.timings.serverReadyMs)}, page loaded in ${seconds(session.timings.pageLoadedMs)}`);
  await waitForWorkbench(session.page);
  console.error(`[e2e] workbench ready after ${seconds(Date.now() - started)}`);
} catch (error) {
  console.error(`\n[e2e] could not start VS Code: ${error instanceof Error ? error.stack : String(error)}`);
  await finish(1);
}

globalThis[Symbol.for('weft.e2e.session')] = { ...session, workspace, liveWebhookPort };
globalThis[Symbol.for('weft.e2e.artifacts')] = artifacts;

// A scenario takes 5 to 25 s on an idle machine; its helpers wait for state, so the limit only ends a hung one.
const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', timeout: 180_000, slow: 20_000 });
if (args.grep) mocha.grep(args.grep);
mocha.rootHooks({
  // Each scenario starts from a workbench with nothing open (vsCodePage.ts resetWorkbench), not from what the one
  // before it left.
  async beforeEach() {
    await globalThis[Symbol.for('weft.e2e.reset')]?.();
  },
  // What the screen showed when a scenario failed: the first thing to look at.
  async afterEach() {
    const test = this.currentTest;
    if (test?.state === 'failed') {
      const name = `failed-${test.fullTitle().replace(/[^\w.-]+/g, '-')}.png`;
      await session.page.screenshot({ path: join(artifacts, name), timeout: 10_000 }).catch(() => undefined);
      console.error(`[e2e] screenshot ${join(artifacts, name)}`);
    }
  },
});
for (const name of files) mocha.addFile(join(scenarios, name));
try {
  await mocha.loadFilesAsync();
  const failures = await new Promise((done) => mocha.run(done));
  console.error(`[e2e] scenarios ${failures === 0 ? 'passed' : 'FAILED'} after ${seconds(Date.now() - started)}`);
  await finish(failures === 0 ? 0 : 1);
} catch (error) {
  console.error(`\n[e2e] ${error instanceof Error ? error.stack : String(error)}`);
  await finish(1);
}
