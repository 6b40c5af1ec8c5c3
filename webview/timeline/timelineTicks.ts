// The timeline's tick marks: where they go and what they say. The step between two ticks is the smallest value of
// the 1-2-5 sequence (…, 0.1, 0.2, 0.5, 1, 2, 5, 10, … ms) that keeps labels at least `minSpacingPx` apart, and
// every label is written with exactly the precision of that step, in one unit for the whole axis (ms below a
// one-second step, s from there). Ticks are multiples of the step, so two labels can never read the same:
// "0 ms, 0.2 ms, 0.4 ms" where rounding to whole milliseconds once gave "0 ms, 0 ms, 1 ms, 1 ms".

export interface Tick {
  /** Milliseconds from the axis' origin. */
  ms: number;
  label: string;
}

/** The smallest 1-2-5 step (ms) whose ticks are at least `minSpacingPx` apart at `pxPerMs`. */
export function tickStep(pxPerMs: number, minSpacingPx: number): number {
  if (!(pxPerMs > 0) || !Number.isFinite(pxPerMs)) return 1;
  const raw = minSpacingPx / pxPerMs;
  let exponent = Math.floor(Math.log10(raw));
  for (;;) {
    for (const mantissa of [1, 2, 5]) {
      const step = mantissa * 10 ** exponent;
      // A hair of tolerance: 0.1 * 3 is not 0.3 in floating point, and a step equal to `raw` is good enough.
      if (step >= raw * (1 - 1e-9)) return step;
    }
    exponent++;
  }
}

/** Ticks at 0, step, 2·step, … up to `spanMs` (inclusive), labelled with the step's precision. */
export function axisTicks(spanMs: number, step: number): Tick[] {
  const span = Math.max(0, spanMs);
  const { unitMs, suffix, decimals } = tickUnit(step);
  const ticks: Tick[] = [];
  // Counting in whole steps (not adding step to a float) keeps the last tick from drifting past or short of span.
  const count = Math.floor(span / step + 1e-9);
  for (let k = 0; k <= count; k++) {
    const ms = k * step;
    // The origin reads "0 ms", not "0.0 ms": it is exact, and the next label already shows the precision.
    ticks.push({ ms, label: `${k === 0 ? '0' : (ms / unitMs).toFixed(decimals)} ${suffix}` });
  }
  return ticks;
}

/** The unit of a whole axis and the decimals that resolve its step ("0.05 ms" needs two, "2 s" none). */
function tickUnit(step: number): { unitMs: number; suffix: string; decimals: number } {
  const unitMs = step >= 1000 ? 1000 : 1;
  const inUnit = step / unitMs;
  const decimals = Math.max(0, -Math.floor(Math.log10(inUnit) + 1e-9));
  return { unitMs, suffix: unitMs === 1000 ? 's' : 'ms', decimals };
}
