// The flow debugger's side in a real VS Code: the weft debug type is contributed, and F9's command (Weft: Toggle
// Breakpoint on Node) sets and clears a breakpoint on a node's line of a .flow.json, where VS Code's own gutter
// click and F9 refuse (jsonc).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
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

describe('debug session', () => {
  it('Debug Flow starts weft dap, stops at the breakpoint, steps to the next node, and continues to the end', async () => {
    // ARRANGE: a flow of three nodes, a breakpoint on the second
    const folder = vscode.workspace.workspaceFolders![0];
    const file = vscode.Uri.file(join(folder.uri.fsPath, 'ext-debug.flow.json'));
    const text = [
      '{',
      '  "version": 1, "id": "ext-debug",',
      '  "nodes": [',
      '    { "id": "start", "type": "transform", "config": { "output": { "amount": 42 } } },',
      '    { "id": "double", "type": "transform", "config": { "output": { "amount": "{{ input.amount * 2 }}" } } },',
      '    { "id": "finish", "type": "log", "config": { "message": "amount {{ input.amount }}" } }',
      '  ],',
      '  "edges": [ { "from": "start", "to": "double" }, { "from": "double", "to": "finish" } ]',
      '}',
    ].join('\n');
    writeFileSync(file.fsPath, text);
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file));
    await vscode.commands.executeCommand('weft.toggleBreakpoint', file, 4);
    const paused: { nodeId: string; flowPath: string }[] = [];
    let ended = false;
    const subscriptions = [
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.event === 'weftPaused') paused.push(event.body as { nodeId: string; flowPath: string });
      }),
      vscode.debug.onDidTerminateDebugSession((session) => {
        if (session.type === 'weft') ended = true;
      }),
    ];
    try {
      // ACT: Debug, as the CodeLens does
      const started = performance.now();
      assert.equal(await vscode.commands.executeCommand('weft.debug', file), true);
      // ASSERT: stopped before double, in this file
      await waitFor('a pause before double', () => paused.length === 1, 30_000);
      // Printed, not asserted: a new adapter process per session, on a machine shared with other work.
      console.log(`      Debug to the first stop: ${Math.round(performance.now() - started)} ms (adapter process started cold)`);
      assert.deepEqual(paused[0], { ...paused[0], nodeId: 'double', flowPath: file.fsPath });
      const session = vscode.debug.activeDebugSession!;
      assert.equal(session.type, 'weft');
      // ACT: step over
      await session.customRequest('next', { threadId: 1 });
      // ASSERT: before the next node in execution order
      await waitFor('a pause before finish', () => paused.length === 2, 30_000);
      assert.equal(paused[1].nodeId, 'finish');
      // ACT: continue
      await session.customRequest('continue', { threadId: 1 });
      // ASSERT: the run ends, and the session with it
      await waitFor('the session to end', () => ended, 30_000);
      // ASSERT: the debugged run is in the history, and the flow's History lens says so
      await waitFor(
        'the History lens to show the debugged run',
        async () => ((await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file)) ?? []).some((lens) => /^\$\(history\) History: passed/.test(lens.command?.title ?? '')),
        30_000,
      );
    } finally {
      for (const s of subscriptions) s.dispose();
      vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    }
  });
});
