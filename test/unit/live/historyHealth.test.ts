import { describe, expect, it } from 'vitest';
import { HistoryHealth } from '../../../src/live/historyHealth';

describe('HistoryHealth', () => {
  it('admits everything while writes succeed', () => {
    const health = new HistoryHealth(5000, () => 0);
    expect(health.admit()).toEqual({ admit: true, probe: false });
    expect(health.status()).toEqual({ ok: true });
  });

  it('after a failed write refuses until Retry-After has passed, then lets one probe through at a time', () => {
    // ARRANGE
    let now = 1_000_000;
    const health = new HistoryHealth(5000, () => now);
    // ACT + ASSERT
    expect(health.writeFailed(new Error('ENOSPC'))).toBe(true);
    expect(health.writeFailed(new Error('ENOSPC again'))).toBe(false);
    expect(health.admit()).toEqual({ admit: false, retryAfterMs: 5000 });
    expect(health.status()).toEqual({ ok: false, failingSince: new Date(1_000_000).toISOString(), lastError: 'ENOSPC again', failedWrites: 2 });
    now += 5000;
    expect(health.admit()).toEqual({ admit: true, probe: true });
    expect(health.admit()).toMatchObject({ admit: false });
    health.probeEnded();
    health.writeFailed(new Error('still full'));
    expect(health.admit()).toEqual({ admit: false, retryAfterMs: 5000 });
    now += 5000;
    expect(health.admit()).toEqual({ admit: true, probe: true });
    expect(health.writeSucceeded()).toBe(true);
    health.probeEnded();
    expect(health.admit()).toEqual({ admit: true, probe: false });
    expect(health.status()).toEqual({ ok: true });
  });
});
