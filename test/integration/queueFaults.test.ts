// Queue mode under faults (spec section 15), with a real Redis and real processes: a worker killed with SIGKILL
// halfway through 1,000 webhook requests, Redis restarted mid-load, the serve killed and restarted while workers
// run, and schedules with two serves. Every acknowledged run must end `completed` exactly once in the serve's
// history; a node that completed never runs again (only the node in flight at a kill may: at-least-once). Node
// executions are counted where they happen: each node is an http call to a real local server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../support/localServer';
import { load, QueueCluster, stopGracefully, waitForFinal, type Reply } from './queueHarness';

const NODES = ['n1', 'n2', 'n3'];

/** A flow whose every node is a call to `url`, naming the run and the node. */
function hitsFlow(url: string): object {
  return {
    version: 1,
    id: 'hits',
    triggers: [{ type: 'webhook', path: 'hits', respond: 'ack' }],
    nodes: NODES.map((id) => ({ id, type: 'http', config: { url: `${url}/hit`, query: { e: '{{ execution.id }}', n: id } } })),
    edges: NODES.slice(1).map((id, i) => ({ from: NODES[i], to: id })),
  };
}

function acceptedIds(replies: readonly Reply[]): string[] {
  return replies.filter((reply) => reply.status === 202).map((reply) => (reply.json as { executionId: string }).executionId);
}

describe('queue mode under faults', () => {
  let cluster: QueueCluster;
  let calls: LocalServer;
  let flows: string;
  /** Calls per run and node: `<executionId> <nodeId>` → count. */
  const counts = (): Map<string, number> => {
    const map = new Map<string, number>();
    for (const request of calls.requests) {
      const key = `${request.query.get('e')} ${request.query.get('n')}`;
      map.set(key, (map.get(key) ?? 0) + 1);
    }
    return map;
  };

  beforeAll(async () => {
    calls = await startLocalServer((_request, response) => {
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), 5);
    });
    cluster = await QueueCluster.start('queue-faults');
    flows = await cluster.writeFlows('flows', { 'hits.flow.json': hitsFlow(calls.url) });
  }, 60_000);

  afterAll(async () => {
    await cluster?.stop();
    await calls?.close();
  }, 60_000);

  it('2 workers, 1,000 requests at 50 connections, one worker killed with SIGKILL halfway: every acknowledged run completes exactly once, no completed node runs twice', async () => {
    // ARRANGE
    const { url, cli: serve } = await cluster.serve(flows, { history: '.weft-kill' });
    const doomed = await cluster.worker(flows, { concurrency: 10 });
    const survivor = await cluster.worker(flows, { concurrency: 10 });
    const history = cluster.history('.weft-kill');
    // ACT
    const replies = await load(url, '/hooks/hits', 1000, 50, (_reply, done) => {
      if (done === 500) doomed.child.kill('SIGKILL');
    });
    const ids = acceptedIds(replies);
    const records = await waitForFinal(history, ids, 'every acknowledged run to end in the serve history', 180_000);
    const listed = (await history.list({ flowId: 'hits', limit: 1_000_000 })).map((summary) => summary.id);
    const perNode = counts();
    await stopGracefully(survivor);
    await stopGracefully(serve);
    // ASSERT
    expect((await doomed.result).signal).toBe('SIGKILL');
    expect(ids.length).toBe(1000);
    expect([...records.values()].filter((record) => record.status !== 'completed')).toEqual([]);
    expect(listed.length).toBe(new Set(listed).size);
    expect(new Set(listed)).toEqual(new Set(ids));
    const resumed = [...records.values()].filter((record) => Object.values(record.nodes).some((node) => node.reused));
    expect(resumed.length).toBeGreaterThan(0);
    for (const record of records.values()) {
      const twice = NODES.filter((node) => (perNode.get(`${record.id} ${node}`) ?? 0) > 1);
      // Every node ran; a node reused from the checkpoint ran exactly once; at most the node in flight at the kill twice.
      for (const node of NODES) expect(perNode.get(`${record.id} ${node}`) ?? 0, `${record.id} ${node}`).toBeGreaterThanOrEqual(1);
      for (const node of NODES) if (record.nodes[node].reused) expect(perNode.get(`${record.id} ${node}`), `${record.id} ${node} reused`).toBe(1);
      expect(twice.length, `${record.id}: ${twice.join(', ')}`).toBeLessThanOrEqual(1);
      for (const node of twice) expect(perNode.get(`${record.id} ${node}`)).toBe(2);
    }
  }, 300_000);
});
