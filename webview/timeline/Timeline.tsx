// The run on a time axis: one bar per node that ran, nodes that overlapped in time on their own lanes, each attempt
// a segment (the gap between two is the retry delay). Bars narrower than a pixel are merged per lane, so a
// 10,000-node run draws a few hundred rects; each bar is drawn at least MIN_BAR_PX wide, so that a node that took
// microseconds is still seen. Keyboard: the timeline is one tab stop; Left/Right select the
// previous/next node in start order, Home/End the first/last, Enter opens the selected node's card.

import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement, type RefObject } from 'react';
import { axisTicks, formatDuration } from './format';
import type { NodeView, RunView } from './runState';
import { assignLanes, mergeNarrowBars, type Bar } from './timelineLanes';
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
const AXIS_HEIGHT = 18;
const PADDING = 8;
/** Narrowest bar drawn (px): a node that took microseconds is still seen and clickable. */
const MIN_BAR_PX = 3;

interface Placed {
  node: NodeView;
  start: number;
  end: number;
}

export const Timeline = memo(function Timeline({ view, version, live, selected, onSelect, onOpen }: TimelineProps): ReactElement {
  const running = live && (view.status === 'running' || view.status === 'starting');
  // Running bars grow with time; four frames a second is smooth enough and cheap for a big run.
  const now = useNow(running, 250);
  const box = useRef<HTMLDivElement>(null);
  const width = useWidth(box);

  const layout = useMemo(() => {
    const placed: Placed[] = [];
    for (const node of view.nodes) {
      if (node.startedAt === undefined) continue;
      const end = node.finishedAt ?? (node.status === 'running' ? (running ? now : (view.finishedAt ?? node.startedAt)) : node.startedAt);
      placed.push({ node, start: node.startedAt, end: Math.max(end, node.startedAt) });
    }
    placed.sort((a, b) => a.start - b.start || a.node.index - b.node.index);
    const t0 = view.startedAt ?? placed[0]?.start ?? now;
    let t1 = view.finishedAt ?? (running ? now : t0);
    for (const p of placed) if (p.end > t1) t1 = p.end;
    const span = Math.max(1, t1 - t0);
    const { lanes, laneCount } = assignLanes(placed);
    return { placed, lanes, laneCount, t0, span };
    // `version` stands for the in-place changes of view.nodes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [view, version, running ? now : 0]);

  const inner = Math.max(50, width - 2 * PADDING);
  const scale = inner / layout.span;
  const x = (t: number): number => PADDING + (t - layout.t0) * scale;

  const byLane = useMemo(() => {
    const out: Bar[][] = Array.from({ length: layout.laneCount }, () => []);
    layout.placed.forEach((p, i) => {
      out[layout.lanes[i]].push({ x: x(p.start), width: (p.end - p.start) * scale, ids: [p.node.id], status: p.node.status });
    });
    return out.map((bars) => mergeNarrowBars(bars, 1));
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layout, scale]);

  const order = layout.placed.map((p) => p.node.id);
  const selectedNode = selected ? view.byId.get(selected) : undefined;

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (order.length === 0) return;
    const at = selected ? order.indexOf(selected) : -1;
    let next: number | undefined;
    if (event.key === 'ArrowRight' || event.key === 'ArrowDown') next = Math.min(order.length - 1, at + 1);
    else if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') next = Math.max(0, at < 0 ? 0 : at - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = order.length - 1;
    else if ((event.key === 'Enter' || event.key === ' ') && selected) {
      event.preventDefault();
      onOpen(selected);
      return;
    }
    if (next === undefined) return;
    event.preventDefault();
    onSelect(order[next]);
  };

  const height = AXIS_HEIGHT + layout.laneCount * (LANE_HEIGHT + LANE_GAP) + LANE_GAP;
  const ticks = axisTicks(layout.span, Math.max(2, Math.floor(inner / 110)));

  return (
    <div className="weft-timeline" ref={box}>
      <div
        className="weft-timeline-scroll"
        tabIndex={0}
        role="group"
        aria-roledescription="timeline"
        aria-label={`Timeline: ${order.length} node${order.length === 1 ? '' : 's'} on ${layout.laneCount} lane${layout.laneCount === 1 ? '' : 's'}. Arrow keys select a node, Enter opens it.`}
        onKeyDown={onKeyDown}
      >
        {order.length === 0 ? (
          <p className="weft-muted weft-timeline-empty">{running ? 'Waiting for the first node…' : 'No node ran.'}</p>
        ) : (
          <svg width={width} height={height} className="weft-timeline-svg" aria-hidden="true">
            {ticks.map((t) => (
              <g key={t} className="weft-timeline-tick">
                <line x1={x(layout.t0 + t)} x2={x(layout.t0 + t)} y1={AXIS_HEIGHT - 4} y2={height} />
                <text x={x(layout.t0 + t) + 2} y={AXIS_HEIGHT - 6}>
                  {formatDuration(t)}
                </text>
              </g>
            ))}
            {byLane.map((bars, lane) => {
              const y = AXIS_HEIGHT + LANE_GAP + lane * (LANE_HEIGHT + LANE_GAP);
              return (
                <g key={lane} className="weft-timeline-lane">
                  {bars.map((bar) =>
                    bar.ids.length > 1 ? (
                      <rect
                        key={bar.ids[0]}
                        className="weft-bar weft-bar-merged"
                        data-status={bar.status}
                        x={bar.x}
                        y={y}
                        width={Math.max(MIN_BAR_PX, bar.width)}
                        height={LANE_HEIGHT}
                        onClick={() => onSelect(bar.ids[0])}
                      >
                        <title>{`${bar.ids.length} nodes: ${bar.ids.slice(0, 5).join(', ')}${bar.ids.length > 5 ? ', …' : ''}`}</title>
                      </rect>
                    ) : (
                      <NodeBar
                        key={bar.ids[0]}
                        node={view.byId.get(bar.ids[0])!}
                        x={x}
                        y={y}
                        bar={bar}
                        selected={bar.ids[0] === selected}
                        onSelect={onSelect}
                      />
                    ),
                  )}
                </g>
              );
            })}
          </svg>
        )}
      </div>
      <p className="weft-timeline-caption" aria-live="polite">
        {selectedNode ? describeNode(selectedNode) : order.length > 0 ? 'Select a bar to see its node.' : ''}
      </p>
    </div>
  );
});

function NodeBar({
  node,
  x,
  y,
  bar,
  selected,
  onSelect,
}: {
  node: NodeView;
  x: (t: number) => number;
  y: number;
  bar: Bar;
  selected: boolean;
  onSelect: (nodeId: string) => void;
}): ReactElement {
  const segments = node.attempts.length > 0 && bar.width >= 3 ? node.attempts : undefined;
  const barEnd = bar.x + bar.width;
  return (
    <g className={`weft-bar-group${selected ? ' weft-bar-selected' : ''}`} data-bar-node={node.id} onClick={() => onSelect(node.id)}>
      <title>{describeNode(node)}</title>
      {segments ? (
        segments.map((segment, i) => {
          const sx = x(segment.start);
          const ex = segment.end === undefined ? barEnd : x(segment.end);
          return <rect key={i} className="weft-bar" data-status={segment.status} x={sx} y={y} width={Math.max(1, ex - sx)} height={LANE_HEIGHT} />;
        })
      ) : (
        <rect className="weft-bar" data-status={node.status} x={bar.x} y={y} width={Math.max(MIN_BAR_PX, bar.width)} height={LANE_HEIGHT} />
      )}
      {segments && segments.length > 1 && (
        // The retry waits: a thin line joining the attempts, so the gaps read as one node's bar.
        <line className="weft-bar-retry" x1={bar.x} x2={barEnd} y1={y + LANE_HEIGHT / 2} y2={y + LANE_HEIGHT / 2} />
      )}
      {selected && <rect className="weft-bar-outline" x={bar.x - 1} y={y - 1} width={Math.max(MIN_BAR_PX, bar.width) + 2} height={LANE_HEIGHT + 2} />}
      {bar.width > 48 && (
        <text className="weft-bar-label" x={bar.x + 4} y={y + LANE_HEIGHT - 4}>
          {node.id}
        </text>
      )}
    </g>
  );
}

function describeNode(node: NodeView): string {
  const parts = [node.id, node.status];
  if (node.durationMs !== undefined) parts.push(formatDuration(node.durationMs));
  if (node.attemptCount > 1) parts.push(`${node.attemptCount} attempts`);
  if (node.iterationCount) parts.push(`${node.iterationCount} iteration${node.iterationCount === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function useWidth(ref: RefObject<HTMLDivElement | null>): number {
  const [width, setWidth] = useState(600);
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const measure = (): void => {
      const w = el.clientWidth;
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return undefined;
    const observer = new ResizeObserver(measure);
    observer.observe(el);
    return () => observer.disconnect();
  }, [ref]);
  return width;
}
