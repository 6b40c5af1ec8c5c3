// A log-scale histogram of durations, for p50 and p95 without keeping every duration: bucket i holds durations in
// [GROWTH^i, GROWTH^(i+1)) ms, so a percentile read from it is off by at most GROWTH - 1 (5%) of the true value.
// Counts only, so histograms add and subtract exactly (stats over a window, runs removed by retention).

const GROWTH = 1.05;
const LOG_GROWTH = Math.log(GROWTH);

/** The relative error bound of a percentile read from a histogram. */
export const HISTOGRAM_RELATIVE_ERROR = GROWTH - 1;

export class DurationHistogram {
  /** Bucket index -> count. ZERO_BUCKET holds durations of a microsecond or less (a node that did nothing). */
  private readonly counts = new Map<number, number>();
  count = 0;

  add(ms: number, times = 1): void {
    const index = bucketOf(ms);
    const next = (this.counts.get(index) ?? 0) + times;
    if (next === 0) this.counts.delete(index);
    else this.counts.set(index, next);
    this.count += times;
  }

  subtract(ms: number): void {
    this.add(ms, -1);
  }

  merge(other: DurationHistogram): void {
    for (const [index, n] of other.counts) this.counts.set(index, (this.counts.get(index) ?? 0) + n);
    this.count += other.count;
  }

  /** The non-empty buckets as [index, count] pairs: the histogram's stored form (statsRollup.ts). */
  entries(): Array<[number, number]> {
    return [...this.counts.entries()];
  }

  /** Adds stored buckets (from `entries()`) to this histogram. */
  addEntries(entries: ReadonlyArray<readonly [number, number]>): void {
    for (const [index, n] of entries) {
      const next = (this.counts.get(index) ?? 0) + n;
      if (next === 0) this.counts.delete(index);
      else this.counts.set(index, next);
      this.count += n;
    }
  }

  /**
   * The duration at quantile q (0..1), nearest-rank: the value of the bucket holding the ceil(q*count)-th smallest
   * duration, reported as the bucket's geometric middle. Undefined when empty.
   */
  quantile(q: number): number | undefined {
    if (this.count <= 0) return undefined;
    const rank = Math.max(1, Math.ceil(q * this.count));
    const indexes = [...this.counts.keys()].sort((a, b) => a - b);
    let seen = 0;
    for (const index of indexes) {
      seen += this.counts.get(index)!;
      if (seen >= rank) return valueOf(index);
    }
    return valueOf(indexes[indexes.length - 1]);
  }
}

/** Below every index of a duration over a microsecond (log_1.05(0.001) is about -142). */
const ZERO_BUCKET = -1_000_000;
const MIN_MS = 0.001;

function bucketOf(ms: number): number {
  if (!(ms > MIN_MS)) return ZERO_BUCKET;
  return Math.floor(Math.log(ms) / LOG_GROWTH);
}

function valueOf(index: number): number {
  if (index === ZERO_BUCKET) return 0;
  // The geometric middle of [G^i, G^(i+1)): within sqrt(G) - 1 of any value in it.
  return Math.pow(GROWTH, index + 0.5);
}
