// Where everything on the timeline goes, in pixels: pure, so that what a person sees can be tested without a DOM.
//
// - The axis starts at the first node's start. The time before it (the run's start-up: a worker starting, the flow
//   compiling) is not stretched across the axis; it is a segment of its own, a fixed width, labelled with its
//   duration ("start-up 12 ms").
// - The axis ends at the last node's end (or `until`, the clock of a running run): the whole width is the nodes'.
// - Widths are proportional to durations: every bar is `duration × pxPerMs` wide, except that none is narrower
//   than MIN_BAR_PX, so a node that took microseconds is still seen and can be clicked.
// - Lanes: bars are taken in start order and each goes on the lowest lane where it clears the previous bar by
//   BAR_GAP_PX, as drawn (at its minimum width). Nodes that ran at the same time therefore get lanes of their own,
//   and so do short nodes whose minimum-width bars would touch: no bar is ever drawn over another, so nothing
//   (the selected node included) can be hidden. Interval partitioning (timelineLanes.ts), O(n log n).
// - Ticks: timelineTicks.ts, labels at least TICK_MIN_SPACING_PX apart and never repeated.

import { formatDuration } from '../../src/shared/formatDuration';
import { assignLanes } from './timelineLanes';
import { axisTicks, tickStep, type Tick } from './timelineTicks';

/** Narrowest bar drawn (px). */
export const MIN_BAR_PX = 4;
/** Room kept after a bar widened to MIN_BAR_PX (px), so that two such neighbours read as two. */
export const BAR_GAP_PX = 1;
/** Left and right margins (px). */
export const PADDING_PX = 8;
/** The start-up segment's width (px) when there is room, and the gap after it. */
export const STARTUP_PX = 104;
export const STARTUP_GAP_PX = 10;
/** Closest two tick labels may be (px): "12.5 ms" at the axis' font is about 40 px. */
export const TICK_MIN_SPACING_PX = 64;

export interface TimelineSpan {
  id: string;
  /** Epoch ms. */
  start: number;
  /** Epoch ms, at or after `start` (a running node: now). */
  end: number;
  status: string;
}

export interface TimelineGeometryInput {
  /** The nodes that started, in any order; equal starts keep this order. */
  spans: readonly TimelineSpan[];
  /** When the run started (epoch ms): the start-up segment is the time from here to the first node. */
  runStartedAt?: number;
  /** The axis reaches at least this far (epoch ms): a running run's clock. */
  until?: number;
  /** Pixels available, margins included. */
  width: number;
}

export interface PlacedBar {
  id: string;
  /** Index in start order (the keyboard's order). */
  order: number;
  lane: number;
  /** Left edge and drawn width (px), the width at least MIN_BAR_PX. */
  x: number;
  width: number;
  /** Width the duration alone gives (px), below MIN_BAR_PX for the shortest nodes. */
  durationWidth: number;
  start: number;
  end: number;
  status: string;
}

export interface StartupSegment {
  ms: number;
  x: number;
  width: number;
  label: string;
}

export interface TimelineGeometry {
  /** The first node's start (epoch ms): the axis' origin. */
  origin: number;
  /** The axis' length (ms). */
  spanMs: number;
  /** x (px) of the origin. */
  axisX: number;
  pxPerMs: number;
  startup?: StartupSegment;
  /** Ticks with their x (px); `ms` counts from the origin. */
  ticks: (Tick & { x: number })[];
  /** Bars in start order. */
  bars: PlacedBar[];
  /** Bar indexes (into `bars`) per lane, left to right. */
  lanes: number[][];
  width: number;
}

/** The timeline's layout for `input`. */
export function layoutTimeline(input: TimelineGeometryInput): TimelineGeometry {
  const width = Math.max(120, input.width);
  const spans = input.spans
    .map((span, i) => ({ span, i }))
    .sort((a, b) => a.span.start - b.span.start || a.i - b.i)
    .map(({ span }) => span);

  const origin = spans.length > 0 ? spans[0].start : (input.runStartedAt ?? input.until ?? 0);
  let last = origin;
  for (const span of spans) last = Math.max(last, span.end);
  if (input.until !== undefined && spans.length > 0) last = Math.max(last, input.until);
  // A run whose nodes all took no measurable time still gets an axis (a millisecond long).
  const spanMs = last > origin ? last - origin : 1;

  const startupMs = input.runStartedAt === undefined || spans.length === 0 ? 0 : origin - input.runStartedAt;
  const startupWidth = startupMs > 0 ? Math.min(STARTUP_PX, Math.round(width / 4)) : 0;
  const startup: StartupSegment | undefined =
    startupMs > 0 ? { ms: startupMs, x: PADDING_PX, width: startupWidth, label: `start-up ${formatDuration(startupMs)}` } : undefined;
  const axisX = PADDING_PX + (startup ? startupWidth + STARTUP_GAP_PX : 0);
  // The last bar may be drawn MIN_BAR_PX wide at the very end: keep room for it inside the margin.
  const pxPerMs = Math.max(1e-9, width - axisX - PADDING_PX - MIN_BAR_PX) / spanMs;

  const bars: PlacedBar[] = spans.map((span, order) => {
    const end = Math.max(span.start, span.end);
    const durationWidth = (end - span.start) * pxPerMs;
    return {
      id: span.id,
      order,
      lane: 0,
      x: axisX + (span.start - origin) * pxPerMs,
      width: Math.max(MIN_BAR_PX, durationWidth),
      durationWidth,
      start: span.start,
      end,
      status: span.status,
    };
  });

  // Lanes as drawn (occupiedUntil): a chain of nodes stays on one lane, and a bar widened to the minimum keeps
  // the nodes that start under it off its lane. The tolerance absorbs rounding where one bar ends as the next starts.
  const { lanes: laneOf, laneCount } = assignLanes(bars.map((bar) => ({ start: bar.x, end: occupiedUntil(bar) - 1e-6 })));
  const lanes: number[][] = Array.from({ length: laneCount }, () => []);
  bars.forEach((bar, i) => {
    bar.lane = laneOf[i];
    lanes[bar.lane].push(i);
  });

  const step = tickStep(pxPerMs, TICK_MIN_SPACING_PX);
  const ticks = axisTicks(spanMs, step).map((tick) => ({ ...tick, x: axisX + tick.ms * pxPerMs }));

  return { origin, spanMs, axisX, pxPerMs, startup, ticks, bars, lanes, width };
}

/**
 * Where a bar's lane is free again (px). A bar wide enough is drawn BAR_GAP_PX short of its end (drawnWidth), so
 * the next node may start right where it ends; a narrower one (widened to the minimum, or about to be) keeps the
 * gap after it. Either way two rects of one lane are at least BAR_GAP_PX apart.
 */
export function occupiedUntil(bar: PlacedBar): number {
  return bar.x + bar.width + (insets(bar) ? 0 : BAR_GAP_PX);
}

/** The rect's width (px): the bar's, less the gap that separates it from a neighbour starting where it ends. */
export function drawnWidth(bar: PlacedBar): number {
  return insets(bar) ? bar.width - BAR_GAP_PX : bar.width;
}

function insets(bar: PlacedBar): boolean {
  return bar.durationWidth >= MIN_BAR_PX + BAR_GAP_PX;
}
