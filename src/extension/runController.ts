// Runs flows from the editor: asks for the input (a form from the flow's `inputs`), checks that every secret the
// flow reads is set, runs it in the run worker (off the extension host's thread), shows progress in the status
// bar and the Weft log, and tells the user how it ended. The timeline webview and CodeLens subscribe to
// `onDidChangeRun`; nothing here calls them by name.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { HistoryStore } from '../engine/history/historyStore';
import type { EngineEvent } from '../engine/run/events';
import type { RunRecord } from '../engine/run/runRecord';
import { outlineOf } from './flowOutline';
import { keepFlowVersion } from '../engine/history/flowVersions';
import { CompileFailureStatus } from './compileFailureStatus';
import { askForInput } from './inputForm';
import { describeDuration as shortDuration } from '../shared/describeTime';
import { RunWorkerError, type RunWorkerClient } from './runWorkerClient';
import type { SecretStore } from './secretStore';
import { historyDirFor } from './workspacePaths';

export interface RunOptions {
  /** Resume this run (reuse its completed nodes). */
  resumeFrom?: string;
  /** With resumeFrom: re-run from this node. */
  rerunFrom?: string;
  /** Use this input instead of asking (re-run with the same input). */
  input?: unknown;
  /** Run this .flow.json text instead of the file's: a version kept in history ("Run This Version"). */
  text?: string;
}

export interface ActiveRun {
  requestId: string;
  file: vscode.Uri;
  flowName: string;
  startedAt: number;
  /** Every event so far, so that a panel opened (or reloaded) mid-run can catch up. */
  events: EngineEvent[];
  /** The run's id (the execution id), known from its `execution.started` event on. */
  runId?: string;
  /**
   * Set for a run a `weft serve` executes (a webhook, a schedule), followed from its event stream: it is not the
   * editor's to run, so it has no status bar entry, and cancelling it asks the server.
   */
  server?: { cancel(): Promise<void> };
}

/** Who shows runs as they happen (the execution panel): a run it shows needs no toast when it ends. */
export interface RunViewer {
  /** The run is on screen now (its panel visible). */
  isShowing(requestId: string): boolean;
}

export interface WillStartRun {
  file: vscode.Uri;
  started: Promise<ActiveRun | undefined>;
}

export interface RunChange {
  file: vscode.Uri;
  requestId: string;
  events: EngineEvent[];
  record?: RunRecord;
}

export class RunController implements vscode.Disposable {
  private readonly active = new Map<string, ActiveRun>();
  private readonly changed = new vscode.EventEmitter<RunChange>();
  readonly onDidChangeRun = this.changed.event;
  private readonly started = new vscode.EventEmitter<ActiveRun>();
  /** Fires when a run request goes to the worker, before any event: the execution panel shows it. */
  readonly onDidStartRun = this.started.event;
  private readonly willStart = new vscode.EventEmitter<WillStartRun>();
  /**
   * Fires as Run is clicked when no input form will be asked (the execution panel starts loading while the flow
   * compiles), else once the form is filled, just before the run goes to the worker: a panel saying "Starting…"
   * behind a form not yet filled would be a lie. `started` settles with the run, or undefined when none started
   * (flow does not compile, a secret missing).
   */
  readonly onWillStartRun = this.willStart.event;
  private readonly followed = new vscode.EventEmitter<ActiveRun>();
  /** Fires when a server's run is first seen on the event stream (followServerRun). */
  readonly onDidFollowServerRun = this.followed.event;
  private readonly statusBar = vscode.window.createStatusBarItem('weft.runs', vscode.StatusBarAlignment.Left, 10);
  private readonly histories = new Map<string, HistoryStore>();
  private readonly compileFailure = new CompileFailureStatus();
  private viewer: RunViewer | undefined;

  constructor(
    private readonly worker: RunWorkerClient,
    private readonly secrets: SecretStore,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.statusBar.name = 'Weft runs';
    this.statusBar.command = 'weft.cancel';
    this.updateStatusBar();
  }

  /** Set once by whoever shows runs (features.ts: the execution panel). */
  setRunViewer(viewer: RunViewer): void {
    this.viewer = viewer;
  }

  history(file: vscode.Uri): HistoryStore {
    const dir = historyDirFor(file);
    let store = this.histories.get(dir);
    if (!store) {
      store = HistoryStore.open({ dir, retentionPerFlow: vscode.workspace.getConfiguration('weft').get<number>('history.retentionPerFlow', 1000) });
      this.histories.set(dir, store);
    }
    return store;
  }

  /** The stored values of these secrets (the node inspector's Test this node reads them as a run does). */
  secretValues(names: readonly string[]): Promise<Record<string, string>> {
    return this.secrets.values(names);
  }

  activeRuns(): ActiveRun[] {
    return [...this.active.values()];
  }

  /** The run in progress with this run id or request id. */
  activeRun(id: string): ActiveRun | undefined {
    return this.active.get(id) ?? [...this.active.values()].find((run) => run.runId === id);
  }

  async lastRun(file: vscode.Uri, flowId: string): Promise<RunRecord | undefined> {
    const [latest] = await this.history(file).list({ flowId, mode: 'run', limit: 1 });
    return latest ? this.history(file).get(latest.id) : undefined;
  }

  /** The newest `limit` runs of the flow, newest first (records that cannot be read are left out). */
  async recentRuns(file: vscode.Uri, flowId: string, limit: number): Promise<RunRecord[]> {
    const history = this.history(file);
    const summaries = await history.list({ flowId, mode: 'run', limit });
    const records = await Promise.all(summaries.map((summary) => history.get(summary.id).catch(() => undefined)));
    return records.filter((record): record is RunRecord => record !== undefined);
  }

  /** The latest run of the flow in `file` (its id read from the text). */
  async lastRunOfFile(file: vscode.Uri): Promise<RunRecord | undefined> {
    const document = await vscode.workspace.openTextDocument(file);
    const { flowId } = outlineOf(document.getText(), file.path.endsWith('.json'));
    return flowId ? this.lastRun(file, flowId) : undefined;
  }

  /** Runs the flow in `file`. Resolves with the record, or undefined when the user stopped before it ran. */
  async run(file: vscode.Uri, options: RunOptions = {}): Promise<RunRecord | undefined> {
    let settle!: (run: ActiveRun | undefined) => void;
    const started = new Promise<ActiveRun | undefined>((resolve) => (settle = resolve));
    let announced = false;
    const announce = (): void => {
      if (announced) return;
      announced = true;
      this.willStart.fire({ file, started });
    };
    try {
      return await this.prepareAndRun(file, options, settle, announce);
    } finally {
      // A no-op once the run started.
      settle(undefined);
    }
  }

  private async prepareAndRun(
    file: vscode.Uri,
    options: RunOptions,
    onStarted: (run: ActiveRun) => void,
    announce: () => void = () => undefined,
  ): Promise<RunRecord | undefined> {
    const document = await vscode.workspace.openTextDocument(file);
    if (!mayAskForInput(options, document.getText())) announce();
    const compiled = await this.worker.compile(file.fsPath).catch(() => undefined);
    const flowName = compiled?.flowId ?? basename(file.fsPath);
    const errors = compiled?.diagnostics.filter((d) => d.severity === 'error') ?? [];
    // A kept version is run as it was, whatever the file on disk holds now.
    if (!document.isDirty && options.text === undefined && errors.length > 0) {
      // The Problems view lists the errors at their places; the status bar says why nothing ran, until fixed.
      this.compileFailure.show(file, errors[0].message, errors.length);
      this.log.error(`${basename(file.fsPath)} does not compile: ${errors[0].message}`);
      return undefined;
    }
    this.compileFailure.clear(file);

    const secretNames = compiled?.secretNames ?? [];
    const secrets = await this.secrets.values(secretNames);
    const missing = secretNames.filter((name) => secrets[name] === undefined && process.env[name] === undefined);
    if (missing.length > 0) {
      const choice = await vscode.window.showWarningMessage(
        `${flowName} reads ${missing.length === 1 ? 'the secret' : 'secrets'} ${missing.map((m) => `'${m}'`).join(', ')}, not set.`,
        { modal: false },
        'Set Secret',
        'Run Anyway',
      );
      if (choice === 'Set Secret') {
        await vscode.commands.executeCommand('weft.setSecret', missing[0]);
        return undefined;
      }
      if (choice !== 'Run Anyway') return undefined;
    }

    let input = options.input;
    const previous = compiled?.flowId ? await this.lastRun(file, compiled.flowId).catch(() => undefined) : undefined;
    if (input === undefined && options.resumeFrom === undefined && compiled?.inputs && Object.keys(compiled.inputs).length > 0) {
      input = await askForInput(flowName, compiled.inputs, previous?.input, { file, testInputs: compiled.testInputs, log: this.log });
      if (input === undefined) return undefined;
    }

    announce();
    const config = vscode.workspace.getConfiguration('weft');
    const aiBaseUrl = config.get<string>('ai.baseUrl') || undefined;
    const { requestId, done } = this.worker.run(
      {
        file: file.fsPath,
        text: options.text ?? (document.isDirty && file.path.endsWith('.json') ? document.getText() : undefined),
        input,
        secrets,
        historyDir: historyDirFor(file),
        resumeFrom: options.resumeFrom,
        rerunFrom: options.rerunFrom,
        aiBaseUrl,
        timeoutMs: config.get<number>('run.defaultTimeoutMs'),
      },
      (events) => this.onEvents(requestId, events),
    );
    const activeRun: ActiveRun = { requestId, file, flowName, startedAt: Date.now(), events: [] };
    this.active.set(requestId, activeRun);
    this.updateStatusBar();
    onStarted(activeRun);
    this.started.fire(activeRun);
    this.log.info(`▶ ${flowName}${options.rerunFrom ? ` from ${options.rerunFrom}` : options.resumeFrom ? ` (resumes ${options.resumeFrom})` : ''}`);

    // The text this run compiles (a .flow.json), kept under its hash once the run ends: a run opened later is then
    // shown against the version it ran (flowVersionAtRun.ts).
    const ranText = options.text ?? (file.path.endsWith('.json') ? document.getText() : undefined);
    try {
      const record = await done;
      this.finish(activeRun, record);
      if (ranText !== undefined) {
        keepFlowVersion(historyDirFor(file), record.flowHash, ranText).catch((error: unknown) => this.log.warn(`Could not keep the flow's version: ${String(error)}`));
      }
      return record;
    } catch (error) {
      this.active.delete(requestId);
      this.updateStatusBar();
      const message = (error as Error).message;
      this.log.error(`${flowName}: ${message}`);
      if (error instanceof RunWorkerError && error.code === 'invalid-input') {
        const choice = await vscode.window.showErrorMessage(`${flowName}: ${message}`, 'Edit Input');
        if (choice) return this.prepareAndRun(file, { ...options, input: undefined }, onStarted);
      } else if (error instanceof RunWorkerError && error.code === 'cancelled') {
        await this.markCancelled(activeRun);
        void vscode.window.showWarningMessage(`${flowName}: ${message}`);
      } else {
        void vscode.window.showErrorMessage(`${flowName}: ${message}`);
      }
      this.changed.fire({ file, requestId, events: [] });
      return undefined;
    }
  }

  /** Cancels a run: picks one when several are running. */
  async cancel(requestId?: string): Promise<void> {
    const runs = this.activeRuns();
    let target = requestId ? this.active.get(requestId) : runs.length === 1 ? runs[0] : undefined;
    if (!target && runs.length > 1) {
      const chosen = await vscode.window.showQuickPick(
        runs.map((r) => ({ label: r.flowName, description: `running for ${shortDuration(Date.now() - r.startedAt)}`, run: r })),
        { title: 'Cancel which run?' },
      );
      target = chosen?.run;
    }
    if (!target) {
      if (runs.length === 0) void vscode.window.showInformationMessage('No Weft run is in progress.');
      return;
    }
    this.log.info(`Cancelling ${target.flowName}…`);
    await (target.server ? target.server.cancel() : this.worker.cancel(target.requestId));
  }

  /**
   * Follows a run a `weft serve` executes, from its event stream: its events go to the execution panel and the
   * canvas exactly as the editor's own runs' do (onDidChangeRun). Returns the run already followed, if any.
   */
  followServerRun(file: vscode.Uri, flowName: string, executionId: string, cancel: () => Promise<void>): ActiveRun {
    const requestId = serverRequestId(executionId);
    const known = this.active.get(requestId);
    if (known) return known;
    const run: ActiveRun = { requestId, file, flowName, startedAt: Date.now(), events: [], runId: executionId, server: { cancel } };
    this.active.set(requestId, run);
    this.followed.fire(run);
    return run;
  }

  /** Events of a followed server run, in order (the stream's order is the run's). */
  serverRunEvents(executionId: string, events: EngineEvent[]): void {
    const run = this.active.get(serverRequestId(executionId));
    if (run) this.deliver(run, events);
  }

  /** A followed server run ended: `record` is its record when it could be read (else the views read history). */
  endServerRun(executionId: string, record?: RunRecord): void {
    const run = this.active.get(serverRequestId(executionId));
    if (!run) return;
    this.active.delete(run.requestId);
    this.changed.fire({ file: run.file, requestId: run.requestId, events: [], record });
  }

  private onEvents(requestId: string, events: EngineEvent[]): void {
    const run = this.active.get(requestId);
    if (!run) return;
    this.deliver(run, events);
    for (const event of events) {
      if (event.type === 'node.failed') this.log.warn(`  ✗ ${event.nodeId}: ${event.error.message}${event.errorHandled ? ' (handled)' : ''}`);
      else if (event.type === 'node.completed') this.log.info(`  ✓ ${event.nodeId} ${shortDuration(event.durationMs)}`);
      else if (event.type === 'node.retrying') this.log.warn(`  ↻ ${event.nodeId} attempt ${event.attempt} in ${shortDuration(event.delayMs)}: ${event.error.message}`);
      else if (event.type === 'node.log') this.log.info(`  ${event.nodeId}: ${event.message}`);
    }
  }

  private deliver(run: ActiveRun, events: EngineEvent[]): void {
    run.events.push(...events);
    if (run.runId === undefined) run.runId = events.find((e) => e.type === 'execution.started')?.executionId;
    this.changed.fire({ file: run.file, requestId: run.requestId, events });
  }

  private finish(run: ActiveRun, record: RunRecord): void {
    this.active.delete(run.requestId);
    this.updateStatusBar();
    const summary = `${run.flowName} ${record.status} in ${shortDuration(record.durationMs)}`;
    this.changed.fire({ file: run.file, requestId: run.requestId, events: [], record });
    const open = 'Open Run';
    // The panel on screen already says how the run ended (a failure with its error, its card open, and a
    // diagnostic in the file): a toast would only repeat it, over the panel's Log. The Weft log has it either way.
    const shown = this.viewer?.isShowing(run.requestId) === true;
    if (record.status === 'completed') {
      this.log.info(summary);
      if (shown) return;
      void vscode.window.showInformationMessage(summary, open).then((c) => c && this.openRun(run.file, record.id));
    } else {
      const detail = record.error ? `: ${record.error.nodeId ? `${record.error.nodeId}: ` : ''}${record.error.message}` : '';
      this.log.error(summary + detail);
      if (shown) return;
      const show = record.status === 'cancelled' ? vscode.window.showWarningMessage : vscode.window.showErrorMessage;
      void show(summary + detail, open).then((c) => c && this.openRun(run.file, record.id));
    }
  }

  /** A run whose worker had to be killed: its record is still `running` on disk; say it was cancelled. */
  private async markCancelled(run: ActiveRun): Promise<void> {
    const started = run.events.find((e) => e.type === 'execution.started');
    if (!started) return;
    const history = this.history(run.file);
    const record = await history.get(started.executionId).catch(() => undefined);
    if (!record || record.status !== 'running') return;
    record.status = 'cancelled';
    record.finishedAt = new Date().toISOString();
    record.durationMs = Date.now() - Date.parse(record.startedAt);
    record.error = { message: 'Cancelled; the node did not stop, so its process was ended.', code: 'cancelled' };
    for (const node of Object.values(record.nodes)) if (node.status === 'running' || node.status === 'pending') node.status = 'cancelled';
    await history.save(record);
    await history.flush();
  }

  openRun(file: vscode.Uri, runId: string): void {
    void vscode.commands.executeCommand('weft.showRun', file, runId);
  }

  private updateStatusBar(): void {
    const own = [...this.active.values()].filter((run) => !run.server);
    const count = own.length;
    void vscode.commands.executeCommand('setContext', 'weft.runInProgress', count > 0);
    if (count === 0) {
      this.statusBar.hide();
      return;
    }
    const only = count === 1 ? own[0] : undefined;
    this.statusBar.text = `$(sync~spin) Weft: ${only ? only.flowName : `${count} runs`}`;
    this.statusBar.tooltip = `${count} flow run${count === 1 ? '' : 's'} in progress. Click to cancel.`;
    this.statusBar.accessibilityInformation = { label: `${count} Weft run${count === 1 ? '' : 's'} in progress`, role: 'button' };
    this.statusBar.show();
  }

  dispose(): void {
    this.statusBar.dispose();
    this.compileFailure.dispose();
    this.changed.dispose();
    this.started.dispose();
    this.willStart.dispose();
    this.followed.dispose();
    for (const store of this.histories.values()) void store.close();
  }
}

/**
 * Whether Run may show the input form: not for a re-run (its input is given) or a resume, nor for a flow whose text
 * declares no `inputs` (a word search, not a parse: a false "maybe" only opens the panel after the form instead
 * of at once).
 */
export function mayAskForInput(options: RunOptions, text: string): boolean {
  if (options.input !== undefined || options.resumeFrom !== undefined) return false;
  return /["']?\binputs\b["']?\s*:/.test(text);
}

/** A server run's id among the editor's request ids (which the run worker makes): never the same as one of those. */
function serverRequestId(executionId: string): string {
  return `server:${executionId}`;
}
