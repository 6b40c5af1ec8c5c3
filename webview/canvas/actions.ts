// Everything the canvas asks of the host, in one place: components call these, never the bridge.

import type { CanvasInbound, CanvasNodeDetails, CanvasNotifications, CanvasPosition, CanvasReplies, CanvasUiState } from '../../src/protocol/canvasProtocol';
import { createHostBridge } from '../shared/hostBridge';
import type { NodeInspectorActions } from '../shared/NodeInspector';

const bridge = createHostBridge<CanvasInbound, CanvasReplies, CanvasNotifications, CanvasUiState>();

export const onHost = bridge.on;
export const uiState = (): CanvasUiState => bridge.getState() ?? {};
export const saveUiState = (patch: Partial<CanvasUiState>): void => bridge.setState({ ...uiState(), ...patch });

export function ready(): void {
  bridge.command('ready', {});
}

export function moveNodes(positions: Record<string, CanvasPosition>): void {
  if (Object.keys(positions).length > 0) bridge.command('moveNodes', { positions });
}

export function connect(from: string, port: string, to: string): void {
  bridge.command('connect', { from, port, to });
}

export function deleteElements(nodeIds: string[], edges: { owner?: string; index: number }[]): void {
  if (nodeIds.length > 0 || edges.length > 0) bridge.command('deleteElements', { nodeIds, edges });
}

/** Adds a node at `position`; only its own position is written (other nodes keep theirs, auto-laid or not). */
export function addNode(type: string, position: CanvasPosition): Promise<string> {
  return bridge.request('addNode', { type, position }).then((reply) => reply.id);
}

export function setNodeFields(nodeId: string, fields: { config?: Record<string, unknown>; name?: string; disabled?: boolean }): void {
  bridge.command('setNodeFields', { nodeId, ...fields });
}

export function nodeDetails(nodeId: string): Promise<CanvasNodeDetails | null> {
  return bridge.request('nodeDetails', { nodeId });
}

export function openRun(runId: string): void {
  bridge.command('openRun', { runId });
}

export function runFlow(): void {
  bridge.command('runFlow', {});
}

export function debugFlow(): void {
  bridge.command('debugFlow', {});
}

export function revealNode(nodeId: string): void {
  bridge.command('revealNode', { nodeId });
}

/** The node inspector's Runs and Test tabs. */
export const nodeInspector: NodeInspectorActions = {
  nodeRuns: (nodeId, options) => bridge.request('nodeRuns', { nodeId, ...options } as { nodeId: string }),
  nodeTestScope: (nodeId, runId) => bridge.request('nodeTestScope', { nodeId, runId }),
  testNode: (params) => bridge.request('testNode', params),
  cancelNodeTest: (nodeId) => bridge.command('cancelNodeTest', { nodeId }),
  openRun,
};
