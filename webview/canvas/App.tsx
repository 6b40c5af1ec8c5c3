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
import { autoLayout } from './autoLayout';
import { FindBox } from './components/FindBox';
import { FlowNodeView } from './components/FlowNodeView';
import { Inspector } from './components/Inspector';
import { Palette } from './components/Palette';
import { INPUT_HANDLE, toFlowElements, type FlowEdge, type FlowNode } from './toFlowElements';
import { Icon } from '../shared/Icon';

type RunState = CanvasNotifications['didChangeRun'];

const nodeTypes = { weft: FlowNodeView, weftGroup: FlowNodeView };
/** Keyboard nudges come one change per key press: wait for a pause before writing the file. */
const MOVE_DEBOUNCE_MS = 300;


/**
 * The first picture of a flow: all of it, but never smaller than half size, so that node names stay readable in a
 * narrow editor; a long flow then opens on its middle and the rest is a pan (or Fit) away.
 */
const OPENING_FIT = { minZoom: 0.5, maxZoom: 1 };
export function App(): ReactElement {
  const flow = useReactFlow<FlowNode, FlowEdge>();
  const saved = useMemo(() => actions.uiState(), []);
  const [graph, setGraph] = useState<CanvasGraph | undefined>();
  const [fileName, setFileName] = useState('');
  const [palette, setPalette] = useState<PaletteEntry[]>([]);
  const [run, setRun] = useState<RunState>({ live: false, statuses: {}, ports: {} });
  const [nodes, setNodes] = useState<FlowNode[]>([]);
  const [edges, setEdges] = useState<FlowEdge[]>([]);
  const [selected, setSelected] = useState<string[]>(saved.selected ?? []);
  const [inspectorOpen, setInspectorOpen] = useState(saved.inspectorOpen ?? true);
  const [findOpen, setFindOpen] = useState(false);
  const [details, setDetails] = useState<CanvasNodeDetails | null>(null);
  const selectedRef = useRef(selected);
  selectedRef.current = selected;
  const pendingMoves = useRef<Record<string, CanvasPosition>>({});
  const moveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pendingSelect = useRef<string | undefined>(undefined);

  useEffect(() => {
    const offs = [
      actions.onHost('didChangeGraph', (params) => {
        setGraph(params.graph);
        setFileName(params.fileName);
        if (params.palette) setPalette(params.palette);
      }),
      actions.onHost('didChangeRun', setRun),
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
    const elements = toFlowElements(graph, placed, run, new Set(selectedRef.current));
    setNodes(elements.nodes);
    setEdges(elements.edges);
  }, [graph, placed, run, allNodes]);

  useAnnouncements(run);

  useEffect(() => {
    actions.saveUiState({ selected, inspectorOpen });
  }, [selected, inspectorOpen]);

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

  /** Positions of nodes the file does not place yet: written with any move, so the picture does not jump. */
  const unplacedPositions = useCallback((): Record<string, CanvasPosition> => {
    const out: Record<string, CanvasPosition> = {};
    if (!graph) return out;
    for (const node of flow.getNodes()) if (!graph.layout[node.id]) out[node.id] = { x: Math.round(node.position.x), y: Math.round(node.position.y) };
    return out;
  }, [graph, flow]);

  const flushMoves = useCallback(() => {
    const moved = pendingMoves.current;
    pendingMoves.current = {};
    if (Object.keys(moved).length > 0) actions.moveNodes({ ...unplacedPositions(), ...moved });
  }, [unplacedPositions]);

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

  const addNode = useCallback(
    (type: string) => {
      const box = document.querySelector('.react-flow')?.getBoundingClientRect();
      const center = box ? flow.screenToFlowPosition({ x: box.left + box.width / 2, y: box.top + box.height / 2 }) : { x: 0, y: 0 };
      actions.addNode(type, { x: Math.round(center.x), y: Math.round(center.y) }, unplacedPositions()).then(
        (id) => {
          pendingSelect.current = id;
          announce(`Added ${type} node ${id}.`);
        },
        (error: Error) => announce(error.message),
      );
    },
    [flow, unplacedPositions],
  );

  const pick = useCallback(
    (id: string) => {
      const node = flow.getInternalNode(id);
      if (!node) return;
      setSelected([id]);
      selectedRef.current = [id];
      setNodes((current) => current.map((n) => ({ ...n, selected: n.id === id })));
      const { x, y } = node.internals.positionAbsolute;
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
      // In a read-only canvas (a .flow.ts), Enter on a node shows its definition in the code.
      const target = event.target as HTMLElement;
      if (event.key === 'Enter' && readOnly && target.classList.contains('react-flow__node')) {
        const id = target.getAttribute('data-id');
        if (id) actions.revealNode(id);
      }
    },
    [readOnly],
  );

  const onMoveEnd = useCallback((_: unknown, viewport: Viewport) => actions.saveUiState({ viewport }), []);

  if (!graph) return <p className="weft-muted weft-loading">Loading the flow…</p>;
  return (
    <div className="weft-canvas" onKeyDown={onKeyDown}>
      <header className="weft-toolbar">
        <span className="weft-toolbar-title">{fileName}</span>
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
        <button type="button" className="icon" onClick={() => setFindOpen(true)} aria-label="Find a node (Ctrl+F)" title="Find a node (Ctrl+F)">
          Find
        </button>
        <button type="button" className="icon" onClick={() => void flow.fitView({ duration: 200 })} aria-label="Zoom to fit" title="Zoom to fit">
          Fit
        </button>
        {selectedNode && !inspectorOpen ? (
          <button type="button" className="icon" onClick={() => setInspectorOpen(true)}>
            Inspector
          </button>
        ) : null}
      </header>
      {graph.problems.length > 0 ? (
        <ul className="weft-problems" aria-label="Problems">
          {graph.problems.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      ) : null}
      {findOpen ? <FindBox nodes={allNodes} onPick={pick} onClose={() => setFindOpen(false)} /> : null}
      <div className="weft-canvas-body">
        {readOnly ? null : <Palette entries={palette} onAdd={addNode} />}
        <div className="weft-flow">
          <ReactFlow<FlowNode, FlowEdge>
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            onNodesChange={onNodesChange}
            onEdgesChange={onEdgesChange}
            onSelectionChange={onSelectionChange}
            onDelete={onDelete}
            onConnect={onConnect}
            isValidConnection={isValidConnection}
            onNodeDoubleClick={(_, node) => actions.revealNode(node.id)}
            // Double-click is "show in the text"; zooming is the wheel, the controls and Fit.
            zoomOnDoubleClick={false}
            onMoveEnd={onMoveEnd}
            defaultViewport={saved.viewport}
            fitView={!saved.viewport}
            fitViewOptions={OPENING_FIT}
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
            <MiniMap pannable zoomable ariaLabel="Overview of the flow" />
            <Controls showInteractive={false} />
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
          />
        ) : null}
      </div>
    </div>
  );
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
