// The circuit breakers of one process, one per target: the in-memory CircuitStore. State is per process (spec
// section 7): the extension's run worker, `weft run` and `weft serve` each keep their own; queue mode's workers
// share theirs through Redis instead (src/queue/redisCircuitStore.ts). Knows nothing of VS Code.

import { CircuitBreaker } from './circuitBreaker';
import type { CircuitSettings, CircuitSnapshot } from './circuitBreaker';
import type { CircuitOutcome, CircuitSettled, CircuitStore, StoreAdmission } from './circuitStore';

/** Past this many targets, idle breakers are forgotten (an http node whose URL's host is computed). */
export const MAX_IDLE_CIRCUITS = 1000;

export class CircuitRegistry implements CircuitStore {
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

  admit(target: string, settings: CircuitSettings): Promise<StoreAdmission> {
    const breaker = this.breaker(target, settings);
    const admission = breaker.admit();
    return Promise.resolve(admission.admitted ? admission : { ...admission, circuit: breaker.snapshot() });
  }

  settle(target: string, settings: CircuitSettings, admission: StoreAdmission, outcome: CircuitOutcome): Promise<CircuitSettled> {
    const breaker = this.breaker(target, settings);
    let transition: CircuitSettled['transition'];
    if (outcome === 'succeeded') transition = breaker.succeeded(admission);
    else if (outcome === 'failed') transition = breaker.failed(admission);
    else breaker.released(admission);
    return Promise.resolve(transition === undefined ? { transition } : { transition, circuit: breaker.snapshot() });
  }

  circuits(): Promise<CircuitSnapshot[]> {
    return Promise.resolve(this.snapshots());
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
