// Putting a document back as it was after a test edited it. The `undo` command would undo in whichever editor has
// the focus, which in a browser workbench on a loaded machine is not always the one the test edited; and a flow
// left edited breaks the tests after it. So: replace the whole text with what it was, and save (the same bytes).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';

export async function restoreDocument(document: vscode.TextDocument, text: string): Promise<void> {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), `could not restore ${document.uri.fsPath}`);
  assert.ok(await document.save(), `could not save ${document.uri.fsPath}`);
  assert.equal(document.getText(), text);
}
