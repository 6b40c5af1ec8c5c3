// The run history panel's host side: one panel, reused, listing every run recorded in a workspace folder's
// `.weft/` (the scope's history directory, workspacePaths.ts). It sends all the summaries in one message and lets
// the webview filter them; it opens, re-runs and deletes runs through the same commands as the quick pick
// (historyPicker.ts), and gives the webview two records to compare. The list is sent again when the page loads
// (after hide/show or a reload: the page keeps only UI state) and when a run of this history ends.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { WeftError } from '../../engine/errors';
import type { RunSummary } from '../../engine/history/runSummary';
import type { RunRecord } from '../../engine/run/runRecord';
import { readInvocationLogs } from '../../live/invocationLog';
import {
  historyInbound,
  type HistoryInbound,
  type HistoryNotifications,
  type HistoryReplies,
  type HistoryScope,
  type HistoryUiState,
  type RunPair,
} from '../../protocol/historyProtocol';
import { outlineOf } from '../flowOutline';
import type { RunController } from '../runController';
import { historyDirFor, isFlowFile } from '../workspacePaths';
import { WebviewChannel, type InboundHandlers } from './webviewChannel';
import { bindPanelLifetime } from './panelLifetime';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Runs that end close together (a test run, a burst of webhooks) cause one list, not one each. */
const REFRESH_DELAY_MS = 250;

export class HistoryPanelManager implements vscode.Disposable {
  static readonly viewType = 'weft.history';

  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<HistoryInbound, HistoryNotifications> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  /** The flow file or folder the panel shows the history of. */
  private scope: vscode.Uri | undefined;
  /** The page has said `ready` since it last (re)loaded: notifications reach it. */
  private pageReady = false;
  /** A flow filter asked for by show(), not yet delivered (the page was loading). */
  private pendingFlowFilter: { flowId: string | undefined } | undefined;
  /** The last list sent, by id: which flow file a run belongs to. */
  private summaries = new Map<string, RunSummary>();
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunController,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(
      runs.onDidChangeRun((change) => {
        // `record` is set once, when the run has ended (and its record is saved).
        if (change.record && this.scope && historyDirFor(change.file) === historyDirFor(this.scope)) this.scheduleRefresh();
      }),
    );
  }

  /** Opens (or reveals) the panel on the history of `scope`; `flowId` preselects that flow, else every flow shows. */
  async show(scope: vscode.Uri, flowId?: string): Promise<void> {
    const previousDir = this.scope ? historyDirFor(this.scope) : undefined;
    this.scope = scope;
    this.pendingFlowFilter = { flowId: flowId ?? (await flowIdOf(scope)) };
    if (this.panel) {
      this.panel.title = this.title();
      this.panel.reveal();
      if (this.pageReady) {
        this.deliverFlowFilter();
        if (previousDir !== historyDirFor(scope)) await this.sendRuns();
      }
      return;
    }
    const panel = vscode.window.createWebviewPanel(HistoryPanelManager.viewType, this.title(), vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    this.attach(panel);
  }

  /** For the WebviewPanelSerializer: takes over a panel VS Code restored, on the scope its UI state names. */
  async restore(panel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const saved = (state ?? {}) as Partial<HistoryUiState>;
    let scope: vscode.Uri | undefined;
    try {
      if (typeof saved.scope?.uri === 'string') scope = vscode.Uri.parse(saved.scope.uri, true);
    } catch {
      scope = undefined;
    }
    scope ??= vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!scope) {
      // No folder to read a history from: a blank panel would only confuse.
      panel.dispose();
      return;
    }
    if (this.panel && this.panel !== panel) this.panel.dispose();
    this.scope = scope;
    // The page's own filters are restored from its state; nothing is preselected.
    this.pendingFlowFilter = undefined;
    panel.title = this.title();
    this.attach(panel);
  }

  private attach(panel: vscode.WebviewPanel): void {
    this.panel = panel;
    this.pageReady = false;
    panel.webview.options = webviewOptions(this.extensionUri);
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'history', this.title());
    const handlers: InboundHandlers<HistoryInbound> = {
      ready: async () => {
        this.pageReady = true;
        this.deliverFlowFilter();
        await this.sendRuns();
      },
      refresh: () => this.sendRuns(),
      openRun: async ({ runId }) => {
        await vscode.commands.executeCommand('weft.showRun', await this.flowFileOf(runId), runId);
      },
      rerun: async ({ runId }) => {
        await vscode.commands.executeCommand('weft.rerun', await this.flowFileOf(runId), runId);
      },
      versionAction: async ({ runId, action }) => {
        const command = { open: 'weft.openRunVersion', diff: 'weft.diffRunVersion', run: 'weft.runRunVersion' }[action];
        await vscode.commands.executeCommand(command, await this.flowFileOf(runId), runId);
      },
      deleteRuns: ({ runIds }) => this.deleteRuns(runIds),
      getRunPair: ({ a, b }) => this.runPair(a, b),
      openInsights: async ({ flowId }) => {
        const run = [...this.summaries.values()].find((summary) => summary.flowId === flowId && summary.flowFile !== undefined);
        if (!run?.flowFile) return void vscode.window.showInformationMessage(`No run of ${flowId} says which file it came from: open the flow and use its Insights CodeLens.`);
        await vscode.commands.executeCommand('weft.openInsights', vscode.Uri.file(run.flowFile));
      },
    };
    const channel = new WebviewChannel(panel.webview, historyInbound, handlers, this.log);
    this.channel = channel;
    bindPanelLifetime(panel, () => this.panel === panel, [channel], {
      hidden: () => (this.pageReady = false),
      disposed: () => {
        this.panel = undefined;
        this.channel = undefined;
        this.pageReady = false;
        this.summaries.clear();
      },
    });
  }

  private history(): ReturnType<RunController['history']> {
    if (!this.scope) throw new WeftError('usage', 'The run history panel has no folder to read.');
    return this.runs.history(this.scope);
  }

  /** Sends every summary of the scope's history, newest first. */
  private async sendRuns(): Promise<void> {
    const channel = this.channel;
    const scope = this.scope;
    if (!channel || !scope) return;
    const history = this.runs.history(scope);
    // Runs whose process died mid-run (a CLI run killed, a crashed worker) show as interrupted, not running.
    await history.recoverInterrupted().catch((error: unknown) => this.log.warn(`Could not recover interrupted runs: ${String(error)}`));
    const list = await history.list();
    this.summaries = new Map(list.map((run) => [run.id, run]));
    await channel.notify('didChangeRuns', { scope: this.scopeInfo(scope), runs: list, invocations: await readInvocationLogs(history.dir) });
  }

  private deliverFlowFilter(): void {
    if (!this.pendingFlowFilter || !this.channel) return;
    void this.channel.notify('didChangeFlowFilter', this.pendingFlowFilter);
    this.pendingFlowFilter = undefined;
  }

  private scheduleRefresh(): void {
    if (!this.panel?.visible || !this.pageReady) return;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.sendRuns().catch((error: unknown) => this.log.error(`Could not refresh the run history: ${String(error)}`));
    }, REFRESH_DELAY_MS);
  }

  private async deleteRuns(runIds: string[]): Promise<HistoryReplies['deleteRuns']> {
    const ids = [...new Set(runIds)];
    const only = ids.length === 1 ? this.summaries.get(ids[0]) : undefined;
    const question =
      ids.length === 1 ? `Delete run ${ids[0]}${only ? ` of ${only.flowId}` : ''}?` : `Delete ${ids.length.toLocaleString('en-US')} runs?`;
    const choice = await vscode.window.showWarningMessage(
      question,
      { modal: true, detail: 'Their records are removed from the run history. This cannot be undone.' },
      'Delete',
    );
    if (choice !== 'Delete') return { deleted: [] };
    const history = this.history();
    const deleted: string[] = [];
    const failures: string[] = [];
    for (const id of ids) {
      try {
        if (await history.delete(id)) deleted.push(id);
      } catch (error) {
        failures.push(`${id}: ${(error as Error).message}`);
      }
    }
    if (failures.length > 0) {
      this.log.error(`Could not delete ${failures.length} run(s):\n  ${failures.join('\n  ')}`);
      void vscode.window.showErrorMessage(`Could not delete ${failures.length} of ${ids.length} runs. See the Weft log.`);
    }
    await this.sendRuns();
    return { deleted };
  }

  private async runPair(a: string, b: string): Promise<RunPair> {
    const history = this.history();
    const [recordA, recordB] = await Promise.all([history.get(a), history.get(b)]);
    if (!recordA) throw new WeftError('not-found', `Run ${a} is no longer in the history.`);
    if (!recordB) throw new WeftError('not-found', `Run ${b} is no longer in the history.`);
    const flowOrder = (await nodeOrderOf(recordB)) ?? (await nodeOrderOf(recordA));
    return flowOrder ? { a: recordA, b: recordB, flowOrder } : { a: recordA, b: recordB };
  }

  /** The flow file of a run, for the commands that take one; the scope when the run does not name it. */
  private async flowFileOf(runId: string): Promise<vscode.Uri> {
    const scope = this.scope;
    if (!scope) throw new WeftError('usage', 'The run history panel has no folder to read.');
    const flowFile = this.summaries.get(runId)?.flowFile ?? (await this.runs.history(scope).get(runId))?.flowFile;
    return flowFile ? vscode.Uri.file(flowFile) : scope;
  }

  private scopeInfo(scope: vscode.Uri): HistoryScope {
    const folder = vscode.workspace.getWorkspaceFolder(scope);
    return { uri: scope.toString(), label: folder ? folder.name : basename(scope.fsPath) };
  }

  private title(): string {
    const folders = vscode.workspace.workspaceFolders ?? [];
    const folder = this.scope ? vscode.workspace.getWorkspaceFolder(this.scope) : undefined;
    // The folder is named only when there are several to tell apart.
    return folders.length > 1 && folder ? `Run History: ${folder.name}` : 'Weft Run History';
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.panel?.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}

/** The id of the flow in `scope` when it is a flow file (read from its text; no user code runs). */
async function flowIdOf(scope: vscode.Uri): Promise<string | undefined> {
  if (!isFlowFile(scope)) return undefined;
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(scope));
    return outlineOf(text, scope.path.endsWith('.json')).flowId;
  } catch {
    return undefined;
  }
}

/** The node ids of the run's flow file as it is now, in file order; undefined when it cannot be read. */
async function nodeOrderOf(record: RunRecord): Promise<string[] | undefined> {
  if (!record.flowFile) return undefined;
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(vscode.Uri.file(record.flowFile)));
    const ids = outlineOf(text, record.flowFile.endsWith('.json')).nodes.map((node) => node.id);
    return ids.length > 0 ? ids : undefined;
  } catch {
    return undefined;
  }
}
