// `/_weft/status` of `weft serve` lists the circuit breakers of the process: a run whose http node opened its
// target's circuit shows that target open there, with when a probe goes through.

import { createServer, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { CircuitSnapshot } from '../../src/engine/circuit/circuitBreaker';
import { startLiveServer, type LiveServer } from '../../src/live/liveServer';
import { makeWorkspace, waitFor } from './runCli';

let workspace: { dir: string; remove: () => Promise<void> };
let history: HistoryStore;
let server: LiveServer;
let upstream: Server;
let upstreamHost: string;

async function getJson(url: string, init?: RequestInit): Promise<any> {
  const response = await fetch(url, init);
  return response.json();
}

beforeAll(async () => {
  // An upstream that is down: every answer a 503.
  upstream = createServer((_request, response) => {
    response.writeHead(503, { 'content-type': 'application/json' });
    response.end('{"error":"down"}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamHost = `127.0.0.1:${(upstream.address() as { port: number }).port}`;
  workspace = await makeWorkspace('serve-circuits');
  const flows = join(workspace.dir, 'flows');
  await mkdir(flows, { recursive: true });
  const flow = {
    version: 1,
    id: 'orders',
    nodes: [{ id: 'call', type: 'http', config: { url: `http://${upstreamHost}/orders`, circuitBreaker: { failures: 1, cooldownMs: 600_000 } } }],
  };
  await writeFile(join(flows, 'orders.flow.json'), JSON.stringify(flow));
  history = HistoryStore.open({ dir: join(workspace.dir, '.weft') });
  server = await startLiveServer({ dir: flows, port: 0, history, rateLimit: 0 });
});

afterAll(async () => {
  await server?.close({ graceMs: 1000, inFlight: 'cancel' });
  await history?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await workspace?.remove();
});

describe('/_weft/status circuits', () => {
  it('lists a target whose circuit a run opened, with its state and when the probe goes through', async () => {
    // ARRANGE
    const before = await getJson(`${server.url}/_weft/status`);
    expect(before.circuits).toEqual([]);

    // ACT
    const { executionId } = await getJson(`${server.url}/_weft/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ flow: 'orders', input: {} }),
    });
    await waitFor('the run to fail', async () => {
      const record = await getJson(`${server.url}/_weft/runs/${executionId}`);
      return record.status === 'failed' ? record : undefined;
    }, 20_000);

    // ASSERT
    const status = await getJson(`${server.url}/_weft/status`);
    const circuits = status.circuits as CircuitSnapshot[];
    expect(circuits).toEqual([
      expect.objectContaining({ target: `http ${upstreamHost}`, state: 'open', failures: 1, settings: { failures: 1, windowMs: 60_000, cooldownMs: 600_000 } }),
    ]);
    expect(Date.parse(circuits[0].retryAt!) - Date.parse(circuits[0].openedAt!)).toBe(600_000);
  });
});
