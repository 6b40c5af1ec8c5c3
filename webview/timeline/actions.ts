// Everything the execution panel asks of the host, and every host notification it listens to: the only module
// that touches the bridge, so what this webview can do is listed here.

import type { ExecutionInbound, ExecutionNotifications, ExecutionReplies, ExecutionUiState } from '../../src/protocol/executionProtocol';
import { createHostBridge } from '../shared/hostBridge';
import type { NodeInspectorActions } from '../shared/NodeInspector';

const bridge = createHostBridge<ExecutionInbound, ExecutionReplies, ExecutionNotifications, ExecutionUiState>();

export type { ExecutionUiState };

/** The page listens: the host answers with the run to show. */
export function ready(): void {
  bridge.command('ready', {});
}

export function cancelRun(requestId: string): void {
  bridge.command('cancel', { requestId });
}

export function rerun(runId: string): void {
  bridge.command('rerun', { runId });
}

export function resume(runId: string): void {
  bridge.command('resume', { runId });
}

export function revealNode(nodeId: string): void {
  bridge.command('revealNode', { nodeId });
}

/** Opens a node's (or, without nodeId, the run's) whole input, output or error in a JSON editor. */
export function openValue(which: 'input' | 'output' | 'error', nodeId?: string): void {
  bridge.command('openValue', nodeId === undefined ? { which } : { which, nodeId });
}

export function copyText(text: string): void {
  bridge.command('copyText', { text });
}

/** Resolves with whether the user saved the file. */
export async function saveLogs(text: string, fileName: string): Promise<boolean> {
  const { saved } = await bridge.request('saveLogs', { text, fileName });
  return saved;
}

export interface FeedbackForm {
  verdict: 'correct' | 'incorrect';
  category?: string;
  note?: string;
  /** JSON text of the expected output. */
  expected?: string;
}

/** Stores a verdict on a node of the recorded run; resolves with the stored entry, or why it was not stored. */
export function giveFeedback(runId: string, nodeId: string, form: FeedbackForm): Promise<ExecutionReplies['giveFeedback']> {
  return bridge.request('giveFeedback', { runId, nodeId, ...form });
}

/** Adds the node's feedback as a test case of the flow file. */
export function makeTestFromFeedback(runId: string, nodeId: string): Promise<ExecutionReplies['makeTestFromFeedback']> {
  return bridge.request('makeTestFromFeedback', { runId, nodeId });
}

export function onRunChanged(handler: (params: ExecutionNotifications['didChangeRun']) => void): () => void {
  return bridge.on('didChangeRun', handler);
}

export function onEvents(handler: (params: ExecutionNotifications['didReceiveEvents']) => void): () => void {
  return bridge.on('didReceiveEvents', handler);
}

export function onRunFinished(handler: (params: ExecutionNotifications['didFinishRun']) => void): () => void {
  return bridge.on('didFinishRun', handler);
}

export function loadUiState(): ExecutionUiState {
  return bridge.getState() ?? {};
}

export function saveUiState(state: ExecutionUiState): void {
  bridge.setState(state);
}

/** The node inspector's Runs and Test tabs; a run opened from Runs replaces the run this panel shows. */
export const nodeInspector: NodeInspectorActions = {
  nodeRuns: (nodeId, options) => bridge.request('nodeRuns', { nodeId, ...options } as { nodeId: string }),
  nodeTestScope: (nodeId, runId) => bridge.request('nodeTestScope', { nodeId, runId }),
  testNode: (params) => bridge.request('testNode', params),
  cancelNodeTest: (nodeId) => bridge.command('cancelNodeTest', { nodeId }),
  openRun: (runId) => bridge.command('openRun', { runId }),
};
export function onDebugPause(handler: (params: ExecutionNotifications['didChangeDebugPause']) => void): () => void {
  return bridge.on('didChangeDebugPause', handler);
}
