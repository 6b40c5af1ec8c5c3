import { describe, expect, it } from 'vitest';
import { assignLanes } from '../../../../webview/timeline/timelineLanes';

describe('assignLanes', () => {
  it('puts nodes that run one after another on one lane', () => {
    // ARRANGE:  a [0,10)  b [10,20)  c [25,30)   (b starts as a ends: they touch, no overlap)
    const intervals = [
      { start: 0, end: 10 },
      { start: 10, end: 20 },
      { start: 25, end: 30 },
    ];

    // ACT
    const result = assignLanes(intervals);

    // ASSERT
    expect(result).toEqual({ lanes: [0, 0, 0], laneCount: 1 });
  });

  it('gives overlapping nodes their own lanes, as few as the most that overlap at once', () => {
    // ARRANGE:
    //   a  ██████████            [0,10)
    //   b     ██████████         [3,13)
    //   c        ████            [6,10)
    //   d              ████      [11,15)   a and c have ended: d takes lane 0
    //   e                ████    [14,18)   b has ended (13): e takes lane 1
    const intervals = [
      { start: 0, end: 10 },
      { start: 3, end: 13 },
      { start: 6, end: 10 },
      { start: 11, end: 15 },
      { start: 14, end: 18 },
    ];

    // ACT
    const result = assignLanes(intervals);

    // ASSERT
    expect(result.laneCount).toBe(3);
    expect(result.lanes).toEqual([0, 1, 2, 0, 1]);
  });

  it('assigns by start time whatever the input order, and equal inputs get equal lanes', () => {
    // ARRANGE: the same intervals as above, shuffled.
    const intervals = [
      { start: 14, end: 18 },
      { start: 6, end: 10 },
      { start: 0, end: 10 },
      { start: 11, end: 15 },
      { start: 3, end: 13 },
    ];

    // ACT
    const first = assignLanes(intervals);
    const again = assignLanes(intervals.map((i) => ({ ...i })));

    // ASSERT
    expect(first.lanes).toEqual([1, 2, 0, 0, 1]);
    expect(again).toEqual(first);
  });

  it('does not move earlier bars when a later node starts (a live run stays put)', () => {
    // ARRANGE: a runs; then b starts while a still runs.
    const before = assignLanes([{ start: 0, end: 5 }]);

    // ACT
    const after = assignLanes([
      { start: 0, end: 8 },
      { start: 5, end: 9 },
    ]);

    // ASSERT
    expect(after.lanes[0]).toBe(before.lanes[0]);
    expect(after.lanes[1]).toBe(1);
  });

  it('uses the fewest lanes on 10,000 random intervals, quickly', () => {
    // ARRANGE: a seeded generator, so a failure can be reproduced.
    let seed = 42;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const intervals = Array.from({ length: 10_000 }, () => {
      const start = random() * 100_000;
      return { start, end: start + random() * 200 };
    });

    // ACT
    const { lanes, laneCount } = assignLanes(intervals);

    // ASSERT: no two intervals on one lane overlap, and the count is the maximum overlap (the lower bound).
    const byLane = new Map<number, { start: number; end: number }[]>();
    intervals.forEach((interval, i) => {
      if (!byLane.has(lanes[i])) byLane.set(lanes[i], []);
      byLane.get(lanes[i])!.push(interval);
    });
    for (const list of byLane.values()) {
      list.sort((a, b) => a.start - b.start);
      for (let i = 1; i < list.length; i++) expect(list[i].start).toBeGreaterThanOrEqual(list[i - 1].end);
    }
    const points = intervals.flatMap((i) => [
      [i.start, 1],
      [i.end, -1],
    ]);
    points.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let open = 0;
    let most = 0;
    for (const [, delta] of points) most = Math.max(most, (open += delta));
    expect(laneCount).toBe(most);
  });
});
