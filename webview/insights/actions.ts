// Everything the Insights webview asks of the host, in one place (components never call the bridge).

import type { InsightsInbound, InsightsNotifications, InsightsUiState, InsightsWindow } from '../../src/protocol/insightsProtocol';
import { createHostBridge } from '../shared/hostBridge';

type Replies = Record<string, never>;
const bridge = createHostBridge<InsightsInbound, Replies, InsightsNotifications, InsightsUiState>();

export function ready(window: InsightsWindow | undefined): void {
  bridge.command('ready', window === undefined ? {} : { window });
}

export function setWindow(window: InsightsWindow): void {
  bridge.command('setWindow', { window });
  bridge.setState({ window });
}

export function openHistory(): void {
  bridge.command('openHistory', {});
}

export function onInsights(handler: (params: InsightsNotifications['didChangeInsights']) => void): () => void {
  return bridge.on('didChangeInsights', handler);
}

export function loadUiState(): InsightsUiState | undefined {
  return bridge.getState();
}
