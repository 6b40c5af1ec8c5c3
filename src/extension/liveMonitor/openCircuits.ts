// The circuit breakers of the watched server that refuse calls right now, as the live monitor knows them: filled
// from `/_weft/status` (on connecting and after a reset) and kept current by the `circuit.opened` and
// `circuit.closed` events of the stream. In queue mode the serve lists the circuits its workers share in Redis, and
// relays the workers' events, so the editor sees the same. No VS Code here: CircuitStatusItem shows it.

import type { CircuitSnapshot } from '../../engine/circuit/circuitBreaker';
import type { EngineEvent } from '../../engine/run/events';

export class OpenCircuits {
  private readonly byTarget = new Map<string, CircuitSnapshot>();

  /** The server's whole list (its status): closed ones are dropped. */
  replace(circuits: readonly CircuitSnapshot[]): void {
    this.byTarget.clear();
    for (const circuit of circuits) if (circuit.state !== 'closed') this.byTarget.set(circuit.target, circuit);
  }

  /** Whether the event changed the list. */
  apply(event: EngineEvent): boolean {
    if (event.type === 'circuit.opened') {
      this.byTarget.set(event.circuit.target, event.circuit);
      return true;
    }
    if (event.type === 'circuit.closed') return this.byTarget.delete(event.circuit.target);
    return false;
  }

  clear(): boolean {
    const had = this.byTarget.size > 0;
    this.byTarget.clear();
    return had;
  }

  /** Soonest retry first. */
  list(): CircuitSnapshot[] {
    return [...this.byTarget.values()].sort((a, b) => Date.parse(a.retryAt ?? '') - Date.parse(b.retryAt ?? '') || a.target.localeCompare(b.target));
  }
}

/** One line of the tooltip: the target, why it opened, and when calls are tried again (local time). */
export function describeOpenCircuit(circuit: CircuitSnapshot, now: number, timeOf: (ms: number) => string): string {
  const retryAt = circuit.retryAt === undefined ? undefined : Date.parse(circuit.retryAt);
  const why = `${circuit.failures} failure${circuit.failures === 1 ? '' : 's'} within ${Math.round(circuit.settings.windowMs / 1000)} s`;
  let when: string;
  if (circuit.state === 'half-open') when = 'a probe call is testing it';
  else if (retryAt === undefined) when = 'retry time unknown';
  else if (retryAt <= now) when = `the next call probes it (since ${timeOf(retryAt)})`;
  else when = `retries at ${timeOf(retryAt)}`;
  return `${circuit.target}: open after ${why}; ${when}`;
}
