// One call of an ai or http node through its target's circuit breaker: refused fast while the circuit is open,
// its outcome counted, and each opening and closing reported so the node can emit `circuit.opened` and
// `circuit.closed`.
//
// What counts: a failure is an operational error (network, timeout, 5xx, 429, an unusable answer) or an answer
// the caller judges failed (an http node's 5xx with failOnStatus off). A user's error (a 4xx, a refusal) means the
// target answered, so it counts as a success. A cancelled call counts as nothing.

import { WeftError } from '../errors';
import type { CircuitSettings, CircuitSnapshot } from './circuitBreaker';
import type { CircuitOutcome, CircuitStore } from './circuitStore';

export interface CircuitChange {
  transition: 'opened' | 'closed';
  circuit: CircuitSnapshot;
}

export interface CircuitCall<T> {
  /** The process's registry, or a store shared by queue mode's workers. */
  store: CircuitStore;
  /** `ai https://api.example.com/v1 gpt-4o-mini`, `http api.example.com:8443`: never holds a secret. */
  target: string;
  settings: CircuitSettings;
  /** Told of each transition this call causes. */
  onChange(change: CircuitChange): void;
  /** An answer that arrived but tells of a sick target. */
  failedAnswer?: (result: T) => boolean;
}

export async function callThroughCircuit<T>(options: CircuitCall<T>, call: () => Promise<T>): Promise<T> {
  const { store, target, settings } = options;
  const admission = await store.admit(target, settings);
  if (!admission.admitted) throw circuitOpenError(admission.circuit, admission.retryAt);
  const settle = async (outcome: CircuitOutcome): Promise<void> => {
    // The call happened: a store that cannot count it (a shared store's Redis failing) must not turn its result
    // into an error, nor hide the call's own error. The count is lost; a probe's lease lets another call probe.
    const settled = await store.settle(target, settings, admission, outcome).catch(() => undefined);
    if (settled !== undefined && settled.transition !== undefined) options.onChange({ transition: settled.transition, circuit: settled.circuit });
  };
  let result: T;
  try {
    result = await call();
  } catch (error) {
    await settle(outcomeOfError(error));
    throw error;
  }
  await settle(options.failedAnswer?.(result) ? 'failed' : 'succeeded');
  return result;
}

function outcomeOfError(error: unknown): CircuitOutcome {
  const { code, kind } = (error ?? {}) as { code?: unknown; kind?: unknown };
  if (code === 'cancelled') return 'released';
  return kind === 'user' ? 'succeeded' : 'failed';
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
