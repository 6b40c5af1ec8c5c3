// @vitest-environment happy-dom
import '../../../support/componentTests';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { useState, type ReactElement } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../../src/engine/run/events';
import { createRunView, reduceRun, type RunView } from '../../../../webview/timeline/runState';
import { Timeline } from '../../../../webview/timeline/Timeline';

afterEach(cleanup);

const restoreLayout: (() => void)[] = [];
afterEach(() => restoreLayout.splice(0).forEach((restore) => restore()));

/** happy-dom has no layout: elements say they are this big. */
function layout(sizes: Partial<Record<'clientHeight' | 'clientWidth', number>>): void {
  for (const [name, value] of Object.entries(sizes)) {
    const own = Object.getOwnPropertyDescriptor(HTMLElement.prototype, name);
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
    restoreLayout.push(() => (own ? Object.defineProperty(HTMLElement.prototype, name, own) : delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name]));
  }
}

const T = Date.parse('2026-01-05T10:00:00.000Z');

interface NodeRun {
  id: string;
  /** ms from the run's start (whole milliseconds, as event times are). */
  start: number;
  durationMs: number;
  failed?: boolean;
}

/** The view of a finished run whose nodes ran as given. */
function runView(nodes: readonly NodeRun[]): RunView {
  const base = { executionId: 'run-1' };
  const events: EngineEvent[] = [
    { ...base, seq: 1, ts: new Date(T).toISOString(), type: 'execution.started', flowId: 'f', mode: 'run', trigger: { type: 'manual' }, input: {}, nodeIds: nodes.map((n) => n.id) },
  ];
  let seq = 2;
  const ends: { at: number; event: EngineEvent }[] = [];
  for (const node of nodes) {
    events.push({ ...base, seq: seq++, ts: new Date(T + node.start).toISOString(), type: 'node.started', nodeId: node.id, attempt: 1, input: {} });
    const ts = new Date(T + Math.floor(node.start + node.durationMs)).toISOString();
    ends.push({
      at: node.start + node.durationMs,
      event: node.failed
        ? { ...base, seq: 0, ts, type: 'node.failed', nodeId: node.id, error: { message: 'no' }, errorHandled: false, durationMs: node.durationMs }
        : { ...base, seq: 0, ts, type: 'node.completed', nodeId: node.id, output: 1, durationMs: node.durationMs, ports: ['out'] },
    });
  }
  for (const { event } of ends.sort((a, b) => a.at - b.at)) events.push({ ...event, seq: seq++ });
  const last = Math.max(...nodes.map((n) => n.start + n.durationMs));
  events.push({ ...base, seq: seq++, ts: new Date(T + Math.ceil(last) + 1).toISOString(), type: 'execution.completed', status: 'completed', output: {}, durationMs: last + 1 });
  return reduceRun(createRunView('f', T), { kind: 'snapshot', startedAt: T, events });
}

/** The timeline as the panel uses it: selection is state, changed by the timeline itself. */
function Harness({ view }: { view: RunView }): ReactElement {
  const [selected, setSelected] = useState<string | undefined>(undefined);
  return <Timeline view={view} version={view.version} live={false} selected={selected} onSelect={setSelected} onOpen={() => undefined} />;
}

interface DrawnBar {
  id: string;
  x: number;
  y: number;
  width: number;
}

function drawnBars(): DrawnBar[] {
  return [...document.querySelectorAll('[data-bar-node]')].map((group) => {
    const rects = [...group.querySelectorAll('rect.weft-bar')];
    const x = Math.min(...rects.map((r) => Number(r.getAttribute('x'))));
    const right = Math.max(...rects.map((r) => Number(r.getAttribute('x')) + Number(r.getAttribute('width'))));
    return { id: group.getAttribute('data-bar-node')!, x, y: Number(rects[0].getAttribute('y')), width: right - x };
  });
}

function tickLabels(): string[] {
  return [...document.querySelectorAll('.weft-timeline-tick text')].map((text) => text.textContent ?? '');
}

function expectNoOverlap(bars: readonly DrawnBar[]): void {
  const byLane = new Map<number, DrawnBar[]>();
  for (const bar of bars) byLane.set(bar.y, [...(byLane.get(bar.y) ?? []), bar]);
  for (const lane of byLane.values()) {
    lane.sort((a, b) => a.x - b.x);
    for (let i = 1; i < lane.length; i++) expect(lane[i].x, `${lane[i - 1].id} covers ${lane[i].id}`).toBeGreaterThanOrEqual(lane[i - 1].x + lane[i - 1].width);
  }
}

describe('Timeline', () => {
  it('draws 5 sub-millisecond nodes as 5 bars, none covered, after a labelled start-up, with distinct ticks', () => {
    // ARRANGE: 12 ms of start-up, then a chain of 5 nodes of 20 to 300 µs within 2 ms.
    const view = runView([
      { id: 'parse', start: 12, durationMs: 0.3 },
      { id: 'enrich', start: 12, durationMs: 0.02 },
      { id: 'price', start: 12, durationMs: 0.05 },
      { id: 'tax', start: 13, durationMs: 0.1 },
      { id: 'total', start: 13, durationMs: 0.04 },
    ]);

    // ACT
    render(<Harness view={view} />);

    // ASSERT
    const bars = drawnBars();
    expect(bars.map((bar) => bar.id).sort()).toEqual(['enrich', 'parse', 'price', 'tax', 'total']);
    for (const bar of bars) expect(bar.width, bar.id).toBeGreaterThanOrEqual(3);
    expectNoOverlap(bars);
    const labels = tickLabels();
    expect(new Set(labels).size, labels.join(', ')).toBe(labels.length);
    expect(labels).toContain('0.2 ms');
    expect(document.querySelector('.weft-timeline-startup')?.textContent).toContain('start-up 12 ms');
    // The first node is at the left of the axis, right after the start-up segment, not 85% of the way along.
    const parse = bars.find((bar) => bar.id === 'parse')!;
    expect(parse.x).toBeLessThan(600 * 0.3);
  });

  it('keeps widths proportional to durations', () => {
    // ARRANGE: 2.4 ms then 7.2 ms. Event times are whole milliseconds (a ends "at 2", b "at 10"): the widths must
    // come from the measured durations, or they read 2:7 instead of 1:3.
    const view = runView([
      { id: 'a', start: 0, durationMs: 2.4 },
      { id: 'b', start: 3, durationMs: 7.2 },
    ]);

    // ACT
    render(<Harness view={view} />);

    // ASSERT: drawn a pixel short of their ends (the gap between neighbours), so 3:1 within that pixel.
    const [a, b] = drawnBars();
    expect((b.width + 1) / (a.width + 1)).toBeCloseTo(3, 2);
  });

  it('selects any of 10,000 nodes with the keyboard and shows it, drawing only the lanes in view', () => {
    // ARRANGE: 10,000 nodes of 1 ms, one after the other, in a timeline 600 px wide showing three lanes.
    layout({ clientWidth: 600, clientHeight: 60 });
    const view = runView(Array.from({ length: 10_000 }, (_, i) => ({ id: `n${i}`, start: 5 + i, durationMs: 1 })));
    render(<Harness view={view} />);
    const timeline = screen.getByRole('group', { name: /^Timeline: 10000 nodes on \d+ lanes/ });
    const drawnBefore = document.querySelectorAll('[data-bar-node]').length;

    // ACT: the last node, then one lane up.
    fireEvent.keyDown(timeline, { key: 'End' });

    // ASSERT: its bar is drawn, selected, and the outline is drawn last (over everything).
    expect(drawnBefore).toBeGreaterThan(0);
    expect(drawnBefore).toBeLessThan(10_000);
    const last = document.querySelector('[data-bar-node="n9999"]')!;
    expect(last.classList.contains('weft-bar-selected')).toBe(true);
    expect(document.querySelector('.weft-timeline-caption')!.textContent).toBe('n9999, completed, 1 ms');
    const svg = last.closest('svg')!;
    expect(svg.lastElementChild!.classList.contains('weft-bar-outline')).toBe(true);
    // Its lane was scrolled into the 60 px view, below the sticky axis row (18 px); lanes are 20 px apart.
    const lane = Number(last.closest('[data-lane]')!.getAttribute('data-lane'));
    expect(lane).toBeGreaterThan(3);
    const laneTop = 18 + 4 + lane * 20;
    expect(timeline.scrollTop + 18).toBeLessThanOrEqual(laneTop);
    expect(laneTop + 16).toBeLessThanOrEqual(timeline.scrollTop + 60);

    // ACT: Left is the previous node in start order; Up the nearest one on the lane above.
    fireEvent.keyDown(timeline, { key: 'ArrowLeft' });
    const previousLane = Number(document.querySelector('[data-bar-node="n9998"]')!.closest('[data-lane]')!.getAttribute('data-lane'));
    fireEvent.keyDown(timeline, { key: 'ArrowUp' });

    // ASSERT
    const selected = document.querySelector('.weft-bar-selected')!;
    expect(selected.getAttribute('data-bar-node')).not.toBe('n9998');
    expect(Number(selected.closest('[data-lane]')!.getAttribute('data-lane'))).toBe(previousLane - 1);
    expectNoOverlap(drawnBars());
  });
});
