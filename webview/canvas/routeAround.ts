// The path of an edge whose target lies left of its source (a back edge: the user moved a node before the one
// that feeds it). A curve from the source's right side to the target's left side would cross both nodes and
// everything between; this path leaves to the right, runs below (or above, when that is the shorter way) every
// node in between, and enters the target from the left, as the port sides promise. Pure: the edge component
// gives it the boxes. (elkjs's orthogonal router was considered; it lays out whole graphs asynchronously, and a
// back edge only needs this one detour.)

import type { Box } from './readableFit';

/** How far the path runs straight out of a port before turning (flow pixels). */
export const PORT_STUB = 20;
/** Clearance between the path and the nodes it passes. */
export const NODE_CLEARANCE = 16;

export interface Point {
  x: number;
  y: number;
}

export interface RoutedPath {
  /** SVG path data. */
  path: string;
  /** Where a label goes: the middle of the long horizontal run. */
  labelX: number;
  labelY: number;
}

/**
 * True when an edge from `source` to `target` must go around: the target's input is left of the source's port. (A
 * target just right of it, even straight above or below, is reached by a curve.)
 */
export function isBackEdge(source: Point, target: Point): boolean {
  return target.x < source.x;
}

/**
 * An orthogonal path from `source` (a port on a node's right side) to `target` (an input on a node's left side)
 * that passes every box of `obstacles` (the nodes of the same graph, the two ends included) lying between the
 * two ends horizontally.
 */
export function routeAround(source: Point, target: Point, obstacles: readonly Box[]): RoutedPath {
  const right = source.x + PORT_STUB;
  const left = target.x - PORT_STUB;
  const spanLeft = Math.min(left, right);
  const spanRight = Math.max(left, right);
  const inSpan = obstacles.filter((b) => b.x < spanRight && b.x + b.width > spanLeft);
  const bottom = Math.max(source.y, target.y, ...inSpan.map((b) => b.y + b.height)) + NODE_CLEARANCE;
  const top = Math.min(source.y, target.y, ...inSpan.map((b) => b.y)) - NODE_CLEARANCE;
  const via = (run: number): Point[] => [source, { x: right, y: source.y }, { x: right, y: run }, { x: left, y: run }, { x: left, y: target.y }, target];
  // The horizontal run clears the nodes between; a vertical leg may still pass through a node beside an end (the
  // target below the source's neighbour). The detour that crosses fewer nodes wins, then the shorter one.
  const candidates = [top, bottom].map((run) => {
    const points = via(run);
    return { run, points, crossings: crossings(points, obstacles), length: Math.abs(run - source.y) + Math.abs(run - target.y) };
  });
  candidates.sort((a, b) => a.crossings - b.crossings || a.length - b.length);
  const best = candidates[0];
  return { path: roundedPath(best.points, 6), labelX: (left + right) / 2, labelY: best.run };
}

/** How many boxes the path's inner segments (all but the stubs at the ports) pass through. */
function crossings(points: readonly Point[], boxes: readonly Box[]): number {
  let count = 0;
  for (let i = 1; i + 2 < points.length; i++) {
    const [a, b] = [points[i], points[i + 1]];
    const left = Math.min(a.x, b.x);
    const right = Math.max(a.x, b.x);
    const top = Math.min(a.y, b.y);
    const bottom = Math.max(a.y, b.y);
    for (const box of boxes) if (left < box.x + box.width && right > box.x && top < box.y + box.height && bottom > box.y) count++;
  }
  return count;
}

/** A polyline with its corners rounded by `radius` (smaller where a segment is too short). */
function roundedPath(points: readonly Point[], radius: number): string {
  let d = `M ${points[0].x},${points[0].y}`;
  for (let i = 1; i < points.length - 1; i++) {
    const [a, b, c] = [points[i - 1], points[i], points[i + 1]];
    const r = Math.min(radius, distance(a, b) / 2, distance(b, c) / 2);
    const from = towards(b, a, r);
    const to = towards(b, c, r);
    d += ` L ${from.x},${from.y} Q ${b.x},${b.y} ${to.x},${to.y}`;
  }
  const last = points[points.length - 1];
  return `${d} L ${last.x},${last.y}`;
}

function distance(a: Point, b: Point): number {
  return Math.hypot(a.x - b.x, a.y - b.y);
}

function towards(from: Point, to: Point, length: number): Point {
  const d = distance(from, to);
  if (d === 0) return from;
  return { x: from.x + ((to.x - from.x) * length) / d, y: from.y + ((to.y - from.y) * length) / d };
}
