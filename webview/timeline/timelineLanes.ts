// Where the timeline's bars go. Every node is one interval on a shared time axis; nodes that overlap in time go on
// their own lanes. The assignment is the classic interval partitioning: take intervals by start time and put
// each on the lowest-numbered lane that is free at its start, opening a lane only when none is. That uses the
// fewest lanes possible (as many as the most intervals overlapping at one instant), and it is stable: the same
// intervals always get the same lanes, and an interval's lane depends only on those that started before it, so a
// live run's bars do not jump as new nodes start. The timeline (timelineGeometry.ts) runs it on the bars as drawn,
// in pixels, so that bars widened to their minimum width never cover one another.

export interface Interval {
  /** Epoch ms (or any unit the axis uses). */
  start: number;
  end: number;
}

export interface LaneAssignment {
  /** The lane of each interval, by its index in the input. */
  lanes: number[];
  laneCount: number;
}

/** Lanes for intervals, O(n log n). Touching intervals (one ends when the next starts) share a lane. */
export function assignLanes(intervals: readonly Interval[]): LaneAssignment {
  const order = intervals.map((_, i) => i);
  // Ties on start keep the input order (Array.prototype.sort is stable), so equal inputs give equal lanes.
  order.sort((a, b) => intervals[a].start - intervals[b].start);
  const lanes = new Array<number>(intervals.length);
  const busy = new MinHeap<{ end: number; lane: number }>((a, b) => a.end - b.end || a.lane - b.lane);
  const free = new MinHeap<number>((a, b) => a - b);
  let laneCount = 0;
  for (const i of order) {
    const { start } = intervals[i];
    const end = Math.max(start, intervals[i].end);
    while (busy.size > 0 && busy.peek()!.end <= start) free.push(busy.pop()!.lane);
    const lane = free.size > 0 ? free.pop()! : laneCount++;
    lanes[i] = lane;
    busy.push({ end, lane });
  }
  return { lanes, laneCount };
}

/** A binary heap: the lane search must stay O(log n) per interval for 10,000 nodes. */
class MinHeap<T> {
  private readonly items: T[] = [];
  constructor(private readonly less: (a: T, b: T) => number) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.less(items[i], items[parent]) >= 0) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const left = 2 * i + 1;
        const right = left + 1;
        let smallest = i;
        if (left < items.length && this.less(items[left], items[smallest]) < 0) smallest = left;
        if (right < items.length && this.less(items[right], items[smallest]) < 0) smallest = right;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest], items[i]];
        i = smallest;
      }
    }
    return top;
  }
}
