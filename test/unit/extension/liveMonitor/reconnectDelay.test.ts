import { describe, expect, it } from 'vitest';
import { DEFAULT_BACKOFF, reconnectDelay } from '../../../../src/extension/liveMonitor/reconnectDelay';

describe('reconnectDelay', () => {
  it('doubles from 0.5 s up to the 30 s cap without jitter (random 0.5)', () => {
    // ACT
    const waits = [1, 2, 3, 4, 5, 6, 7, 8, 20].map((attempt) => reconnectDelay(attempt, DEFAULT_BACKOFF, () => 0.5));

    // ASSERT
    expect(waits).toEqual([500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  });

  it('spreads each wait by ±20% and never beyond the cap', () => {
    // ACT
    const low = reconnectDelay(3, DEFAULT_BACKOFF, () => 0);
    const high = reconnectDelay(3, DEFAULT_BACKOFF, () => 1);
    const capped = reconnectDelay(30, DEFAULT_BACKOFF, () => 1);

    // ASSERT
    expect([low, high, capped]).toEqual([1600, 2400, 30_000]);
  });
});
