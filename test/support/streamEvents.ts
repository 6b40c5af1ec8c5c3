// Events of a run whose ai node `ask` streams its answer, built by hand so a test says exactly which deltas
// arrive in which order (a real stream joins the deltas of one network read, test/integration/aiResilience.test.ts).

import type { CircuitSnapshot } from '../../src/engine/circuit/circuitBreaker';
import type { EngineEvent } from '../../src/engine/run/events';

type Draft = EngineEvent extends infer E ? (E extends EngineEvent ? Omit<E, 'executionId' | 'seq' | 'ts'> : never) : never;

/** Numbers drafts as one run's events, a millisecond apart from 2026-03-01T12:00:00Z. */
export class StreamedRun {
  readonly events: EngineEvent[] = [];
  private seq = 0;

  constructor(readonly runId = 'run-stream-1') {}

  add(...drafts: Draft[]): EngineEvent[] {
    const added = drafts.map((draft) => {
      this.seq++;
      return { ...draft, executionId: this.runId, seq: this.seq, ts: new Date(Date.parse('2026-03-01T12:00:00.000Z') + this.seq).toISOString() } as EngineEvent;
    });
    this.events.push(...added);
    return added;
  }

  started(nodeIds = ['ask']): EngineEvent[] {
    return this.add({ type: 'execution.started', flowId: 'ask-model', mode: 'run', trigger: { type: 'manual' }, input: {}, nodeIds });
  }

  nodeStarted(nodeId = 'ask', attempt = 1): EngineEvent[] {
    return this.add({ type: 'node.started', nodeId, attempt, input: { text: 'the printer is on fire' } });
  }

  answer(...deltas: string[]): EngineEvent[] {
    return this.add(...deltas.map((delta): Draft => ({ type: 'node.progress', nodeId: 'ask', delta })));
  }

  reasoning(...deltas: string[]): EngineEvent[] {
    return this.add(...deltas.map((delta): Draft => ({ type: 'node.progress', nodeId: 'ask', delta, channel: 'reasoning' })));
  }

  completed(text: string): EngineEvent[] {
    return this.add({ type: 'node.completed', nodeId: 'ask', output: { text, model: 'gpt-fast' }, durationMs: 5, ports: ['out'] });
  }

  circuit(transition: 'opened' | 'closed', nodeId = 'ask'): EngineEvent[] {
    const circuit: CircuitSnapshot =
      transition === 'opened'
        ? { target: 'ai http://127.0.0.1:9/v1 gpt-fast', state: 'open', failures: 2, settings: { failures: 2, windowMs: 60_000, cooldownMs: 30_000 }, openedAt: '2026-03-01T12:00:00.000Z', retryAt: '2026-03-01T12:00:30.000Z' }
        : { target: 'ai http://127.0.0.1:9/v1 gpt-fast', state: 'closed', failures: 0, settings: { failures: 2, windowMs: 60_000, cooldownMs: 30_000 } };
    return this.add({ type: transition === 'opened' ? 'circuit.opened' : 'circuit.closed', nodeId, circuit });
  }
}
