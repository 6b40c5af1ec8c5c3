// Everything the history webview asks of the host, in one place (components never call the bridge).

import type { HistoryInbound, HistoryNotifications, HistoryReplies, HistoryUiState, RunPair } from '../../src/protocol/historyProtocol';
import { createHostBridge } from '../shared/hostBridge';

const bridge = createHostBridge<HistoryInbound, HistoryReplies, HistoryNotifications, HistoryUiState>();

/** The page listens: the host sends the runs (and a flow to preselect, if it was asked for one). */
export function ready(): void {
  bridge.command('ready', {});
}

export function refresh(): void {
  bridge.command('refresh', {});
}

/** Shows the run in the execution panel. */
export function openRun(runId: string): void {
  bridge.command('openRun', { runId });
}

/** Runs the run's flow again with the same input. */
export function rerun(runId: string): void {
  bridge.command('rerun', { runId });
}

/** Opens the Insights view of a flow (its figures over time). */
export function openInsights(flowId: string): void {
  bridge.command('openInsights', { flowId });
}

/** The flow version the run ran: open it read-only, diff it with the file as it is now, or run it again. */
export function versionAction(runId: string, action: 'open' | 'diff' | 'run'): void {
  bridge.command('versionAction', { runId, action });
}

/** Asks the user to confirm, then deletes; resolves with the ids deleted (none if the user said no). */
export async function deleteRuns(runIds: string[]): Promise<string[]> {
  const { deleted } = await bridge.request('deleteRuns', { runIds });
  return deleted;
}

export function getRunPair(a: string, b: string): Promise<RunPair> {
  return bridge.request('getRunPair', { a, b });
}

export function onRuns(handler: (params: HistoryNotifications['didChangeRuns']) => void): () => void {
  return bridge.on('didChangeRuns', handler);
}

export function onFlowFilter(handler: (params: HistoryNotifications['didChangeFlowFilter']) => void): () => void {
  return bridge.on('didChangeFlowFilter', handler);
}

export function loadUiState(): HistoryUiState | undefined {
  return bridge.getState();
}

export function saveUiState(state: HistoryUiState): void {
  bridge.setState(state);
}
