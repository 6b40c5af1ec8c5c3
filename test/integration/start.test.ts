// `npm start` (scripts/start.mjs) makes a fresh VS Code profile (`weft-start-*` in the temporary folder) for the
// code-server it runs, and removes it when it stops: Ctrl+C must not leave one behind per start. Runs the script in
// a copy of the repository (it packages, which rewrites dist/) with a temporary folder of its own.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/freePort';
import { copyRepository } from './repoCopy';

let copy: string;
let removeCopy: () => void = () => undefined;
let scratch: string;

beforeAll(() => {
  ({ dir: copy, remove: removeCopy } = copyRepository('weft-start-test-'));
  scratch = mkdtempSync(join(tmpdir(), 'weft-start-test-tmp-'));
});

afterAll(() => {
  removeCopy();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

const profiles = (): string[] => readdirSync(scratch).filter((name) => name.startsWith('weft-start-'));

describe('npm start', () => {
  it('removes its temporary VS Code profile when stopped with Ctrl+C', async () => {
    // ARRANGE: start it, and wait for the line that says VS Code is up (the profile is in use then).
    const port = await freePort();
    const child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: copy,
      env: { ...process.env, TMPDIR: scratch, WEFT_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (stdout.includes('Ctrl+C stops.')) resolve();
      });
      void exited.then((code) => reject(new Error(`npm start exited (${code}) before VS Code was up.\n${stdout}\n${stderr}`)));
    });
    expect(profiles()).toHaveLength(1);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).ok).toBe(true);

    // ACT
    child.kill('SIGINT');
    await exited;

    // ASSERT
    expect(profiles()).toEqual([]);
  }, 400_000);
});
