import { describe, expect, it } from 'vitest';
import {
  BAR_GAP_PX,
  MIN_BAR_PX,
  PADDING_PX,
  TICK_MIN_SPACING_PX,
  drawnWidth,
  layoutTimeline,
  occupiedUntil,
  type PlacedBar,
  type TimelineGeometry,
  type TimelineSpan,
} from '../../../../webview/timeline/timelineGeometry';

const T = 1_700_000_000_000;

/** Every property a person relies on, whatever the run: asserted on each layout below. */
function expectReadable(geometry: TimelineGeometry, spans: readonly TimelineSpan[]): void {
  // Every node has a bar, at least MIN_BAR_PX wide, inside the drawing.
  expect(geometry.bars).toHaveLength(spans.length);
  for (const bar of geometry.bars) {
    expect(bar.width).toBeGreaterThanOrEqual(MIN_BAR_PX);
    expect(bar.x).toBeGreaterThanOrEqual(geometry.axisX - 1e-6);
    expect(bar.x + bar.width).toBeLessThanOrEqual(geometry.width - PADDING_PX + 1e-6);
  }
  // No bar is drawn over another: on each lane, each bar starts after the previous one ends, and the rects as
  // drawn are at least BAR_GAP_PX apart, none narrower than the minimum.
  for (const lane of geometry.lanes) {
    for (let i = 1; i < lane.length; i++) {
      const previous = geometry.bars[lane[i - 1]];
      const bar = geometry.bars[lane[i]];
      expect(bar.x).toBeGreaterThanOrEqual(previous.x + previous.width - 1e-6);
      expect(bar.x).toBeGreaterThanOrEqual(occupiedUntil(previous) - 1e-6);
      expect(bar.x - (previous.x + drawnWidth(previous))).toBeGreaterThanOrEqual(BAR_GAP_PX - 1e-6);
    }
  }
  for (const bar of geometry.bars) expect(drawnWidth(bar)).toBeGreaterThanOrEqual(MIN_BAR_PX);
  expect(geometry.lanes.flat().sort((a, b) => a - b)).toEqual(geometry.bars.map((_, i) => i));
  // Widths are the durations at one scale, except those raised to the minimum.
  for (const bar of geometry.bars) {
    expect(bar.durationWidth).toBeCloseTo((bar.end - bar.start) * geometry.pxPerMs, 6);
    expect(bar.width).toBeCloseTo(Math.max(MIN_BAR_PX, bar.durationWidth), 6);
  }
  // Tick labels are distinct and far enough apart to be read.
  const labels = geometry.ticks.map((tick) => tick.label);
  expect(new Set(labels).size, labels.join(', ')).toBe(labels.length);
  for (let i = 1; i < geometry.ticks.length; i++) expect(geometry.ticks[i].x - geometry.ticks[i - 1].x).toBeGreaterThanOrEqual(TICK_MIN_SPACING_PX - 1e-6);
}

function overlaps(a: PlacedBar, b: PlacedBar): boolean {
  return a.lane === b.lane && a.x < b.x + b.width && b.x < a.x + a.width;
}

describe('layoutTimeline', () => {
  it('starts the axis at the first node and shows the start-up as its own labelled segment', () => {
    // ARRANGE: the 16 ms run, 13.6 ms of it start-up before the first node (85% of the old axis).
    //   start-up ░░░░░░░░░░░░░░ 13.6 ms
    //   a                      ██          [13.6, 14.4)
    //   b                        ████      [14.4, 16)
    const spans: TimelineSpan[] = [
      { id: 'a', start: T + 13.6, end: T + 14.4, status: 'completed' },
      { id: 'b', start: T + 14.4, end: T + 16, status: 'completed' },
    ];

    // ACT
    const geometry = layoutTimeline({ spans, runStartedAt: T, width: 600 });

    // ASSERT: the first node is at the axis' origin, the nodes fill the axis, the start-up is left of it.
    expectReadable(geometry, spans);
    expect(geometry.origin).toBe(T + 13.6);
    expect(geometry.bars[0].x).toBe(geometry.axisX);
    const last = geometry.bars[1];
    expect(last.x + last.width).toBeCloseTo(geometry.width - PADDING_PX - MIN_BAR_PX, 6);
    expect(geometry.startup).toMatchObject({ label: 'start-up 14 ms', x: PADDING_PX });
    expect(geometry.startup!.ms).toBeCloseTo(13.6, 3);
    expect(geometry.startup!.x + geometry.startup!.width).toBeLessThan(geometry.axisX);
    // The nodes get most of the width, not 15% of it.
    expect(last.x + last.width - geometry.axisX).toBeGreaterThan(0.7 * geometry.width);
  });

  it('draws no start-up segment when the first node starts with the run', () => {
    // ACT
    const geometry = layoutTimeline({ spans: [{ id: 'a', start: T, end: T + 5, status: 'completed' }], runStartedAt: T, width: 400 });

    // ASSERT
    expect(geometry.startup).toBeUndefined();
    expect(geometry.axisX).toBe(PADDING_PX);
  });

  it('makes widths proportional to durations', () => {
    // ARRANGE:  a ██ 2 ms   b ████ 4 ms   c ████████ 8 ms, one after another.
    const spans: TimelineSpan[] = [
      { id: 'a', start: T, end: T + 2, status: 'completed' },
      { id: 'b', start: T + 2, end: T + 6, status: 'completed' },
      { id: 'c', start: T + 6, end: T + 14, status: 'failed' },
    ];

    // ACT
    const geometry = layoutTimeline({ spans, runStartedAt: T, width: 800 });

    // ASSERT
    expectReadable(geometry, spans);
    const [a, b, c] = geometry.bars;
    expect(b.width / a.width).toBeCloseTo(2, 9);
    expect(c.width / a.width).toBeCloseTo(4, 9);
    expect(b.x).toBeCloseTo(a.x + a.width, 9);
    expect(geometry.lanes).toHaveLength(1);
  });

  it('puts nodes that ran at the same time on lanes of their own', () => {
    // ARRANGE:
    //   a  ██████████         [0,10)
    //   b    ████             [2,6)    runs during a: a lane of its own
    //   c            ████     [10,14)  starts as a ends: a's lane
    const spans: TimelineSpan[] = [
      { id: 'a', start: T, end: T + 10, status: 'completed' },
      { id: 'b', start: T + 2, end: T + 6, status: 'completed' },
      { id: 'c', start: T + 10, end: T + 14, status: 'completed' },
    ];

    // ACT
    const geometry = layoutTimeline({ spans, width: 800 });

    // ASSERT
    expectReadable(geometry, spans);
    expect(geometry.bars.map((bar) => bar.lane)).toEqual([0, 1, 0]);
  });

  it('shows each of 5 sub-millisecond nodes as a bar of its own, with sub-millisecond ticks', () => {
    // ARRANGE: a chain of 5 nodes of 20 to 300 µs; their starts are whole milliseconds, as in the events.
    //   parse enrich price tax total: 12 ms of start-up, then all within about a millisecond.
    const spans: TimelineSpan[] = [
      { id: 'parse', start: T + 12, end: T + 12.3, status: 'completed' },
      { id: 'enrich', start: T + 12, end: T + 12.02, status: 'completed' },
      { id: 'price', start: T + 12, end: T + 12.05, status: 'completed' },
      { id: 'tax', start: T + 13, end: T + 13.1, status: 'failed' },
      { id: 'total', start: T + 13, end: T + 13.04, status: 'cancelled' },
    ];

    // ACT
    const geometry = layoutTimeline({ spans, runStartedAt: T, width: 600 });

    // ASSERT
    expectReadable(geometry, spans);
    expect(geometry.bars.map((bar) => bar.id)).toEqual(['parse', 'enrich', 'price', 'tax', 'total']);
    for (const a of geometry.bars) for (const b of geometry.bars) if (a !== b) expect(overlaps(a, b), `${a.id} over ${b.id}`).toBe(false);
    expect(geometry.ticks.map((tick) => tick.label)).toContain('0.2 ms');
    expect(geometry.startup?.label).toBe('start-up 12 ms');
    // The 300 µs node is drawn at its proportional width, wider than the minimum: the scale is not lost.
    const parse = geometry.bars[0];
    expect(parse.width).toBeCloseTo((parse.end - parse.start) * geometry.pxPerMs, 6);
    expect(parse.end - parse.start).toBeCloseTo(0.3, 3);
    expect(geometry.bars[0].width).toBeGreaterThan(MIN_BAR_PX * 10);
  });

  it('lays out 10,000 nodes with every one visible, none covered, the selected one included', () => {
    // ARRANGE: a chain of 10,000 nodes of 0.2 to 2 ms, every 100th with a slow parallel branch (seeded, so a
    // failure can be reproduced).
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const spans: TimelineSpan[] = [];
    let t = T + 40;
    for (let i = 0; i < 10_000; i++) {
      const duration = 0.2 + random() * 1.8;
      spans.push({ id: `n${i}`, start: Math.floor(t), end: Math.floor(t) + duration, status: i % 997 === 0 ? 'failed' : 'completed' });
      if (i % 100 === 0) spans.push({ id: `slow${i}`, start: Math.floor(t), end: t + 150, status: 'completed' });
      t += duration;
    }

    // ACT
    const geometry = layoutTimeline({ spans, runStartedAt: T, width: 1200 });

    // ASSERT: the properties, and the one node a person selected is there, unobstructed.
    expectReadable(geometry, spans);
    const selected = geometry.bars.find((bar) => bar.id === 'n7777')!;
    expect(selected.width).toBeGreaterThanOrEqual(MIN_BAR_PX);
    expect(geometry.bars.filter((bar) => bar !== selected && overlaps(bar, selected))).toEqual([]);
    expect(geometry.startup?.label).toBe('start-up 40 ms');
    // Bars are packed: the lanes needed stay near the minimum width over the spacing of the chain's starts.
    expect(geometry.lanes.length).toBeLessThan(400);
  });

  it('keeps a running run on screen up to its clock', () => {
    // ARRANGE: one node still running at `until`.
    const spans: TimelineSpan[] = [{ id: 'a', start: T + 5, end: T + 50, status: 'running' }];

    // ACT
    const geometry = layoutTimeline({ spans, runStartedAt: T, until: T + 50, width: 500 });

    // ASSERT
    expectReadable(geometry, spans);
    expect(geometry.spanMs).toBe(45);
  });

  it('stays readable at the edges: one instant node, nodes all at once, a narrow panel', () => {
    // ARRANGE
    const instant: TimelineSpan[] = [{ id: 'only', start: T, end: T, status: 'completed' }];
    const together: TimelineSpan[] = Array.from({ length: 50 }, (_, i) => ({ id: `p${i}`, start: T + 3, end: T + 3 + (i % 5), status: 'completed' }));

    for (const width of [0, 120, 240, 1920]) {
      // ACT
      const one = layoutTimeline({ spans: instant, runStartedAt: T - 2, width });
      const all = layoutTimeline({ spans: together, runStartedAt: T, width });

      // ASSERT: an axis a millisecond long for the instant node; the 50 parallel nodes on 50 lanes.
      expectReadable(one, instant);
      expect(one.spanMs).toBe(1);
      expectReadable(all, together);
      expect(all.lanes).toHaveLength(50);
      expect(all.startup!.x + all.startup!.width).toBeLessThan(all.axisX);
    }
  });
});
