// Runs the built `weft` command (dist/cli.js) the way a user does: a real child process, in a workspace of its
// own, with NO_COLOR so the output can be compared as text. Shared by the integration test files.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..');
export const CLI_PATH = join(REPO_ROOT, 'dist', 'cli.js');
export const SAMPLES_DIR = join(REPO_ROOT, 'samples');
export const FIXTURES_DIR = join(__dirname, 'fixtures');

/**
 * A CLI call that takes longer than this is a hang: the child is killed and the test fails saying so. Generous:
 * `weft test` over the samples took 15 s on CI's two cores shared with other work (2 s idle), and a limit that a
 * busy machine reaches is luck, not a check.
 */
const DEFAULT_TIMEOUT_MS = 90_000;

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Wall time from spawn to exit. */
  durationMs: number;
}

export interface CliOptions {
  cwd: string;
  /** Added to the parent's environment (plus NO_COLOR=1). */
  env?: Record<string, string | undefined>;
  /** Written to the child's stdin, which is then closed. */
  input?: string;
  timeoutMs?: number;
}

/** A running CLI process: for tests that signal or kill it before it ends. */
export interface CliProcess {
  child: ChildProcess;
  /** Settles when the child exits (rejects when it outlives the timeout, after killing it). */
  result: Promise<CliResult>;
  /** Output so far. */
  stdout(): string;
  stderr(): string;
}

/** Fails `beforeAll` with a clear message when the CLI has not been built. */
export function assertCliBuilt(): void {
  if (!existsSync(CLI_PATH)) {
    throw new Error(`${CLI_PATH} does not exist: run \`node esbuild.mjs\` first (npm test builds it before the suites).`);
  }
}

export function startCli(args: readonly string[], options: CliOptions): CliProcess {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI_PATH, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  // A child that exits before reading its stdin makes the write fail with EPIPE: that is not the test's concern.
  child.stdin!.on('error', () => undefined);
  child.stdin!.end(options.input ?? '');

  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const result = new Promise<CliResult>((resolvePromise, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `weft ${args.join(' ')} did not exit within ${timeoutMs} ms (killed).\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, durationMs: performance.now() - started });
    });
  });
  return { child, result, stdout: () => stdout, stderr: () => stderr };
}

export function runCli(args: readonly string[], options: CliOptions): Promise<CliResult> {
  return startCli(args, options).result;
}

/** Parses stdout as JSON, failing with the whole output when it is not. */
export function parseJsonOutput<T = unknown>(result: CliResult): T {
  try {
    return JSON.parse(result.stdout) as T;
  } catch (error) {
    throw new Error(`stdout is not JSON (${(error as Error).message}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}

/** A fresh temporary workspace. `remove` deletes it. */
export async function makeWorkspace(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), `weft-it-${prefix}-`));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Copies files or folders (relative to `from`) into the workspace, keeping their relative paths. */
export async function copyInto(dir: string, from: string, names: readonly string[]): Promise<void> {
  for (const name of names) await cp(join(from, name), join(dir, name), { recursive: true });
}

/** Every regular file under `dir`, recursively (absolute paths). */
export async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...(await listFiles(path)));
    else if (entry.isFile()) found.push(path);
  }
  return found;
}

/** The files under `dir` whose content contains `needle`. */
export async function filesContaining(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = [];
  for (const file of await listFiles(dir)) {
    if ((await readFile(file)).includes(needle)) hits.push(file);
  }
  return hits;
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolvePromise) => setTimeout(resolvePromise, ms));
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 10_000, everyMs = 25): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(everyMs);
  }
}
