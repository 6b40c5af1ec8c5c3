import { describe, expect, it } from 'vitest';
import { boundsOf, readableFit, READABLE_ZOOM } from '../../../../webview/canvas/readableFit';

describe('readableFit', () => {
  it('shows a small flow whole, centred, never magnified', () => {
    // ARRANGE: a 400 × 100 graph in an 1000 × 600 pane.
    const bounds = { x: 0, y: 0, width: 400, height: 100 };
    // ACT
    const view = readableFit(bounds, { width: 1000, height: 600 });
    // ASSERT
    expect(view.zoom).toBe(1);
    expect(view.x).toBe(300);
    expect(view.y).toBe(250);
  });

  it('shrinks a flow that fits at a readable zoom, keeping every node in the pane', () => {
    const bounds = { x: 100, y: 50, width: 1200, height: 300 };
    const pane = { width: 1000, height: 600 };
    const view = readableFit(bounds, pane);
    expect(view.zoom).toBeCloseTo((1000 - 48) / 1200, 5);
    expect(view.zoom).toBeGreaterThanOrEqual(READABLE_ZOOM);
    expect(bounds.x * view.zoom + view.x).toBeGreaterThanOrEqual(0);
    expect((bounds.x + bounds.width) * view.zoom + view.x).toBeLessThanOrEqual(pane.width);
  });

  it('never goes below the readable zoom: a long flow starts at its first node, on the left, and the rest is a scroll away', () => {
    // ARRANGE: the measured case of issue 15, a 5-node flow in a pane the palette, inspector and panel left narrow
    // (xyflow's fit chose 0.42 there).
    const bounds = { x: 0, y: 0, width: 1250, height: 260 };
    const pane = { width: 520, height: 700 };
    // ACT
    const view = readableFit(bounds, pane);
    // ASSERT
    expect(view.zoom).toBe(READABLE_ZOOM);
    expect(view.x).toBe(24);
    expect(view.y).toBeCloseTo((700 - 260 * READABLE_ZOOM) / 2, 5);
  });

  it('fits the width of a tall graph when that is readable, starting at its top', () => {
    const bounds = { x: 0, y: 0, width: 600, height: 3000 };
    const view = readableFit(bounds, { width: 800, height: 600 });
    expect(view.zoom).toBe(1);
    expect(view.y).toBe(24);
    expect(view.x).toBe(100);
  });

  it('takes the bounds of the top-level boxes', () => {
    expect(boundsOf([])).toBeUndefined();
    expect(
      boundsOf([
        { x: 10, y: 20, width: 100, height: 50 },
        { x: -30, y: 100, width: 20, height: 20 },
      ]),
    ).toEqual({ x: -30, y: 20, width: 140, height: 100 });
  });
});
