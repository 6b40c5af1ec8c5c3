// The Live Runs view (in the Weft view container): the runs of the watched server as they arrive, newest first,
// each with its status (a codicon in the theme's test colours), flow, trigger and duration. Enter or a click
// opens the run in the execution panel (weft.openLiveRun). Refreshes are coalesced, and a running run's duration
// ticks once a second while one runs. The tree view itself is registered at activation (extension.ts) and asks
// this provider on first show; `changed` is its emitter, owned there.

import * as vscode from 'vscode';
import type { RunStatus } from '../../engine/run/runRecord';
import { describeDuration } from '../../shared/describeTime';
import type { LiveRunItem, LiveRunList } from './liveRunList';

const REFRESH_MS = 100;
const TICK_MS = 1000;

const STATUS_ICONS: Record<RunStatus, { icon: string; color: string }> = {
  running: { icon: 'sync~spin', color: 'testing.iconQueued' },
  completed: { icon: 'pass', color: 'testing.iconPassed' },
  failed: { icon: 'error', color: 'testing.iconFailed' },
  cancelled: { icon: 'circle-slash', color: 'testing.iconSkipped' },
  interrupted: { icon: 'debug-pause', color: 'testing.iconErrored' },
};

export class LiveRunsView implements vscode.Disposable {
  private refreshTimer: ReturnType<typeof setTimeout> | undefined;
  private ticker: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly runs: LiveRunList,
    private readonly changed: { fire(): void },
  ) {}

  /** Redraws soon (many events in a burst make one redraw). */
  refresh(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => {
      this.refreshTimer = undefined;
      this.changed.fire();
      this.keepTicking();
    }, REFRESH_MS);
  }

  getChildren(element?: LiveRunItem): LiveRunItem[] {
    return element ? [] : this.runs.list();
  }

  getTreeItem(run: LiveRunItem): vscode.TreeItem {
    const item = new vscode.TreeItem(run.flowId, vscode.TreeItemCollapsibleState.None);
    const duration = run.durationMs !== undefined ? describeDuration(run.durationMs) : run.status === 'running' ? describeDuration(Math.max(0, Date.now() - run.startedAt)) : '';
    item.id = run.executionId;
    item.description = [run.triggerType, duration].filter(Boolean).join(' · ');
    const { icon, color } = STATUS_ICONS[run.status] ?? STATUS_ICONS.interrupted;
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    const started = new Date(run.startedAt).toLocaleTimeString();
    item.tooltip = new vscode.MarkdownString(
      [`**${run.flowId}**: ${run.status}`, `Trigger: ${run.triggerType}`, `Started ${started}${duration ? `, ${duration}` : ''}`, `Run \`${run.executionId}\``, run.error ? `Error: ${run.error}` : '']
        .filter(Boolean)
        .join('\n\n'),
    );
    item.accessibilityInformation = { label: `${run.flowId}, ${run.status}, ${run.triggerType} trigger${duration ? `, ${duration}` : ''}` };
    item.contextValue = `weft.liveRun.${run.status}`;
    item.command = { command: 'weft.openLiveRun', title: 'Open Run', arguments: [run.executionId] };
    return item;
  }

  /** A running run's duration goes on counting in the view while any runs. */
  private keepTicking(): void {
    const anyRunning = this.runs.list().some((run) => run.status === 'running');
    if (anyRunning && !this.ticker) this.ticker = setInterval(() => this.changed.fire(), TICK_MS);
    if (!anyRunning && this.ticker) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }

  dispose(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    if (this.ticker) clearInterval(this.ticker);
  }
}
