// One call of an ai or http node through its target's circuit breaker: refused fast while the circuit is open,
// its outcome counted, and each opening and closing reported so the node can emit `circuit.opened` and
// `circuit.closed`.
//
// What counts: a failure is an operational error (network, timeout, 5xx, 429, an unusable answer) or an answer
// the caller judges failed (an http node's 5xx with failOnStatus off). A user's error (a 4xx, a refusal) means the
// target answered, so it counts as a success. A cancelled call counts as nothing.

import { WeftError } from '../errors';
import type { CircuitAdmission, CircuitBreaker, CircuitSettings, CircuitSnapshot, CircuitTransition } from './circuitBreaker';
import type { CircuitRegistry } from './circuitRegistry';

export interface CircuitChange {
  transition: 'opened' | 'closed';
  circuit: CircuitSnapshot;
}

export interface CircuitCall<T> {
  registry: CircuitRegistry;
  /** `ai https://api.example.com/v1 gpt-4o-mini`, `http api.example.com:8443`: never holds a secret. */
  target: string;
  settings: CircuitSettings;
  /** Told of each transition this call causes. */
  onChange(change: CircuitChange): void;
  /** An answer that arrived but tells of a sick target. */
  failedAnswer?: (result: T) => boolean;
}

export async function callThroughCircuit<T>(options: CircuitCall<T>, call: () => Promise<T>): Promise<T> {
  const breaker = options.registry.breaker(options.target, options.settings);
  const admission = breaker.admit();
  if (!admission.admitted) throw circuitOpenError(breaker.snapshot(), admission.retryAt);
  const report = (transition: CircuitTransition): void => {
    if (transition !== undefined) options.onChange({ transition, circuit: breaker.snapshot() });
  };
  let result: T;
  try {
    result = await call();
  } catch (error) {
    settleFailure(error, admission, breaker, report);
    throw error;
  }
  report(options.failedAnswer?.(result) ? breaker.failed(admission) : breaker.succeeded(admission));
  return result;
}

function settleFailure(
  error: unknown,
  admission: CircuitAdmission,
  breaker: CircuitBreaker,
  report: (transition: CircuitTransition) => void,
): void {
  const { code, kind } = (error ?? {}) as { code?: unknown; kind?: unknown };
  if (code === 'cancelled') breaker.released(admission);
  else if (kind === 'user') report(breaker.succeeded(admission));
  else report(breaker.failed(admission));
}

/** The error of a call refused by an open circuit. Operational: a retry after the cooldown may pass. */
export function circuitOpenError(circuit: CircuitSnapshot, retryAt: number): WeftError {
  const when = new Date(retryAt).toISOString();
  const why =
    circuit.state === 'half-open'
      ? 'a probe call is testing it'
      : `${circuit.failures} failures within ${circuit.settings.windowMs} ms; a probe call goes through at ${when}`;
  return new WeftError('circuit-open', `The circuit of ${circuit.target} is open (${why}), so the call was not made.`, {
    details: { target: circuit.target, state: circuit.state, retryAt: when },
  });
}
