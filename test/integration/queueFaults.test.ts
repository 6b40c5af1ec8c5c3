// Queue mode under faults (spec section 15), with a real Redis and real processes: a worker killed with SIGKILL
// halfway through 1,000 webhook requests, Redis restarted mid-load, the serve killed and restarted while workers
// run, and schedules with two serves. Every acknowledged run must end `completed` exactly once in the serve's
// history; a node that completed never runs again (only the node in flight at a kill may: at-least-once). Node
// executions are counted where they happen: each node is an http call to a real local server.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalServer, type LocalServer } from '../support/localServer';
import { waitFor } from './runCli';
import { load, post, QueueCluster, stopGracefully, waitForFinal, type Reply } from './queueHarness';

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
  /** How long the local server takes per call: longer where a test needs runs still in flight. */
  let hitDelayMs = 5;
  /**
   * While set, calls of the last node wait for it: runs in flight then stand at that node with the others done
   * (checkpointed), whatever the machine's speed, so a worker killed meanwhile surely leaves runs to resume.
   */
  let lastNodeHeld: { released: Promise<void>; waiting: number } | undefined;
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
    calls = await startLocalServer(async (request, response) => {
      const held = lastNodeHeld;
      if (held && request.query.get('n') === NODES[NODES.length - 1]) {
        held.waiting++;
        await held.released;
      }
      setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'), hitDelayMs);
    });
    cluster = await QueueCluster.start('queue-faults');
    flows = await cluster.writeFlows('flows', {
      'hits.flow.json': hitsFlow(calls.url),
      'echo.flow.json': { version: 1, id: 'echo', triggers: [{ type: 'webhook', path: 'echo', respond: 'result' }], nodes: [{ id: 'out', type: 'transform', config: { output: 'echo' } }] },
    });
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
    let release = (): void => undefined;
    lastNodeHeld = { released: new Promise<void>((resolve) => (release = resolve)), waiting: 0 };
    const held = lastNodeHeld;
    // ACT: while the requests come in, once both workers' 10 slots stand at the last node, the doomed one dies
    const killed = (async () => {
      await waitFor('both workers to hold 10 runs each at the last node', async () => (held.waiting >= 20 ? true : undefined), 120_000);
      doomed.child.kill('SIGKILL');
      await doomed.result;
      lastNodeHeld = undefined;
      release();
    })();
    const replies = await load(url, '/hooks/hits', 1000, 50);
    await killed;
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

  it('Redis restarted mid-load: no acknowledged run is lost, and requests during the outage are answered 503 with Retry-After', async () => {
    // ARRANGE
    const { url, cli: serve } = await cluster.serve(flows, { history: '.weft-redis' });
    const worker = await cluster.worker(flows, { concurrency: 10 });
    const history = cluster.history('.weft-redis');
    // ACT: load, Redis stopped (runs in flight on the worker), load during the outage, Redis back, load again
    const before = await load(url, '/hooks/hits', 200, 50);
    await cluster.redis.kill();
    const during = await load(url, '/hooks/hits', 100, 50);
    const resultDuring = await post(url, '/hooks/echo', {});
    await cluster.redis.start();
    await waitFor('the serve to accept runs again', async () => ((await post(url, '/hooks/hits', { n: -1 })).status === 202 ? true : undefined), 30_000, 250);
    const after = await load(url, '/hooks/hits', 200, 50);
    const ids = acceptedIds([...before, ...during, ...after]);
    const records = await waitForFinal(history, ids, 'every acknowledged run to end after the Redis restart', 120_000);
    await stopGracefully(worker);
    await stopGracefully(serve);
    // ASSERT
    expect(before.map((reply) => reply.status)).toEqual(before.map(() => 202));
    expect(during.map((reply) => reply.status)).toEqual(during.map(() => 503));
    expect(during.every((reply) => Number(reply.headers['retry-after']) >= 1)).toBe(true);
    expect(resultDuring.status).toBe(503);
    expect(after.map((reply) => reply.status)).toEqual(after.map(() => 202));
    expect([...records.values()].filter((record) => record.status !== 'completed')).toEqual([]);
  }, 300_000);

  it('the serve killed with SIGKILL while workers run, and started again: no record is lost', async () => {
    // ARRANGE: slow calls, so runs are still in flight when the serve dies
    hitDelayMs = 40;
    const first = await cluster.serve(flows, { history: '.weft-restart' });
    const worker = await cluster.worker(flows, { concurrency: 20 });
    const history = cluster.history('.weft-restart');
    // ACT
    const replies = await load(first.url, '/hooks/hits', 300, 50);
    first.cli.child.kill('SIGKILL');
    const ids = acceptedIds(replies);
    const recordedBefore = (await history.list({ flowId: 'hits', limit: 1_000_000 })).filter((summary) => ids.includes(summary.id) && summary.status === 'completed').length;
    const second = await cluster.serve(flows, { history: '.weft-restart' });
    const records = await waitForFinal(history, ids, 'every acknowledged run to end in the restarted serve history', 120_000);
    await stopGracefully(worker);
    await stopGracefully(second.cli);
    hitDelayMs = 5;
    // ASSERT
    expect((await first.cli.result).signal).toBe('SIGKILL');
    expect(ids.length).toBe(300);
    expect(recordedBefore).toBeLessThan(300);
    expect([...records.values()].filter((record) => record.status !== 'completed')).toEqual([]);
  }, 300_000);

  it('a schedule fires once per due time with two serves', async () => {
    // ARRANGE
    const scheduled = await cluster.writeFlows('scheduled', {
      'tick.flow.json': {
        version: 1,
        id: 'tick',
        triggers: [{ type: 'schedule', cron: '* * * * * *' }],
        nodes: [{ id: 'out', type: 'transform', config: { output: 'tick' } }],
      },
    });
    const one = await cluster.serve(scheduled, { history: '.weft-tick-1' });
    const two = await cluster.serve(scheduled, { history: '.weft-tick-2' });
    const worker = await cluster.worker(scheduled, { concurrency: 5 });
    const history = cluster.history('.weft-tick-1');
    const otherHistory = cluster.history('.weft-tick-2');
    // ACT
    const runs = await waitFor(
      'runs of 5 due times',
      async () => {
        const summaries = (await history.list({ flowId: 'tick', limit: 1_000_000 })).filter((summary) => summary.status === 'completed');
        return summaries.length >= 5 ? summaries : undefined;
      },
      60_000,
      250,
    );
    await stopGracefully(one.cli);
    await stopGracefully(two.cli);
    await stopGracefully(worker);
    const records = await Promise.all(runs.map(async (summary) => (await history.get(summary.id))!));
    const inOther = await waitForFinal(otherHistory, records.map((record) => record.id), 'the same runs in the other serve history', 30_000);
    // ASSERT
    const dueTimes = records.map((record) => String(record.trigger.scheduledFor));
    expect(new Set(dueTimes).size).toBe(dueTimes.length);
    expect(dueTimes.every((time) => Number.isFinite(Date.parse(time)))).toBe(true);
    expect(inOther.size).toBe(records.length);
  }, 120_000);
});
