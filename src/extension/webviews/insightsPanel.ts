// The Insights panel's host side: one panel, reused, showing one flow's figures over a window (24 h, 7 d, 30 d)
// from the history's stats rollup (engine/history/statsRollup.ts): a query reads a few small files, so the panel
// asks again whenever the window changes or a run of the flow ends. Decision accuracy comes from the feedback
// marked on the window's runs (historyFeedback), through a FeedbackSource that tests can replace.

import { basename } from 'node:path';
import { parse as parseJsonc } from 'jsonc-parser';
import * as vscode from 'vscode';
import { insightsInbound, windowMs, type DecisionAccuracy, type InsightsInbound, type InsightsNotifications, type InsightsWindow } from '../../protocol/insightsProtocol';
import { decisionAccuracy } from '../../engine/history/decisionAccuracy';
import { readFeedback } from '../../engine/history/readFeedback';
import type { RunController } from '../runController';
import { historyDirFor } from '../workspacePaths';
import { WebviewChannel, type InboundHandlers } from './webviewChannel';
import { bindPanelLifetime } from './panelLifetime';
import { webviewHtml, webviewOptions } from './webviewHtml';

/** Where decision accuracy comes from: feedback marked on runs (correct / incorrect) in a history directory. */
export interface FeedbackSource {
  accuracy(historyDir: string, query: { flowId: string; sinceMs: number }): Promise<DecisionAccuracy>;
}

/** The feedback marked in the history directory (`weft feedback`, the execution panel), on runs of the window. */
export const historyFeedback: FeedbackSource = {
  accuracy: async (historyDir, { flowId, sinceMs }) => decisionAccuracy(await readFeedback(historyDir, { flowId, since: sinceMs })),
};

/** Runs that end close together cause one query, not one each. */
const REFRESH_DELAY_MS = 300;

export class InsightsPanelManager implements vscode.Disposable {
  static readonly viewType = 'weft.insights';

  private panel: vscode.WebviewPanel | undefined;
  private channel: WebviewChannel<InsightsInbound, InsightsNotifications> | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];
  private file: vscode.Uri | undefined;
  private flowId: string | undefined;
  private flowLabel = '';
  private window: InsightsWindow = '7d';
  private pageReady = false;
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly runs: RunController,
    private readonly log: vscode.LogOutputChannel,
    private readonly feedback: FeedbackSource = historyFeedback,
  ) {
    this.subscriptions.push(
      runs.onDidChangeRun((change) => {
        if (change.record && this.file && change.record.flowId === this.flowId && historyDirFor(change.file) === historyDirFor(this.file)) this.scheduleRefresh();
      }),
    );
  }

  /** Opens (or reveals) the panel on the flow of `file`. */
  async show(file: vscode.Uri): Promise<void> {
    const { flowId, label } = await describeFlow(file);
    this.file = file;
    this.flowId = flowId;
    this.flowLabel = label;
    const title = `Insights: ${label}`;
    if (this.panel) {
      this.panel.title = title;
      this.panel.reveal();
      if (this.pageReady) await this.send();
      return;
    }
    const panel = vscode.window.createWebviewPanel(InsightsPanelManager.viewType, title, vscode.ViewColumn.Active, webviewOptions(this.extensionUri));
    this.panel = panel;
    this.pageReady = false;
    panel.webview.html = webviewHtml(panel.webview, this.extensionUri, 'insights', title);
    const handlers: InboundHandlers<InsightsInbound> = {
      ready: async ({ window }) => {
        this.pageReady = true;
        if (window) this.window = window;
        await this.send();
      },
      setWindow: async ({ window }) => {
        this.window = window;
        await this.send();
      },
      openHistory: async () => {
        if (this.file) await vscode.commands.executeCommand('weft.openHistory', this.file, this.flowId);
      },
    };
    const channel = new WebviewChannel(panel.webview, insightsInbound, handlers, this.log);
    this.channel = channel;
    bindPanelLifetime(panel, () => this.panel === panel, [channel], {
      hidden: () => (this.pageReady = false),
      disposed: () => {
        this.panel = undefined;
        this.channel = undefined;
        this.pageReady = false;
      },
    });
  }

  private scheduleRefresh(): void {
    if (!this.pageReady || this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      void this.send().catch((error: unknown) => this.log.error(`Insights: ${String(error)}`));
    }, REFRESH_DELAY_MS);
  }

  private async send(): Promise<void> {
    const channel = this.channel;
    const file = this.file;
    const flowId = this.flowId;
    if (!channel || !file || flowId === undefined) return;
    const untilMs = Date.now();
    const sinceMs = untilMs - windowMs(this.window);
    const window = this.window;
    const history = this.runs.history(file);
    const [report, accuracy] = await Promise.all([
      history.insights({ flowId, sinceMs, untilMs }),
      this.feedback.accuracy(historyDirFor(file), { flowId, sinceMs }).catch((): DecisionAccuracy => ({ state: 'none' })),
    ]);
    await channel.notify('didChangeInsights', {
      flowId,
      flowLabel: this.flowLabel,
      window,
      sinceMs,
      untilMs,
      stats: report.flows.find((flow) => flow.flowId === flowId),
      trend: report.trends[flowId] ?? [],
      stepMs: report.stepMs,
      accuracy,
    });
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    for (const subscription of this.subscriptions) subscription.dispose();
    this.panel?.dispose();
  }
}

/** The flow id and how to name it (its `name`, else its id), from the file as it is now. */
async function describeFlow(file: vscode.Uri): Promise<{ flowId: string; label: string }> {
  try {
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
    if (file.path.endsWith('.json')) {
      // Flow files are JSON with comments.
      const parsed = (parseJsonc(text) ?? {}) as { id?: unknown; name?: unknown };
      if (typeof parsed.id === 'string') return { flowId: parsed.id, label: typeof parsed.name === 'string' && parsed.name ? parsed.name : parsed.id };
    }
    const id = /\bid\s*:\s*['"`]([^'"`]+)['"`]/.exec(text)?.[1];
    if (id) return { flowId: id, label: id };
  } catch {
    // unreadable: named after the file below
  }
  const name = basename(file.path).replace(/\.flow\.(json|ts)$/, '');
  return { flowId: name, label: name };
}
