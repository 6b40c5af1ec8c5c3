// Runs that outlive their process or are stopped: a wait survives a SIGKILL and `weft resume` finishes it at
// its due time; `weft resume --from` re-runs part of a run; Ctrl+C (SIGINT) cancels a run.

import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, copyInto, FIXTURES_DIR, makeWorkspace, parseJsonOutput, runCli, SAMPLES_DIR, startCli, waitFor } from './runCli';

interface NodeJson {
  status: string;
  attempts: number;
  startedAt?: string;
  finishedAt?: string;
  reused?: boolean;
  state?: { until?: string };
}

interface RunRecordJson {
  id: string;
  flowId: string;
  status: string;
  output?: unknown;
  resumedFrom?: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  nodes: Record<string, NodeJson>;
}

interface SummaryJson {
  id: string;
  flowId: string;
  status: string;
  resumedFrom?: string;
}

let dir: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('lifecycle'));
  await copyInto(dir, SAMPLES_DIR, ['follow-up.flow.json']);
  await copyInto(dir, FIXTURES_DIR, ['long-wait.flow.json']);
});

afterAll(async () => {
  await remove?.();
});

/** The run of `flowId` whose `nodeId` is running, read from the run files of .weft/ (as they are checkpointed). */
async function runningAt(flowId: string, nodeId: string): Promise<RunRecordJson | undefined> {
  const runsDir = join(dir, '.weft', 'runs');
  if (!existsSync(runsDir)) return undefined;
  for (const name of await readdir(runsDir)) {
    if (!name.endsWith('.json')) continue;
    let record: RunRecordJson;
    try {
      record = JSON.parse(await readFile(join(runsDir, name), 'utf8')) as RunRecordJson;
    } catch {
      continue; // Written by rename, so never torn; but a temp file may share the folder.
    }
    if (record.flowId === flowId && record.status === 'running' && record.nodes[nodeId]?.status === 'running') return record;
  }
  return undefined;
}

describe('weft resume', () => {
  it('finishes a run killed during a wait: interrupted in history, then resumed at the saved due time', async () => {
    // ARRANGE: a run killed while it waits, once its due time is checkpointed
    const first = startCli(['run', 'follow-up.flow.json', '--input', '{"email":"a@b.test","delayMs":1500}'], { cwd: dir });
    const waiting = await waitFor('the pause node to be running with its due time saved', async () => {
      const record = await runningAt('follow-up', 'pause');
      return record?.nodes.pause.state?.until ? record : undefined;
    });
    first.child.kill('SIGKILL');
    const killed = await first.result;
    expect(killed.signal).toBe('SIGKILL');
    const due = Date.parse(waiting.nodes.pause.state!.until!);
    expect(due - Date.parse(waiting.nodes.pause.startedAt!)).toBeGreaterThanOrEqual(1490);

    const history = await runCli(['history', '--json', '--flow', 'follow-up'], { cwd: dir });
    const summary = parseJsonOutput<SummaryJson[]>(history).find((r) => r.id === waiting.id);
    expect(summary?.status).toBe('interrupted');

    // ACT
    const resumed = await runCli(['resume', waiting.id, '--json'], { cwd: dir });

    // ASSERT
    expect(resumed.code, resumed.stderr).toBe(0);
    const record = parseJsonOutput<RunRecordJson>(resumed);
    expect(record.id).not.toBe(waiting.id);
    expect(record).toMatchObject({
      flowId: 'follow-up',
      status: 'completed',
      resumedFrom: waiting.id,
      output: { to: 'a@b.test', subject: 'How did the demo go?', waitedMs: 1500 },
    });
    // The wait ran again (not reused) and ended at its original due time, not earlier.
    expect(record.nodes.pause.status).toBe('completed');
    expect(record.nodes.pause.reused).not.toBe(true);
    expect(Date.parse(record.nodes.pause.finishedAt!)).toBeGreaterThanOrEqual(due);
    // A wait restarted from zero would have a new due time, 1500 ms after the resume; this one kept the saved one
    // (and saved it again, for a resume of this run in turn).
    expect(record.nodes.pause.state).toEqual({ until: waiting.nodes.pause.state!.until });
    expect(record.nodes.draft.status).toBe('completed');
    expect(record.nodes.record.status).toBe('completed');

    // ACT: re-run the completed run from `draft`
    const rerun = await runCli(['resume', record.id, '--from', 'draft', '--json'], { cwd: dir });

    // ASSERT: only draft and record ran again; the wait was reused, so nothing waited
    expect(rerun.code, rerun.stderr).toBe(0);
    const again = parseJsonOutput<RunRecordJson>(rerun);
    expect(again).toMatchObject({ status: 'completed', resumedFrom: record.id, output: { to: 'a@b.test', waitedMs: 1500 } });
    expect(again.nodes.pause).toMatchObject({ status: 'completed', reused: true });
    expect(again.nodes.draft.status).toBe('completed');
    expect(again.nodes.draft.reused).not.toBe(true);
    expect(again.nodes.record.status).toBe('completed');
    expect(again.nodes.record.reused).not.toBe(true);
  });

  it('exits 2 for a run id that is not in history', async () => {
    // ACT
    const result = await runCli(['resume', 'no-such-run'], { cwd: dir });

    // ASSERT
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("No run 'no-such-run'");
  });
});

describe('weft run: cancel with Ctrl+C', () => {
  it('cancels a waiting run on SIGINT: exit 1, recorded as cancelled', async () => {
    // ARRANGE
    const cli = startCli(['run', 'long-wait.flow.json'], { cwd: dir });
    const waiting = await waitFor('the sleep node to be running', () => runningAt('long-wait', 'sleep'));

    // ACT
    cli.child.kill('SIGINT');
    const result = await cli.result;

    // ASSERT
    expect(result.signal).toBeNull();
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^cancelled in .* · run /m);
    const history = await runCli(['history', '--json', '--flow', 'long-wait'], { cwd: dir });
    const summaries = parseJsonOutput<SummaryJson[]>(history);
    expect(summaries.map((s) => ({ id: s.id, status: s.status }))).toEqual([{ id: waiting.id, status: 'cancelled' }]);
  });
});
