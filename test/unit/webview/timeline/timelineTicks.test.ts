import { describe, expect, it } from 'vitest';
import { axisTicks, tickStep } from '../../../../webview/timeline/timelineTicks';

describe('tickStep', () => {
  it('takes the smallest step of the 1-2-5 sequence that keeps labels apart', () => {
    // ARRANGE / ACT / ASSERT: 64 px apart at 100 px/ms is 0.64 ms: the step is 1 ms; at 400 px/ms, 0.16 → 0.2.
    expect(tickStep(100, 64)).toBe(1);
    expect(tickStep(400, 64)).toBe(0.2);
    expect(tickStep(0.05, 64)).toBe(2000);
    expect(tickStep(64, 64)).toBe(1);
  });
});

describe('axisTicks', () => {
  it('labels a millisecond-long axis in steps of 0.2 ms', () => {
    // ARRANGE: a run of sub-millisecond nodes, 1.05 ms from the first start to the last end.
    const step = tickStep(560 / 1.05, 64);

    // ACT
    const labels = axisTicks(1.05, step).map((tick) => tick.label);

    // ASSERT
    expect(labels).toEqual(['0 ms', '0.2 ms', '0.4 ms', '0.6 ms', '0.8 ms', '1.0 ms']);
  });

  it('never repeats a label (a 16 ms run once read "2 ms, 2 ms, 3 ms, 3 ms")', () => {
    // ARRANGE: spans from 50 µs to an hour, drawn from 150 to 2,500 px wide.
    const spans = [0.05, 0.3, 1, 2.7, 16, 99, 250, 1_000, 1_499, 4_200, 60_000, 754_321, 3_600_000];
    const widths = [150, 333, 600, 1024, 2500];
    for (const span of spans) {
      for (const width of widths) {
        const pxPerMs = width / span;
        const step = tickStep(pxPerMs, 64);

        // ACT
        const ticks = axisTicks(span, step);

        // ASSERT: distinct, far enough apart, covering the span, on the 1-2-5 sequence.
        const labels = ticks.map((tick) => tick.label);
        expect(new Set(labels).size, `${span} ms at ${width} px: ${labels.join(', ')}`).toBe(labels.length);
        expect(step * pxPerMs).toBeGreaterThanOrEqual(64 * (1 - 1e-9));
        expect(ticks[0].ms).toBe(0);
        expect(ticks[ticks.length - 1].ms).toBeLessThanOrEqual(span + 1e-9);
        expect(ticks[ticks.length - 1].ms + step).toBeGreaterThan(span);
        const mantissa = step / 10 ** Math.floor(Math.log10(step) + 1e-9);
        expect([1, 2, 5].some((m) => Math.abs(m - mantissa) < 1e-6), `step ${step}`).toBe(true);
      }
    }
  });

  it('writes seconds once the step is a second or more', () => {
    // ACT
    const labels = axisTicks(12_000, 5_000).map((tick) => tick.label);

    // ASSERT
    expect(labels).toEqual(['0 s', '5 s', '10 s']);
  });
});
