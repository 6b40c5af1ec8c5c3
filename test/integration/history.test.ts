// `weft history` and `weft show`: the runs recorded in .weft/ by earlier `weft run`s of the same workspace.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, copyInto, FIXTURES_DIR, makeWorkspace, parseJsonOutput, runCli } from './runCli';

interface SummaryJson {
  id: string;
  flowId: string;
  status: string;
  startedAt: string;
  nodes?: unknown;
}

let dir: string;
let remove: () => Promise<void>;
/** The three runs, oldest first. */
const runs: { id: string; flowId: string; status: string }[] = [];

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('history'));
  await copyInto(dir, FIXTURES_DIR, ['typed-input.flow.json', 'fails.flow.json']);
  // One after the other, so that their start times are in this order.
  for (const [file, input] of [
    ['typed-input.flow.json', '{"email":"one@a.test","count":1}'],
    ['fails.flow.json', '{"who":"two"}'],
    ['typed-input.flow.json', '{"email":"three@a.test","count":3}'],
  ]) {
    const result = await runCli(['run', file, '--json', '--input', input], { cwd: dir });
    const record = parseJsonOutput<{ id: string; flowId: string; status: string }>(result);
    runs.push({ id: record.id, flowId: record.flowId, status: record.status });
  }
  expect(runs.map((r) => r.status)).toEqual(['completed', 'failed', 'completed']);
  // Then the in-file tests of a flow (one passes, one fails): two runs of mode "test" in the same history.
  await copyInto(dir, FIXTURES_DIR, ['wrong-expectation.flow.json']);
  const tests = await runCli(['test', 'wrong-expectation.flow.json'], { cwd: dir });
  expect(tests.stdout).toContain('1 passed, 1 failed');
});

afterAll(async () => {
  await remove?.();
});

describe('weft history', () => {
  it('lists the runs newest first, as a table and as JSON summaries', async () => {
    // ACT
    const [table, json] = await Promise.all([runCli(['history'], { cwd: dir }), runCli(['history', '--json'], { cwd: dir })]);

    // ASSERT
    expect(table.code, table.stderr).toBe(0);
    const rows = table.stdout.trimEnd().split('\n');
    expect(rows[0]).toMatch(/^RUN\s+FLOW\s+STATUS\b/);
    expect(rows.slice(1).map((row) => row.split(/\s+/).slice(0, 3))).toEqual(
      [...runs].reverse().map((r) => [r.id, r.flowId, r.status]),
    );

    expect(json.code, json.stderr).toBe(0);
    const summaries = parseJsonOutput<SummaryJson[]>(json);
    expect(summaries.map((s) => ({ id: s.id, flowId: s.flowId, status: s.status }))).toEqual([...runs].reverse());
    for (const summary of summaries) {
      expect(Number.isNaN(Date.parse(summary.startedAt))).toBe(false);
      expect(summary.nodes).toBeUndefined();
    }
  });

  it('filters by --flow and --status, and cuts with --limit', async () => {
    // ACT
    const [byFlow, failed, limited, none, badStatus, badLimit] = await Promise.all([
      runCli(['history', '--json', '--flow', 'typed-input'], { cwd: dir }),
      runCli(['history', '--json', '--status', 'failed'], { cwd: dir }),
      runCli(['history', '--json', '--limit', '1'], { cwd: dir }),
      runCli(['history', '--json', '--flow', 'always-fails', '--status', 'completed'], { cwd: dir }),
      runCli(['history', '--status', 'exploded'], { cwd: dir }),
      runCli(['history', '--limit', 'many'], { cwd: dir }),
    ]);

    // ASSERT
    const ids = (result: typeof byFlow): string[] => parseJsonOutput<SummaryJson[]>(result).map((s) => s.id);
    expect(ids(byFlow)).toEqual([runs[2].id, runs[0].id]);
    expect(ids(failed)).toEqual([runs[1].id]);
    expect(ids(limited)).toEqual([runs[2].id]);
    expect(ids(none)).toEqual([]);
    expect(badStatus.code).toBe(2);
    expect(badStatus.stderr).toContain('--status');
    expect(badLimit.code).toBe(2);
    expect(badLimit.stderr).toContain('--limit');
  });
});

describe('weft history, finding runs and the flow they ran', () => {
  it('lists each run with a one-line summary of its input, which search finds', async () => {
    const json = await runCli(['history', '--json'], { cwd: dir });
    const summaries = parseJsonOutput<{ id: string; inputSummary?: string; searchText?: string }[]>(json);
    const third = summaries.find((s) => s.id === runs[2].id)!;
    expect(third.inputSummary).toBe('email three@a.test, count 3');
    expect(third.searchText).toContain('three@a.test');
  });

  it('keeps the version of the flow each run ran, under the hash its record names', async () => {
    const text = await readFile(join(dir, 'typed-input.flow.json'), 'utf8');
    const hash = createHash('sha256').update(text).digest('hex');
    expect(await readFile(join(dir, '.weft', 'live', 'definitions', `${hash}.flow.json`), 'utf8')).toBe(text);
  });
});

describe('weft history and test runs', () => {
  it('leaves test runs out by default, and lists them with --tests', async () => {
    // ACT
    const [plain, table, withTests] = await Promise.all([
      runCli(['history', '--json'], { cwd: dir }),
      runCli(['history'], { cwd: dir }),
      runCli(['history', '--json', '--tests'], { cwd: dir }),
    ]);

    // ASSERT: by default only what was run (the README's `run`, `test .`, `history` shows the manual run on top);
    // with --tests the two test runs come first, newest first, with the runs before them.
    expect(plain.code, plain.stderr).toBe(0);
    expect(parseJsonOutput<SummaryJson[]>(plain).map((s) => s.id)).toEqual([...runs].reverse().map((r) => r.id));
    expect(table.stdout).not.toContain('wrong-expectation');
    expect(withTests.code, withTests.stderr).toBe(0);
    const all = parseJsonOutput<(SummaryJson & { mode: string })[]>(withTests);
    expect(all.map((s) => [s.flowId, s.mode])).toEqual([
      ['wrong-expectation', 'test'],
      ['wrong-expectation', 'test'],
      ...[...runs].reverse().map((r) => [r.flowId, 'run']),
    ]);
  });
});

describe('weft show', () => {
  it('prints a failed run with its failing node and error; an unknown id exits 1', async () => {
    // ACT
    const [show, unknown] = await Promise.all([
      runCli(['show', runs[1].id], { cwd: dir }),
      runCli(['show', 'no-such-run'], { cwd: dir }),
    ]);

    // ASSERT
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout.split('\n')[0]).toMatch(new RegExp(`^${runs[1].id}\\s+always-fails\\s+failed\\b`));
    expect(show.stdout).toMatch(/^\s+stop\s+failed\b.*Refusing two$/m);
    expect(unknown.code).toBe(1);
    expect(unknown.stdout + unknown.stderr).toContain("No run 'no-such-run'");
  });
});
