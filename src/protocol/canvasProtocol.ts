// The canvas custom editor's messages (envelope: src/protocol/webviewIpc.ts).
//
// Who sends what:
// - webview → host, commands: `ready` (the page is up: send the graph and the run state), `moveNodes`,
//   `connect`, `deleteElements`, `setNodeFields` (each an intent; the host turns it into a minimal edit of the
//   .flow.json text as a WorkspaceEdit, so undo, redo and dirty state are VS Code's), `openRun` (opens the run
//   panel), `revealNode` (selects the node's definition in the text editor; the .flow.ts canvas uses it), `runFlow`
//   (runs the flow like the Run CodeLens), `debugFlow` (starts a Weft debug session on the flow, like the Debug
//   CodeLens).
// - webview → host, requests: `addNode` (replies with the new node's id), `nodeDetails` (replies with the node's
//   record in the current or last run, or null), and the node inspector's `nodeRuns`, `nodeTestScope`, `testNode`
//   (nodeInspectorProtocol.ts).
// - host → webview, notifications: `didChangeGraph` (the document changed, or the page just loaded: the whole
//   graph; the webview keeps its viewport and selection), `didChangeRun` (node statuses of the run in progress,
//   or of the last run), `didChangeDebugPause` (the node a debug session of this flow is paused before, or none),
//   `didChangeNodeInsights` (per node, runs since midnight, success ratio, average time, from the history's stats
//   rollup: the badges; sent on load and when a run ends).
//
// The host checks every inbound message with the zod schemas below. This file is shared by the extension bundle
// and the canvas bundle (which imports its types only): zod and types, nothing else.

import { z } from 'zod';
import { NODE_ID_PATTERN } from '../shared/nodeId';
import type { Range } from '../engine/model/diagnostics';
import { nodeInspectorInbound, type NodeInspectorReplies } from './nodeInspectorProtocol';

export interface CanvasPosition {
  x: number;
  y: number;
}

export interface CanvasNode {
  id: string;
  /** The node type as written ('?' when the node names none). */
  type: string;
  name?: string;
  disabled?: boolean;
  /** Output ports, in the type's order, then ports only edges name, then `error` (every node has it). */
  ports: string[];
  /** Where the node is written, when known. */
  range?: Range;
  /** The config as written (templates unevaluated); functions of a .flow.ts are shown as "[function]". */
  config: Record<string, unknown>;
  /** False when the registry does not know the type (a typo, or a custom type the canvas cannot load). */
  knownType: boolean;
  /** What is wrong with the config as its type's schema sees it (an empty required field): shown on the node. */
  problems?: string[];
  /** A loop's body: a sub-flow drawn inside the loop's group. */
  body?: CanvasGraph;
}

export interface CanvasEdge {
  /** Index in its graph's `edges` array (the flow's, or the loop body's). */
  index: number;
  from: string;
  to: string;
  /** The output port of `from`; `out` when the edge names none. */
  port: string;
}

export interface CanvasGraph {
  /** The flow's `id`, when the file gives one (the canvas's title). */
  flowId?: string;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  /**
   * Canvas positions by node id, from the file's `layout` (flow-wide: body nodes too, whose positions are
   * relative to their loop's group). A body graph carries the entries of its own nodes.
   */
  layout: Record<string, CanvasPosition>;
  /** No edits: a .flow.ts, or a .flow.json whose text does not parse. */
  readOnly: boolean;
  /** Why parts of the file are not drawn (syntax errors, edges to unknown nodes); one sentence each. */
  problems: string[];
}

/** A node type the palette offers, from the node registry. */
export interface PaletteEntry {
  type: string;
  title: string;
  description: string;
  /** JSON Schema of the type's config (zod's toJSONSchema), for the inspector form. */
  configSchema: Record<string, unknown>;
}

export type CanvasNodeStatus = 'pending' | 'running' | 'completed' | 'failed' | 'skipped' | 'cancelled';

/** One node of a run, for the details pane. Values are previews (JSON text, cut to a few KB). */
export interface CanvasNodeDetails {
  runId: string;
  runStatus: string;
  /** True while the run is in progress. */
  live: boolean;
  nodeId: string;
  status: CanvasNodeStatus;
  attempts?: number;
  durationMs?: number;
  error?: string;
  errorHandled?: boolean;
  input?: string;
  output?: string;
}

const nodeId = z.string().regex(NODE_ID_PATTERN, 'a node id');
const position = z.object({ x: z.number().finite(), y: z.number().finite() });
/** An edge by its graph (the loop whose body holds it; absent for the flow's own edges) and index. */
const edgeRef = z.object({ owner: nodeId.optional(), index: z.number().int().min(0) });

export const canvasInbound = {
  ready: z.object({}),
  /** New positions (relative to the loop group for body nodes): the nodes moved, or all of them for "Save layout". */
  moveNodes: z.object({ positions: z.record(nodeId, position) }),
  connect: z.object({ from: nodeId, port: z.string().min(1), to: nodeId }),
  deleteElements: z.object({ nodeIds: z.array(nodeId).max(10_000), edges: z.array(edgeRef).max(10_000) }),
  /** Adds a node of `type` at `position` (into a loop's body with `into`); `positions` writes others too (unused by the canvas). */
  addNode: z.object({ type: z.string().min(1).max(200), position, into: nodeId.optional(), positions: z.record(nodeId, position).optional() }),
  /** `name: ''` removes the name; `disabled: false` removes the flag; `config` is the whole new config. */
  setNodeFields: z.object({
    nodeId,
    config: z.record(z.string(), z.unknown()).optional(),
    name: z.string().max(1000).optional(),
    disabled: z.boolean().optional(),
  }),
  nodeDetails: z.object({ nodeId }),
  openRun: z.object({ runId: z.string().min(1) }),
  revealNode: z.object({ nodeId }),
  /** Run the flow, as the Run CodeLens does (spec section 8: a manual run from the canvas). */
  runFlow: z.object({}),
  ...nodeInspectorInbound,
  /** Debug the flow, as the Debug CodeLens does (spec section 16). */
  debugFlow: z.object({}),
};
export type CanvasInbound = typeof canvasInbound;

// Type aliases, not interfaces: the bridge's constraints are index signatures, which interfaces do not satisfy.
export type CanvasReplies = {
  addNode: { id: string };
  nodeDetails: CanvasNodeDetails | null;
} & NodeInspectorReplies;

/** A node's badge: its figures since local midnight (ended, non-test runs in which it ran). */
export interface CanvasNodeInsights {
  runsToday: number;
  successRatio: number;
  avgMs?: number;
}

export type CanvasNotifications = {
  didChangeNodeInsights: { nodes: Record<string, CanvasNodeInsights> };
  didChangeGraph: {
    graph: CanvasGraph;
    /** The file's name, for labels. */
    fileName: string;
    /** The canvas's title: "<flow id> (canvas)", so that it is not taken for the text editor of the same file. */
    title: string;
    /** Node types for the palette and the inspector; sent with the first graph of a page. */
    palette?: PaletteEntry[];
  };
  didChangeRun: {
    runId?: string;
    /** Running, completed, failed, cancelled, interrupted; absent when there is no run to show. */
    runStatus?: string;
    /** True while the run is in progress (edges that carried data into a running node are animated). */
    live: boolean;
    /** Replaces the statuses shown (statuses of nodes that have not started are absent). */
    statuses: Record<string, CanvasNodeStatus>;
    /** Output ports that fired, by node id (completed nodes, and failed ones whose error was handled): the edges that carried data. */
    ports: Record<string, string[]>;
  };
  /** A debug session of this flow stopped before `nodeId` (absent: none is paused here). */
  didChangeDebugPause: { nodeId?: string };
};

/** What the canvas keeps across hide/show and reloads: the view, never the data. */
export interface CanvasUiState {
  viewport?: { x: number; y: number; zoom: number };
  selected?: string[];
  inspectorOpen?: boolean;
  paletteOpen?: boolean;
  /** The inspector's tab: config, runs or test. */
  inspectorTab?: string;
  /** The view was at fit (not panned or zoomed by the user) when saved: it refits when the pane changes. */
  atFit?: boolean;
}
