// Messages of the Insights panel (src/extension/webviews/insightsPanel.ts ↔ webview/insights/). The envelope is
// webviewIpc.ts's.
//
// Who sends what:
// - webview → host, commands: `ready` (the page has mounted: send it the figures), `setWindow` (the user chose
//   24 h, 7 d or 30 d: send the figures of that window), `openHistory` (show the flow's runs in the history panel).
// - host → webview, notifications: `didChangeInsights` (one flow's figures over the window, sent again when a run
//   of the flow ends).
//
// UI state (InsightsUiState) is the webview's: the window it shows.

import { z } from 'zod';
import type { FlowStats } from '../engine/history/runStats';
import type { TrendPoint } from '../engine/history/statsRollup';

export const INSIGHTS_WINDOWS = ['24h', '7d', '30d'] as const;
export type InsightsWindow = (typeof INSIGHTS_WINDOWS)[number];

export const insightsInbound = {
  ready: z.object({ window: z.enum(INSIGHTS_WINDOWS).optional() }),
  setWindow: z.object({ window: z.enum(INSIGHTS_WINDOWS) }),
  openHistory: z.object({}),
};
export type InsightsInbound = typeof insightsInbound;

/** Decision accuracy from feedback marked on runs (correct / incorrect); `none` until feedback storage is wired. */
import type { DecisionAccuracy } from '../engine/history/decisionAccuracy';

export type { DecisionAccuracy };

export type InsightsNotifications = {
  didChangeInsights: {
    flowId: string;
    /** The flow's name, else its id. */
    flowLabel: string;
    window: InsightsWindow;
    sinceMs: number;
    untilMs: number;
    /** Undefined when the flow has no ended run in the window. */
    stats: FlowStats | undefined;
    trend: TrendPoint[];
    stepMs: number;
    accuracy: DecisionAccuracy;
  };
};

export interface InsightsUiState {
  window: InsightsWindow;
}

/** The window's length in ms. */
export function windowMs(window: InsightsWindow): number {
  return window === '24h' ? 86_400_000 : window === '7d' ? 7 * 86_400_000 : 30 * 86_400_000;
}
