import { describe, expect, it } from 'vitest';
import { CircuitRegistry } from '../../../../src/engine/circuit/circuitRegistry';

const SETTINGS = { failures: 1, windowMs: 10_000, cooldownMs: 5_000 };

describe('circuit registry', () => {
  it('keeps one breaker per target, shared by every caller', () => {
    const registry = new CircuitRegistry(() => 0);

    const first = registry.breaker('http a.test', SETTINGS);
    first.failed(first.admit());

    expect(registry.breaker('http a.test', SETTINGS).state).toBe('open');
    expect(registry.breaker('http b.test', SETTINGS).state).toBe('closed');
    expect(registry.snapshots().map((circuit) => circuit.target)).toEqual(['http a.test', 'http b.test']);
  });

  it('forgets idle targets past its limit, never one that is open', () => {
    // ARRANGE: a limit of 2, one open target and one idle
    const registry = new CircuitRegistry(() => 0, 2);
    const open = registry.breaker('http down.test', SETTINGS);
    open.failed(open.admit());
    registry.breaker('http fine.test', SETTINGS);

    // ACT
    registry.breaker('http new.test', SETTINGS);

    // ASSERT
    expect(registry.snapshots().map((circuit) => [circuit.target, circuit.state])).toEqual([
      ['http down.test', 'open'],
      ['http new.test', 'closed'],
    ]);
  });
});
