// Moving the selection through the timeline with the arrow keys, as the picture is drawn: Left/Right follow start
// order (timelineGeometry's `order`), Up/Down go to the nearest bar on the lane above or below.

import type { PlacedBar, TimelineGeometry } from './timelineGeometry';

/**
 * The bar to select from `from` one lane up (-1) or down (+1): the one whose centre is nearest `from`'s, so the
 * arrow keys move through the picture as it is drawn. Undefined at the top or bottom lane.
 */
export function nearestInLane(geometry: TimelineGeometry, from: PlacedBar, direction: -1 | 1): PlacedBar | undefined {
  const lane = geometry.lanes[from.lane + direction];
  if (!lane || lane.length === 0) return undefined;
  const centre = from.x + from.width / 2;
  // Bars of a lane do not overlap, so their centres increase: binary search for the first at or right of `centre`.
  let lo = 0;
  let hi = lane.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    const bar = geometry.bars[lane[mid]];
    if (bar.x + bar.width / 2 < centre) lo = mid + 1;
    else hi = mid;
  }
  const candidates = [lane[lo - 1], lane[lo]].filter((i) => i !== undefined).map((i) => geometry.bars[i]);
  return candidates.reduce((best, bar) => (Math.abs(bar.x + bar.width / 2 - centre) < Math.abs(best.x + best.width / 2 - centre) ? bar : best));
}
