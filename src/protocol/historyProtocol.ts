// Messages of the run history panel (src/extension/webviews/historyPanel.ts ↔ webview/history/). The envelope is
// webviewIpc.ts's.
//
// Who sends what:
// - webview → host, commands: `ready` (the page has mounted and listens: send it the data), `refresh` (list the
//   runs again), `openRun` (show a run in the execution panel), `rerun` (run its flow again with the same input),
//   `openInsights` (the Insights view of a flow, found through the flow file of one of its runs), `versionAction`
//   (the flow version the run ran: open it, diff it with the file, or run it again).
// - webview → host, requests: `deleteRuns` (the host asks the user to confirm, deletes, answers with what it
//   deleted, then re-sends the list), `getRunPair` (two records to compare, with the flow's node order when the
//   flow file can be read).
// - host → webview, notifications: `didChangeRuns` (every summary of the scope, newest first, in one message; the
//   webview filters locally), `didChangeFlowFilter` (the user asked for one flow's history: preselect it).
//
// UI state (HistoryUiState) is the webview's, kept with the bridge's setState; it also reaches the host's
// WebviewPanelSerializer when VS Code restores the panel, which is why the scope is part of it.

import { z } from 'zod';
import type { Invocation } from '../live/invocationLog';
import type { RunSummary } from '../engine/history/runSummary';
import type { RunRecord, RunStatus } from '../engine/run/runRecord';

// The webview names the webhook requests it lists through the protocol, not live mode.
export type { Invocation };

/** As the history store accepts them (historyStore.ts RUN_ID). */
const runId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,199}$/, 'not a run id');

/** The most runs one delete may name: the whole list of a large history, never unbounded input. */
export const MAX_DELETE = 10_000;

export const historyInbound = {
  ready: z.object({}),
  refresh: z.object({}),
  openRun: z.object({ runId }),
  rerun: z.object({ runId }),
  versionAction: z.object({ runId, action: z.enum(['open', 'diff', 'run']) }),
  deleteRuns: z.object({ runIds: z.array(runId).min(1).max(MAX_DELETE) }),
  getRunPair: z.object({ a: runId, b: runId }),
  openInsights: z.object({ flowId: z.string().min(1).max(200) }),
};
export type HistoryInbound = typeof historyInbound;

export interface RunPair {
  a: RunRecord;
  b: RunRecord;
  /** Node ids in the order of the flow file as it is now, when it could be read; else the records' own order. */
  flowOrder?: string[];
}

// Type aliases, not interfaces: they must fit webviewIpc's Record<string, unknown> constraints.
export type HistoryReplies = {
  /** The ids deleted; empty when the user did not confirm. */
  deleteRuns: { deleted: string[] };
  getRunPair: RunPair;
};

export interface HistoryScope {
  /** The flow file or workspace folder the panel was opened on (a URI string). */
  uri: string;
  /** How to name it to the user: the folder's name, or the file's. */
  label: string;
}

export type HistoryNotifications = {
  /** `invocations`: the recent webhook requests of each flow served in live mode, newest first, by flow id. */
  didChangeRuns: { scope: HistoryScope; runs: RunSummary[]; invocations?: Record<string, Invocation[]> };
  /** `flowId` undefined: show every flow. */
  didChangeFlowFilter: { flowId: string | undefined };
};

/** The filters the user set (see webview/history/filterRuns.ts). */
export interface HistoryFilterState {
  statuses: RunStatus[];
  /** '' for every flow. */
  flowId: string;
  /** Local dates, YYYY-MM-DD, inclusive; '' for no bound. */
  from: string;
  to: string;
  search: string;
}

/** The columns the history list sorts by (webview/history/sortRuns.ts). */
export type HistorySortColumn = 'status' | 'flow' | 'input' | 'trigger' | 'started' | 'duration' | 'id';

export interface HistorySort {
  column: HistorySortColumn;
  direction: 'ascending' | 'descending';
}

/** What the history webview keeps across hide/show (never the runs themselves). */
export interface HistoryUiState {
  scope?: HistoryScope;
  filter: HistoryFilterState;
  /** Absent: newest first. */
  sort?: HistorySort;
  /** The run the list's cursor is on. */
  activeId?: string;
  /** Runs marked for comparison (at most two). */
  marked: string[];
  scrollTop: number;
  /** The pair being compared, when the compare view is open. */
  compare?: [string, string];
}
