// The canvas: the flow as nodes and edges (xyflow), a palette, an inspector for the selected node, find, and the
// run's statuses. The document is the model: every change is an intent sent to the host, which edits the text;
// the new graph comes back as `didChangeGraph`. Only the view (viewport, selection) is kept here.

import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  type Connection,
  type EdgeChange,
  type IsValidConnection,
  type NodeChange,
  type Viewport,
} from '@xyflow/react';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactElement } from 'react';
import type { CanvasGraph, CanvasNode, CanvasNodeDetails, CanvasNotifications, CanvasPosition, PaletteEntry } from '../../src/protocol/canvasProtocol';
import { announce } from '../shared/announce';
import * as actions from './actions';
import { autoLayout, nodeSize } from './autoLayout';
import { ConnectDialog } from './components/ConnectDialog';
import { FindBox } from './components/FindBox';
import { FlowNodeView } from './components/FlowNodeView';
import { Inspector } from './components/Inspector';
import { Palette } from './components/Palette';
import { RoutedEdge } from './components/RoutedEdge';
import { placeNewNode } from './placeNewNode';
import { boundsOf, readableFit, type Box, type PaneSize } from './readableFit';
import { INPUT_HANDLE, toFlowElements, type FlowEdge, type FlowNode } from './toFlowElements';
import { Icon } from '../shared/Icon';

type RunState = CanvasNotifications['didChangeRun'];

const nodeTypes = { weft: FlowNodeView, weftGroup: FlowNodeView };
const edgeTypes = { weft: RoutedEdge };
/** Keyboard nudges come one change per key press: wait for a pause before writing the file. */
const MOVE_DEBOUNCE_MS = 300;
/**
 * The minimap only where it leaves room for the graph and for the zoom controls in the opposite corner: in a
 * narrower pane it would cover both (and the graph is a scroll away anyway).
 */
const MINIMAP_MIN_PANE = { width: 600, height: 360 };
/** The bottom band the minimap (xyflow's 200 × 150 with its 15 px margin) and the zoom controls take. */
const MINIMAP_BAND = 170;

function showsMinimap(pane: PaneSize): boolean {
  return pane.width >= MINIMAP_MIN_PANE.width && pane.height >= MINIMAP_MIN_PANE.height;
}
export function App(): ReactElement {
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const saved = useMemo(() => actions.uiState(), []);
  const [graph, setGraph] = useState<CanvasGraph | undefined>();
  const hasGraph = graph !== undefined;
  const [fileName, setFileName] = useState('');
  const [title, setTitle] = useState('');
  const [palette, setPalette] = useState<PaletteEntry[]>([]);
  const [run, setRun] = useState<RunState>({ live: false, statuses: {}, ports: {} });
  const [pausedNodeId, setPausedNodeId] = useState<string | undefined>();
  const [nodeInsights, setNodeInsights] = useState<CanvasNotifications['didChangeNodeInsights']['nodes']>({});
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  const [edges, setEdges] = useState<FlowEdge[]>([]);
  const [selected, setSelected] = useState<string[]>(saved.selected ?? []);
  const [inspectorOpen, setInspectorOpen] = useState(saved.inspectorOpen ?? true);
  const [paletteOpen, setPaletteOpen] = useState(saved.paletteOpen ?? true);
  const [inspectorTab, setInspectorTab] = useState(saved.inspectorTab ?? 'config');
  const [findOpen, setFindOpen] = useState(false);
  const [connectOpen, setConnectOpen] = useState(false);
  const paneRef = useRef<HTMLDivElement>(null);
  const [paneSize, setPaneSize] = useState<PaneSize>({ width: 0, height: 0 });
  const paneSizeRef = useRef(paneSize);
  const nodesRef = useRef<FlowNode[]>([]);
  nodesRef.current = nodes;
  /** The view is at fit (opened so, or Fit pressed) until the user pans or zooms: only then does a resize refit. */
  const atFit = useRef(saved.atFit ?? !saved.viewport);
  const fittedOnce = useRef(false);
  const [details, setDetails] = useState<CanvasNodeDetails | null>(null);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const pendingMoves = useRef<Record<string, CanvasPosition>>({});
  const moveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pendingSelect = useRef<string | undefined>(undefined);

  /** Shows the flow at a readable zoom (readableFit.ts) in the pane as it is now. */
  const fit = useCallback(
    (animate: boolean) => {
      const size = paneSizeRef.current;
      const bounds = boundsOf(nodesRef.current.filter((n) => !n.parentId).map(boxOf));
      if (!bounds || size.width <= 0 || size.height <= 0) return;
      atFit.current = true;
      fittedOnce.current = true;
      // The graph at fit is above the minimap's band, so that the minimap covers none of it.
      const room = showsMinimap(size) ? { width: size.width, height: size.height - MINIMAP_BAND } : size;
      void flow.setViewport(readableFit(bounds, room), animate ? { duration: 200 } : undefined);
    },
    [flow],
  );

  // The pane's size, watched: a resize of the editor, or the palette or inspector opening or closing, refits a view
  // that is at fit (a view the user panned or zoomed stays where it is).
  useEffect(() => {
    const pane = paneRef.current;
    if (!pane || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver((entries) => {
      const rect = entries[entries.length - 1]?.contentRect;
      if (!rect) return;
      const size = { width: Math.round(rect.width), height: Math.round(rect.height) };
      if (size.width === paneSizeRef.current.width && size.height === paneSizeRef.current.height) return;
      paneSizeRef.current = size;
      setPaneSize(size);
      if (atFit.current) fit(false);
    });
    observer.observe(pane);
    return () => observer.disconnect();
    // The pane exists once the graph has come.
  }, [fit, hasGraph]);
  useEffect(() => {
    const offs = [
      actions.onHost('didChangeGraph', (params) => {
        setGraph(params.graph);
        setFileName(params.fileName);
        setTitle(params.title);
        document.title = params.title;
        if (params.palette) setPalette(params.palette);
      }),
      actions.onHost('didChangeRun', setRun),
      actions.onHost('didChangeDebugPause', ({ nodeId }) => {
        setPausedNodeId(nodeId);
        if (nodeId) announce(`Debugger paused before ${nodeId}.`);
      }),
      actions.onHost('didChangeNodeInsights', (params) => setNodeInsights(params.nodes)),
    ];
    actions.ready();
    return () => offs.forEach((off) => off());
  }, []);

  const placed = useMemo(() => (graph ? autoLayout(graph) : []), [graph]);
  const allNodes = useMemo(() => (graph ? flatten(graph) : []), [graph]);
  const readOnly = graph?.readOnly ?? true;

  // A new graph or run: rebuild the elements, keeping the selection (and selecting a node just added).
  useEffect(() => {
    if (!graph) return;
    if (pendingSelect.current && allNodes.some((n) => n.id === pendingSelect.current)) {
      setSelected([pendingSelect.current]);
      selectedRef.current = [pendingSelect.current];
      pendingSelect.current = undefined;
    }
    const elements = toFlowElements(graph, placed, { ...run, pausedNodeId }, new Set(selectedRef.current), nodeInsights);
    // Each node keeps the size React Flow measured: a node given without `measured` loses its handles' places
    // (xyflow resets them to re-measure), and its edges vanish until a resize that may never come.
    setNodes((current) => {
      const measured = new Map(current.map((node) => [node.id, node.measured]));
      return elements.nodes.map((node) => {
        const size = measured.get(node.id);
        return size ? { ...node, measured: size } : node;
      });
    });
    setEdges(elements.edges);
  }, [graph, placed, run, pausedNodeId, allNodes, nodeInsights]);

  // The first picture of a flow opened without a saved view, and the picture after a node is added: at fit.
  useEffect(() => {
    if (nodes.length > 0 && atFit.current && !fittedOnce.current) fit(false);
  }, [nodes, fit]);

  useAnnouncements(run);

  useEffect(() => {
    actions.saveUiState({ selected, inspectorOpen, paletteOpen, inspectorTab });
  }, [selected, inspectorOpen, paletteOpen, inspectorTab]);

  const selectedNode = selected.length === 1 ? allNodes.find((n) => n.id === selected[0]) : undefined;

  // The details of the selected node in the current or last run.
  useEffect(() => {
    if (!selectedNode) {
      setDetails(null);
      return;
    }
    let current = true;
    actions.nodeDetails(selectedNode.id).then(
      (d) => current && setDetails(d),
      () => current && setDetails(null),
    );
    return () => {
      current = false;
    };
    // Asked again when the node's status changes, not on every run update.
  }, [selectedNode?.id, run.runId, selectedNode ? run.statuses[selectedNode.id] : undefined]);

  // A move writes the positions of the nodes moved, nothing else: the others stay where the auto layout puts them
  // (it places them the same way while the edges stay the same), and the diff shows what the user did.
  const flushMoves = useCallback(() => {
    const moved = pendingMoves.current;
    pendingMoves.current = {};
    actions.moveNodes(moved);
  }, []);

  /** "Save layout": every node's position as drawn, written to the file's layout (the user asked for it). */
  const saveLayout = useCallback(() => {
    const positions: Record<string, CanvasPosition> = {};
    for (const node of nodesRef.current) positions[node.id] = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
    actions.moveNodes(positions);
    announce(`Layout of ${Object.keys(positions).length} nodes saved in the file.`);
  }, []);

  const onNodesChange = useCallback(
    (changes: NodeChange<FlowNode>[]) => {
      // Removal goes through onDelete (an intent to the host); everything else is the view's own.
      const local = changes.filter((c) => c.type !== 'remove');
      setNodes((current) => applyNodeChanges(local, current));
      let moved = false;
      for (const change of local) {
        if (change.type === 'position' && change.position && change.dragging === false) {
          pendingMoves.current[change.id] = { x: Math.round(change.position.x), y: Math.round(change.position.y) };
          moved = true;
        }
      }
      if (moved && !readOnly) {
        clearTimeout(moveTimer.current);
        moveTimer.current = setTimeout(flushMoves, MOVE_DEBOUNCE_MS);
      }
    },
    [flushMoves, readOnly],
  );

  const onEdgesChange = useCallback((changes: EdgeChange<FlowEdge>[]) => {
    setEdges((current) => applyEdgeChanges(changes.filter((c) => c.type !== 'remove'), current));
  }, []);

  const onSelectionChange = useCallback(({ nodes: picked }: { nodes: FlowNode[] }) => {
    const ids = picked.map((n) => n.id);
    if (ids.join('\n') !== selectedRef.current.join('\n')) setSelected(ids);
  }, []);

  const onDelete = useCallback(
    ({ nodes: gone, edges: cut }: { nodes: FlowNode[]; edges: FlowEdge[] }) => {
      if (readOnly) return;
      actions.deleteElements(
        gone.map((n) => n.id),
        cut.filter((e) => e.data).map((e) => ({ ...(e.data!.owner ? { owner: e.data!.owner } : {}), index: e.data!.index })),
      );
    },
    [readOnly],
  );

  const onConnect = useCallback((c: Connection) => {
    if (c.sourceHandle) actions.connect(c.source, c.sourceHandle, c.target);
  }, []);

  // Edges stay within one graph: both ends in the same loop body (or both outside), into the input handle.
  const isValidConnection: IsValidConnection<FlowEdge> = useCallback(
    (c) => c.source !== c.target && c.targetHandle === INPUT_HANDLE && flow.getNode(c.source)?.parentId === flow.getNode(c.target)?.parentId,
    [flow],
  );

  // A new node goes right of the selected node (else the flow's last node), in free space (placeNewNode.ts).
  const addNode = useCallback(
    (type: string) => {
      const box = paneRef.current?.getBoundingClientRect();
      const center = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
      const top = nodesRef.current.filter((n) => !n.parentId);
      const anchorId = selectedRef.current.length === 1 ? selectedRef.current[0] : graph?.nodes.at(-1)?.id;
      const anchor = top.find((n) => n.id === anchorId) ?? top.at(-1);
      // The size of a two-port node with a problem line: new nodes usually start with an empty required field.
      const size = nodeSize({ ports: ['out', 'error'], problems: ['empty'] });
      const position = placeNewNode(anchor ? boxOf(anchor) : undefined, size, top.map(boxOf), center);
      actions.addNode(type, position).then(
        (id) => {
          pendingSelect.current = id;
          // A view at fit takes the new node in.
          if (atFit.current) fittedOnce.current = false;
          announce(`Added ${type} node ${id}.`);
        },
        (error: Error) => announce(error.message),
      );
    },
    [flow, graph],
  );

  const pick = useCallback(
    (id: string) => {
      const node = flow.getInternalNode(id);
      if (!node) return;
      setSelected([id]);
      selectedRef.current = [id];
      setNodes((current) => current.map((n) => ({ ...n, selected: n.id === id })));
      const { x, y } = node.internals.positionAbsolute;
      atFit.current = false;
      void flow.setCenter(x + (node.measured.width ?? 0) / 2, y + (node.measured.height ?? 0) / 2, { zoom: Math.max(flow.getZoom(), 1), duration: 200 });
      setFindOpen(false);
      setTimeout(() => (document.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`) as HTMLElement | null)?.focus(), 0);
    },
    [flow],
  );

  const onKeyDown = useCallback(
    (event: KeyboardEvent) => {
      if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'f') {
        event.preventDefault();
        setFindOpen(true);
        return;
      }
      // C on the canvas (not while typing): "Connect to…" from the selected node.
      const typing = ['INPUT', 'TEXTAREA', 'SELECT'].includes((event.target as HTMLElement).tagName);
      if (event.key.toLowerCase() === 'c' && !event.ctrlKey && !event.metaKey && !event.altKey && !typing && !readOnly && selectedRef.current.length === 1) {
        event.preventDefault();
        setConnectOpen(true);
        return;
      }
      // In a read-only canvas (a .flow.ts), Enter on a node shows its definition in the code.
      const target = event.target as HTMLElement;
      if (event.key === 'Enter' && readOnly && target.classList.contains('react-flow__node')) {
        const id = target.getAttribute('data-id');
        if (id) actions.revealNode(id);
      }
    },
    [readOnly],
  );

  const onMoveEnd = useCallback((_: unknown, viewport: Viewport) => actions.saveUiState({ viewport, atFit: atFit.current }), []);
  // A pan or zoom by the user (an event; ours come without one) leaves "at fit".
  const onMoveStart = useCallback((event: unknown) => {
    if (event) atFit.current = false;
  }, []);
  const leaveFit = useCallback(() => {
    atFit.current = false;
  }, []);

  const connectFrom = selectedNode && !readOnly ? selectedNode : undefined;
  // The nodes of the source's graph it may connect to: not itself, and none that leads back to it (a cycle, which
  // the host would refuse).
  const connectTargets = useMemo(() => {
    const home = graph && connectFrom ? graphHolding(graph, connectFrom.id) : undefined;
    if (!home || !connectFrom) return [];
    return home.nodes.filter((n) => n.id !== connectFrom.id && !reaches(home, n.id, connectFrom.id));
  }, [graph, connectFrom]);

  if (!graph) return <p className="weft-muted weft-loading">Loading the flow…</p>;
  return (
    <div className="weft-canvas" onKeyDown={onKeyDown}>
      <header className="weft-toolbar">
        <h1 className="weft-toolbar-title" title={fileName}>
          {title}
        </h1>
        {readOnly ? <span className="weft-muted">read-only</span> : null}
        {run.runStatus ? (
          <span className="weft-status" data-status={run.runStatus}>
            {run.live ? 'running' : `last run ${run.runStatus}`}
          </span>
        ) : null}
        <span className="weft-toolbar-spacer" />
        <button type="button" onClick={actions.runFlow} aria-label="Run the flow" title="Run the flow (asks for its input)">
          <Icon name="play" /> Run
        </button>
        <button type="button" onClick={actions.debugFlow} aria-label="Debug the flow" title="Debug the flow: stops at breakpoints on nodes (asks for its input)">
          <Icon name="debug-alt" /> Debug
        </button>
        <button type="button" className="icon" onClick={() => setFindOpen(true)} aria-label="Find a node (Ctrl+F)" title="Find a node (Ctrl+F)">
          Find
        </button>
        <button type="button" className="icon" onClick={() => fit(true)} aria-label="Zoom to fit" title="Zoom to fit (never below a readable size)">
          Fit
        </button>
        {readOnly ? null : (
          <>
            <button
              type="button"
              className="icon"
              onClick={() => setConnectOpen(true)}
              disabled={!connectFrom}
              aria-label="Connect to…"
              title="Connect the selected node to another (C)"
            >
              Connect to…
            </button>
            <button type="button" className="icon" onClick={saveLayout} aria-label="Save layout" title="Write every node's position into the file's layout">
              Save layout
            </button>
            <button
              type="button"
              className="icon"
              onClick={() => setPaletteOpen((open) => !open)}
              aria-pressed={paletteOpen}
              aria-controls="weft-palette"
              title={paletteOpen ? 'Hide the palette' : 'Show the palette'}
            >
              Palette
            </button>
          </>
        )}
        <button
          type="button"
          className="icon"
          onClick={() => setInspectorOpen((open) => !open)}
          aria-pressed={inspectorOpen}
          aria-controls="weft-inspector"
          title={inspectorOpen ? 'Hide the inspector' : 'Show the inspector (for the selected node)'}
        >
          Inspector
        </button>
      </header>
      {graph.problems.length > 0 ? (
        <ul className="weft-problems" aria-label="Problems">
          {graph.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      ) : null}
      {findOpen ? <FindBox nodes={allNodes} onPick={pick} onClose={() => setFindOpen(false)} /> : null}
      {connectOpen && connectFrom ? (
        <ConnectDialog
          source={connectFrom}
          targets={connectTargets}
          onClose={() => setConnectOpen(false)}
          onConnect={(port, target) => {
            actions.connect(connectFrom.id, port, target);
            setConnectOpen(false);
            announce(`Connected ${connectFrom.id}${port === 'out' ? '' : ` port ${port}`} to ${target}.`);
          }}
        />
      ) : null}
      <div className="weft-canvas-body">
        {readOnly || !paletteOpen ? null : <Palette entries={palette} onAdd={addNode} />}
        <div className="weft-flow" ref={paneRef}>
          <ReactFlow<FlowNode, FlowEdge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onSelectionChange={onSelectionChange}
            onDelete={onDelete}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onNodeDoubleClick={(_, node) => actions.revealNode(node.id)}
            // Double-click is "show in the text"; zooming is the wheel, the controls and Fit.
            zoomOnDoubleClick={false}
            onMoveStart={onMoveStart}
            onMoveEnd={onMoveEnd}
            defaultViewport={saved.viewport}
            deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            nodesFocusable
            edgesFocusable
            minZoom={0.1}
            maxZoom={2}
            proOptions={{ hideAttribution: true }}
            aria-label={`Flow canvas of ${fileName}`}
          >
            <Background />
            {showsMinimap(paneSize) ? (
              <MiniMap pannable zoomable position="bottom-right" ariaLabel="Overview of the flow" />
            ) : null}
            {/* Fit is the toolbar's (readable); these zoom, which leaves "at fit". */}
            <Controls position="bottom-left" showInteractive={false} showFitView={false} onZoomIn={leaveFit} onZoomOut={leaveFit} />
          </ReactFlow>
        </div>
        {selectedNode && inspectorOpen ? (
          <Inspector
            key={`${selectedNode.id}:${JSON.stringify(selectedNode.config)}:${selectedNode.name ?? ''}:${selectedNode.disabled ?? false}`}
            node={selectedNode}
            entry={palette.find((p) => p.type === selectedNode.type)}
            readOnly={readOnly}
            details={details}
            onApply={(fields) => actions.setNodeFields(selectedNode.id, fields)}
            onOpenRun={actions.openRun}
            onReveal={() => actions.revealNode(selectedNode.id)}
            onClose={() => setInspectorOpen(false)}
            inspectorActions={actions.nodeInspector}
            tab={inspectorTab}
            onTab={setInspectorTab}
          />
        ) : null}
      </div>
    </div>
  );
}

function boxOf(node: FlowNode): Box {
  return { x: node.position.x, y: node.position.y, width: node.width ?? node.measured?.width ?? 0, height: node.height ?? node.measured?.height ?? 0 };
}

/** The graph (the flow's, or a loop body) whose nodes include `id`. */
function graphHolding(graph: CanvasGraph, id: string): CanvasGraph | undefined {
  if (graph.nodes.some((n) => n.id === id)) return graph;
  for (const node of graph.nodes) {
    const found = node.body ? graphHolding(node.body, id) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** True when `graph`'s edges lead from `start` to `goal`. */
function reaches(graph: CanvasGraph, start: string, goal: string): boolean {
  const seen = new Set([start]);
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    for (const edge of graph.edges) {
      if (edge.from !== queue[head] || seen.has(edge.to)) continue;
      if (edge.to === goal) return true;
      seen.add(edge.to);
      queue.push(edge.to);
    }
  }
  return false;
}

function flatten(graph: CanvasGraph): CanvasNode[] {
  return graph.nodes.flatMap((n) => [n, ...(n.body ? flatten(n.body) : [])]);
}

/** Says run progress out loud: the start, each failure, the end. */
function useAnnouncements(run: RunState): void {
  const previous = useRef<RunState | undefined>(undefined);
  useEffect(() => {
    const before = previous.current;
    previous.current = run;
    if (!before) return;
    if (run.live && (!before.live || before.runId !== run.runId)) announce('Run started.');
    for (const [id, status] of Object.entries(run.statuses)) {
      if (status === 'failed' && before.statuses[id] !== 'failed' && run.live) announce(`Node ${id} failed.`);
    }
    if (before.live && !run.live && run.runStatus) announce(`Run ${run.runStatus}.`);
  }, [run]);
}
