// A token bucket: the per-flow rate limit of live mode's webhooks. Pure; the clock is injectable so a test can
// step time instead of sleeping.
//
// The bucket holds up to `burst` tokens (default: one second's worth) and refills continuously at `ratePerSecond`.
// A request takes one token or is refused with the time until one is back (the 429's Retry-After).

export interface RateLimiterOptions {
  /** Tokens added per second. 0 or Infinity: no limit. */
  ratePerSecond: number;
  /** Most tokens held at once: how big a burst passes after a quiet spell. Default: ratePerSecond (at least 1). */
  burst?: number;
  /** Milliseconds, monotonic. Default performance.now. */
  now?: () => number;
}

export type TakeResult = { ok: true } | { ok: false; retryAfterMs: number };

const OK: TakeResult = { ok: true };

export class RateLimiter {
  private readonly rate: number;
  private readonly capacity: number;
  private readonly now: () => number;
  private readonly unlimited: boolean;
  private tokens: number;
  private last: number;

  constructor(options: RateLimiterOptions) {
    const rate = options.ratePerSecond;
    if (!(rate >= 0)) throw new RangeError(`A rate limit is a number of requests per second, not ${String(rate)}.`);
    this.unlimited = rate === 0 || rate === Infinity;
    this.rate = rate / 1000; // per millisecond
    this.capacity = Math.max(1, options.burst ?? rate);
    this.now = options.now ?? (() => performance.now());
    this.tokens = this.capacity;
    this.last = this.now();
  }

  take(): TakeResult {
    if (this.unlimited) return OK;
    const now = this.now();
    // A clock that goes backwards (it should not) neither adds nor removes tokens.
    const elapsed = Math.max(0, now - this.last);
    this.last = now;
    this.tokens = Math.min(this.capacity, this.tokens + elapsed * this.rate);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return OK;
    }
    return { ok: false, retryAfterMs: Math.ceil((1 - this.tokens) / this.rate) };
  }
}
