// The execution panel (issue 4): one reused webview beside the editor that shows a run live while it runs and its
// details afterwards. It opens on its own when a run starts (RunController.onDidStartRun, before the first event)
// and shows recorded runs on request (showRun). Protocol: src/protocol/executionProtocol.ts.
//
// Ordering rules:
// - Nothing is posted before the webview says `ready`; every `ready` (first load, reload, restore) gets the whole
//   run again: the data lives here, the webview keeps only UI state.
// - Live events are read from the ActiveRun's own `events` array (it holds every event so far) from the index
//   already sent, so a snapshot and the batches after it neither overlap nor miss an event, however they interleave.
// - Batches are leading-edge: the first goes at once (the first node event shows fast), then at most one message
//   per BATCH_MS. The end of a run flushes pending events before it says `didFinishRun`.

import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import type { EngineEvent } from '../../engine/run/events';
import type { RunRecord } from '../../engine/run/runRecord';
import { executionInbound, type ExecutionInbound, type ExecutionNotifications, type RunSnapshot } from '../../protocol/executionProtocol';
import { outlineOf } from '../flowOutline';
import { toVsRange } from '../vsRange';
import type { ActiveRun, RunChange, RunController } from '../runController';
import { WebviewChannel } from './webviewChannel';
import { nodeInspectorHandlers } from '../nodeInspectorHost';
import type { RunWorkerClient } from '../runWorkerClient';
import { nodeInspectorDeps } from './nodeInspectorDeps';
import { WeftError } from '../../engine/errors';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { nodeTypesFromJson, recordedFlowChange } from '../flowVersionAtRun';
import { historyDirFor } from '../workspacePaths';
import { errorLocationRange } from '../../language/runFailurePlaces';
import type { SerializedError } from '../../engine/errors';
import type { Range } from '../../engine/model/diagnostics';
import type { DebugPauses } from '../debug/debugPauses';
import { readRunFeedback, saveFeedback, type FeedbackEntry, type FeedbackMark, type FeedbackVerdict } from '../../engine/history/feedbackStore';
import { sideEffectNodesOf } from '../../engine/testing/sideEffectNodes';
import { testFromFeedback } from '../../engine/testing/testFromFeedback';
import { appendTestCase } from '../../language/appendTestCase';

/** At most one events message per this many ms (about one animation frame). */
const BATCH_MS = 16;

interface Shown {
  file: vscode.Uri;
  flowName: string;
  /** The live run, while events may still come (its `events` keeps growing until it ends). */
  run?: ActiveRun;
  record?: RunRecord;
  runId?: string;
  /** Set when the run ended without a record. */
  message?: string;
  ended: boolean;
}

export class ExecutionPanelManager implements vscode.Disposable {
  static readonly viewType = 'weft.execution';

  private panel?: vscode.WebviewPanel;
  private channel?: WebviewChannel<ExecutionInbound, ExecutionNotifications>;
  private panelDisposables: vscode.Disposable[] = [];
  private readonly disposables: vscode.Disposable[] = [];
  private shown?: Shown;
  private ready = false;
  private viewId = 0;
  /** Index in shown.run.events of the first event not yet posted; -1 until the snapshot is out. */
  private sent = -1;
  private lastFlush = 0;
  private flushTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunController,
    private readonly log: vscode.LogOutputChannel,
    /** Runs Test this node (the node inspector); without it the inspector's Test tab answers with an error. */
    private readonly worker?: RunWorkerClient,
    /** Debug sessions' pauses: the panel says where one is paused. */
    private readonly pauses?: DebugPauses,
  ) {
    if (pauses) this.disposables.push(pauses.onDidChange(() => this.sendDebugPause()));
    this.disposables.push(
      runs.onWillStartRun(({ file, started }) => this.prepare(file, started)),
      runs.onDidStartRun((run) => this.attachLive(run, true)),
      runs.onDidFollowServerRun((run) => this.followServerRun(run)),
      runs.onDidChangeRun((change) => this.onRunChange(change)),
    );
  }

  /**
   * A run is about to start (RunController.onWillStartRun: at the click when no input form will be asked, else once
   * the form is filled): a closed panel opens now, "starting", so that creating the webview and loading its script
   * overlap the compile and the worker's start instead of following them. It closes again if no run starts; an
   * open panel keeps showing its run until the new one starts.
   */
  private prepare(file: vscode.Uri, started: Promise<ActiveRun | undefined>): void {
    if (this.panel) return;
    const placeholder: Shown = { file, flowName: basename(file.path), ended: false };
    this.show(placeholder, true);
    void started.then((run) => {
      if (!run && this.shown === placeholder) this.panel?.dispose();
    });
  }

  /** The run of this request is on screen: the panel is visible and shows it (RunViewer). */
  isShowing(requestId: string): boolean {
    return this.panel?.visible === true && this.shown?.run?.requestId === requestId;
  }

  /** Opens a recorded run, or re-attaches to it when it is still running. */
  async showRun(file: vscode.Uri, runId: string): Promise<void> {
    const live = this.runs.activeRun(runId);
    if (live) {
      this.attachLive(live, false);
      return;
    }
    await this.showRecorded(file, runId, true);
  }

  /**
   * A webhook or schedule run began on the server: an open panel that shows an ended run of the same flow follows
   * it, without taking focus or coming forward. A panel showing a run still going, or another flow, stays; a closed
   * panel stays closed (the Live Runs view opens one).
   */
  private followServerRun(run: ActiveRun): void {
    const shown = this.shown;
    if (!this.panel || !shown || !shown.ended || shown.file.toString() !== run.file.toString()) return;
    this.attachLive(run, true, false);
  }

  /** Opens a run whose record came from elsewhere (a remote server's run API), or re-attaches while it runs. */
  showRecord(file: vscode.Uri, record: RunRecord): void {
    const live = this.runs.activeRun(record.id);
    if (live) {
      this.attachLive(live, false);
      return;
    }
    this.show({ file, flowName: record.flowId, record, runId: record.id, ended: true }, false);
  }

  private async showRecorded(file: vscode.Uri, runId: string, reveal: boolean): Promise<void> {
    const record = await this.runs.history(file).get(runId).catch((error: unknown) => {
      this.log.warn(`Could not read run ${runId}: ${(error as Error).message}`);
      return undefined;
    });
    this.show(
      {
        file,
        flowName: record?.flowId ?? basename(file.path),
        record,
        runId: record?.id ?? runId,
        ended: true,
        message: record ? undefined : `Run ${runId} is not in the history of ${basename(file.path)}.`,
      },
      false,
      reveal,
    );
  }

  /** Takes over a panel VS Code restores after a reload (WebviewPanelSerializer.deserializeWebviewPanel). */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    if (this.panel) {
      // One panel only: a second restored one would show the same thing.
      panel.dispose();
      return;
    }
    this.adopt(panel);
    const saved = parseSavedRun(state);
    if (!saved) return;
    const live = (saved.runId && this.runs.activeRun(saved.runId)) || (saved.requestId && this.runs.activeRun(saved.requestId));
    if (live) {
      this.attachLive(live, false, false);
    } else if (saved.runId) {
      // A restored panel stays where VS Code put it, without taking focus.
      await this.showRecorded(saved.file, saved.runId, false);
    }
  }

  private attachLive(run: ActiveRun, preserveFocus: boolean, reveal = true): void {
    this.show({ file: run.file, flowName: run.flowName, run, runId: run.runId, ended: false }, preserveFocus, reveal);
  }

  private show(shown: Shown, preserveFocus: boolean, reveal = true): void {
    this.shown = shown;
    this.cancelFlush();
    this.sent = -1;
    if (!this.panel) {
      const panel = vscode.window.createWebviewPanel(
        ExecutionPanelManager.viewType,
        titleOf(shown),
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
        { ...webviewOptions(this.extensionUri), retainContextWhenHidden: false },
      );
      this.adopt(panel);
    } else {
      this.panel.title = titleOf(shown);
      if (reveal) this.panel.reveal(undefined, preserveFocus);
    }
    if (this.ready) void this.sendSnapshot();
  }

  private adopt(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.ready = false;
    panel.webview.options = webviewOptions(this.extensionUri);
    this.channel = new WebviewChannel(
      panel.webview,
      executionInbound,
      {
        ready: () => {
          this.ready = true;
          if (this.shown) void this.sendSnapshot();
          this.sendDebugPause();
        },
        cancel: ({ requestId }) => vscode.commands.executeCommand('weft.cancel', requestId),
        rerun: ({ runId }) => this.shown && vscode.commands.executeCommand('weft.rerun', this.shown.file, runId),
        resume: ({ runId }) => this.shown && vscode.commands.executeCommand('weft.resume', this.shown.file, runId),
        revealNode: ({ nodeId }) => this.revealNode(nodeId),
        openValue: ({ nodeId, which }) => this.openValue(nodeId, which),
        copyText: async ({ text }) => {
          await vscode.env.clipboard.writeText(text);
          vscode.window.setStatusBarMessage('Copied', 2000);
        },
        saveLogs: ({ text, fileName }) => this.saveLogs(text, fileName),
        openRun: ({ runId }) => this.shown && vscode.commands.executeCommand('weft.showRun', this.shown.file, runId),
        // The node inspector works on the flow of the run shown (read when asked: the panel switches runs).
        nodeRuns: (params) => this.inspector().nodeRuns(params),
        nodeTestScope: (params) => this.inspector().nodeTestScope(params),
        testNode: (params) => this.inspector().testNode(params),
        cancelNodeTest: (params) => this.inspector().cancelNodeTest(params),
        giveFeedback: ({ runId, nodeId, ...mark }) => this.giveFeedback(runId, nodeId, mark),
        makeTestFromFeedback: ({ runId, nodeId }) => this.makeTestFromFeedback(runId, nodeId),
      },
      this.log,
    );
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'timeline', 'Weft Run');
    this.panelDisposables = [
      this.channel,
      // A hidden webview is torn down (no retainContextWhenHidden); it says `ready` again when shown and then gets
      // the whole run, so nothing is posted meanwhile.
      panel.onDidChangeViewState(({ webviewPanel }) => {
        if (!webviewPanel.visible) {
          this.ready = false;
          this.cancelFlush();
          this.sent = -1;
        }
      }),
      panel.onDidDispose(() => {
        this.cancelFlush();
        for (const d of this.panelDisposables) d.dispose();
        this.panelDisposables = [];
        this.panel = undefined;
        this.channel = undefined;
        this.shown = undefined;
        this.ready = false;
      }),
    ];
  }

  /** The node inspector's handlers for the flow of the run shown. */
  private inspector(): ReturnType<typeof nodeInspectorHandlers> {
    const shown = this.shown;
    if (!shown) throw new WeftError('usage', 'The panel shows no run.');
    if (!this.worker) throw new WeftError('run-worker', 'Test this node needs the run worker, which this panel was not given.');
    return nodeInspectorHandlers(nodeInspectorDeps(shown.file, this.runs, this.worker));
  }

  /** Where a debug session is paused (the one of the flow shown, else the active one), or nothing. */
  private sendDebugPause(): void {
    if (!this.channel || !this.ready || !this.pauses) return;
    const pause = (this.shown && this.pauses.pauseIn(this.shown.file)) ?? this.pauses.current();
    void this.channel.notify('didChangeDebugPause', pause ? { nodeId: pause.nodeId, path: pause.path, fileName: basename(pause.flowPath) } : {});
  }

  /** The whole run, as it is now: the events so far (live), or the record. */
  private async sendSnapshot(): Promise<void> {
    const shown = this.shown;
    if (!shown || !this.channel) return;
    const { nodeTypes, notice } = await labelsOf(shown).catch(() => ({ nodeTypes: {}, notice: undefined }));
    // The panel may have switched runs (or closed) while the file was read.
    if (shown !== this.shown || !this.channel) return;
    this.cancelFlush();
    const events = shown.run ? shown.run.events.slice() : [];
    const snapshot: RunSnapshot = {
      viewId: ++this.viewId,
      file: shown.file.toString(),
      fileName: basename(shown.file.path),
      flowName: shown.flowName,
      requestId: shown.ended ? undefined : shown.run?.requestId,
      runId: shown.runId ?? shown.run?.runId ?? shown.record?.id,
      startedAt: shown.run?.startedAt,
      live: !shown.ended,
      nodeTypes,
      events,
      record: shown.record,
      message: shown.message ?? notice,
    };
    const runId = snapshot.runId;
    const feedback = runId ? await readRunFeedback(this.runs.history(shown.file).dir, runId).catch(() => undefined) : undefined;
    if (shown !== this.shown || !this.channel) return;
    if (feedback) snapshot.feedback = feedback.nodes;
    this.sent = events.length;
    // The first batch after a snapshot goes at once: it usually holds the first node event.
    this.lastFlush = 0;
    void this.channel.notify('didChangeRun', snapshot);
  }

  private onRunChange(change: RunChange): void {
    const shown = this.shown;
    if (!shown?.run || shown.run.requestId !== change.requestId || shown.ended) return;
    if (shown.runId === undefined) shown.runId = shown.run.runId;
    const ended = change.record !== undefined || change.events.length === 0;
    if (!ended) {
      this.scheduleFlush();
      return;
    }
    shown.ended = true;
    if (change.record) {
      shown.record = change.record;
      this.finish(shown);
      return;
    }
    // Ended without a record (the worker failed or was killed): history may hold it, marked cancelled.
    const runId = shown.runId;
    void (runId ? this.runs.history(shown.file).get(runId).catch(() => undefined) : Promise.resolve(undefined)).then((record) => {
      shown.record = record;
      if (!record) shown.message = 'The run stopped before it finished.';
      this.finish(shown);
    });
  }

  private finish(shown: Shown): void {
    if (shown !== this.shown || !this.channel || this.sent < 0) return;
    this.flush();
    void this.channel.notify('didFinishRun', { viewId: this.viewId, record: shown.record, message: shown.message });
  }

  private scheduleFlush(): void {
    if (this.flushTimer || this.sent < 0) return;
    const wait = this.lastFlush + BATCH_MS - Date.now();
    if (wait <= 0) {
      this.flush();
      return;
    }
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    this.cancelFlush();
    const run = this.shown?.run;
    if (!run || !this.channel || this.sent < 0 || this.sent >= run.events.length) return;
    const events = run.events.slice(this.sent);
    this.sent = run.events.length;
    this.lastFlush = Date.now();
    void this.channel.notify('didReceiveEvents', { viewId: this.viewId, events });
  }

  private cancelFlush(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
  }

  private async revealNode(nodeId: string): Promise<void> {
    const shown = this.shown;
    if (!shown) return;
    const document = await vscode.workspace.openTextDocument(shown.file);
    const outline = outlineOf(document.getText(), shown.file.path.endsWith('.json'));
    const node = outline.nodes.find((n) => n.id === nodeId);
    const visible = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === shown.file.toString());
    const editor = await vscode.window.showTextDocument(document, { viewColumn: visible?.viewColumn ?? vscode.ViewColumn.One, preserveFocus: false });
    if (!node) {
      void vscode.window.showWarningMessage(`${basename(shown.file.path)} has no node '${nodeId}' (renamed since the run?).`);
      return;
    }
    // A node that failed on a template: select the failing part of it, not the whole node.
    const failing = failingPartOf(valueOf(shown.record, shown.run?.events ?? [], nodeId, 'error').value, document.getText(), shown.file);
    const range = toVsRange(failing ?? node.range);
    editor.selection = new vscode.Selection(range.start, range.end);
    editor.revealRange(range, vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  }

  private async openValue(nodeId: string | undefined, which: 'input' | 'output' | 'error'): Promise<void> {
    const shown = this.shown;
    if (!shown) return;
    const found = valueOf(shown.record, shown.run?.events ?? [], nodeId, which);
    if (!found.present) {
      void vscode.window.showInformationMessage(`${nodeId ? `Node '${nodeId}'` : 'The run'} has no ${which} yet.`);
      return;
    }
    const document = await vscode.workspace.openTextDocument({ language: 'json', content: JSON.stringify(found.value, null, 2) ?? 'null' });
    await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Active, preview: true });
  }

  /** A verdict on a node of the shown run, stored beside the run in history (never in the flow file). */
  private async giveFeedback(
    runId: string,
    nodeId: string,
    given: { verdict: FeedbackVerdict; category?: string; note?: string; expected?: string },
  ): Promise<{ entry?: FeedbackEntry; error?: string }> {
    const shown = this.shown;
    if (!shown) return { error: 'No run is shown.' };
    const mark: FeedbackMark = { verdict: given.verdict, category: given.category?.trim(), note: given.note?.trim() };
    if (given.expected !== undefined && given.expected.trim() !== '') {
      try {
        mark.expected = JSON.parse(given.expected);
      } catch (error) {
        return { error: `The expected output is not JSON: ${(error as Error).message}` };
      }
    }
    try {
      const history = this.runs.history(shown.file);
      const record = await history.get(runId);
      if (!record) return { error: `Run ${runId} is not in the history: feedback is kept beside a recorded run.` };
      return { entry: await saveFeedback(history.dir, record, nodeId, mark) };
    } catch (error) {
      return { error: (error as Error).message };
    }
  }

  /** "Make test from feedback": the node's verdict as a test case of the .flow.json, a minimal edit (undoable). */
  private async makeTestFromFeedback(runId: string, nodeId: string): Promise<{ message: string; ok: boolean }> {
    const shown = this.shown;
    if (!shown) return { ok: false, message: 'No run is shown.' };
    if (!shown.file.path.endsWith('.flow.json')) return { ok: false, message: 'Tests are added to .flow.json files; in a .flow.ts, add the test case yourself.' };
    try {
      const history = this.runs.history(shown.file);
      const [record, feedback] = await Promise.all([history.get(runId), readRunFeedback(history.dir, runId)]);
      const entry = feedback?.nodes[nodeId];
      if (!record || !entry) return { ok: false, message: `Node '${nodeId}' of run ${runId} has no feedback yet.` };
      const document = await vscode.workspace.openTextDocument(shown.file);
      const name = `${nodeId} ${entry.verdict === 'correct' ? 'decides as in' : 'corrected from'} run ${runId}`;
      const { test, warnings } = testFromFeedback(sideEffectNodesOf(document.getText()), record, nodeId, entry, name);
      const edit = new vscode.WorkspaceEdit();
      for (const insertion of appendTestCase(document.getText(), test)) {
        edit.replace(shown.file, new vscode.Range(document.positionAt(insertion.offset), document.positionAt(insertion.offset + insertion.length)), insertion.content);
      }
      if (!(await vscode.workspace.applyEdit(edit))) return { ok: false, message: 'The flow file could not be edited.' };
      const message = `Added test "${name}"${warnings.length ? `. Note: ${warnings.join(' ')}` : '.'}`;
      void vscode.window.showInformationMessage(message);
      return { ok: true, message };
    } catch (error) {
      return { ok: false, message: (error as Error).message };
    }
  }

  private async saveLogs(text: string, fileName: string): Promise<{ saved: boolean }> {
    const file = this.shown?.file;
    const folder = file?.scheme === 'file' ? vscode.Uri.file(dirname(file.fsPath)) : vscode.workspace.workspaceFolders?.[0]?.uri;
    const safeName = fileName.replace(/[\\/:*?"<>|]+/g, '-');
    const target = await vscode.window.showSaveDialog({
      defaultUri: folder ? vscode.Uri.joinPath(folder, safeName) : undefined,
      filters: { 'Log files': ['log', 'txt'] },
      title: 'Save Run Logs',
    });
    if (!target) return { saved: false };
    await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(text));
    return { saved: true };
  }

  dispose(): void {
    this.cancelFlush();
    for (const d of this.disposables) d.dispose();
    this.panel?.dispose();
  }
}

function titleOf(shown: Shown): string {
  return `Run: ${shown.flowName}`;
}

function parseSavedRun(state: unknown): { file: vscode.Uri; runId?: string; requestId?: string } | undefined {
  const run = (state as { run?: { file?: unknown; runId?: unknown; requestId?: unknown } } | undefined)?.run;
  if (!run || typeof run.file !== 'string') return undefined;
  try {
    return {
      file: vscode.Uri.parse(run.file, true),
      runId: typeof run.runId === 'string' ? run.runId : undefined,
      requestId: typeof run.requestId === 'string' ? run.requestId : undefined,
    };
  } catch {
    return undefined;
  }
}

/** Node types by id from a .flow.json's text (loop bodies included); a .flow.ts's types are not in its text. */
async function nodeTypesOf(file: vscode.Uri): Promise<Record<string, string>> {
  if (!file.path.endsWith('.json')) return {};
  const document = await vscode.workspace.openTextDocument(file);
  return nodeTypesFromJson(document.getText());
}

/**
 * The node types to label a run with, and what to say when its flow file changed since: a recorded run is
 * compared with the file as it is now (flowVersionAtRun.ts); a live run is the file's.
 */
async function labelsOf(shown: Shown): Promise<{ nodeTypes: Record<string, string>; notice?: string }> {
  const record = shown.record;
  if (!record || !shown.ended) return { nodeTypes: await nodeTypesOf(shown.file) };
  const isJson = shown.file.path.endsWith('.json');
  const text = isJson ? (await vscode.workspace.openTextDocument(shown.file)).getText() : undefined;
  const modifiedMs = isJson ? undefined : await vscode.workspace.fs.stat(shown.file).then((s) => s.mtime, () => undefined);
  const change = await recordedFlowChange(record, { path: shown.file.path, text, modifiedMs }, historyDirFor(shown.file));
  return { nodeTypes: change.nodeTypes, notice: change.notice };
}

/** Where in `text` (the flow file at `file`) an error's failing template part is, when it says. */
function failingPartOf(error: unknown, text: string, file: vscode.Uri): Range | undefined {
  const location = (error as SerializedError | undefined)?.location;
  if (!location || (location.file !== undefined && location.file !== file.fsPath)) return undefined;
  return errorLocationRange(text, file.path.endsWith('.json'), location);
}

/** A node's (or the run's) input, output or error: from the record when there is one, else from the events. */
function valueOf(record: RunRecord | undefined, events: readonly EngineEvent[], nodeId: string | undefined, which: 'input' | 'output' | 'error'): { present: boolean; value?: unknown } {
  if (record) {
    const holder = nodeId === undefined ? record : record.nodes[nodeId];
    if (holder && which in holder) return { present: true, value: (holder as unknown as Record<string, unknown>)[which] };
  }
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (nodeId === undefined) {
      if (which === 'input' && event.type === 'execution.started') return { present: true, value: event.input };
      if (which === 'output' && event.type === 'execution.completed') return { present: true, value: event.output };
      if (which === 'error' && event.type === 'execution.failed') return { present: true, value: event.error };
      continue;
    }
    // Body nodes of a loop carry `loop`: the value asked for is the top-level node's own.
    if (!('nodeId' in event) || event.nodeId !== nodeId || event.loop) continue;
    if (which === 'input' && event.type === 'node.started') return { present: true, value: event.input };
    if (which === 'output' && event.type === 'node.completed') return { present: true, value: event.output };
    if (which === 'error' && event.type === 'node.failed') return { present: true, value: event.error };
  }
  return { present: false };
}
