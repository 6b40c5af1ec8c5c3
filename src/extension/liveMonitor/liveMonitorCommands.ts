// The live monitor's commands: the status bar's menu (reconnect, show the view, the log, the token), reconnect now,
// set the remote server's token (kept in SecretStorage), and open a run of the Live Runs view.

import * as vscode from 'vscode';
import type { CommandHandlers } from '../commands';
import type { SecretStore } from '../secretStore';
import type { LiveMonitor } from './liveMonitor';

export function liveMonitorCommandHandlers(monitor: LiveMonitor, secrets: SecretStore, log: vscode.LogOutputChannel): CommandHandlers {
  return {
    'weft.reconnectLive': () => monitor.reconnect(),
    'weft.openLiveRun': async (executionId?: unknown) => {
      if (typeof executionId === 'string') await monitor.openRun(executionId);
    },
    'weft.setLiveServerToken': async () => {
      const token = await vscode.window.showInputBox({
        title: 'Weft: Set Live Server Token',
        prompt: 'The WEFT_API_TOKEN of the server weft.live.serverUrl names (empty: remove it). Kept in VS Code secret storage.',
        password: true,
        ignoreFocusOut: true,
      });
      if (token === undefined) return;
      await secrets.setLiveServerToken(token.trim());
      void vscode.window.showInformationMessage(token.trim() ? 'The live server token is set; reconnecting.' : 'The live server token is removed.');
    },
    'weft.liveConnectionMenu': async () => {
      const state = monitor.connectionState();
      const where = monitor.describeTarget();
      const items: (vscode.QuickPickItem & { run: () => unknown })[] = [
        { label: '$(refresh) Reconnect Now', run: () => monitor.reconnect() },
        { label: '$(list-unordered) Show Live Runs', run: () => vscode.commands.executeCommand('weft.liveRuns.focus') },
        { label: '$(key) Set Live Server Token…', run: () => vscode.commands.executeCommand('weft.setLiveServerToken') },
        { label: '$(settings-gear) Choose Live Server…', run: () => vscode.commands.executeCommand('workbench.action.openSettings', 'weft.live.serverUrl') },
        { label: '$(output) Show Log', run: () => log.show() },
      ];
      const status = state ? (state.status === 'reconnecting' ? `reconnecting (attempt ${state.attempt + 1})` : state.status) : 'not watching a server';
      const chosen = await vscode.window.showQuickPick(items, { title: `Weft live events: ${status}${where ? ` (${where})` : ''}` });
      await chosen?.run();
    },
  };
}
