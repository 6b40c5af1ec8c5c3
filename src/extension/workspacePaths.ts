// Where a flow's run history lives: `.weft/` at the root of the flow's workspace folder (the CLI's default when
// run from there), or next to the flow when it is outside any folder.

import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { flowFileKind } from '../shared/flowFiles';

export function historyDirFor(file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  return join(folder ? folder.uri.fsPath : dirname(file.fsPath), '.weft');
}

export function isFlowFile(uri: vscode.Uri): boolean {
  return flowFileKind(uri.path) !== undefined;
}

export function isFlowJson(uri: vscode.Uri): boolean {
  return flowFileKind(uri.path) === 'json';
}

/** The flow file of the active editor: a text editor, or the canvas (a custom editor has no activeTextEditor). */
export function activeFlowFile(): vscode.Uri | undefined {
  const text = vscode.window.activeTextEditor?.document.uri;
  if (text && isFlowFile(text)) return text;
  const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
  const uri = input instanceof vscode.TabInputCustom || input instanceof vscode.TabInputText ? input.uri : undefined;
  return uri && isFlowFile(uri) ? uri : undefined;
}
