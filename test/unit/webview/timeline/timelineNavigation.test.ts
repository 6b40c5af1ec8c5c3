import { describe, expect, it } from 'vitest';
import { layoutTimeline, type TimelineSpan } from '../../../../webview/timeline/timelineGeometry';
import { nearestInLane } from '../../../../webview/timeline/timelineNavigation';

const T = 1_700_000_000_000;

describe('nearestInLane', () => {
  it('moves to the bar on the next lane whose centre is nearest', () => {
    // ARRANGE:
    //   lane 0  a ████████████████████████████████████████  [0,100)
    //   lane 1    b ████  [5,15)              c ████  [60,70)
    const spans: TimelineSpan[] = [
      { id: 'a', start: T, end: T + 100, status: 'completed' },
      { id: 'b', start: T + 5, end: T + 15, status: 'completed' },
      { id: 'c', start: T + 60, end: T + 70, status: 'completed' },
    ];
    const geometry = layoutTimeline({ spans, width: 800 });
    const [a, b, c] = geometry.bars;

    // ACT / ASSERT: from a (centre at 50 ms) down to c (65 ms) rather than b (10 ms); from b up to a; none below.
    expect(nearestInLane(geometry, a, 1)).toBe(c);
    expect(nearestInLane(geometry, b, -1)).toBe(a);
    expect(nearestInLane(geometry, c, 1)).toBeUndefined();
    expect(nearestInLane(geometry, a, -1)).toBeUndefined();
  });
});
