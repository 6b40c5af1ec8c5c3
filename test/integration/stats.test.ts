// `weft stats`: per-flow and per-node figures over the runs recorded in .weft/ by earlier `weft run`s, with an ai
// node answered by a fake OpenAI-compatible server on 127.0.0.1 (known tokens, so known cost).

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StatsReport } from '../../src/engine/history/runStats';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi';
import { assertCliBuilt, copyInto, FIXTURES_DIR, makeWorkspace, parseJsonOutput, runCli } from './runCli';

let dir: string;
let remove: () => Promise<void>;
let api: FakeOpenAi;
const env = { OPENAI_API_KEY: 'sk-fake-stats-3f9a' };

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('stats'));
  api = await startFakeOpenAi();
  // gpt-4o-mini: $0.15 per million input tokens, $0.60 per million output: 1000 in + 500 out = $0.00045 a call.
  api.script('gpt-4o-mini', answer('urgent', { usage: { prompt: 1000, completion: 500 } }));
  const triage = {
    version: 1,
    id: 'triage',
    nodes: [
      { id: 'prepare', type: 'transform', config: { output: { text: '{{ trigger.text }}' } } },
      { id: 'ask', type: 'ai', config: { baseUrl: api.baseUrl, model: 'gpt-4o-mini', prompt: 'Triage: {{ input.text }}' } },
    ],
    edges: [{ from: 'prepare', to: 'ask' }],
  };
  await writeFile(join(dir, 'triage.flow.json'), JSON.stringify(triage));
  await copyInto(dir, FIXTURES_DIR, ['fails.flow.json', 'wrong-expectation.flow.json']);
  for (const [file, input] of [
    ['triage.flow.json', '{"text":"printer on fire"}'],
    ['triage.flow.json', '{"text":"coffee machine empty"}'],
    ['triage.flow.json', '{"text":"login broken"}'],
    ['fails.flow.json', '{"who":"mallory"}'],
    ['fails.flow.json', '{"who":"mallory"}'],
  ]) {
    const result = await runCli(['run', file, '--json', '--input', input], { cwd: dir, env });
    expect(result.code === 0 || result.code === 1, result.stderr).toBe(true);
  }
  // Test runs (mode test) are in the same history, and left out of stats unless --tests.
  await runCli(['test', 'wrong-expectation.flow.json'], { cwd: dir });
}, 120_000);

afterAll(async () => {
  await api?.close();
  await remove?.();
});

describe('weft stats', () => {
  it('gives per-flow, per-node and per-model figures as JSON, test runs left out', async () => {
    // ACT
    const result = await runCli(['stats', '--json'], { cwd: dir });

    // ASSERT
    expect(result.code, result.stderr).toBe(0);
    const report = parseJsonOutput<StatsReport>(result);
    expect(report.flows.map((f) => [f.flowId, f.runs, f.completed, f.failed])).toEqual([
      ['triage', 3, 3, 0],
      ['always-fails', 2, 0, 2],
    ]);
    const triage = report.flows[0];
    expect(triage).toMatchObject({ successRatio: 1, retries: 0, inputTokens: 3000, outputTokens: 1500, costUsd: 0.00135 });
    expect(triage.p50Ms).toBeGreaterThanOrEqual(0);
    expect(triage.models).toEqual([{ model: 'gpt-4o-mini', calls: 3, inputTokens: 3000, outputTokens: 1500, costUsd: 0.00135 }]);
    expect(triage.nodes.map((n) => [n.nodeId, n.runs, n.costUsd])).toEqual([
      ['ask', 3, 0.00135],
      ['prepare', 3, 0],
    ]);
    const fails = report.flows[1];
    expect(fails.successRatio).toBe(0);
    expect(fails.failures).toEqual([expect.objectContaining({ count: 2, nodeId: 'stop', message: 'Refusing mallory' })]);
  });

  it('counts test runs with --tests, and nothing in a window that starts after the runs', async () => {
    const withTests = parseJsonOutput<StatsReport>(await runCli(['stats', '--json', '--tests'], { cwd: dir }));
    const future = parseJsonOutput<StatsReport>(await runCli(['stats', '--json', '--since', '2999-01-01'], { cwd: dir }));
    expect(withTests.flows.map((f) => f.flowId)).toContain('wrong-expectation');
    expect(future.runs).toBe(0);
    expect(future.flows).toEqual([]);
  });

  it('prints a table per flow, and per node, model and failure with --flow', async () => {
    // ACT
    const [all, one] = await Promise.all([runCli(['stats'], { cwd: dir }), runCli(['stats', '--flow', 'triage', '--since', '24h'], { cwd: dir })]);

    // ASSERT
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.split('\n');
    const header = lines.findIndex((line) => /^FLOW\s+RUNS\s+SUCCESS\s+P50\s+P95\s+RETRIES\s+TOKENS\s+COST$/.test(line));
    expect(header).toBeGreaterThanOrEqual(0);
    expect(lines[header + 1].split(/\s{2,}/).slice(0, 3)).toEqual(['triage', '3', '100%']);
    expect(lines[header + 2].split(/\s{2,}/).slice(0, 3)).toEqual(['always-fails', '2', '0%']);
    expect(all.stdout).toContain('2× always-fails: ');
    expect(all.stdout).toContain('Refusing mallory');

    expect(one.code, one.stderr).toBe(0);
    expect(one.stdout).toMatch(/^NODE\s+RUNS\s+SUCCESS\s+P50\s+P95\s+RETRIES\s+TIME\s+TOKENS\s+COST$/m);
    expect(one.stdout).toMatch(/^ask\s+3\s+100%.*4500\s+\$0\.0014$/m);
    expect(one.stdout).toMatch(/^gpt-4o-mini\s+3\s+4500\s+\$0\.0014$/m);
    expect(one.stdout).toContain('Where the time goes');
  });

  it('refuses a --since it cannot read, and arguments, with exit 2', async () => {
    const [since, extra] = await Promise.all([runCli(['stats', '--since', 'last week'], { cwd: dir }), runCli(['stats', 'triage'], { cwd: dir })]);
    expect(since.code).toBe(2);
    expect(since.stderr).toContain('--since takes a duration back from now (30m, 24h, 7d) or an ISO date');
    expect(extra.code).toBe(2);
    expect(extra.stderr).toContain('--flow ID');
  });
});
