import { describe, expect, it } from 'vitest';
import type { Box } from '../../../../webview/canvas/readableFit';
import { isBackEdge, NODE_CLEARANCE, routeAround } from '../../../../webview/canvas/routeAround';

/** The points of an SVG path made of M, L and Q commands (the Q control points included). */
function pointsOf(path: string): { x: number; y: number }[] {
  return [...path.matchAll(/(-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));
}

/** True when the segment between two points of an axis-aligned path crosses the inside of the box. */
function crosses(a: { x: number; y: number }, b: { x: number; y: number }, box: Box): boolean {
  const left = Math.min(a.x, b.x);
  const right = Math.max(a.x, b.x);
  const top = Math.min(a.y, b.y);
  const bottom = Math.max(a.y, b.y);
  return left < box.x + box.width && right > box.x && top < box.y + box.height && bottom > box.y;
}

describe('routeAround', () => {
  it('tells a back edge (target left of the source) from a forward one', () => {
    expect(isBackEdge({ x: 500, y: 0 }, { x: 100, y: 0 })).toBe(true);
    expect(isBackEdge({ x: 100, y: 0 }, { x: 500, y: 0 })).toBe(false);
    // A target just right of the source, above it (the e2e scenario's review → done): a curve, not a loop.
    expect(isBackEdge({ x: 560, y: 300 }, { x: 580, y: 40 })).toBe(false);
  });

  it('draws a back edge around the nodes between its ends, not through them', () => {
    // ARRANGE: three nodes in a row; the edge goes from c's port back to a's input.
    //   [a] [b] [c]
    //    ^-------'
    const a = { x: 0, y: 0, width: 200, height: 64 };
    const b = { x: 300, y: 0, width: 200, height: 64 };
    const c = { x: 600, y: 0, width: 200, height: 64 };
    const source = { x: 800, y: 32 };
    const target = { x: 0, y: 14 };
    // ACT
    const route = routeAround(source, target, [a, b, c]);
    // ASSERT: between leaving c's side and reaching a's side, no segment enters a node.
    const points = pointsOf(route.path);
    expect(points[0]).toEqual(source);
    expect(points.at(-1)).toEqual(target);
    const inner = points.slice(1, -1);
    for (let i = 0; i + 1 < inner.length; i++) for (const box of [a, b, c]) expect(crosses(inner[i], inner[i + 1], box)).toBe(false);
    // The ports sit in the nodes' upper half, so the shorter detour is above them.
    expect(route.labelY).toBe(0 - NODE_CLEARANCE);
  });

  it('goes below when that is the shorter way, and above when the nodes in the way reach further down', () => {
    const row = [
      { x: 0, y: 0, width: 200, height: 64 },
      { x: 300, y: 0, width: 200, height: 64 },
    ];
    expect(routeAround({ x: 500, y: 50 }, { x: 0, y: 50 }, row).labelY).toBe(64 + NODE_CLEARANCE);
    // [a]       [c]
    //      [b]          b hangs low between them
    //      [b]
    const a = { x: 0, y: 100, width: 200, height: 64 };
    const b = { x: 300, y: 150, width: 200, height: 400 };
    const c = { x: 600, y: 100, width: 200, height: 64 };
    const route = routeAround({ x: 800, y: 132 }, { x: 0, y: 114 }, [a, b, c]);
    expect(route.labelY).toBe(100 - NODE_CLEARANCE);
  });

  it('takes the other side when a leg of the shorter detour would pass through a node beside the target', () => {
    // ARRANGE: the e2e scenario after note was dragged below check: done → note. A run above everything would come
    // down left of note through check, which sits right above note's input.
    //   [check]   [tax]   [done]
    //   [note]
    const check = { x: 0, y: 60, width: 200, height: 100 };
    const tax = { x: 290, y: 0, width: 200, height: 80 };
    const done = { x: 580, y: 40, width: 200, height: 80 };
    const note = { x: 30, y: 300, width: 200, height: 80 };
    const boxes = [check, tax, done, note];
    // ACT
    const route = routeAround({ x: 780, y: 60 }, { x: 30, y: 314 }, boxes);
    // ASSERT: below, and no segment between the port stubs enters a node.
    expect(route.labelY).toBe(380 + NODE_CLEARANCE);
    const inner = pointsOf(route.path).slice(1, -1);
    for (let i = 0; i + 1 < inner.length; i++) for (const box of boxes) expect(crosses(inner[i], inner[i + 1], box)).toBe(false);
  });
});
