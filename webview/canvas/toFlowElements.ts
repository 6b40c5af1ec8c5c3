// The canvas graph and a run's statuses as xyflow nodes and edges: each node with its ports (handles), status and
// accessible label; a loop as a group holding its body; edges with their port. An edge is lit when it carried
// data (its source fired that port), and animated while it feeds a node that is running. Pure: the App renders
// what this returns.

import type { Edge, Node } from '@xyflow/react';
import type { CanvasGraph, CanvasNode, CanvasNodeInsights, CanvasNodeStatus } from '../../src/protocol/canvasProtocol';
import type { PlacedNode } from './autoLayout';

export interface RunView {
  statuses: Record<string, CanvasNodeStatus>;
  /** The output ports that fired, by node id (from the engine's projection of the run). */
  ports: Record<string, string[]>;
  /** The run is in progress. */
  live: boolean;
  /** The node a debug session is paused before (drawn apart from the statuses: it has not run yet). */
  pausedNodeId?: string;
}

export interface FlowNodeData extends Record<string, unknown> {
  node: CanvasNode;
  status?: CanvasNodeStatus;
  /** A debug session is paused before this node. */
  paused?: boolean;
  readOnly: boolean;
  /** "http node fetchOrder, completed". */
  label: string;
  /** Runs today, success ratio and average time (the badge), when the node ran today. */
  insights?: CanvasNodeInsights;
}

export interface FlowEdgeData extends Record<string, unknown> {
  /** The loop whose body holds the edge; undefined for the flow's own edges. */
  owner?: string;
  index: number;
  port: string;
}

export type FlowNode = Node<FlowNodeData, 'weft' | 'weftGroup'>;
export type FlowEdge = Edge<FlowEdgeData>;

/** The handle every node takes its input on. */
export const INPUT_HANDLE = 'in';

export function edgeId(owner: string | undefined, index: number): string {
  return `${owner ?? ''}#${index}`;
}

function nodeLabel(node: CanvasNode, status: CanvasNodeStatus | undefined, paused: boolean): string {
  const parts = [`${node.type} node ${node.id}`];
  if (node.name) parts[0] += ` (${node.name})`;
  if (node.disabled) parts.push('disabled');
  if (node.problems?.length) parts.push(`${node.problems.length === 1 ? '1 problem' : `${node.problems.length} problems`}: ${node.problems.join('; ')}`);
  if (status) parts.push(status);
  if (paused) parts.push('paused here by the debugger');
  return parts.join(', ');
}

export function toFlowElements(
  graph: CanvasGraph,
  placed: readonly PlacedNode[],
  run: RunView,
  selected: ReadonlySet<string> = new Set(),
  insights: Readonly<Record<string, CanvasNodeInsights>> = {},
): { nodes: FlowNode[]; edges: FlowEdge[] } {
  const byId = new Map<string, CanvasNode>();
  const edges: FlowEdge[] = [];
  const visit = (g: CanvasGraph, owner: string | undefined): void => {
    for (const node of g.nodes) {
      byId.set(node.id, node);
      if (node.body) visit(node.body, node.id);
    }
    for (const edge of g.edges) edges.push(toEdge(edge, owner, run, selected));
  };
  visit(graph, undefined);

  const nodes: FlowNode[] = [];
  for (const place of placed) {
    const node = byId.get(place.id);
    if (!node) continue;
    const status = run.statuses[node.id];
    const paused = run.pausedNodeId === node.id;
    const label = nodeLabel(node, status, paused);
    const flowNode: FlowNode = {
      id: node.id,
      type: place.group ? 'weftGroup' : 'weft',
      position: place.position,
      data: { node, status, readOnly: graph.readOnly, label, ...(paused ? { paused } : {}), ...(insights[node.id] ? { insights: insights[node.id] } : {}) },
      width: place.width,
      height: place.height,
      ariaLabel: label,
      selected: selected.has(node.id),
      draggable: !graph.readOnly,
      connectable: !graph.readOnly,
      deletable: !graph.readOnly,
      className: ['weft-node', place.group ? 'weft-node-group' : '', status ? `weft-status-${status}` : '', node.disabled ? 'weft-node-disabled' : '', paused ? 'weft-node-paused' : '']
        .filter(Boolean)
        .join(' '),
      // The e2e tests find nodes and their run status by these.
      domAttributes: { 'data-node-id': node.id, 'data-node-status': status ?? 'none', ...(paused ? { 'data-node-paused': 'true' } : {}) } as FlowNode['domAttributes'],
    };
    if (place.parentId !== undefined) {
      flowNode.parentId = place.parentId;
      flowNode.extent = 'parent';
    }
    nodes.push(flowNode);
  }
  return { nodes, edges };
}

function toEdge(edge: CanvasGraph['edges'][number], owner: string | undefined, run: RunView, selected: ReadonlySet<string>): FlowEdge {
  const id = edgeId(owner, edge.index);
  // Carried: the source fired this edge's port. Active: it did, and the target is working on what it sent.
  const carried = run.ports[edge.from]?.includes(edge.port) === true;
  const active = carried && run.live && run.statuses[edge.to] === 'running';
  const taken = carried;
  const classes = ['weft-edge'];
  if (edge.port === 'error') classes.push('weft-edge-error');
  if (active) classes.push('weft-edge-active');
  else if (taken) classes.push('weft-edge-taken');
  const flowEdge: FlowEdge = {
    id,
    // Routed: a back edge goes around the nodes (components/RoutedEdge.tsx).
    type: 'weft',
    source: edge.from,
    target: edge.to,
    sourceHandle: edge.port,
    targetHandle: INPUT_HANDLE,
    animated: active,
    selected: selected.has(id),
    className: classes.join(' '),
    ariaLabel: `Edge from ${edge.from}${edge.port === 'out' ? '' : ` port ${edge.port}`} to ${edge.to}`,
    data: { owner, index: edge.index, port: edge.port },
    // What the e2e scenario (and a person's devtools) reads: did this edge carry data in the run shown.
    domAttributes: { 'data-edge-from': edge.from, 'data-edge-to': edge.to, 'data-edge-port': edge.port, 'data-carried': carried ? 'true' : 'false' } as FlowEdge['domAttributes'],
  };
  if (edge.port !== 'out') flowEdge.label = edge.port;
  // Above the group that holds them (a body's edges would otherwise be drawn under the loop's box).
  if (owner !== undefined) flowEdge.zIndex = 1;
  return flowEdge;
}
