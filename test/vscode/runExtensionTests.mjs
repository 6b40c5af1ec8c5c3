// `npm run test:vscode`, first half: every extension-host test in ONE real VS Code session. Starts code-server
// (out/test/harness/runVsCode.mjs) on a temporary copy of samples/, loads the extension under development and its
// compiled mocha entry through the workbench URL's payload, prints mocha's output as it arrives, saves a
// screenshot, and exits with mocha's result. Builds nothing: `npm run test:vscode` runs esbuild.mjs first.
//
//   node test/vscode/runExtensionTests.mjs [--extension DIR] [--tests FILE] [--workspace DIR] [--timeout MS]
//
// Defaults: the repository as the extension, out/test/vscode/index.js, samples/, 600 000 ms. MOCHA_GREP=text
// runs a subset; WEFT_VSCODE_KEEP=1 keeps the temporary user-data folder; WEFT_VSCODE_VERBOSE=1 prints the
// workbench's log too.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const harness = join(repo, 'out', 'test', 'harness', 'runVsCode.mjs');

const { values: args } = parseArgs({
  options: {
    extension: { type: 'string', default: repo },
    tests: { type: 'string', default: join(repo, 'out', 'test', 'vscode', 'index.js') },
    workspace: { type: 'string', default: join(repo, 'samples') },
    // About 25 s on an idle machine; the bound is for a hung run, not for a loaded machine.
    timeout: { type: 'string', default: '600000' },
    screenshot: { type: 'string', default: join(repo, 'test-artifacts', 'vscode', 'extension-tests.png') },
  },
});
const extensionPath = resolve(args.extension);
const testsPath = resolve(args.tests);
const timeoutMs = Number(args.timeout);

const MOCHA_LINE_PREFIX = '[mocha] ';
const verbose = process.env.WEFT_VSCODE_VERBOSE === '1';

const fail = (message) => {
  console.error(`\n[test:vscode] ${message}`);
  process.exit(1);
};
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

// Fail early, and say what to do, when something this run needs is not there.
if (!existsSync(harness)) fail(`${harness} is missing: build first (node esbuild.mjs).`);
if (!existsSync(testsPath)) fail(`${testsPath} is missing: build first (node esbuild.mjs).`);
const manifest = JSON.parse(readFileSync(join(extensionPath, 'package.json'), 'utf8'));
const main = manifest.main ? resolve(extensionPath, manifest.main) : undefined;
if (main && !existsSync(main) && !existsSync(`${main}.js`)) fail(`The extension's main ${main} is missing: build first (node esbuild.mjs).`);

const { copyWorkspace, startVsCode, waitForWorkbench } = await import(pathToFileURL(harness).href);

// A copy, so that what the tests write (history in .weft/, edits) never lands in the repository; language/ goes
// next to it because the samples' "$schema" is ../language/flow.schema.json.
const workspaceCopy = copyWorkspace(args.workspace, [join(repo, 'language')]);
const workspace = workspaceCopy.path;
process.once('exit', () => workspaceCopy.remove());

// Ctrl+C or a CI cancel: exit through process.exit, so the harness's exit hook kills code-server's group.
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => process.exit(130));

const started = Date.now();
const workbenchLog = [];
let session;
let exitCode = 1;
try {
  console.error(`[test:vscode] extension ${extensionPath}\n[test:vscode] tests ${testsPath}\n[test:vscode] workspace ${workspace}`);
  session = await startVsCode({
    workspace,
    extensionDevelopmentPath: extensionPath,
    extensionTestsPath: testsPath,
    keepTemp: process.env.WEFT_VSCODE_KEEP === '1',
    // Mocha's reporter lines carry MOCHA_LINE_PREFIX (see test/vscode/suite/index.ts). The rest of the
    // workbench's log is printed only with WEFT_VSCODE_VERBOSE=1, and kept for the failure report.
    onAutomationLog: (level, text) => {
      if (text.startsWith(MOCHA_LINE_PREFIX)) process.stdout.write(`${text.slice(MOCHA_LINE_PREFIX.length)}\n`);
      else {
        workbenchLog.push(`[workbench:${level}] ${text}`);
        if (verbose) process.stderr.write(`[workbench:${level}] ${text}\n`);
      }
    },
  });
  console.error(`[test:vscode] code-server ready in ${seconds(session.timings.serverReadyMs)}, page loaded in ${seconds(session.timings.pageLoadedMs)}`);

  const timedOut = new Promise((resolveTimeout) => setTimeout(() => resolveTimeout('timeout'), Math.max(0, timeoutMs - (Date.now() - started))));
  // Only for the timings: the tests start on their own once the extension host is up.
  waitForWorkbench(session.page, timeoutMs).then(
    () => console.error(`[test:vscode] workbench ready after ${seconds(Date.now() - started)}`),
    () => undefined,
  );
  const outcome = await Promise.race([session.testsExit, timedOut]);
  if (outcome === 'timeout') {
    console.error(`\n[test:vscode] TIMEOUT: the extension-host tests did not finish within ${seconds(timeoutMs)}.`);
    exitCode = 1;
  } else {
    exitCode = outcome === 0 ? 0 : 1;
    console.error(`[test:vscode] extension-host tests ${exitCode === 0 ? 'passed' : 'FAILED'} after ${seconds(Date.now() - started)}`);
  }
} catch (error) {
  console.error(`\n[test:vscode] ${error instanceof Error ? error.stack : String(error)}`);
  exitCode = 1;
} finally {
  if (session) {
    try {
      mkdirSync(dirname(args.screenshot), { recursive: true });
      await session.page.screenshot({ path: args.screenshot, timeout: 10_000 });
      console.error(`[test:vscode] screenshot ${args.screenshot}`);
    } catch (error) {
      console.error(`[test:vscode] no screenshot: ${error instanceof Error ? error.message : String(error)}`);
    }
    if (exitCode !== 0) {
      console.error(`\n[test:vscode] workbench log:\n${workbenchLog.slice(-100).join('\n')}`);
      console.error(`\n[test:vscode] server and browser log:\n${session.logs.slice(-150).join('\n')}`);
    }
    await session.stop();
  }
  workspaceCopy.remove();
}
process.exit(exitCode);
