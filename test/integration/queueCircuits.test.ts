// Queue mode's circuit breakers as users run them: `weft serve --queue` and two `weft worker` processes of the
// built CLI on a real Redis. Failures on worker A open the circuit of a down upstream; worker B, a process that
// never called it, fails fast without calling it; `/_weft/status` of the serve lists it open; once the upstream is
// back, a probe on B closes it for everyone.

import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CircuitSnapshot } from '../../src/engine/circuit/circuitBreaker';
import type { RunRecord } from '../../src/engine/run/runRecord';
import { QueueCluster, post, stopGracefully, waitForFinal } from './queueHarness';
import { waitFor } from './runCli';

let cluster: QueueCluster;
let upstream: Server;
let upstreamHost: string;
let healthy = false;
let calls = 0;

beforeAll(async () => {
  upstream = createServer((_request, response) => {
    calls++;
    response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    response.end(healthy ? '{"ok":true}' : '{"error":"down"}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamHost = `127.0.0.1:${(upstream.address() as { port: number }).port}`;
  cluster = await QueueCluster.start('queue-circuits');
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
}, 60_000);

async function runOnce(url: string): Promise<RunRecord> {
  const started = await post(url, '/_weft/runs', { flow: 'orders', input: {} });
  const { executionId } = started.json as { executionId: string };
  const records = await waitForFinal(cluster.history(), [executionId], `run ${executionId} to end`, 60_000);
  return records.get(executionId)!;
}

async function circuits(url: string): Promise<CircuitSnapshot[]> {
  return ((await (await fetch(`${url}/_weft/status`)).json()) as { circuits: CircuitSnapshot[] }).circuits;
}

describe('queue mode: circuits shared by the workers', () => {
  it('opens on worker A, fails fast on worker B, shows in the serve status, and closes for all after a probe', async () => {
    // ARRANGE
    const flows = await cluster.writeFlows('flows', {
      'orders.flow.json': {
        version: 1,
        id: 'orders',
        triggers: [{ type: 'webhook', path: 'orders', respond: 'ack' }],
        nodes: [{ id: 'call', type: 'http', config: { url: `http://${upstreamHost}/orders`, circuitBreaker: { failures: 2, cooldownMs: 3_000 } } }],
      },
    });
    const { url } = await cluster.serve(flows);
    const workerA = await cluster.worker(flows, { concurrency: 1 });

    // ACT: two failing runs on A open the circuit
    const first = await runOnce(url);
    const second = await runOnce(url);

    // ASSERT
    expect([first.status, second.status]).toEqual(['failed', 'failed']);
    expect(calls).toBe(2);
    const open = await circuits(url);
    expect(open).toEqual([expect.objectContaining({ target: `http ${upstreamHost}`, state: 'open', failures: 2 })]);

    // ACT: A stops; B (a fresh process) runs the next one
    await stopGracefully(workerA);
    await cluster.worker(flows, { concurrency: 1 });
    const refused = await runOnce(url);

    // ASSERT: failed fast, the upstream not called
    expect(refused.status).toBe('failed');
    expect(refused.nodes.call.error?.code).toBe('circuit-open');
    expect(calls).toBe(2);

    // ACT: the upstream is back; runs until the cooldown lets B's probe through
    healthy = true;
    const probed = await waitFor('a run to pass once the circuit lets its probe through', async () => {
      const record = await runOnce(url);
      return record.status === 'completed' ? record : undefined;
    }, 60_000);

    // ASSERT
    expect(probed.status).toBe('completed');
    expect(calls).toBe(3);
    expect(await circuits(url)).toEqual([expect.objectContaining({ target: `http ${upstreamHost}`, state: 'closed', failures: 0 })]);
  }, 180_000);
});
