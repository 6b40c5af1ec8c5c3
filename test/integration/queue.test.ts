// Queue mode end to end (spec section 15), as users run it: a real Redis, `weft serve --queue` and `weft worker`
// as processes of the built CLI. An `ack` and a `result` webhook run on a worker and land in the serve's history;
// a worker never runs a run with another version of its flow; a run no worker can run lands in the dead letter,
// and `weft retry` brings it back; `weft status` and `/_weft/status` show the queue.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, waitFor } from './runCli';
import { post, QueueCluster, stopGracefully, waitForFinal } from './queueHarness';

const ackFlow = {
  version: 1,
  id: 'greet',
  triggers: [{ type: 'webhook', path: 'greet', respond: 'ack' }],
  nodes: [
    { id: 'a', type: 'transform', config: { output: { n: '{{ input.n }}' } } },
    { id: 'b', type: 'transform', config: { output: { hello: '{{ input.n }}' } } },
  ],
  edges: [{ from: 'a', to: 'b' }],
};
const resultFlow = (factor: number): object => ({
  version: 1,
  id: 'double',
  triggers: [{ type: 'webhook', path: 'double', respond: 'result' }],
  nodes: [{ id: 'out', type: 'transform', config: { output: { value: `{{ input.n * ${factor} }}` } } }],
});
const tsFlow = (label: string, id = 'typed', respond = 'ack'): string => `import { flow } from 'weft';
export default flow({
  version: 1,
  id: '${id}',
  triggers: [{ type: 'webhook', path: '${id}', respond: '${respond}' }],
  nodes: [{ id: 'out', type: 'transform', config: { output: { version: '${label}' } } }],
});
`;

describe('queue mode: serve --queue and weft worker', () => {
  let cluster: QueueCluster;
  let serveFlows: string;

  beforeAll(async () => {
    cluster = await QueueCluster.start('queue');
    serveFlows = await cluster.writeFlows('flows', { 'greet.flow.json': ackFlow, 'double.flow.json': resultFlow(2), 'typed.flow.ts': tsFlow('one'), 'typed-result.flow.ts': tsFlow('one', 'typed-result', 'result') });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
  }, 60_000);

  it('runs an ack and a result webhook on a worker, and the serve records them', async () => {
    // ARRANGE
    const serve = await cluster.serve('flows');
    const url = serve.url;
    const worker = await cluster.worker('flows');
    const history = cluster.history();
    // ACT
    const ack = await post(url, '/hooks/greet', { n: 7 });
    const result = await post(url, '/hooks/double', { n: 21 });
    const ackId = (ack.json as { executionId: string }).executionId;
    const records = await waitForFinal(history, [ackId, String(result.headers['x-weft-execution-id'])], 'both runs in the serve history', 30_000);
    const shown = await runCli(['show', ackId, '--json', '--history', '.weft'], { cwd: cluster.dir });
    const status = await runCli(['status', '--queue', cluster.redis.url, '--json'], { cwd: cluster.dir });
    const live = (await (await fetch(`${url}/_weft/status`)).json()) as { queue: { counts: { completed: number }; workers: unknown[] } };
    const exit = await stopGracefully(worker);
    await stopGracefully(serve.cli);
    // ASSERT
    expect(ack.status).toBe(202);
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ value: 42 });
    expect(records.get(ackId)?.status).toBe('completed');
    expect(records.get(ackId)?.output).toEqual({ hello: 7 });
    expect(JSON.parse(shown.stdout).id).toBe(ackId);
    const parsed = JSON.parse(status.stdout) as { counts: { completed: number }; workers: Array<{ pid: number; concurrency: number }> };
    expect(parsed.counts.completed).toBeGreaterThanOrEqual(2);
    expect(parsed.workers.map((w) => w.pid)).toContain(worker.child.pid);
    expect(live.queue.counts.completed).toBeGreaterThanOrEqual(2);
    expect(live.queue.workers.length).toBeGreaterThanOrEqual(1);
    expect(exit).toBe(0);
  }, 90_000);

  it('never runs a run with another version: a changed .flow.json runs the carried version, a changed .flow.ts is refused into the dead letter until a worker with its version retries it', async () => {
    // ARRANGE: a worker whose files are newer than the serve's
    const serve = await cluster.serve('flows', { history: '.weft-versions' });
    const url = serve.url;
    const changed = await cluster.writeFlows('changed', { 'double.flow.json': resultFlow(1000), 'typed.flow.ts': tsFlow('two'), 'typed-result.flow.ts': tsFlow('two', 'typed-result', 'result') });
    const newer = await cluster.worker(changed, { env: { WEFT_QUEUE_REFUSAL_DELAY_MS: '100', WEFT_QUEUE_MAX_REFUSALS: '3' } });
    const history = cluster.history('.weft-versions');
    const servedHash = createHash('sha256').update(await readFile(join(serveFlows, 'double.flow.json'), 'utf8')).digest('hex');
    // ACT
    const result = await post(url, '/hooks/double', { n: 3 });
    const [typed, typedResult] = await Promise.all([post(url, '/hooks/typed', {}), post(url, '/hooks/typed-result', {})]);
    const typedId = (typed.json as { executionId: string }).executionId;
    const dead = await waitFor('the refused .flow.ts run in the dead letter', async () => {
      const status = JSON.parse((await runCli(['status', '--queue', cluster.redis.url, '--json'], { cwd: cluster.dir })).stdout) as {
        deadLetter: Array<{ jobId: string; reason: string }>;
      };
      return status.deadLetter.find((job) => job.jobId === typedId);
    }, 30_000, 200);
    const ranBeforeRetry = (await waitForFinal(history, [typedId], 'the dead letter recorded in the serve history', 30_000)).get(typedId);
    await stopGracefully(newer);
    const older = await cluster.worker('flows');
    const retry = await runCli(['retry', typedId, '--queue', cluster.redis.url], { cwd: cluster.dir });
    const retried = await waitFor('the retried run to complete on a worker with its version', async () => {
      const record = await history.get(typedId);
      return record?.status === 'completed' ? record : undefined;
    }, 30_000, 100);
    await stopGracefully(older);
    await stopGracefully(serve.cli);
    // ASSERT
    expect(result.status).toBe(200);
    expect(result.json).toEqual({ value: 6 });
    const resultRecord = await history.get(String(result.headers['x-weft-execution-id']));
    expect(resultRecord!.flowHash).toBe(servedHash);
    expect(typed.status).toBe(202);
    expect(dead.reason).toContain('flow-version-mismatch');
    // A `result` request for a refused run hears why, not that the server stopped.
    expect(typedResult.status).toBe(503);
    expect(typedResult.json).toMatchObject({ error: { code: 'flow-version-mismatch' } });
    expect(JSON.stringify(typedResult.json)).not.toContain('stopped');
    expect(newer.stdout()).toContain(`Refused run ${typedId}`);
    expect(ranBeforeRetry?.status).toBe('interrupted');
    expect(ranBeforeRetry?.error?.code).toBe('flow-version-mismatch');
    expect(ranBeforeRetry?.output).toBeUndefined();
    expect(retry.code).toBe(0);
    expect(retried.output).toEqual({ version: 'one' });
    const kept = await readFile(join(cluster.dir, '.weft-versions', 'live', 'definitions', `${resultRecord!.flowHash}.flow.json`), 'utf8');
    expect(JSON.parse(kept)).toEqual(resultFlow(2));
  }, 120_000);
});
