// The editor as a live monitor (issue 11): it watches a `weft serve`'s event stream, the editor's own (live mode's
// child process, on loopback, no token) or the one `weft.live.serverUrl` names (its token from SecretStorage), and
// - lists the runs in the Live Runs view as they arrive (LiveRunList, LiveRunsView);
// - hands each run's events to the RunController as a followed server run, so the execution panel and the canvas
//   show webhook and schedule runs live exactly as they show the editor's own (one path, one projection);
// - shows the connection in the status bar: connected, reconnecting (with when), disconnected;
// - shows the server's open circuit breakers beside it (OpenCircuits, CircuitStatusItem): from its status on
//   connecting, then from the circuit.opened / circuit.closed events.
// A `stream.reset` (events were missed) reloads the list from the run API and ends the followed runs that ended.

import { existsSync } from 'node:fs';
import * as vscode from 'vscode';
import { readFlowText } from '../readFlowText';
import type { EngineEvent } from '../../engine/run/events';
import type { RunRecord } from '../../engine/run/runRecord';
import { outlineOf } from '../flowOutline';
import type { LiveController } from '../liveController';
import type { RunController } from '../runController';
import type { SecretStore } from '../secretStore';
import type { ExecutionPanelManager } from '../webviews/executionPanel';
import { CircuitStatusItem } from './circuitStatusItem';
import { LiveEventClient, type ConnectionState, type StreamEvent } from './liveEventClient';
import { LIVE_RUNS_KEPT, LiveRunList } from './liveRunList';
import { LiveRunsView } from './liveRunsView';
import { OpenCircuits } from './openCircuits';
import { RunApiClient } from './runApiClient';

/** A run's record may reach the server's history a moment after its last event: read it again this many times. */
const RECORD_READS = 4;
const RECORD_RETRY_MS = 250;

interface Target {
  serverUrl: string;
  token?: string;
  /** Set by `weft.live.serverUrl`; otherwise the editor's own serve. */
  remote: boolean;
}

/** What the monitor knows of a run beyond the list: where its flow is, and whether it is followed. */
interface Followed {
  file?: vscode.Uri;
  /** The events that came before the flow file was known. */
  waiting: EngineEvent[];
  ended: boolean;
}

export class LiveMonitor implements vscode.Disposable {
  private client: LiveEventClient | undefined;
  private api: RunApiClient | undefined;
  private target: Target | undefined;
  private readonly list = new LiveRunList(LIVE_RUNS_KEPT);
  private readonly followed = new Map<string, Followed>();
  /** Flow id → the workspace's file with that id, for runs of a remote server (whose paths are not ours). */
  private flowFiles = new Map<string, vscode.Uri>();
  readonly view: LiveRunsView;
  private readonly statusBar = vscode.window.createStatusBarItem('weft.liveConnection', vscode.StatusBarAlignment.Left, 8);
  private readonly disposables: vscode.Disposable[] = [];
  private countdown: ReturnType<typeof setInterval> | undefined;
  private generation = 0;
  private readonly openCircuits = new OpenCircuits();
  private readonly circuitItem = new CircuitStatusItem();
  /** Redraws the circuits' tooltip when the soonest retry time passes ("the next call probes it"). */
  private circuitTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly runs: RunController,
    private readonly live: LiveController,
    private readonly secrets: SecretStore,
    private readonly execution: ExecutionPanelManager,
    private readonly log: vscode.LogOutputChannel,
    liveRunsChanged: { fire(): void },
  ) {
    this.view = new LiveRunsView(this.list, liveRunsChanged);
    this.statusBar.name = 'Weft live events';
    this.statusBar.command = 'weft.liveConnectionMenu';
    this.disposables.push(
      this.view,
      live.onDidChange(() => void this.reconfigure()),
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('weft.live.serverUrl')) void this.reconfigure();
      }),
      secrets.onDidChangeLiveServerToken(() => void this.reconfigure(true)),
    );
  }

  /** Connects to whatever the settings and live mode say now (nothing when there is nothing to watch). */
  async reconfigure(force = false): Promise<void> {
    const generation = ++this.generation;
    const target = await this.currentTarget();
    if (generation !== this.generation) return;
    if (!force && sameTarget(target, this.target) && this.client) return;
    this.disconnect('the server changed');
    this.target = target;
    this.list.clear();
    this.view.refresh();
    this.openCircuits.clear();
    this.showCircuits();
    if (!target) {
      this.updateStatusBar(undefined);
      return;
    }
    if (target.remote) this.flowFiles = await indexFlowFiles();
    if (generation !== this.generation) return;
    this.api = new RunApiClient(target.serverUrl, target.token);
    this.client = new LiveEventClient({
      serverUrl: target.serverUrl,
      token: target.token,
      onEvent: (event) => this.onEvent(event),
      onReset: () => void this.reload('the server could not replay what was missed'),
      onState: (state) => this.onState(state),
      onProblem: (message) => this.log.warn(`Live events: ${message}`),
    });
    this.log.info(`Live events: watching ${target.serverUrl}${target.remote ? '' : " (this editor's live mode)"}`);
    this.client.start();
    void this.reload();
  }

  /** The status bar's and the palette's "reconnect": now, without waiting for the backoff. */
  reconnect(): void {
    if (!this.client) {
      void this.reconfigure(true);
      return;
    }
    this.client.reconnectNow();
  }

  connectionState(): ConnectionState | undefined {
    return this.client?.state;
  }

  describeTarget(): string | undefined {
    return this.target?.serverUrl;
  }

  /** Opens a run of the list: live in the panel while it runs, else its record. */
  async openRun(executionId: string): Promise<void> {
    const item = this.list.get(executionId);
    const followed = this.followed.get(executionId);
    const file = followed?.file ?? (item ? this.fileOf(item.flowId) : undefined);
    const active = this.runs.activeRun(executionId);
    if (active) {
      await this.execution.showRun(active.file, executionId);
      return;
    }
    const record = await this.readRecord(executionId, file, 1);
    if (!file) {
      const text = record ? JSON.stringify(record, null, 2) : `Run ${executionId} could not be read from ${this.target?.serverUrl ?? 'the server'}.`;
      const document = await vscode.workspace.openTextDocument({ language: record ? 'json' : 'plaintext', content: text });
      await vscode.window.showTextDocument(document, { preview: true });
      void vscode.window.showInformationMessage(`No flow file in this workspace has the id '${item?.flowId ?? '?'}': the run is shown as JSON.`);
      return;
    }
    if (record) this.execution.showRecord(file, record);
    else await this.execution.showRun(file, executionId);
  }

  private async currentTarget(): Promise<Target | undefined> {
    const configured = vscode.workspace.getConfiguration('weft').get<string>('live.serverUrl', '').trim();
    if (configured) return { serverUrl: configured, token: (await this.secrets.liveServerToken()) || undefined, remote: true };
    const own = this.live.baseUrl();
    return own ? { serverUrl: own, remote: false } : undefined;
  }

  private onEvent(event: StreamEvent): void {
    if (this.list.apply(event)) this.view.refresh();
    if (this.openCircuits.apply(event)) this.showCircuits();
    const { cursor: _cursor, ...engineEvent } = event;
    this.follow(event.executionId, engineEvent as EngineEvent, event.flowId);
  }

  /** Passes a run's event on to the RunController, once its flow file is known. */
  private follow(executionId: string, event: EngineEvent, flowId: string | undefined): void {
    let followed = this.followed.get(executionId);
    if (!followed) {
      const file = event.type === 'execution.started' ? this.fileOfRun(event.flowId, event.flowFile) : flowId ? this.fileOf(flowId) : undefined;
      followed = { file, waiting: [], ended: false };
      this.followed.set(executionId, followed);
      this.trimFollowed();
      const api = this.api;
      if (file) this.runs.followServerRun(file, this.list.get(executionId)?.flowId ?? flowId ?? executionId, executionId, () => api?.cancel(executionId) ?? Promise.resolve());
    }
    if (!followed.file || followed.ended) return;
    this.runs.serverRunEvents(executionId, [event]);
    if (event.type === 'execution.completed' || event.type === 'execution.failed' || event.type === 'execution.cancelled') {
      followed.ended = true;
      void this.end(executionId, followed.file);
    }
  }

  private async end(executionId: string, file: vscode.Uri): Promise<void> {
    const record = await this.readRecord(executionId, file, RECORD_READS);
    this.runs.endServerRun(executionId, record);
    // The editor's own serve: its flows' "last live run failed" marks (CodeLens, status bar) follow at once.
    if (!this.target?.remote) await this.live.refreshStatus().catch(() => undefined);
  }

  /** The run's record from the server's run API, else from this workspace's history (the editor's own serve). */
  private async readRecord(executionId: string, file: vscode.Uri | undefined, reads: number): Promise<RunRecord | undefined> {
    for (let read = 1; read <= reads; read++) {
      const fromApi = await this.api?.record(executionId).catch(() => undefined);
      if (fromApi?.status && fromApi.status !== 'running') return fromApi;
      const fromHistory = file && !this.target?.remote ? await this.runs.history(file).get(executionId).catch(() => undefined) : undefined;
      if (fromHistory && fromHistory.status !== 'running') return fromHistory;
      if (read < reads) await new Promise((resolve) => setTimeout(resolve, RECORD_RETRY_MS * read));
      else return fromApi ?? fromHistory;
    }
    return undefined;
  }

  /** Fills the list from the run API (on connecting, and after a reset), and ends followed runs that ended. */
  private async reload(why?: string): Promise<void> {
    const api = this.api;
    if (!api) return;
    if (why) this.log.info(`Live events: reloading runs (${why}).`);
    try {
      const runs = await api.recentRuns(LIVE_RUNS_KEPT);
      if (api !== this.api) return;
      this.list.replace(runs);
      this.view.refresh();
    } catch (error) {
      this.log.warn(`Live events: the runs could not be listed: ${(error as Error).message}`);
    }
    try {
      const circuits = await api.circuits();
      if (api !== this.api) return;
      this.openCircuits.replace(circuits);
      this.showCircuits();
    } catch (error) {
      this.log.warn(`Live events: the circuit breakers could not be read: ${(error as Error).message}`);
    }
    for (const [executionId, followed] of this.followed) {
      if (followed.ended || !followed.file) continue;
      const record = await this.readRecord(executionId, followed.file, 1);
      if (record && record.status !== 'running') {
        followed.ended = true;
        this.runs.endServerRun(executionId, record);
      }
    }
  }

  private fileOfRun(flowId: string, flowFile: string | undefined): vscode.Uri | undefined {
    if (!this.target?.remote && flowFile && existsSync(flowFile)) return vscode.Uri.file(flowFile);
    return this.fileOf(flowId);
  }

  private fileOf(flowId: string): vscode.Uri | undefined {
    const known = this.flowFiles.get(flowId);
    if (known) return known;
    if (this.target?.remote) return undefined;
    const served = this.live.liveStatus()?.flows.find((flow) => flow.id === flowId)?.file;
    return served ? vscode.Uri.file(served) : undefined;
  }

  /** Runs whose end never came (a reset, a server gone) are not kept for ever. */
  private trimFollowed(): void {
    if (this.followed.size <= LIVE_RUNS_KEPT * 2) return;
    for (const [executionId, followed] of this.followed) {
      if (this.followed.size <= LIVE_RUNS_KEPT) break;
      if (!followed.ended) this.runs.endServerRun(executionId);
      this.followed.delete(executionId);
    }
  }

  private showCircuits(): void {
    if (this.circuitTimer) clearTimeout(this.circuitTimer);
    this.circuitTimer = undefined;
    const open = this.openCircuits.list();
    const now = Date.now();
    this.circuitItem.show(open, this.target?.serverUrl ?? 'the server', now);
    const next = open.map((circuit) => Date.parse(circuit.retryAt ?? '')).find((time) => time > now);
    if (next !== undefined) this.circuitTimer = setTimeout(() => this.showCircuits(), next - now + 50);
  }

  private onState(state: ConnectionState): void {
    if (state.status === 'reconnecting') this.log.info(`Live events: connection lost (${state.reason}); next attempt in ${Math.round(state.delayMs / 100) / 10} s.`);
    else if (state.status === 'connected') this.log.info(`Live events: connected to ${this.target?.serverUrl}${state.since !== undefined ? `, resuming after ${state.since}` : ''}.`);
    else if (state.status === 'disconnected' && state.reason !== 'stopped') this.log.warn(`Live events: disconnected: ${state.reason}.`);
    this.updateStatusBar(state);
  }

  private disconnect(reason: string): void {
    this.client?.stop('stopped');
    this.client = undefined;
    this.api = undefined;
    for (const [executionId, followed] of this.followed) if (!followed.ended && followed.file) this.runs.endServerRun(executionId);
    this.followed.clear();
    if (this.target) this.log.info(`Live events: stopped watching ${this.target.serverUrl} (${reason}).`);
  }

  private updateStatusBar(state: ConnectionState | undefined): void {
    if (this.countdown) clearInterval(this.countdown);
    this.countdown = undefined;
    if (!state || !this.target) {
      this.statusBar.hide();
      return;
    }
    const where = this.target.serverUrl;
    const show = (icon: string, text: string, tooltip: string, warn: boolean): void => {
      this.statusBar.text = `$(${icon}) ${text}`;
      this.statusBar.tooltip = `${tooltip}\nClick for live event actions.`;
      this.statusBar.accessibilityInformation = { label: `Weft live events: ${text}`, role: 'button' };
      this.statusBar.backgroundColor = warn ? new vscode.ThemeColor('statusBarItem.warningBackground') : undefined;
      this.statusBar.show();
    };
    switch (state.status) {
      case 'connected':
        show('broadcast', 'Live', `Receiving live runs from ${where}.`, false);
        break;
      case 'connecting':
        show('sync~spin', 'Live: connecting…', `Connecting to ${where} (attempt ${state.attempt}).`, false);
        break;
      case 'reconnecting': {
        const render = (): void => {
          const seconds = Math.max(0, Math.ceil((state.retryAt - Date.now()) / 1000));
          show('debug-disconnect', `Live: reconnecting in ${seconds} s`, `Lost ${where}: ${state.reason}.\nAttempt ${state.attempt + 1} in ${seconds} s; missed runs are replayed.`, true);
        };
        render();
        this.countdown = setInterval(render, 1000);
        break;
      }
      case 'disconnected':
        show('circle-slash', 'Live: disconnected', `Not connected to ${where}: ${state.reason}.`, true);
        break;
    }
  }

  dispose(): void {
    this.generation++;
    this.disconnect('the editor closed');
    if (this.countdown) clearInterval(this.countdown);
    if (this.circuitTimer) clearTimeout(this.circuitTimer);
    this.statusBar.dispose();
    this.circuitItem.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

function sameTarget(a: Target | undefined, b: Target | undefined): boolean {
  return a?.serverUrl === b?.serverUrl && a?.token === b?.token && a?.remote === b?.remote;
}

/** Every flow file of the workspace by its id (read from its text; a .flow.ts is not run). */
async function indexFlowFiles(): Promise<Map<string, vscode.Uri>> {
  const files = await vscode.workspace.findFiles('**/*.flow.{json,ts}', '**/node_modules/**', 2000);
  const byId = new Map<string, vscode.Uri>();
  for (const file of files) {
    try {
      const text = await readFlowText(file);
      const { flowId } = outlineOf(text, file.path.endsWith('.json'));
      if (flowId && !byId.has(flowId)) byId.set(flowId, file);
    } catch {
      // An unreadable file is no flow of ours.
    }
  }
  return byId;
}
