import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/live/rateLimiter';

function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('RateLimiter', () => {
  it('lets a burst of one second of requests through, then refuses with the wait until the next token', () => {
    // ARRANGE
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, now: time.now });
    // ACT
    const burst = Array.from({ length: 10 }, () => limiter.take().ok);
    const over = limiter.take();
    // ASSERT
    expect(burst.every(Boolean)).toBe(true);
    expect(over).toEqual({ ok: false, retryAfterMs: 100 });
  });

  it('refills at the rate as time passes, never above the burst', () => {
    // ARRANGE
    const time = clock();
    const limiter = new RateLimiter({ ratePerSecond: 10, burst: 2, now: time.now });
    limiter.take();
    limiter.take();
    // ACT
    time.advance(100);
    const afterOneToken = [limiter.take().ok, limiter.take().ok];
    time.advance(60_000);
    const afterLongQuiet = [limiter.take().ok, limiter.take().ok, limiter.take().ok];
    // ASSERT
    expect(afterOneToken).toEqual([true, false]);
    expect(afterLongQuiet).toEqual([true, true, false]);
  });

  it('has no limit at 0', () => {
    // ARRANGE
    const limiter = new RateLimiter({ ratePerSecond: 0, now: () => 0 });
    // ACT
    const results = Array.from({ length: 10_000 }, () => limiter.take().ok);
    // ASSERT
    expect(results.every(Boolean)).toBe(true);
  });

  it('refuses a negative or non-numeric rate', () => {
    // ACT / ASSERT
    expect(() => new RateLimiter({ ratePerSecond: -1 })).toThrow(/requests per second/);
    expect(() => new RateLimiter({ ratePerSecond: Number.NaN })).toThrow(/requests per second/);
  });
});
