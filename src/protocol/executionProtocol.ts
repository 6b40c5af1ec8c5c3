// The execution panel's messages (the live run timeline and run details, webview/timeline), over the envelope of
// webviewIpc.ts.
//
// Who sends what:
// - host → webview (notifications):
//   - `didChangeRun`: the run the panel shows from now on, whole: the events so far and, once it has ended, its
//     record. Sent when a run starts, when a recorded run is opened, and whenever the webview says `ready` (first
//     load, reload, restore). It carries a `viewId`; later messages name it, and the webview drops any that name
//     another (a batch still in flight when the panel switched runs).
//   - `didReceiveEvents`: more events of a live run, batched (at most one message per ~16 ms).
//   - `didFinishRun`: the run ended: its record, or a message when there is none (its process stopped).
//   - `didChangeDebugPause`: where a Weft debug session is paused (a node of a flow file), or nothing.
// - webview → host (commands unless said): `ready` (the page listens: send the run), `cancel`, `rerun`, `resume`,
//   `revealNode` (select the node in its flow file), `openValue` (a node's input/output/error, or the run's, in a
//   JSON editor), `copyText`, `openRun` (show another run of the flow: from the node inspector's Runs), and the
//   requests `saveLogs` (save dialog; answers whether it saved), the node inspector's `nodeRuns`,
//   `nodeTestScope`, `testNode` (nodeInspectorProtocol.ts), `giveFeedback` (a verdict on a node of the recorded
//   run; answers the stored entry or why not) and `makeTestFromFeedback` (adds the node's feedback as a test case
//   of the .flow.json; answers what it did).
//
// Types only are shared with the browser bundle (it imports `type`s from here); the zod schemas run on the host.

import { z } from 'zod';
import type { EngineEvent } from '../engine/run/events';
import type { RunRecord } from '../engine/run/runRecord';
import { nodeInspectorInbound, type NodeInspectorReplies } from './nodeInspectorProtocol';
import type { FeedbackEntry } from '../engine/history/feedbackStore';

const id = z.string().min(1).max(512);

export const executionInbound = {
  ready: z.object({}),
  cancel: z.object({ requestId: id }),
  rerun: z.object({ runId: id }),
  resume: z.object({ runId: id }),
  revealNode: z.object({ nodeId: id }),
  openValue: z.object({
    /** Absent: the run's own input, output or error. */
    nodeId: id.optional(),
    which: z.enum(['input', 'output', 'error']),
  }),
  copyText: z.object({ text: z.string().max(50_000_000) }),
  saveLogs: z.object({ text: z.string().max(200_000_000), fileName: z.string().min(1).max(255) }),
  openRun: z.object({ runId: id }),
  ...nodeInspectorInbound,
  giveFeedback: z.object({
    runId: id,
    nodeId: id,
    verdict: z.enum(['correct', 'incorrect']),
    category: z.string().max(200).optional(),
    note: z.string().max(10_000).optional(),
    /** The expected output as JSON text (checked on the host). */
    expected: z.string().max(1_000_000).optional(),
  }),
  makeTestFromFeedback: z.object({ runId: id, nodeId: id }),
};
export type ExecutionInbound = typeof executionInbound;

// Type aliases, not interfaces: they must fit webviewIpc's Record<string, unknown> constraints.
export type ExecutionReplies = {
  saveLogs: { saved: boolean };
} & NodeInspectorReplies & {
  giveFeedback: { entry?: FeedbackEntry; error?: string };
  makeTestFromFeedback: { message: string; ok: boolean };
};

export interface RunSnapshot {
  /** Which showing of a run this is; later events and the end name it. */
  viewId: number;
  /** The flow file, as a URI string. */
  file: string;
  /** The file's base name, for the header. */
  fileName: string;
  flowName: string;
  /** The run worker's request id while the run is live (what cancel needs). */
  requestId?: string;
  /** The execution id, once known. */
  runId?: string;
  /** Epoch ms when the run was requested (live runs), for the timer before the first event. */
  startedAt?: number;
  /** Whether events are still coming. */
  live: boolean;
  /** Node types by node id, read from a .flow.json (empty for a .flow.ts: the types are not in its text). */
  nodeTypes: Record<string, string>;
  events: EngineEvent[];
  record?: RunRecord;
  /** Why there is nothing to show (a run not found in history). */
  message?: string;
  /** Decision feedback given on the run's nodes, by node id. */
  feedback?: Record<string, FeedbackEntry>;
}

export type ExecutionNotifications = {
  didChangeRun: RunSnapshot;
  didReceiveEvents: { viewId: number; events: EngineEvent[] };
  didFinishRun: { viewId: number; record?: RunRecord; message?: string };
  didChangeDebugPause: DebugPauseView;
};

/** A debug session's pause as the panel shows it; all absent when no session is paused. */
export interface DebugPauseView {
  nodeId?: string;
  /** The node's path (flow › subflow › loop iteration › node). */
  path?: string[];
  /** The flow file's base name. */
  fileName?: string;
}

/** What the webview keeps across reloads (setState): the run it shows (so a restored panel can ask for it) and UI choices. */
export interface ExecutionUiState {
  run?: { file: string; runId?: string; requestId?: string };
  expanded?: string[];
  selected?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error';
  logSearch?: string;
  /** The node inspector's tab: runs or test. */
  inspectorTab?: string;
}
