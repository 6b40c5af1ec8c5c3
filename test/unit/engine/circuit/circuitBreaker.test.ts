import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from '../../../../src/engine/circuit/circuitBreaker';
import type { CircuitAdmission } from '../../../../src/engine/circuit/circuitBreaker';

/** A clock the test moves by hand: no test here waits for time to pass. */
function fakeClock(start = Date.parse('2026-01-01T00:00:00.000Z')): { now: () => number; advance(ms: number): void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

const SETTINGS = { failures: 3, windowMs: 10_000, cooldownMs: 5_000 };

function breakerWithClock(): { breaker: CircuitBreaker; clock: ReturnType<typeof fakeClock> } {
  const clock = fakeClock();
  return { breaker: new CircuitBreaker('ai http://127.0.0.1:1/v1 m', SETTINGS, clock.now), clock };
}

/** Admits a call and fails it; returns the transition. */
function failOnce(breaker: CircuitBreaker): ReturnType<CircuitBreaker['failed']> {
  const admission = breaker.admit();
  expect(admission.admitted).toBe(true);
  return breaker.failed(admission);
}

describe('circuit breaker', () => {
  it('stays closed below the failure count and opens on the failure that reaches it', () => {
    const { breaker } = breakerWithClock();

    expect(failOnce(breaker)).toBeUndefined();
    expect(failOnce(breaker)).toBeUndefined();
    expect(breaker.state).toBe('closed');
    expect(failOnce(breaker)).toBe('opened');

    expect(breaker.state).toBe('open');
    expect(breaker.snapshot()).toMatchObject({ state: 'open', failures: 3, openedAt: '2026-01-01T00:00:00.000Z', retryAt: '2026-01-01T00:00:05.000Z' });
  });

  it('counts only the failures within the window', () => {
    const { breaker, clock } = breakerWithClock();
    failOnce(breaker);
    failOnce(breaker);
    clock.advance(10_001); // both fall out of the window

    expect(failOnce(breaker)).toBeUndefined();
    expect(failOnce(breaker)).toBeUndefined();
    expect(breaker.state).toBe('closed');
    expect(breaker.snapshot().failures).toBe(2);
  });

  it('refuses every call while open, until the cooldown has passed', () => {
    const { breaker, clock } = breakerWithClock();
    for (let i = 0; i < 3; i++) failOnce(breaker);

    clock.advance(4_999);
    expect(breaker.admit()).toEqual({ admitted: false, retryAt: Date.parse('2026-01-01T00:00:05.000Z') });
  });

  it('admits one probe after the cooldown (half-open) and refuses the others meanwhile', () => {
    const { breaker, clock } = breakerWithClock();
    for (let i = 0; i < 3; i++) failOnce(breaker);
    clock.advance(5_000);

    const probe = breaker.admit();
    const second = breaker.admit();

    expect(probe).toEqual({ admitted: true, probe: true });
    expect(breaker.state).toBe('half-open');
    expect(second.admitted).toBe(false);
  });

  it('closes when the probe succeeds, with the failure count back to zero', () => {
    const { breaker, clock } = breakerWithClock();
    for (let i = 0; i < 3; i++) failOnce(breaker);
    clock.advance(5_000);

    expect(breaker.succeeded(breaker.admit())).toBe('closed');

    expect(breaker.state).toBe('closed');
    expect(breaker.admit()).toEqual({ admitted: true, probe: false });
    expect(failOnce(breaker)).toBeUndefined(); // one failure after closing does not reopen it
  });

  it('opens again for a whole cooldown when the probe fails', () => {
    const { breaker, clock } = breakerWithClock();
    for (let i = 0; i < 3; i++) failOnce(breaker);
    clock.advance(5_000);

    expect(breaker.failed(breaker.admit())).toBe('opened');

    expect(breaker.state).toBe('open');
    clock.advance(4_999);
    expect(breaker.admit().admitted).toBe(false);
    clock.advance(1);
    expect(breaker.admit()).toEqual({ admitted: true, probe: true });
  });

  it('lets the next call probe when a probe is released (cancelled: it proved nothing)', () => {
    const { breaker, clock } = breakerWithClock();
    for (let i = 0; i < 3; i++) failOnce(breaker);
    clock.advance(5_000);

    breaker.released(breaker.admit());

    expect(breaker.admit()).toEqual({ admitted: true, probe: true });
  });

  it('is not closed by a call admitted before it opened that succeeds late', () => {
    const { breaker } = breakerWithClock();
    const early: CircuitAdmission = breaker.admit();
    for (let i = 0; i < 3; i++) failOnce(breaker);

    expect(breaker.succeeded(early)).toBeUndefined();
    expect(breaker.failed(early)).toBeUndefined();
    expect(breaker.state).toBe('open');
  });

  it('takes the settings of the latest caller', () => {
    const { breaker } = breakerWithClock();
    breaker.configure({ failures: 1, windowMs: 10_000, cooldownMs: 5_000 });

    expect(failOnce(breaker)).toBe('opened');
  });
});
