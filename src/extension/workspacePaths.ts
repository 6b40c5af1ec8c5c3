// Where a flow's run history lives: `.weft/` at the root of the flow's workspace folder (the CLI's default when
// run from there), or next to the flow when it is outside any folder.

import { dirname, join } from 'node:path';
import * as vscode from 'vscode';

export function historyDirFor(file: vscode.Uri): string {
  const folder = vscode.workspace.getWorkspaceFolder(file);
  return join(folder ? folder.uri.fsPath : dirname(file.fsPath), '.weft');
}

export function isFlowFile(uri: vscode.Uri): boolean {
  return /\.flow\.(json|ts)$/.test(uri.path);
}

export function isFlowJson(uri: vscode.Uri): boolean {
  return uri.path.endsWith('.flow.json');
}
