// Where each node goes on the canvas: the file's `layout` entries where there are some, dagre (left to right,
// following the edges) for the rest. A loop is a group whose body is laid out inside it, first, so that the group
// has its size before the outer graph is laid out around it. Body positions are relative to their group (as
// xyflow's sub-flows and the file's `layout` have them).

import { Graph, layout as dagreLayout } from '@dagrejs/dagre';
import type { CanvasGraph, CanvasNode, CanvasPosition } from '../../src/protocol/canvasProtocol';

const NODE_WIDTH = 200;
const NODE_HEIGHT = 64;
/** Room inside a loop's group: the header (the loop node's own label and handles) and the padding around the body. */
export const GROUP_HEADER = 84;
const GROUP_PADDING = 24;
const NODE_SEP = 40;
const RANK_SEP = 90;

/** Height of one output port's row; a node is tall enough for its ports (a switch with many cases). */
const PORT_ROW = 18;

/** Height of the line that names a node's config problem (an empty required field). */
const PROBLEM_ROW = 16;

function nodeHeight(ports: number, problems: boolean): number {
  return Math.max(NODE_HEIGHT, 44 + ports * PORT_ROW + (problems ? PROBLEM_ROW : 0));
}

/** The size a node (not a loop group) is drawn at: also what the palette places a new node with. */
export function nodeSize(node: Pick<CanvasNode, 'ports' | 'problems'>): { width: number; height: number } {
  return { width: NODE_WIDTH, height: nodeHeight(node.ports.length, (node.problems?.length ?? 0) > 0) };
}

export interface PlacedNode {
  id: string;
  /** Top-left corner; relative to the parent group for body nodes. */
  position: CanvasPosition;
  width: number;
  height: number;
  /** The loop whose group holds this node. */
  parentId?: string;
  /** A loop drawn as a group. */
  group: boolean;
}

/**
 * Positions for every node of `graph`, parents before their children (xyflow needs that order). `layout` holds
 * the file's positions by node id (flow-wide); nodes with an entry keep it exactly.
 */
export function autoLayout(graph: CanvasGraph, layout: Record<string, CanvasPosition> = graph.layout): PlacedNode[] {
  return layoutGraph(graph, layout, undefined, 0).placed;
}

function layoutGraph(graph: CanvasGraph, layout: Record<string, CanvasPosition>, parentId: string | undefined, offset: number): { placed: PlacedNode[]; width: number; height: number } {
  // Bodies first: a group's size depends on what it holds.
  const bodies = new Map<string, { placed: PlacedNode[]; width: number; height: number }>();
  for (const node of graph.nodes) {
    if (node.body) bodies.set(node.id, layoutGraph(node.body, layout, node.id, GROUP_PADDING));
  }
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const size = (id: string): { width: number; height: number } => {
    const body = bodies.get(id);
    return body
      ? { width: Math.max(NODE_WIDTH, body.width + GROUP_PADDING), height: Math.max(GROUP_HEADER + NODE_HEIGHT, body.height + GROUP_PADDING) }
      : nodeSize(byId.get(id) ?? { ports: ['out'] });
  };

  const computed = new Map<string, CanvasPosition>();
  const unplaced = graph.nodes.filter((n) => !layout[n.id]);
  if (unplaced.length > 0) {
    const g = new Graph();
    g.setGraph({ rankdir: 'LR', nodesep: NODE_SEP, ranksep: RANK_SEP, marginx: 0, marginy: 0 });
    g.setDefaultEdgeLabel(() => ({}));
    // Every node, placed or not: a node the user placed keeps its part in the shape of the rest, so moving it
    // (writing its layout entry) does not move the nodes the user never touched.
    for (const node of graph.nodes) g.setNode(node.id, size(node.id));
    for (const edge of graph.edges) g.setEdge(edge.from, edge.to);
    dagreLayout(g);
    for (const node of graph.nodes) {
      const at = g.node(node.id) as { x: number; y: number; width: number; height: number };
      computed.set(node.id, { x: Math.round(at.x - at.width / 2), y: Math.round(at.y - at.height / 2) });
    }
  }
  // Inside a group, the computed part starts below the header; entries from the file are taken as they are.
  const top = parentId === undefined ? 0 : GROUP_HEADER;
  const taken: Box[] = graph.nodes.filter((n) => layout[n.id]).map((n) => ({ ...layout[n.id], ...size(n.id) }));
  const placed: PlacedNode[] = [];
  let width = 0;
  let height = 0;
  for (const node of graph.nodes) {
    const fixed = layout[node.id];
    const at = computed.get(node.id);
    const { width: w, height: h } = size(node.id);
    let position = fixed ? { x: fixed.x, y: fixed.y } : { x: (at?.x ?? 0) + offset, y: (at?.y ?? 0) + top };
    if (!fixed && taken.length > 0) {
      // A node placed by dagre beside nodes the user placed: move it down until it covers none of them.
      position = freeSpot(position, w, h, taken);
      taken.push({ ...position, width: w, height: h });
    }
    const entry: PlacedNode = { id: node.id, position, width: w, height: h, group: node.body !== undefined };
    if (parentId !== undefined) entry.parentId = parentId;
    placed.push(entry, ...(bodies.get(node.id)?.placed ?? []));
    width = Math.max(width, position.x + w);
    height = Math.max(height, position.y + h);
  }
  return { placed, width, height };
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

function overlaps(a: Box, b: Box): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

function freeSpot(start: CanvasPosition, width: number, height: number, taken: readonly Box[]): CanvasPosition {
  let box: Box = { ...start, width, height };
  for (let tries = 0; tries < 1000; tries++) {
    const hit = taken.find((t) => overlaps(box, t));
    if (!hit) break;
    box = { ...box, y: hit.y + hit.height + NODE_SEP / 2 };
  }
  return { x: box.x, y: box.y };
}
