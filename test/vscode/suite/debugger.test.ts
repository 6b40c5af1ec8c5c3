// The flow debugger's side in a real VS Code: the weft debug type is contributed, and F9's command (Weft: Toggle
// Breakpoint on Node) sets and clears a breakpoint on a node's line of a .flow.json, where VS Code's own gutter
// click and F9 refuse (jsonc).
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import { waitFor } from './waitFor';

describe('debugger', () => {
  it('toggles a breakpoint on the node at the cursor of a .flow.json', async () => {
    // ARRANGE: order-intake.flow.json, the cursor on tax's line
    const folder = vscode.workspace.workspaceFolders![0];
    const file = vscode.Uri.file(join(folder.uri.fsPath, 'order-intake.flow.json'));
    const document = await vscode.workspace.openTextDocument(file);
    const editor = await vscode.window.showTextDocument(document);
    const line = document.getText().split('\n').findIndex((text) => text.includes('"id": "tax"'));
    assert.ok(line > 0);
    editor.selection = new vscode.Selection(line, 8, line, 8);
    const here = (): vscode.SourceBreakpoint[] =>
      vscode.debug.breakpoints.filter((bp): bp is vscode.SourceBreakpoint => bp instanceof vscode.SourceBreakpoint && bp.location.uri.toString() === file.toString());

    // ACT
    await vscode.commands.executeCommand('weft.toggleBreakpoint');
    // ASSERT
    const set = await waitFor('a breakpoint on the line', () => (here().length === 1 ? here() : undefined), 10_000);
    assert.equal(set[0].location.range.start.line, line);

    // ACT: again
    await vscode.commands.executeCommand('weft.toggleBreakpoint');
    // ASSERT
    await waitFor('no breakpoint left', () => here().length === 0, 10_000);
  });
});
