// How long the live event client waits before its next attempt: exponential backoff with a cap and jitter, so that
// a restarted server is found again within seconds and a server that stays down costs one attempt per cap, and so
// that many editors watching one server do not all come back in the same millisecond (docs/decisions.md).

export interface BackoffOptions {
  /** The first wait, in ms. */
  initialMs: number;
  /** No wait is longer than this. */
  maxMs: number;
  /** Each failed attempt multiplies the wait by this. */
  factor: number;
  /** ±this share of the wait is random (0: none). */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 30_000, factor: 2, jitter: 0.2 };

/**
 * The wait before attempt number `attempt` (1 for the first retry after a connection is lost). `random` returns
 * 0..1 (Math.random); 0.5 gives the wait without jitter.
 */
export function reconnectDelay(attempt: number, options: BackoffOptions = DEFAULT_BACKOFF, random: () => number = Math.random): number {
  const exponent = Math.max(0, attempt - 1);
  const base = Math.min(options.maxMs, options.initialMs * options.factor ** exponent);
  const jittered = base * (1 + options.jitter * (2 * random() - 1));
  return Math.round(Math.min(options.maxMs, Math.max(0, jittered)));
}
