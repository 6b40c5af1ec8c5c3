import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TTL_MS, IdempotencyKeys, idempotencyKeysFile } from '../../../src/live/idempotencyKeys';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-idempotency-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('IdempotencyKeys', () => {
  it('remembers an answer per flow and key on disk, and forgets it after 24 hours', async () => {
    // ARRANGE
    let now = Date.parse('2026-01-01T00:00:00Z');
    const file = idempotencyKeysFile(dir);
    const keys = new IdempotencyKeys(file, () => now);
    await keys.load();
    // ACT
    await keys.remember('orders', 'k1', { at: new Date(now).toISOString(), status: 202, executionId: 'run-1' });
    const reloaded = new IdempotencyKeys(file, () => now);
    await reloaded.load();
    // ASSERT
    expect(reloaded.find('orders', 'k1')).toEqual({ at: '2026-01-01T00:00:00.000Z', status: 202, executionId: 'run-1' });
    expect(reloaded.find('other-flow', 'k1')).toBeUndefined();
    now += IDEMPOTENCY_TTL_MS - 1;
    expect(reloaded.find('orders', 'k1')).toBeDefined();
    now += 1;
    expect(reloaded.find('orders', 'k1')).toBeUndefined();
    await reloaded.remember('orders', 'k2', { at: new Date(now).toISOString(), status: 200, executionId: 'run-2' });
    expect(Object.keys((JSON.parse(await readFile(file, 'utf8')) as { keys: object }).keys)).toEqual(['orders k2']);
  });

  it('marks a key pending until its first answer settles', async () => {
    // ARRANGE
    const keys = new IdempotencyKeys(idempotencyKeysFile(dir));
    await keys.load();
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    // ACT
    keys.begin('orders', 'k1', done);
    const pending = keys.pending('orders', 'k1');
    settle();
    await pending;
    // ASSERT
    expect(pending).toBeDefined();
    expect(keys.pending('orders', 'k1')).toBeUndefined();
  });
});
