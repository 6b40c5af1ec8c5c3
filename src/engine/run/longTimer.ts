// A timeout of any length. Node's setTimeout takes at most 2^31-1 ms (24.8 days) and fires at once, with a
// warning, for anything longer; users set waits, timeouts and backoffs in days. A long delay is a chain of
// capped timers, each counting down what is left. An infinite delay never fires.

/** The longest delay one setTimeout honours. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

export interface LongTimer {
  /** Stops the timer; the callback will not run. Safe to call more than once, or after it fired. */
  clear(): void;
}

/** Calls `callback` once, `ms` milliseconds from now (0 for a negative or NaN delay, never for Infinity). */
export function setLongTimeout(callback: () => void, ms: number): LongTimer {
  let remaining = Number.isNaN(ms) ? 0 : Math.max(0, ms);
  let timer: NodeJS.Timeout | undefined;
  const arm = (): void => {
    if (remaining === Infinity) return;
    const step = Math.min(remaining, MAX_TIMER_MS);
    remaining -= step;
    timer = setTimeout(() => {
      timer = undefined;
      if (remaining > 0) arm();
      else callback();
    }, step);
  };
  arm();
  return {
    clear(): void {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      remaining = Infinity;
    },
  };
}

/** Like AbortSignal.timeout, for any length (AbortSignal.timeout fires at once past 24.8 days). Clear it when done. */
export function longTimeoutSignal(ms: number): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setLongTimeout(() => controller.abort(new DOMException('The operation timed out.', 'TimeoutError')), ms);
  return { signal: controller.signal, clear: () => timer.clear() };
}
