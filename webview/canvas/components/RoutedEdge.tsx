// Every edge of the canvas: a curve when its target lies ahead (to the right), and for a back edge a path around
// the nodes of its graph (routeAround.ts) instead of a curve drawn backwards through them.

import { BaseEdge, getBezierPath, useStore, type EdgeProps, type ReactFlowState } from '@xyflow/react';
import { useCallback, type ReactElement } from 'react';
import type { Box } from '../readableFit';
import { isBackEdge, routeAround } from '../routeAround';
import type { FlowEdge } from '../toFlowElements';

export function RoutedEdge(props: EdgeProps<FlowEdge>): ReactElement {
  const { source, sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, markerEnd, markerStart, style, interactionWidth, id } = props;
  const back = isBackEdge({ x: sourceX, y: sourceY }, { x: targetX, y: targetY });
  // The boxes of the source's siblings as a string: a stable value for the store's equality check, so the edge
  // re-renders only when a node of its graph moves or resizes (and never for a forward edge).
  const key = useStore(useCallback((state: ReactFlowState) => (back ? siblingBoxes(state, source) : ''), [back, source]));
  let path: string;
  let labelX: number;
  let labelY: number;
  if (back) {
    ({ path, labelX, labelY } = routeAround({ x: sourceX, y: sourceY }, { x: targetX, y: targetY }, JSON.parse(key) as Box[]));
  } else {
    [path, labelX, labelY] = getBezierPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition });
  }
  return (
    <BaseEdge
      id={id}
      path={path}
      labelX={labelX}
      labelY={labelY}
      label={label}
      labelShowBg
      markerEnd={markerEnd}
      markerStart={markerStart}
      style={style}
      interactionWidth={interactionWidth}
    />
  );
}

/** The absolute boxes of the nodes in the same graph as `source` (its loop body, or the flow), as JSON. */
function siblingBoxes(state: ReactFlowState, source: string): string {
  const parent = state.nodeLookup.get(source)?.parentId;
  const boxes: Box[] = [];
  for (const node of state.nodeLookup.values()) {
    if (node.parentId !== parent) continue;
    const { x, y } = node.internals.positionAbsolute;
    boxes.push({ x, y, width: node.measured.width ?? node.width ?? 0, height: node.measured.height ?? node.height ?? 0 });
  }
  return JSON.stringify(boxes);
}
