// Queue mode's workers share their circuit breakers through Redis: two RedisCircuitStores on two connections (two
// workers) against a real Redis, on a clock the test moves. What opens on one fails fast on the other; a probe on
// either closes it for both; each transition is told to exactly one caller; every key has a TTL.

import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { callThroughCircuit, type CircuitChange } from '../../src/engine/circuit/callThroughCircuit';
import type { CircuitSettings } from '../../src/engine/circuit/circuitBreaker';
import type { StoreAdmission } from '../../src/engine/circuit/circuitStore';
import { WeftError } from '../../src/engine/errors';
import { RedisCircuitStore } from '../../src/queue/redisCircuitStore';
import { startRedis, type RedisServer } from '../support/redisServer';

const SETTINGS: CircuitSettings = { failures: 2, windowMs: 60_000, cooldownMs: 30_000 };
const TARGET = 'http api.example.test';

let server: RedisServer;
let connections: Redis[] = [];

beforeAll(async () => {
  server = await startRedis();
}, 30_000);

afterAll(async () => {
  await server?.stop();
});

afterEach(async () => {
  const flush = new Redis(server.port, '127.0.0.1');
  await flush.flushall();
  flush.disconnect();
  for (const connection of connections) connection.disconnect();
  connections = [];
});

function clock(start = 1_800_000_000_000): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** A worker's store: its own connection, the shared clock. */
function worker(now: () => number): RedisCircuitStore {
  const connection = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: null });
  connections.push(connection);
  return new RedisCircuitStore(connection, now);
}

/** A call that fails with HTTP 503 (after `before`, when given), through the store's circuit; the changes it was told. */
async function fail(store: RedisCircuitStore, before?: () => Promise<void>): Promise<CircuitChange[]> {
  const changes: CircuitChange[] = [];
  await callThroughCircuit({ store, target: TARGET, settings: SETTINGS, onChange: (change) => changes.push(change) }, async () => {
    await before?.();
    throw new WeftError('http-status', 'HTTP 503');
  }).catch((error: unknown) => {
    if ((error as WeftError).code !== 'http-status') throw error;
  });
  return changes;
}

async function succeed(store: RedisCircuitStore): Promise<{ changes: CircuitChange[]; error?: WeftError }> {
  const changes: CircuitChange[] = [];
  try {
    await callThroughCircuit({ store, target: TARGET, settings: SETTINGS, onChange: (change) => changes.push(change) }, () => Promise.resolve('ok'));
    return { changes };
  } catch (error) {
    return { changes, error: error as WeftError };
  }
}

describe('circuits shared through Redis', () => {
  it('opens on failures from two workers, fails fast on both, and closes for both after one probe succeeds', async () => {
    // ARRANGE
    const time = clock();
    const workerA = worker(time.now);
    const workerB = worker(time.now);

    // ACT: one failure on each worker reaches the threshold of 2
    const firstChanges = await fail(workerA);
    const secondChanges = await fail(workerB);

    // ASSERT: B's failure opened it, and only B was told
    expect(firstChanges).toEqual([]);
    expect(secondChanges).toEqual([{ transition: 'opened', circuit: expect.objectContaining({ target: TARGET, state: 'open', failures: 2 }) }]);
    const refusedOnA = await succeed(workerA);
    expect(refusedOnA.error?.code).toBe('circuit-open');
    expect(refusedOnA.error?.details).toEqual({ target: TARGET, state: 'open', retryAt: new Date(time.now() + 30_000).toISOString() });
    expect((await workerB.circuits()).map((circuit) => [circuit.target, circuit.state])).toEqual([[TARGET, 'open']]);

    // ACT: after the cooldown, A's probe succeeds
    time.advance(30_000);
    const probe = await succeed(workerA);

    // ASSERT: closed for both, told once
    expect(probe.error).toBeUndefined();
    expect(probe.changes).toEqual([{ transition: 'closed', circuit: expect.objectContaining({ state: 'closed' }) }]);
    expect(await succeed(workerB)).toEqual({ changes: [] });
    expect(await workerA.circuits()).toEqual([expect.objectContaining({ target: TARGET, state: 'closed', failures: 0 })]);
  });

  it('admits exactly one probe across workers, and a failed probe opens it again', async () => {
    // ARRANGE: opened by A
    const time = clock();
    const workerA = worker(time.now);
    const workerB = worker(time.now);
    await fail(workerA);
    await fail(workerA);
    time.advance(30_000);

    // ACT: both ask at once
    const [onA, onB] = await Promise.all([workerA.admit(TARGET, SETTINGS), workerB.admit(TARGET, SETTINGS)]);

    // ASSERT
    const admitted = [onA, onB].filter((admission) => admission.admitted);
    expect(admitted).toEqual([expect.objectContaining({ admitted: true, probe: true })]);
    const prober = onA.admitted ? workerA : workerB;
    const settled = await prober.settle(TARGET, SETTINGS, admitted[0] as StoreAdmission, 'failed');
    expect(settled.transition).toBe('opened');
    expect((await workerB.admit(TARGET, SETTINGS)).admitted).toBe(false);
  });

  it('lets another call probe when the probing worker died (its lease passed)', async () => {
    // ARRANGE: A takes the probe and never reports
    const time = clock();
    const workerA = worker(time.now);
    const workerB = worker(time.now);
    await fail(workerA);
    await fail(workerA);
    time.advance(30_000);
    expect(await workerA.admit(TARGET, SETTINGS)).toEqual(expect.objectContaining({ admitted: true, probe: true }));
    expect((await workerB.admit(TARGET, SETTINGS)).admitted).toBe(false);

    // ACT
    time.advance(30_000);
    const probe = await succeed(workerB);

    // ASSERT
    expect(probe.changes.map((change) => change.transition)).toEqual(['closed']);
  });

  it('tells exactly one caller of the opening when many failures on two workers land at once', async () => {
    // ARRANGE
    const time = clock();
    const workers = [worker(time.now), worker(time.now)];

    // ACT: 20 failing calls, half on each worker, all in flight together: none fails before all 20 are admitted
    const calls = 20;
    let admitted = 0;
    let allAdmitted!: () => void;
    const gate = new Promise<void>((resolve) => (allAdmitted = resolve));
    const failOnceAllAdmitted = async (): Promise<void> => {
      if (++admitted === calls) allAdmitted();
      await gate;
    };
    const changes = (await Promise.all(Array.from({ length: calls }, (_, index) => fail(workers[index % 2], failOnceAllAdmitted)))).flat();

    // ASSERT
    expect(changes.map((change) => change.transition)).toEqual(['opened']);
    expect(changes[0].circuit.failures).toBe(2);
  });

  it('counts only failures within the window, and is not closed by a call admitted before it opened', async () => {
    // ARRANGE
    const time = clock();
    const workerA = worker(time.now);
    const workerB = worker(time.now);
    await fail(workerA);
    time.advance(60_000);

    // ACT: the first failure has left the window; B's call is admitted while closed and still in flight
    const inFlight = await workerB.admit(TARGET, SETTINGS);
    const afterWindow = await fail(workerA);
    const opening = await fail(workerA);
    const lateSuccess = await workerB.settle(TARGET, SETTINGS, inFlight, 'succeeded');

    // ASSERT
    expect(afterWindow).toEqual([]);
    expect(opening.map((change) => change.transition)).toEqual(['opened']);
    expect(lateSuccess.transition).toBeUndefined();
    expect((await workerB.admit(TARGET, SETTINGS)).admitted).toBe(false);
  });

  it('keeps every key with a TTL', async () => {
    // ARRANGE
    const time = clock(Date.now());
    const workerA = worker(time.now);
    await fail(workerA);
    const inspect = connections[0];

    // ACT
    const keys = await inspect.keys('weft:circuit*');

    // ASSERT
    expect(keys.sort()).toEqual(['weft:circuit:http api.example.test', 'weft:circuit:http api.example.test:failures', 'weft:circuits']);
    for (const key of keys) expect(await inspect.pttl(key), key).toBeGreaterThan(0);
    await fail(workerA);
    for (const key of await inspect.keys('weft:circuit*')) expect(await inspect.pttl(key), key).toBeGreaterThan(0);
  });
});
