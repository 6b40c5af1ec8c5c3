// Where a node added from the palette goes: beside the node it will most likely follow (the selected one, else
// the last one of the flow), to its right where a flow continues, and never on top of a node already there. Pure.

import type { Box } from './readableFit';

/** Space kept between the new node and its neighbours (flow pixels; the auto layout's node separation). */
export const PLACEMENT_GAP = 40;

/**
 * The top-left corner for a new node of `size`: right of `anchor` at its height, moved down past every box of
 * `taken` it would cover. Without an anchor (an empty flow), `fallback` (the centre of the view) is used.
 */
export function placeNewNode(
  anchor: Box | undefined,
  size: { width: number; height: number },
  taken: readonly Box[],
  fallback: { x: number; y: number },
): { x: number; y: number } {
  let box: Box = anchor
    ? { x: anchor.x + anchor.width + PLACEMENT_GAP * 2, y: anchor.y, width: size.width, height: size.height }
    : { x: fallback.x - size.width / 2, y: fallback.y - size.height / 2, width: size.width, height: size.height };
  // Each step moves below the box hit, so the loop ends after at most one step per taken box.
  for (let steps = 0; steps <= taken.length; steps++) {
    const hit = taken.find((t) => overlaps(box, t));
    if (!hit) break;
    box = { ...box, y: hit.y + hit.height + PLACEMENT_GAP };
  }
  return { x: Math.round(box.x), y: Math.round(box.y) };
}

/** True when the boxes share any area, counting the gap around `a` (so new nodes do not touch their neighbours). */
function overlaps(a: Box, b: Box): boolean {
  const gap = PLACEMENT_GAP / 2;
  return a.x - gap < b.x + b.width && b.x < a.x + a.width + gap && a.y - gap < b.y + b.height && b.y < a.y + a.height + gap;
}
