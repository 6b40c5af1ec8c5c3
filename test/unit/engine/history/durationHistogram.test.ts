import { describe, expect, it } from 'vitest';
import { DurationHistogram, HISTOGRAM_RELATIVE_ERROR } from '../../../../src/engine/history/durationHistogram';

/** Nearest-rank percentile of a list, the definition the histogram approximates. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
}

/** A deterministic spread of durations from 1 ms to ~2 min, skewed towards short ones like real runs. */
function durations(count: number): number[] {
  let seed = 7;
  const next = (): number => (seed = (seed * 48271) % 2147483647) / 2147483647;
  return Array.from({ length: count }, () => Math.round(Math.exp(next() * 11.7)));
}

describe('DurationHistogram', () => {
  it('gives p50 and p95 within the bucket error of the exact nearest-rank values', () => {
    // ARRANGE
    const values = durations(5000);
    const histogram = new DurationHistogram();
    // ACT
    for (const value of values) histogram.add(value);
    // ASSERT
    for (const q of [0.5, 0.95, 0.99]) {
      const exact = exactQuantile(values, q);
      expect(Math.abs(histogram.quantile(q)! - exact) / exact).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR);
    }
  });

  it('keeps durations under a millisecond apart from 0, and gives nothing when empty', () => {
    const histogram = new DurationHistogram();
    expect(histogram.quantile(0.5)).toBeUndefined();
    histogram.add(0);
    histogram.add(0.4);
    histogram.add(0.4);
    expect(histogram.quantile(0.3)).toBe(0);
    expect(Math.abs(histogram.quantile(0.9)! - 0.4) / 0.4).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR);
  });

  it('subtracts exactly what was added: the percentiles of what is left', () => {
    // ARRANGE
    const histogram = new DurationHistogram();
    for (const value of [10, 20, 30, 5000, 6000]) histogram.add(value);
    // ACT: the two slow ones leave (retention removed their runs)
    histogram.subtract(5000);
    histogram.subtract(6000);
    // ASSERT
    expect(histogram.count).toBe(3);
    expect(histogram.quantile(0.95)! / 30).toBeCloseTo(1, 1);
    expect(Math.abs(histogram.quantile(0.5)! - 20) / 20).toBeLessThanOrEqual(HISTOGRAM_RELATIVE_ERROR);
  });

  it('merges two histograms into the histogram of both', () => {
    const a = new DurationHistogram();
    const b = new DurationHistogram();
    const both = new DurationHistogram();
    for (const value of [1, 2, 3]) {
      a.add(value);
      both.add(value);
    }
    for (const value of [100, 200]) {
      b.add(value);
      both.add(value);
    }
    a.merge(b);
    expect(a.count).toBe(5);
    expect([0.2, 0.5, 0.8, 1].map((q) => a.quantile(q))).toEqual([0.2, 0.5, 0.8, 1].map((q) => both.quantile(q)));
  });
});
