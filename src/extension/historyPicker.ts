// Run history as a quick pick: newest first, for one flow or the whole workspace; each row shows status, flow,
// trigger, start and duration. Enter opens the run; the row's buttons re-run it with the same input or resume it.

import * as vscode from 'vscode';
import type { RunSummary } from '../engine/history/runSummary';
import { describeAge, describeDuration as shortDuration } from '../shared/describeTime';
import type { RunController } from './runController';

const STATUS_ICON: Record<string, string> = {
  completed: '$(pass)',
  failed: '$(error)',
  cancelled: '$(circle-slash)',
  interrupted: '$(debug-pause)',
  running: '$(sync~spin)',
};

interface RunItem extends vscode.QuickPickItem {
  run: RunSummary;
}

export async function pickRun(runs: RunController, scope: vscode.Uri, flowId?: string): Promise<void> {
  const history = runs.history(scope);
  await history.recoverInterrupted().catch(() => []);
  const summaries = await history.list({ flowId, limit: 500 });
  if (summaries.length === 0) {
    void vscode.window.showInformationMessage(flowId ? `No runs of ${flowId} yet.` : 'No runs recorded in this workspace yet.');
    return;
  }
  const rerun: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-rerun'), tooltip: 'Re-run with the same input' };
  const resume: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('debug-continue'), tooltip: 'Resume (reuse completed nodes)' };
  const picker = vscode.window.createQuickPick<RunItem>();
  picker.title = flowId ? `Runs of ${flowId}` : 'Weft run history';
  picker.placeholder = 'Filter by flow, status, trigger or run id';
  picker.matchOnDescription = true;
  picker.matchOnDetail = true;
  picker.items = summaries.map((run) => ({
    label: `${STATUS_ICON[run.status] ?? ''} ${run.flowId}`,
    description: `${run.status} · ${run.triggerType} · ${describeAge(run.startedAt, Date.now())} · ${shortDuration(run.durationMs)}`,
    detail: `${run.id}${run.error ? ` — ${run.error}` : ''}`,
    buttons: run.status === 'completed' ? [rerun] : [rerun, resume],
    run,
  }));
  picker.onDidAccept(() => {
    const item = picker.selectedItems[0];
    picker.hide();
    if (item) runs.openRun(flowUri(scope, item.run), item.run.id);
  });
  picker.onDidTriggerItemButton(async ({ item, button }) => {
    picker.hide();
    const file = flowUri(scope, item.run);
    if (button === resume) await vscode.commands.executeCommand('weft.resume', file, item.run.id);
    else await vscode.commands.executeCommand('weft.rerun', file, item.run.id);
  });
  picker.onDidHide(() => picker.dispose());
  picker.show();
}

function flowUri(scope: vscode.Uri, run: RunSummary): vscode.Uri {
  return run.flowFile ? vscode.Uri.file(run.flowFile) : scope;
}
