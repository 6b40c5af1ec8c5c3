// The README's CLI quick start, as a new user runs it: every command of the block marked `cli-quick-start`, in
// order, on a copy of the repository with nothing built (no dist/), each expected to exit 0 as the README says.
// Also what the block promises to show: the samples' tests all pass, and `history` lists the run just made, not
// the test runs.

import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRepository } from './repoCopy';
import { REPO_ROOT, SAMPLES_DIR } from './runCli';

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const MARKER = '<!-- cli-quick-start:';

/** The command lines of the fenced block after the marker, without their trailing `# comments`. */
function quickStartCommands(): string[] {
  const at = README.indexOf(MARKER);
  if (at < 0) throw new Error(`README.md has no ${MARKER} marker before its CLI quick start.`);
  const block = /```bash\n([\s\S]*?)```/.exec(README.slice(at));
  if (!block) throw new Error('No ```bash block after the cli-quick-start marker.');
  return block[1]
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
}

interface Outcome {
  command: string;
  code: number | null;
  stdout: string;
  stderr: string;
}

function runShell(command: string, cwd: string): Promise<Outcome> {
  return new Promise((done, fail) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.once('error', fail);
    child.once('exit', (code) => done({ command, code, stdout, stderr }));
  });
}

let copy: string;
let removeCopy: () => void = () => undefined;

beforeAll(() => {
  ({ dir: copy, remove: removeCopy } = copyRepository('weft-readme-test-'));
});

afterAll(() => removeCopy());

describe("README's CLI quick start", () => {
  it('runs on a copy with nothing built, every command exiting 0 in the order shown', async () => {
    // ARRANGE
    const commands = quickStartCommands();
    expect(commands.length).toBeGreaterThan(2);

    // ACT: one after the other, `cd` moving the directory the next ones run in, as in a shell.
    let cwd = copy;
    const outcomes: Outcome[] = [];
    for (const command of commands) {
      const cd = /^cd\s+(\S+)$/.exec(command);
      if (cd) {
        cwd = resolve(cwd, cd[1]);
        continue;
      }
      const outcome = await runShell(command, cwd);
      outcomes.push(outcome);
      // ASSERT (each): it exits 0, as the README says; stop at the first that does not.
      expect(outcome.code, `${command}\n--- stdout ---\n${outcome.stdout}\n--- stderr ---\n${outcome.stderr}`).toBe(0);
    }

    // ASSERT: the tests all passed, and history lists the one run, not the test runs after it.
    const test = outcomes.find((o) => / test\b/.test(o.command));
    expect(test?.stdout).toMatch(/\b[1-9]\d* passed, 0 failed\b/);
    const history = outcomes.find((o) => / history\b/.test(o.command));
    const rows = history!.stdout.trimEnd().split('\n').slice(1);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatch(/\border-intake\s+completed\b/);
  }, 300_000);

  it('counts the samples as they are', () => {
    // ARRANGE
    const words = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen'];
    const flows = (readdirSync(SAMPLES_DIR, { recursive: true }) as string[]).filter((name) => /\.flow\.(json|ts)$/.test(name));

    // ACT
    const said = /`samples\/` holds (\w+) flows/.exec(README)?.[1];

    // ASSERT
    expect(said).toBe(words[flows.length]);
  });
});
