import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { InvocationLog, type Invocation, type InvocationLogFile } from '../../../src/live/invocationLog';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-invocations-'));
});
afterEach(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

const invocation = (n: number, status = 202): Invocation => ({ at: new Date(n * 1000).toISOString(), method: 'POST', path: 'orders', status, latencyMs: n });

describe('InvocationLog', () => {
  it('keeps the newest invocations up to its capacity, newest first', () => {
    // ARRANGE
    const log = new InvocationLog({ flowId: 'orders', capacity: 3 });
    // ACT
    for (let n = 1; n <= 10; n++) log.add(invocation(n));
    // ASSERT
    expect(log.recent().map((i) => i.latencyMs)).toEqual([10, 9, 8]);
  });

  it('writes many changes in one coalesced write, in a file a reader can parse', async () => {
    // ARRANGE
    const file = join(dir, 'live', 'orders.invocations.json');
    const log = new InvocationLog({ flowId: 'orders', file, capacity: 5, delayMs: 50 });
    // ACT
    for (let n = 1; n <= 100; n++) log.add(invocation(n, n % 2 === 0 ? 202 : 401));
    await new Promise((resolve) => setTimeout(resolve, 200));
    const data = JSON.parse(await readFile(file, 'utf8')) as InvocationLogFile;
    // ASSERT
    expect(data.flowId).toBe('orders');
    expect(data.invocations.map((i) => i.status)).toEqual([202, 401, 202, 401, 202]);
    expect(data.invocations[0].latencyMs).toBe(100);
  });

  it('flush writes what is pending at once', async () => {
    // ARRANGE
    const file = join(dir, 'orders.invocations.json');
    const log = new InvocationLog({ flowId: 'orders', file, delayMs: 60_000 });
    log.add(invocation(1, 429));
    // ACT
    await log.flush();
    // ASSERT
    const data = JSON.parse(await readFile(file, 'utf8')) as InvocationLogFile;
    expect(data.invocations).toEqual([invocation(1, 429)]);
  });

  it('goes on from what an earlier server left in the file', async () => {
    // ARRANGE
    const file = join(dir, 'orders.invocations.json');
    const earlier: InvocationLogFile = { flowId: 'orders', updatedAt: '', invocations: [invocation(2), invocation(1)] };
    await mkdir(dir, { recursive: true });
    await writeFile(file, JSON.stringify(earlier));
    const log = new InvocationLog({ flowId: 'orders', file, capacity: 3 });
    // ACT
    await log.load();
    log.add(invocation(3));
    log.add(invocation(4));
    // ASSERT
    expect(log.recent().map((i) => i.latencyMs)).toEqual([4, 3, 2]);
  });

  it('starts empty from a missing or corrupt file', async () => {
    // ARRANGE
    const file = join(dir, 'orders.invocations.json');
    await writeFile(file, '{ not json');
    const log = new InvocationLog({ flowId: 'orders', file });
    // ACT
    await log.load();
    // ASSERT
    expect(log.recent()).toEqual([]);
  });
});
