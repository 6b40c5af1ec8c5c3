// How long to wait before the next attempt (spec section 3): exponential doubles the delay each retry.

import type { ResolvedRetry } from '../model/compiledFlow';

/** The delay before attempt `nextAttempt` (2 for the first retry). */
export function retryDelay(retry: ResolvedRetry, nextAttempt: number): number {
  const retryNumber = nextAttempt - 1;
  const delay = retry.backoff === 'fixed' ? retry.delayMs : retry.delayMs * 2 ** (retryNumber - 1);
  return Math.min(delay, retry.maxDelayMs);
}
