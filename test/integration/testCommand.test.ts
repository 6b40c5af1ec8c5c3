// `weft test`: the in-file tests of a whole workspace (the samples, copied with their lib/ and flows/), and a
// failing expectation shown so that a user can see what differs.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, copyInto, FIXTURES_DIR, makeWorkspace, runCli, SAMPLES_DIR } from './runCli';

let dir: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('test'));
  await copyInto(dir, SAMPLES_DIR, readdirSync(SAMPLES_DIR));
});

afterAll(async () => {
  await remove?.();
});

/** The test names of every .flow.json of the samples, as `file › name` (the .flow.ts needs evaluating: not here). */
function jsonSampleTests(): string[] {
  const names: string[] = [];
  const visit = (folder: string, prefix: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.isDirectory()) visit(join(folder, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith('.flow.json')) {
        const flow = parseJsonc(readFileSync(join(folder, entry.name), 'utf8')) as { tests?: { name: string }[] };
        for (const test of flow.tests ?? []) names.push(`${prefix}${entry.name} › ${test.name}`);
      }
    }
  };
  visit(SAMPLES_DIR, '');
  return names;
}

describe('weft test', () => {
  it('passes every test of the samples: one line per test, then "N passed, 0 failed", exit 0', async () => {
    // ACT
    const result = await runCli(['test', '.'], { cwd: dir });

    // ASSERT
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    const last = lines.pop()!;
    expect(last).toMatch(/^\d+ passed, 0 failed$/);
    expect(lines.every((line) => /^✓ \S+ › .+ \(.+\)$/.test(line)), lines.join('\n')).toBe(true);
    expect(Number(/^(\d+)/.exec(last)![1])).toBe(lines.length);
    const reported = lines.map((line) => line.replace(/^✓ /, '').replace(/ \([^)]*\)$/, ''));
    expect(reported).toEqual(expect.arrayContaining(jsonSampleTests()));
    // The .flow.ts sample, which imports lib/scoring.ts, ran too.
    expect(reported.some((line) => line.startsWith('score-lead.flow.ts › '))).toBe(true);
  });

  it('shows the path, the expected and the actual value of a wrong expectation, and exits 1', async () => {
    // ARRANGE
    await copyInto(dir, FIXTURES_DIR, ['wrong-expectation.flow.json']);

    // ACT
    const result = await runCli(['test', 'wrong-expectation.flow.json'], { cwd: dir });

    // ASSERT
    expect(result.code, result.stdout + result.stderr).toBe(1);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('1 passed, 1 failed');
    expect(lines[0]).toMatch(/^✓ wrong-expectation\.flow\.json › adds small numbers \(/);
    const failed = lines.findIndex((line) => line.startsWith('✗ wrong-expectation.flow.json › adds big numbers'));
    expect(failed, result.stdout).toBeGreaterThan(-1);
    // Only the mismatch is reported: `label` matched.
    expect(lines.slice(failed + 1, -1).map((line) => line.trim())).toEqual(['output.sum', 'expected: 43', 'actual:   42']);
  });

  it('exits 1 when a failing test ran a code node (the idle code sandbox does not hide the failure)', async () => {
    // ARRANGE
    await copyInto(dir, FIXTURES_DIR, ['code-wrong-expectation.flow.json']);

    // ACT
    const result = await runCli(['test', 'code-wrong-expectation.flow.json'], { cwd: dir });

    // ASSERT
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed');
    expect(result.stdout).toMatch(/expected: 5\n\s+actual: +4/);
    expect(result.code).toBe(1);
  });
});
