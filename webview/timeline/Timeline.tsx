// The run on a time axis. Where things go is timelineGeometry.ts (pure, tested): the axis starts at the first
// node, the start-up before it is a labelled segment of its own, widths are proportional to durations with a
// minimum, and bars that would touch go on lanes of their own, so no bar ever covers another. Each attempt of a
// node is a segment of its bar (the gap between two is the retry delay).
//
// A run of 10,000 nodes can need dozens of lanes: only the lanes in view (and the selected node's) are drawn, from
// the scroll position, since every lane is the same height. The tick labels stay on top while the lanes scroll.
//
// Keyboard: the timeline is one tab stop; Left/Right select the previous/next node in start order, Up/Down the
// nearest node on the lane above/below, Home/End the first/last, Enter opens the selected node's card. The
// selected node's lane is scrolled into view and its outline drawn over everything.

import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement, type RefObject } from 'react';
import { formatDuration } from './format';
import type { NodeView, RunView } from './runState';
import { drawnWidth, layoutTimeline, type PlacedBar, type TimelineGeometry, type TimelineSpan } from './timelineGeometry';
import { nearestInLane } from './timelineNavigation';
import { useNow } from './useNow';

export interface TimelineProps {
  view: RunView;
  /** The version of `view` (its nodes change in place). */
  version: number;
  live: boolean;
  selected?: string;
  onSelect: (nodeId: string) => void;
  onOpen: (nodeId: string) => void;
}

const LANE_HEIGHT = 16;
const LANE_GAP = 4;
const ROW = LANE_HEIGHT + LANE_GAP;
const AXIS_HEIGHT = 18;
/** Lanes drawn beyond the visible ones, above and below, so a quick scroll does not show empty rows. */
const OVERSCAN_LANES = 4;
/** The viewport height assumed before it has been measured (no layout yet). */
const UNMEASURED_VIEWPORT = 400;
/** Room a tick label needs to the right of its tick (px); a label without it is left out, its line kept. */
const TICK_LABEL_ROOM = 52;
/** Pixels a bar label's character takes at the bar font, roughly: a label is drawn only where it fits. */
const LABEL_CHAR_PX = 6;

export const Timeline = memo(function Timeline({ view, version, live, selected, onSelect, onOpen }: TimelineProps): ReactElement {
  const running = live && (view.status === 'running' || view.status === 'starting');
  // Running bars grow with time; four frames a second is smooth enough and cheap for a big run.
  const now = useNow(running, 250);
  const scroller = useRef<HTMLDivElement>(null);
  const { width, height: viewportHeight, scrollTop, setScrollTop } = useViewport(scroller);

  const geometry = useMemo(
    () => layoutTimeline({ spans: nodeSpans(view, running, now), runStartedAt: view.startedAt, until: running ? now : undefined, width }),
    // `version` stands for the in-place changes of view.nodes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [view, version, running ? now : 0, width],
  );
  const barById = useMemo(() => new Map(geometry.bars.map((bar) => [bar.id, bar])), [geometry]);
  const selectedBar = selected ? barById.get(selected) : undefined;
  const selectedNode = selected ? view.byId.get(selected) : undefined;
  const laneCount = geometry.lanes.length;

  // The selected node's lane comes into view when the selection changes (not on every relayout of a live run,
  // which would fight the user's own scrolling).
  const geometryRef = useRef(geometry);
  geometryRef.current = geometry;
  useEffect(() => {
    const el = scroller.current;
    const bar = selected ? geometryRef.current.bars.find((b) => b.id === selected) : undefined;
    if (!el || !bar) return;
    const top = AXIS_HEIGHT + bar.lane * ROW;
    const bottom = top + ROW + LANE_GAP;
    const viewport = el.clientHeight || UNMEASURED_VIEWPORT;
    // The axis row is sticky: a lane under it is hidden, so "above the view" starts below it.
    if (top - AXIS_HEIGHT < el.scrollTop) el.scrollTop = top - AXIS_HEIGHT;
    else if (bottom > el.scrollTop + viewport) el.scrollTop = bottom - viewport;
    setScrollTop(el.scrollTop);
  }, [selected, setScrollTop]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const bars = geometry.bars;
    if (bars.length === 0) return;
    const at = selectedBar?.order ?? -1;
    let next: PlacedBar | undefined;
    if (event.key === 'ArrowRight') next = bars[Math.min(bars.length - 1, at + 1)];
    else if (event.key === 'ArrowLeft') next = bars[Math.max(0, at - 1)];
    else if (event.key === 'ArrowUp' || event.key === 'ArrowDown') {
      next = selectedBar ? (nearestInLane(geometry, selectedBar, event.key === 'ArrowUp' ? -1 : 1) ?? selectedBar) : bars[0];
    } else if (event.key === 'Home') next = bars[0];
    else if (event.key === 'End') next = bars[bars.length - 1];
    else if ((event.key === 'Enter' || event.key === ' ') && selected) {
      event.preventDefault();
      onOpen(selected);
      return;
    }
    if (next === undefined) return;
    event.preventDefault();
    if (next.id !== selected) onSelect(next.id);
  };

  const lanesHeight = Math.max(1, laneCount) * ROW + LANE_GAP;
  const shownLanes = visibleLanes(scrollTop, viewportHeight || UNMEASURED_VIEWPORT, laneCount, selectedBar?.lane);
  const count = geometry.bars.length;

  return (
    <div className="weft-timeline">
      <div
        className="weft-timeline-scroll"
        ref={scroller}
        tabIndex={0}
        role="group"
        aria-roledescription="timeline"
        aria-label={`Timeline: ${count} node${count === 1 ? '' : 's'} on ${laneCount} lane${laneCount === 1 ? '' : 's'}. Arrow keys select a node, Enter opens it.`}
        onKeyDown={onKeyDown}
        onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
      >
        {count === 0 ? (
          <p className="weft-muted weft-timeline-empty">{running ? 'Waiting for the first node…' : 'No node ran.'}</p>
        ) : (
          <>
            <Axis geometry={geometry} />
            <svg width={geometry.width} height={lanesHeight} className="weft-timeline-svg" aria-hidden="true">
              {geometry.startup && (
                <rect className="weft-timeline-startup-band" x={geometry.startup.x} y={LANE_GAP / 2} width={geometry.startup.width} height={lanesHeight - LANE_GAP} />
              )}
              {geometry.ticks.map((tick) => (
                <line key={tick.ms} className="weft-timeline-grid" x1={tick.x} x2={tick.x} y1={0} y2={lanesHeight} />
              ))}
              {shownLanes.map((lane) => (
                <g key={lane} className="weft-timeline-lane" data-lane={lane}>
                  {geometry.lanes[lane].map((i) => {
                    const bar = geometry.bars[i];
                    const node = view.byId.get(bar.id)!;
                    return <NodeBar key={bar.id} node={node} rev={node.rev} bar={bar} geometry={geometry} y={laneY(lane)} selected={bar.id === selected} onSelect={onSelect} />;
                  })}
                </g>
              ))}
              {selectedBar && (
                // Last in the drawing, so nothing is painted over the selection.
                <rect
                  className="weft-bar-outline"
                  x={selectedBar.x - 1.5}
                  y={laneY(selectedBar.lane) - 1.5}
                  width={drawnWidth(selectedBar) + 3}
                  height={LANE_HEIGHT + 3}
                  pointerEvents="none"
                />
              )}
            </svg>
          </>
        )}
      </div>
      <p className="weft-timeline-caption" aria-live="polite">
        {selectedNode ? describeNode(selectedNode) : count > 0 ? 'Select a bar to see its node.' : ''}
      </p>
    </div>
  );
});

/** The tick labels and the start-up segment's label, kept at the top while the lanes scroll. */
function Axis({ geometry }: { geometry: TimelineGeometry }): ReactElement {
  const { startup } = geometry;
  return (
    <div className="weft-timeline-axis">
      <svg width={geometry.width} height={AXIS_HEIGHT} aria-hidden="true">
        {startup && (
          <g className="weft-timeline-startup">
            <title>{`${startup.label}: from the run's start to its first node (not to scale)`}</title>
            <text x={startup.x + 2} y={AXIS_HEIGHT - 6}>
              {startup.label}
            </text>
          </g>
        )}
        {geometry.ticks.map((tick) => (
          <g key={tick.ms} className="weft-timeline-tick">
            <line x1={tick.x} x2={tick.x} y1={AXIS_HEIGHT - 4} y2={AXIS_HEIGHT} />
            {tick.x + TICK_LABEL_ROOM <= geometry.width && (
              <text x={tick.x + 2} y={AXIS_HEIGHT - 6}>
                {tick.label}
              </text>
            )}
          </g>
        ))}
      </svg>
    </div>
  );
}

/** Memoised: a selection change re-renders two bars, not every bar in view; `rev` stands for the node's changes. */
const NodeBar = memo(function NodeBar({
  node,
  bar,
  geometry,
  y,
  selected,
  onSelect,
}: {
  node: NodeView;
  rev: number;
  bar: PlacedBar;
  geometry: TimelineGeometry;
  y: number;
  selected: boolean;
  onSelect: (nodeId: string) => void;
}): ReactElement {
  const width = drawnWidth(bar);
  const x = (t: number): number => geometry.axisX + (t - geometry.origin) * geometry.pxPerMs;
  // Attempt segments only where the bar is drawn at its true width: on a widened bar they would be out of scale.
  const segments = node.attempts.length > 1 && bar.durationWidth >= 3 * node.attempts.length ? node.attempts : undefined;
  const barEnd = bar.x + width;
  return (
    <g className={`weft-bar-group${selected ? ' weft-bar-selected' : ''}`} data-bar-node={node.id} onClick={() => onSelect(node.id)}>
      <title>{describeNode(node)}</title>
      {segments ? (
        segments.map((segment, i) => {
          const sx = Math.max(bar.x, x(segment.start));
          const ex = segment.end === undefined ? barEnd : Math.min(barEnd, x(segment.end));
          return <rect key={i} className="weft-bar" data-status={segment.status} x={sx} y={y} width={Math.max(1, ex - sx)} height={LANE_HEIGHT} />;
        })
      ) : (
        <rect className="weft-bar" data-status={node.status} x={bar.x} y={y} width={width} height={LANE_HEIGHT} />
      )}
      {segments && (
        // The retry waits: a thin line joining the attempts, so the gaps read as one node's bar.
        <line className="weft-bar-retry" x1={bar.x} x2={barEnd} y1={y + LANE_HEIGHT / 2} y2={y + LANE_HEIGHT / 2} />
      )}
      {width >= node.id.length * LABEL_CHAR_PX + 8 && (
        <text className="weft-bar-label" x={bar.x + 4} y={y + LANE_HEIGHT - 4}>
          {node.id}
        </text>
      )}
    </g>
  );
});

/** The nodes that started, as spans on the time axis (a running node reaches `now`). */
function nodeSpans(view: RunView, running: boolean, now: number): TimelineSpan[] {
  const spans: TimelineSpan[] = [];
  for (const node of view.nodes) {
    if (node.startedAt === undefined) continue;
    spans.push({ id: node.id, start: node.startedAt, end: nodeEnd(view, node, running, now), status: node.status });
  }
  return spans;
}

function nodeEnd(view: RunView, node: NodeView, running: boolean, now: number): number {
  const start = node.startedAt!;
  // Times in the events are whole milliseconds; a node's measured duration is finer (microseconds), and it is
  // what makes a 0.05 ms node narrower than a 0.3 ms one. With retries it covers the last attempt only.
  if (node.durationMs !== undefined && node.attemptCount <= 1 && node.status !== 'running') return start + node.durationMs;
  if (node.finishedAt !== undefined) return Math.max(start, node.finishedAt);
  if (node.status === 'running') return running ? Math.max(start, now) : (view.finishedAt ?? start);
  return start;
}

function laneY(lane: number): number {
  return LANE_GAP + lane * ROW;
}

/** The lanes to draw: those in the viewport (the sticky axis row above them), a few more, and the selected one's. */
function visibleLanes(scrollTop: number, viewportHeight: number, laneCount: number, selectedLane: number | undefined): number[] {
  const first = Math.max(0, Math.floor((scrollTop - AXIS_HEIGHT) / ROW) - OVERSCAN_LANES);
  const last = Math.min(laneCount - 1, Math.ceil((scrollTop + viewportHeight) / ROW) + OVERSCAN_LANES);
  const lanes: number[] = [];
  for (let lane = first; lane <= last; lane++) lanes.push(lane);
  if (selectedLane !== undefined && (selectedLane < first || selectedLane > last)) lanes.push(selectedLane);
  return lanes;
}

function describeNode(node: NodeView): string {
  const parts = [node.id, node.status];
  if (node.durationMs !== undefined) parts.push(formatDuration(node.durationMs));
  if (node.attemptCount > 1) parts.push(`${node.attemptCount} attempts`);
  if (node.iterationCount) parts.push(`${node.iterationCount} iteration${node.iterationCount === 1 ? '' : 's'}`);
  return parts.join(', ');
}

/** The scroller's inner width and height (what the drawing may take: no horizontal scroll) and its scroll offset. */
function useViewport(ref: RefObject<HTMLDivElement | null>): { width: number; height: number; scrollTop: number; setScrollTop: (top: number) => void } {
  const [size, setSize] = useState({ width: 600, height: 0 });
  const [scrollTop, setScrollTop] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = (): void => {
      const width = el.clientWidth;
      const height = el.clientHeight;
      if (width > 0) setSize((old) => (old.width === width && old.height === height ? old : { width, height }));
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return { ...size, scrollTop, setScrollTop };
}
