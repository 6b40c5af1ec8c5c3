import { describe, expect, it } from 'vitest';
import { placeNewNode } from '../../../../webview/canvas/placeNewNode';
import type { Box } from '../../../../webview/canvas/readableFit';

function overlap(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

const size = { width: 200, height: 80 };

describe('placeNewNode', () => {
  it('puts the new node right of the anchor, at its height, when that space is free', () => {
    // a [new]
    const a = { x: 0, y: 0, width: 200, height: 64 };
    const at = placeNewNode(a, size, [a], { x: 999, y: 999 });
    expect(at.y).toBe(0);
    expect(at.x).toBeGreaterThan(200);
  });

  it('moves down past the nodes already right of the anchor, so it lands on none of them', () => {
    // a → b       (b and c are where the new node would go)
    //     c
    const a = { x: 0, y: 0, width: 200, height: 64 };
    const b = { x: 280, y: 0, width: 200, height: 64 };
    const c = { x: 290, y: 90, width: 200, height: 64 };
    const taken = [a, b, c];
    const at = placeNewNode(a, size, taken, { x: 0, y: 0 });
    const box = { ...at, ...size };
    expect(taken.filter((t) => overlap(box, t))).toEqual([]);
    expect(at.y).toBeGreaterThanOrEqual(c.y + c.height);
  });

  it('uses the centre of the view in an empty flow', () => {
    expect(placeNewNode(undefined, size, [], { x: 500, y: 300 })).toEqual({ x: 400, y: 260 });
  });
});
