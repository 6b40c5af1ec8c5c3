// The canvas: a custom text editor for .flow.json (editable) and .flow.ts (read-only) files. The document is the
// model: the webview sends intents, which become minimal edits of the text (src/language/canvasEdits.ts) applied
// as WorkspaceEdits, so undo, redo, dirty state and small git diffs are VS Code's; any change of the text (ours,
// the user's, git's) re-sends the graph. A .flow.ts is drawn from the run worker's compile (its module runs there,
// never here), again on each save. Run progress comes from the RunController's events for this file.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { z } from 'zod';
import type { EngineEvent } from '../../engine/run/events';
import { createRunProjection, foldEvent, projectEvents, projectRecord, type RunProjection } from '../../engine/run/runProjection';
import type { RunRecord } from '../../engine/run/runRecord';
import { createDefaultRegistry } from '../../engine/nodes/builtins';
import { addNode, connect, deleteElements, moveNodes, setNodeFields, starterConfig, type Edit } from '../../language/canvasEdits';
import { canvasGraphFromText } from '../../language/canvasGraph';
import {
  canvasInbound,
  type CanvasGraph,
  type CanvasNodeDetails,
  type CanvasNodeStatus,
  type CanvasNotifications,
  type PaletteEntry,
} from '../../protocol/canvasProtocol';
import { outlineOf } from '../flowOutline';
import { toVsRange } from '../vsRange';
import type { ActiveRun, RunController } from '../runController';
import type { RunWorkerClient } from '../runWorkerClient';
import { recordedFlowChange } from '../flowVersionAtRun';
import { historyDirFor } from '../workspacePaths';
import { WebviewChannel } from './webviewChannel';
import { nodeInspectorHandlers } from '../nodeInspectorHost';
import { nodeInspectorDeps } from './nodeInspectorDeps';
import { webviewHtml, webviewOptions } from './webviewHtml';
import type { NodeRegistry } from '../../engine/nodes/registry';
import { FlowDocument } from '../../language/flowDocument';
import { nodeRanges } from '../../language/symbols';
import type { DebugPauses } from '../debug/debugPauses';

type RunView = CanvasNotifications['didChangeRun'];

/** Run updates go to the webview at most this often (a big run sends many event batches). */
const RUN_UPDATE_MS = 50;
/** Input and output previews in the details pane are cut to this many characters. */
const PREVIEW_CHARS = 4000;

export class FlowCanvasEditorProvider implements vscode.CustomTextEditorProvider {
  static readonly viewType = 'weft.canvas';
  private palette: PaletteEntry[] | undefined;
  private builtins: NodeRegistry | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunController,
    private readonly worker: RunWorkerClient,
    private readonly log: vscode.LogOutputChannel,
    /** Debug sessions' pauses: the node paused before is highlighted on this flow's canvas. */
    private readonly pauses?: DebugPauses,
  ) {}

  async resolveCustomTextEditor(document: vscode.TextDocument, panel: vscode.WebviewPanel): Promise<void> {
    const isJson = document.uri.path.endsWith('.json');
    const file = document.uri;
    const webview = panel.webview;
    webview.options = webviewOptions(this.extensionUri);
    webview.html = webviewHtml(webview, this.extensionUri, 'canvas', `${basename(file.fsPath)} (canvas)`);

    const disposables: vscode.Disposable[] = [];
    let readyOnce = false;
    let runView: RunView = { live: false, statuses: {}, ports: {} };
    /** The run shown, as the engine projects it; its events are folded into it as they come. */
    let projection: RunProjection = createRunProjection();
    let currentRequest: string | undefined;
    /** The record the statuses come from (the last run, or the run that just ended): node details read it. */
    let lastRecord: RunRecord | undefined;
    let runTimer: NodeJS.Timeout | undefined;

    const sendGraph = async (): Promise<void> => {
      const graph = isJson ? canvasGraphFromText(document.getText()) : await this.flowTsGraph(file);
      const palette = readyOnce ? undefined : this.paletteEntries();
      readyOnce = true;
      flowId = graph.flowId;
      const title = canvasTitle(graph, file);
      // VS Code (1.100) names a custom editor's tab after its file and ignores this; the title is also the webview
      // page's and its toolbar's, and a VS Code that honours it shows it on the tab (see docs/decisions.md).
      panel.title = title;
      await channel.notify('didChangeGraph', { graph, fileName: basename(file.fsPath), title, ...(palette ? { palette } : {}) });
    };

    let flowId: string | undefined;
    /** The badges: each node's runs since local midnight, success ratio and average time (engine/history/statsRollup.ts). */
    const sendNodeInsights = async (): Promise<void> => {
      if (flowId === undefined) return;
      const untilMs = Date.now();
      const report = await this.runs.history(file).insights({ flowId, sinceMs: new Date(untilMs).setHours(0, 0, 0, 0), untilMs });
      const nodes: CanvasNotifications['didChangeNodeInsights']['nodes'] = {};
      for (const node of report.flows.find((flow) => flow.flowId === flowId)?.nodes ?? []) {
        nodes[node.nodeId] = { runsToday: node.runs, successRatio: node.successRatio, ...(node.runs > 0 && node.totalMs > 0 ? { avgMs: node.totalMs / node.runs } : {}) };
      }
      await channel.notify('didChangeNodeInsights', { nodes });
    };

    const sendRun = (): void => {
      if (runTimer) return;
      runTimer = setTimeout(() => {
        runTimer = undefined;
        void channel.notify('didChangeRun', runView);
      }, RUN_UPDATE_MS);
    };

    let pausedShown: string | undefined;
    const sendPause = (): void => {
      const nodeId = this.pauses?.pauseIn(file)?.nodeId;
      pausedShown = nodeId;
      void channel.notify('didChangeDebugPause', nodeId === undefined ? {} : { nodeId });
    };

    /** Edits the document; a refused intent (a cycle, a syntax error in the text) is shown to the user. */
    const applyEdits = async (make: (text: string) => Edit[]): Promise<void> => {
      if (!isJson) throw new Error('A .flow.ts canvas is read-only: edit the code.');
      let edits: Edit[];
      try {
        edits = make(document.getText());
      } catch (error) {
        void vscode.window.showWarningMessage((error as Error).message);
        return;
      }
      if (edits.length === 0) return;
      const edit = new vscode.WorkspaceEdit();
      for (const e of edits) edit.replace(file, new vscode.Range(document.positionAt(e.offset), document.positionAt(e.offset + e.length)), e.content);
      if (!(await vscode.workspace.applyEdit(edit))) void vscode.window.showWarningMessage('The canvas could not edit the file (it may have changed meanwhile).');
    };

    const channel = new WebviewChannel(
      webview,
      canvasInbound,
      {
        ready: async () => {
          readyOnce = false;
          await sendGraph();
          ({ projection, view: runView, record: lastRecord } = await this.initialRun(file));
          currentRequest = newestRunOf(this.runs.activeRuns(), file)?.requestId;
          await channel.notify('didChangeRun', runView);
          sendPause();
          await sendNodeInsights().catch((error: unknown) => this.log.warn(`Canvas badges: ${String(error)}`));
        },
        moveNodes: ({ positions }) => applyEdits((text) => moveNodes(text, positions)),
        connect: ({ from, port, to }) => applyEdits((text) => connect(text, from, port, to)),
        deleteElements: ({ nodeIds, edges }) => applyEdits((text) => deleteElements(text, nodeIds, edges)),
        setNodeFields: ({ nodeId, ...fields }) => applyEdits((text) => setNodeFields(text, nodeId, fields)),
        addNode: async ({ type, position, into, positions }) => {
          let id = '';
          const schema = this.registry().get(type)?.configSchema;
          await applyEdits((text) => {
            const added = addNode(text, type, position, { into, positions, config: starterConfig(schema) });
            id = added.id;
            return added.edits;
          });
          return { id };
        },
        nodeDetails: ({ nodeId }) => this.nodeDetails(file, nodeId, lastRecord),
        openRun: ({ runId }) => vscode.commands.executeCommand('weft.showRun', file, runId),
        revealNode: ({ nodeId }) => this.reveal(document, nodeId),
        runFlow: () => vscode.commands.executeCommand('weft.run', file),
        ...nodeInspectorHandlers(nodeInspectorDeps(file, this.runs, this.worker)),
        debugFlow: () => vscode.commands.executeCommand('weft.debug', file),
      },
      this.log,
    );
    disposables.push(channel);

    if (this.pauses) {
      disposables.push(
        this.pauses.onDidChange(() => {
          if (this.pauses?.pauseIn(file)?.nodeId !== pausedShown) sendPause();
        }),
      );
    }
    disposables.push(
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (isJson && event.document === document && event.contentChanges.length > 0) void sendGraph();
      }),
      vscode.workspace.onDidSaveTextDocument((saved) => {
        if (!isJson && saved === document) void sendGraph();
      }),
      this.runs.onDidChangeRun((change) => {
        if (change.file.toString() !== file.toString()) return;
        let folded = false;
        if (change.requestId !== currentRequest) {
          // Webhook runs of one flow may overlap: the canvas stays on the newest, and a run that started before it
          // (still going, or ending now) does not take it back.
          const shownRun = currentRequest === undefined ? undefined : this.runs.activeRun(currentRequest);
          const changing = this.runs.activeRun(change.requestId);
          if (shownRun && (!changing || changing.startedAt < shownRun.startedAt)) return;
          currentRequest = change.requestId;
          // A run followed from its middle (the canvas opened while it ran) starts from all its events so far.
          projection = changing ? projectEvents(changing.events) : createRunProjection();
          folded = changing !== undefined;
        }
        if (change.record) {
          lastRecord = change.record;
          void sendNodeInsights().catch((error: unknown) => this.log.warn(`Canvas badges: ${String(error)}`));
          projection = projectRecord(change.record);
        } else if (!folded) {
          for (const event of change.events) foldEvent(projection, event);
        }
        // Live until the run ends; a run that failed before it started (invalid input) leaves nothing live behind.
        const live = change.record ? change.record.status === 'running' : change.events.length > 0 && isLive(projection);
        runView = canvasRunView(projection, live);
        sendRun();
      }),
    );

    panel.onDidDispose(() => {
      if (runTimer) clearTimeout(runTimer);
      for (const d of disposables) d.dispose();
    });
  }

  /** The .flow.ts graph from the run worker; its diagnostics as problems when it does not compile. */
  private async flowTsGraph(file: vscode.Uri): Promise<CanvasGraph> {
    try {
      const compiled = await this.worker.compile(file.fsPath, { graph: true });
      if (compiled.graph) return compiled.graph;
      const problems = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.range ? `Line ${d.range.start.line + 1}: ` : ''}${d.message}`);
      return { nodes: [], edges: [], layout: {}, readOnly: true, problems: problems.length > 0 ? problems : ['The flow could not be loaded.'] };
    } catch (error) {
      this.log.warn(`Canvas: ${file.fsPath} could not be compiled: ${(error as Error).message}`);
      return { nodes: [], edges: [], layout: {}, readOnly: true, problems: [`The flow could not be loaded: ${(error as Error).message}`] };
    }
  }

  /** The built-in node types (created once). */
  private registry(): NodeRegistry {
    return (this.builtins ??= createDefaultRegistry());
  }

  /** The built-in node types with their config schemas (computed once). */
  private paletteEntries(): PaletteEntry[] {
    if (!this.palette) {
      this.palette = this.registry()
        .list()
        .map((type) => {
          let configSchema: Record<string, unknown> = {};
          try {
            configSchema = z.toJSONSchema(type.configSchema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
          } catch (error) {
            this.log.warn(`Canvas: no config schema for ${type.type}: ${(error as Error).message}`);
          }
          return { type: type.type, title: type.title, description: type.description, configSchema };
        });
    }
    return this.palette;
  }

  /** The run in progress for this file (its events so far), else the last run's record, else nothing. */
  private async initialRun(file: vscode.Uri): Promise<{ projection: RunProjection; view: RunView; record?: RunRecord }> {
    const active = newestRunOf(this.runs.activeRuns(), file);
    if (active) {
      const projection = projectEvents(active.events);
      return { projection, view: canvasRunView(projection, true) };
    }
    const last = await this.runs.lastRunOfFile(file).catch(() => undefined);
    if (!last) return { projection: createRunProjection(), view: { live: false, statuses: {}, ports: {} } };
    const projection = projectRecord(last);
    const view = canvasRunView(projection, last.status === 'running');
    // A node whose type changed since that run is not painted with a status that belonged to another node.
    const text = file.path.endsWith('.json') ? (await vscode.workspace.openTextDocument(file)).getText() : undefined;
    const change = await recordedFlowChange(last, { path: file.path, text }, historyDirFor(file)).catch(() => undefined);
    for (const id of change?.retyped ?? []) delete view.statuses[id];
    return { projection, view, record: last };
  }

  /** A node in the run in progress, else in `known` (the record the canvas shows), else in the last recorded run. */
  private async nodeDetails(file: vscode.Uri, nodeId: string, known: RunRecord | undefined): Promise<CanvasNodeDetails | null> {
    const active = newestRunOf(this.runs.activeRuns(), file);
    if (active?.runId) {
      const details = detailsFromEvents(active.runId, nodeId, active.events);
      if (details) return details;
    }
    const record = known ?? (await this.runs.lastRunOfFile(file).catch(() => undefined));
    const node = record?.nodes[nodeId];
    if (!record || !node) return null;
    const details: CanvasNodeDetails = { runId: record.id, runStatus: record.status, live: false, nodeId, status: node.status, attempts: node.attempts };
    if (node.durationMs !== undefined) details.durationMs = node.durationMs;
    if (node.error) details.error = node.error.message;
    if (node.errorHandled) details.errorHandled = true;
    if (node.input !== undefined) details.input = preview(node.input);
    if (node.output !== undefined) details.output = preview(node.output);
    return details;
  }

  /** Shows the node's definition in the text editor beside the canvas, selected. */
  private async reveal(document: vscode.TextDocument, nodeId: string): Promise<void> {
    // A .flow.json's nodes, loop bodies included, from the language service; a .flow.ts's from its text.
    const range = document.uri.path.endsWith('.json')
      ? nodeRanges(FlowDocument.create(document.getText(), document.uri.fsPath, { registry: this.registry() }), { includeBodies: true }).get(nodeId)
      : outlineOf(document.getText(), false).nodes.find((n) => n.id === nodeId)?.range;
    if (!range) {
      void vscode.window.showInformationMessage(`The definition of ${nodeId} was not found in the text.`);
      return;
    }
    const selection = toVsRange(range);
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside, selection, preserveFocus: false });
  }
}

/** "order-intake (canvas)": the flow's id (else the file's name without .flow.json or .flow.ts) and what this is. */
export function canvasTitle(graph: Pick<CanvasGraph, 'flowId'>, file: vscode.Uri): string {
  return `${graph.flowId ?? basename(file.fsPath).replace(/\.flow\.(json|ts)$/, '')} (canvas)`;
}

/** The run of `file` the canvas shows while several run (overlapping webhook runs): the one started last. */
function newestRunOf(runs: readonly ActiveRun[], file: vscode.Uri): ActiveRun | undefined {
  let newest: ActiveRun | undefined;
  for (const run of runs) if (run.file.toString() === file.toString() && (!newest || run.startedAt >= newest.startedAt)) newest = run;
  return newest;
}

function isLive(run: RunProjection): boolean {
  return run.status === 'running' || run.status === 'starting';
}

/**
 * What the canvas shows of a run: its nodes' statuses (nodes that have not started are absent) and the ports that
 * fired, from the engine's projection. Body nodes count under their loop node, as in the record.
 */
function canvasRunView(run: RunProjection, live: boolean): RunView {
  const statuses: Record<string, CanvasNodeStatus> = {};
  const ports: Record<string, string[]> = {};
  for (const node of run.nodes) {
    if (node.status !== 'pending') statuses[node.id] = node.status;
    if (node.ports) ports[node.id] = [...node.ports];
  }
  const view: RunView = { live, statuses, ports };
  if (run.runId !== undefined) view.runId = run.runId;
  if (run.status !== 'starting') view.runStatus = run.status;
  return view;
}

/** A top-level node of the run in progress: its facts from the projection, its values from its latest events. */
function detailsFromEvents(runId: string, nodeId: string, events: readonly EngineEvent[]): CanvasNodeDetails | null {
  const run = projectEvents(events);
  const node = run.byId.get(nodeId);
  if (!node || node.status === 'pending') return null;
  const details: CanvasNodeDetails = { runId, runStatus: run.status === 'starting' ? 'running' : run.status, live: isLive(run), nodeId, status: node.status };
  if (node.attemptCount > 0) details.attempts = node.attemptCount;
  if (node.durationMs !== undefined) details.durationMs = node.durationMs;
  if (node.error) details.error = node.error.message;
  if (node.errorHandled) details.errorHandled = true;
  for (let i = events.length - 1; i >= 0 && (details.input === undefined || details.output === undefined); i--) {
    const event = events[i];
    if (!('nodeId' in event) || event.nodeId !== nodeId || event.loop) continue;
    if (event.type === 'node.started' && details.input === undefined) details.input = preview(event.input);
    if (event.type === 'node.completed' && details.output === undefined) details.output = preview(event.output);
  }
  return details;
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, null, 2) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}
