// Starts a real VS Code (code-server 4.100.3, the workbench of VS Code 1.100) in a fresh temporary root and opens
// it in Debian's Chromium through playwright-core. Nothing here knows about Weft: it takes an extension folder,
// a workspace folder and, for extension-host tests, a compiled test entry. The recipe this follows, and why each
// flag is there: /work/shared/recipes/real-vscode.md.
//
// Built by esbuild.mjs into out/test/harness/runVsCode.mjs (ESM) for test/vscode/runExtensionTests.mjs and the
// e2e runner; playwright-core stays external.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { format } from 'node:util';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import codeServerSettings from './codeServerSettings.json';
import { freePort } from '../support/freePort';

export interface StartVsCodeOptions {
  /** Folder opened as the workspace (absolute or relative to the cwd). */
  workspace: string;
  /** Extension folder loaded as under development (its package.json's `main` must be built). */
  extensionDevelopmentPath?: string;
  /** Compiled test module (`exports.run = () => Promise`) run inside the extension host; needs extensionDevelopmentPath. */
  extensionTestsPath?: string;
  /** File opened in an editor at start (absolute, or relative to the workspace). */
  openFile?: string;
  /** Receives every line the workbench logs through codeAutomationLog (mocha's output, among others). Default: stdout. */
  onAutomationLog?: (level: string, message: string) => void;
  /** Milliseconds to wait for /healthz. Default 30 000. */
  serverTimeoutMs?: number;
  /** Browser viewport. Default 1400 × 900. */
  viewport?: { width: number; height: number };
  /** Chromium binary. Default /usr/bin/chromium (Debian's); Playwright never downloads one. */
  executablePath?: string;
  /** Keep the temporary root (user data, logs) after stop(), for debugging. Default false. */
  keepTemp?: boolean;
}

export interface VsCodeSession {
  page: Page;
  browser: Browser;
  /** The workbench URL the page was opened at. */
  url: string;
  port: number;
  /** Temporary root: user-data/, extensions/. */
  root: string;
  /** Server output, browser console and page errors, in arrival order, each prefixed with its source. */
  logs: string[];
  /**
   * Settles with the code the workbench passes to codeAutomationExit (0 or 1) once the test module's run()
   * settles. Only with extensionTestsPath; otherwise it never settles.
   */
  testsExit: Promise<number>;
  /** Milliseconds from the call: code-server answering /healthz, and the workbench page loaded. */
  timings: { serverReadyMs: number; pageLoadedMs: number };
  /** Closes the browser and kills code-server's whole process group. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * User settings written before the first start (test/vscode/codeServerSettings.json, shared with `npm start`): without them a workspace-trust dialog and a welcome page cover
 * the editor, and the workbench tries to reach the network for updates, tips and recommendations.
 */
export const VSCODE_TEST_SETTINGS: Record<string, unknown> = codeServerSettings;

/** Chromium flags: without the background-networking ones this machine's closed network refuses many connections. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const require = createRequire(import.meta.url);

/** The code-server entry script from node_modules (run with this Node, which must be 20 for 4.100.x). */
export function codeServerEntry(): string {
  return require.resolve('code-server/out/node/entry.js');
}


/** `vscode-remote://` URI of a server-side path, as the browser workbench expects in its payload. */
function remoteUri(authority: string, path: string): string {
  return `vscode-remote://${authority}${encodeURI(resolve(path))}`;
}

/** The workbench URL: `?folder=` plus a payload carrying what the command line would for a desktop VS Code. */
export function workbenchUrl(port: number, options: Pick<StartVsCodeOptions, 'workspace' | 'extensionDevelopmentPath' | 'extensionTestsPath' | 'openFile'>): string {
  const authority = `127.0.0.1:${port}`;
  const workspace = resolve(options.workspace);
  const payload: Array<[string, string]> = [];
  if (options.extensionDevelopmentPath) payload.push(['extensionDevelopmentPath', remoteUri(authority, options.extensionDevelopmentPath)]);
  if (options.extensionTestsPath) payload.push(['extensionTestsPath', remoteUri(authority, options.extensionTestsPath)]);
  if (options.openFile) payload.push(['openFile', remoteUri(authority, resolve(workspace, options.openFile))]);
  let url = `http://${authority}/?folder=${encodeURIComponent(workspace)}`;
  if (payload.length > 0) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

async function waitForHealthy(port: number, server: ChildProcess, timeoutMs: number, logs: string[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exited: string | undefined;
  server.once('exit', (code, signal) => {
    exited = `code-server exited early (code ${code}, signal ${signal})`;
  });
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${exited}\n${logs.join('\n')}`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 100));
  }
  throw new Error(`code-server did not answer /healthz within ${timeoutMs} ms\n${logs.join('\n')}`);
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    // Negative pid: the whole group (code-server forks its extension hosts and file watchers).
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts code-server on a free loopback port (webviews need a secure context: 127.0.0.1 is one), waits for it,
 * launches headless Chromium and opens the workbench on `workspace`. The caller must call stop().
 */
export async function startVsCode(options: StartVsCodeOptions): Promise<VsCodeSession> {
  const workspace = resolve(options.workspace);
  if (!existsSync(workspace)) throw new Error(`Workspace folder does not exist: ${workspace}`);
  if (options.extensionTestsPath && !options.extensionDevelopmentPath) throw new Error('extensionTestsPath needs extensionDevelopmentPath.');
  if (options.extensionTestsPath && !existsSync(options.extensionTestsPath)) throw new Error(`Test entry does not exist (build first?): ${options.extensionTestsPath}`);

  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'weft-vscode-'));
  const userData = join(root, 'user-data');
  const extensionsDir = join(root, 'extensions');
  mkdirSync(join(userData, 'User'), { recursive: true });
  mkdirSync(extensionsDir, { recursive: true });
  writeFileSync(join(userData, 'User', 'settings.json'), JSON.stringify(VSCODE_TEST_SETTINGS, null, 2));

  const logs: string[] = [];
  const port = await freePort();
  const server = spawn(
    process.execPath,
    [
      codeServerEntry(),
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userData,
      '--extensions-dir', extensionsDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--ignore-last-opened',
    ],
    {
      // Own process group, so stop() can kill the server and everything it forked at once.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No marketplace look-ups: this machine reaches no gallery.
      env: { ...process.env, EXTENSIONS_GALLERY: '{"serviceUrl":""}' },
    },
  );
  const collect = (source: string) => (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) if (line.trim()) logs.push(`[${source}] ${line}`);
  };
  server.stdout!.on('data', collect('server'));
  server.stderr!.on('data', collect('server'));

  // If this process exits without stop() (an uncaught error, process.exit on a signal), the detached server
  // would outlive it: kill its group synchronously on the way out.
  const killOnExit = (): void => {
    killGroup(server, 'SIGKILL');
    if (!options.keepTemp) rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', killOnExit);

  let browser: Browser | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    process.removeListener('exit', killOnExit);
    await browser?.close().catch(() => undefined);
    const exited = new Promise<void>((done) => {
      if (server.exitCode !== null || server.signalCode !== null) done();
      else server.once('exit', () => done());
    });
    killGroup(server, 'SIGTERM');
    const forced = setTimeout(() => killGroup(server, 'SIGKILL'), 3000);
    await Promise.race([exited, new Promise((done) => setTimeout(done, 5000))]);
    clearTimeout(forced);
    // The group may still hold children after the leader exits.
    try {
      if (server.pid !== undefined) process.kill(-server.pid, 'SIGKILL');
    } catch {
      // group empty
    }
    if (!options.keepTemp) rmSync(root, { recursive: true, force: true });
  };

  try {
    await waitForHealthy(port, server, options.serverTimeoutMs ?? 30_000, logs);
    const serverReadyMs = Date.now() - started;

    browser = await chromium.launch({
      executablePath: options.executablePath ?? '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const page = await context.newPage();
    page.on('console', (message) => logs.push(`[browser:${message.type()}] ${message.text()}`));
    page.on('pageerror', (error) => logs.push(`[browser:pageerror] ${error.message}`));

    let resolveExit: (code: number) => void = () => undefined;
    const testsExit = new Promise<number>((done) => {
      resolveExit = done;
    });
    if (options.extensionTestsPath) {
      // Both must exist before the workbench loads: it looks them up on window when the test run starts/ends.
      const onLog = options.onAutomationLog ?? ((_level: string, message: string) => process.stdout.write(`${message}\n`));
      // The workbench passes a console call's arguments (printf-style) as an array: format them as console.log would.
      await page.exposeFunction('codeAutomationLog', (level: string, message: unknown) => onLog(String(level), Array.isArray(message) ? format(...message) : String(message)));
      await page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(Number(code)));
    }

    const url = workbenchUrl(port, { ...options, workspace });
    await page.goto(url);
    const timings = { serverReadyMs, pageLoadedMs: Date.now() - started };
    return { page, browser, url, port, root, logs, testsExit, timings, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface WorkspaceCopy {
  /** The copied workspace folder (same base name as the source). */
  path: string;
  /** Deletes the copy and its siblings. */
  remove(): void;
}

/**
 * Copies a workspace folder into a fresh temporary folder, so that what a test writes never lands in the
 * repository. `siblings` are copied next to it: files that reference `../something` (a `$schema`, say) still
 * resolve. `.weft/` and node_modules/ are left out.
 */
export function copyWorkspace(source: string, siblings: string[] = []): WorkspaceCopy {
  const parent = mkdtempSync(join(tmpdir(), 'weft-vscode-ws-'));
  const filter = (path: string): boolean => !/[\\/](\.weft|node_modules)$/.test(path);
  const path = join(parent, basename(resolve(source)));
  cpSync(resolve(source), path, { recursive: true, filter });
  for (const sibling of siblings) {
    if (existsSync(sibling)) cpSync(resolve(sibling), join(parent, basename(resolve(sibling))), { recursive: true, filter });
  }
  return { path, remove: () => rmSync(parent, { recursive: true, force: true }) };
}

/** Resolves when the workbench has rendered its main parts (an editor area and the status bar). */
export async function waitForWorkbench(page: Page, timeoutMs = 60_000): Promise<void> {
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
}
