// The circuit breakers of one process, one per target. State is per process (spec section 7): the extension's
// run worker, `weft run` and `weft serve` each keep their own; sharing it through Redis in queue mode is not
// done yet (docs/decisions.md). Knows nothing of VS Code, so every host reads the same state.

import { CircuitBreaker } from './circuitBreaker';
import type { CircuitSettings, CircuitSnapshot } from './circuitBreaker';

/** Past this many targets, idle breakers are forgotten (an http node whose URL's host is computed). */
export const MAX_IDLE_CIRCUITS = 1000;

export class CircuitRegistry {
  private readonly breakers = new Map<string, CircuitBreaker>();

  /** `now` is injected so tests drive cooldowns and windows without waiting. */
  constructor(
    private readonly now: () => number = Date.now,
    private readonly maxTargets: number = MAX_IDLE_CIRCUITS,
  ) {}

  /** The breaker of `target`, made on first use; the settings of the latest caller apply. */
  breaker(target: string, settings: CircuitSettings): CircuitBreaker {
    let breaker = this.breakers.get(target);
    if (breaker === undefined) {
      if (this.breakers.size >= this.maxTargets) this.forgetIdle();
      breaker = new CircuitBreaker(target, settings, this.now);
      this.breakers.set(target, breaker);
    } else {
      breaker.configure(settings);
    }
    return breaker;
  }

  private forgetIdle(): void {
    for (const [target, breaker] of this.breakers) if (breaker.idle) this.breakers.delete(target);
  }

  /** Every target called through a breaker so far, in first-use order (for `/_weft/status`). */
  snapshots(): CircuitSnapshot[] {
    return [...this.breakers.values()].map((breaker) => breaker.snapshot());
  }
}

let processRegistry: CircuitRegistry | undefined;

/** The process's registry: what nodes use unless their services bring another (a test's, with a fake clock). */
export function processCircuits(): CircuitRegistry {
  processRegistry ??= new CircuitRegistry();
  return processRegistry;
}
