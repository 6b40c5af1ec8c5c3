// Where the circuit breakers' state lives, as the ai and http nodes see it. Two implementations:
// - CircuitRegistry (this folder): in this process's memory, the default (`weft run`, `weft serve`, the editor);
// - RedisCircuitStore (src/queue/redisCircuitStore.ts): in Redis, shared by every `weft worker` of a queue, so a
//   circuit opened by failures on one worker makes the others fail fast, and a probe on any of them closes it.
// The engine knows only this interface: a host passes its store in the run's services (`services.circuits`).
//
// Each step is atomic in the store, and only the call whose outcome changes the state is told of the transition,
// so `circuit.opened` and `circuit.closed` go out once per transition, in the run whose call caused it.

import type { CircuitAdmission, CircuitSettings, CircuitSnapshot, CircuitTransition } from './circuitBreaker';

/** What the store answered a call asking to go through: refused ones carry the circuit, for the error. */
export type StoreAdmission =
  | (Extract<CircuitAdmission, { admitted: true }> & { /** Identifies this probe in a shared store. */ token?: string })
  | (Extract<CircuitAdmission, { admitted: false }> & { circuit: CircuitSnapshot });

/** How an admitted call ended: `released` when its outcome says nothing of the target (cancelled). */
export type CircuitOutcome = 'succeeded' | 'failed' | 'released';

/** A transition with the circuit after it; none, when the outcome changed nothing (the circuit is not read then). */
export type CircuitSettled = { transition: Exclude<CircuitTransition, undefined>; circuit: CircuitSnapshot } | { transition: undefined };

export interface CircuitStore {
  /** Whether a call of `target` may go out now; the settings of the latest caller apply. */
  admit(target: string, settings: CircuitSettings): Promise<StoreAdmission>;
  /** Counts an admitted call's outcome; says which transition, if any, it caused. */
  settle(target: string, settings: CircuitSettings, admission: StoreAdmission, outcome: CircuitOutcome): Promise<CircuitSettled>;
  /** The circuits the store knows (for `/_weft/status`). */
  circuits(): Promise<CircuitSnapshot[]>;
}
