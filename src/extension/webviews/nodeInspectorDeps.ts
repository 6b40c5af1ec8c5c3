// What the node inspector's host side (nodeInspectorHost.ts) needs, read from VS Code for one flow file: the
// flow's id from its text, its history, the stored secrets, unsaved editor text and the AI base URL setting.

import * as vscode from 'vscode';
import { outlineOf } from '../flowOutline';
import type { NodeInspectorHostDeps } from '../nodeInspectorHost';
import type { RunController } from '../runController';
import type { RunWorkerClient } from '../runWorkerClient';

export function nodeInspectorDeps(file: vscode.Uri, runs: RunController, worker: RunWorkerClient): NodeInspectorHostDeps {
  const isJson = file.path.endsWith('.json');
  const openDocument = (): vscode.TextDocument | undefined => vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.toString());
  return {
    file: file.fsPath,
    flowId: async () => outlineOf((openDocument() ?? (await vscode.workspace.openTextDocument(file))).getText(), isJson).flowId,
    history: () => runs.history(file),
    worker,
    secretValues: (names) => runs.secretValues(names),
    unsavedText: () => {
      const document = openDocument();
      return isJson && document?.isDirty ? document.getText() : undefined;
    },
    aiBaseUrl: () => vscode.workspace.getConfiguration('weft').get<string>('ai.baseUrl') || undefined,
  };
}
