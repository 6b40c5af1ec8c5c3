// What only a real VS Code shows: CodeLens titles, diagnostics at their ranges, completion, rename, a run through
// the command landing in history, and Test Explorer results. One code-server session runs all of these.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it, before } from 'mocha';
import * as vscode from 'vscode';
import packageJson from '../../../package.json';
import type { WeftExtensionApi } from '../../../src/extension/extension';
import { restoreDocument } from './restoreDocument';
import { waitFor } from './waitFor';

const EXTENSION_ID = `${packageJson.publisher}.${packageJson.name}`;

function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders![0];
  return vscode.Uri.file(join(folder.uri.fsPath, name));
}

async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((l) => l.command?.title ?? '');
}

describe('weft in VS Code', () => {
  let api: WeftExtensionApi;

  before(async () => {
    const extension = vscode.extensions.getExtension<WeftExtensionApi>(EXTENSION_ID)!;
    await extension.activate();
    api = extension.exports;
  });

  it('shows Run, Test and History above a flow, and Run from here above each node', async () => {
    const uri = workspaceFile('order-intake.flow.json');
    await vscode.window.showTextDocument(uri);
    const titles = await waitFor('CodeLens on order-intake', async () => {
      const t = await lensTitles(uri);
      return t.length > 0 ? t : undefined;
    });
    assert.ok(titles.includes('$(play) Run'), titles.join(' | '));
    assert.ok(titles.includes('$(beaker) Test'));
    assert.ok(titles.some((t) => t.startsWith('$(history) History:')));
    assert.equal(titles.filter((t) => t === 'Run from here').length, 5);
  });

  it('reports a broken flow with diagnostics at the right ranges', async () => {
    const uri = workspaceFile('broken.flow.json');
    const text = [
      '{',
      '  // a typo in a node type, and an edge to a node that does not exist',
      '  "version": 1,',
      '  "id": "broken",',
      '  "nodes": [',
      '    { "id": "fetch", "type": "htpp", "config": {} }',
      '  ],',
      '  "edges": [{ "from": "fetch", "to": "nowhere" }]',
      '}',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(text));
    await vscode.window.showTextDocument(uri);
    const diagnostics = await waitFor('diagnostics of broken.flow.json', () => {
      const d = vscode.languages.getDiagnostics(uri).filter((x) => x.source === 'weft');
      return d.length >= 2 ? d : undefined;
    });
    const typo = diagnostics.find((d) => d.code === 'unknown-node-type');
    assert.ok(typo, JSON.stringify(diagnostics.map((d) => d.code)));
    assert.equal(typo.range.start.line, 5);
    assert.equal(typo.range.start.character, text.split('\n')[5].indexOf('"htpp"'));
    assert.match(typo.message, /Did you mean 'http'/);
    const edge = diagnostics.find((d) => d.code === 'unknown-node');
    assert.ok(edge);
    assert.equal(edge.range.start.line, 7);
    assert.equal(edge.range.start.character, text.split('\n')[7].indexOf('"nowhere"'));

    const fixes = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, typo.range);
    assert.ok(fixes.some((f) => f.title.includes('http')), fixes.map((f) => f.title).join(' | '));
  });

  it("completes node ids after `nodes.` inside a template, the upstream ones first", async () => {
    const uri = workspaceFile('order-intake.flow.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const original = document.getText();
    const line = original.split('\n').findIndex((l) => l.includes('"id": "note"'));
    const column = document.lineAt(line).text.indexOf('{{ input.orderId }}') + '{{ '.length;
    const editor = await vscode.window.showTextDocument(document);
    await editor.edit((edit) => edit.insert(new vscode.Position(line, column), 'nodes.'));
    const position = new vscode.Position(line, column + 'nodes.'.length);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', uri, position, '.');
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const id of ['check', 'review', 'tax', 'done']) assert.ok(labels.includes(id), `${id} in ${labels.join(',')}`);
    await restoreDocument(document, original);
  });

  it('renames a node id in its definition, every edge and every expression, in one edit', async () => {
    const uri = workspaceFile('order-intake.flow.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const before = document.getText();
    const offset = before.indexOf('"id": "check"') + '"id": "'.length;
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', uri, document.positionAt(offset), 'gate');
    assert.ok(await vscode.workspace.applyEdit(edit));
    const after = document.getText();
    assert.ok(after.includes('"id": "gate"'));
    assert.equal((after.match(/"from": "gate"/g) ?? []).length, 2);
    assert.ok(!/"check"/.test(after));
    // Only the identifier changed: the comment and layout are as they were.
    assert.equal(after.replace(/gate/g, 'check'), before);
    await restoreDocument(document, before);
  });

  it('runs a flow through the Run command, off the main thread, and the run lands in history', async () => {
    const uri = workspaceFile('order-intake.flow.json');
    const record = await vscode.commands.executeCommand<{ id: string; status: string; output: unknown }>('weft.run', uri, {
      input: { orderId: 'VS-1', total: 120 },
    });
    assert.equal(record?.status, 'completed');
    assert.deepEqual((record!.output as { queue: string }).queue, 'auto');
    const runFile = join(vscode.workspace.workspaceFolders![0].uri.fsPath, '.weft', 'runs', `${record!.id}.json`);
    await waitFor('the run file in .weft/runs', () => existsSync(runFile));
    const titles = await waitFor('History CodeLens to show the run', async () => {
      const t = await lensTitles(uri);
      return t.some((x) => x.startsWith('$(history) History: passed')) ? t : undefined;
    });
    assert.ok(titles.some((t) => t.includes('completed')), 'node CodeLens shows the last run');
  });

  it("hovers a template's value in the flow's latest run, and follows each new run", async () => {
    const uri = workspaceFile('order-intake.flow.json');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const lines = document.getText().split('\n');
    // In the node that reads it on the path these runs take (a total under the review threshold goes to `tax`).
    const line = lines.findIndex((l, index) => index > lines.findIndex((t) => t.includes('"id": "tax"')) && l.includes('input.orderId'));
    const position = new vscode.Position(line, lines[line].indexOf('input.orderId') + 'input.'.length);
    const hoverText = async (): Promise<string> => {
      const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position)) ?? [];
      return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
    };
    for (const orderId of ['HOVER-1', 'HOVER-2']) {
      const record = await vscode.commands.executeCommand<{ id: string; status: string }>('weft.run', uri, { input: { orderId, total: 80 } });
      assert.equal(record?.status, 'completed');
      let shown = '';
      await waitFor(`the hover to show the run of ${orderId}`, async () => ((shown = await hoverText()).includes(`"${orderId}"`) ? true : undefined)).catch(
        (error: Error) => {
          throw new Error(`${error.message} The run was ${record?.id}; the hover said: ${shown}`);
        },
      );
    }
  });

  it('lists every flow test in Test Explorer and reports their results', async () => {
    const features = api.ready();
    await features.tests.discoverAll();
    const fileId = workspaceFile('order-intake.flow.json').toString();
    const item = await waitFor('the order-intake test item', () => features.tests.controller.items.get(fileId));
    assert.equal(item.children.size, 3);
    await vscode.commands.executeCommand('weft.test', workspaceFile('order-intake.flow.json'));
    const outcomes = [...item.children].map(([id]) => features.tests.lastOutcomes.get(id));
    assert.deepEqual(outcomes, ['passed', 'passed', 'passed']);
  });

  it('shows a test\'s result on the CodeLens above it, where Run test was clicked', async () => {
    // ARRANGE
    const uri = workspaceFile('order-intake.flow.json');
    await vscode.window.showTextDocument(uri);
    const name = 'French orders use the French rate';
    // The lenses above that test: the line of its Run test lens (the one that runs it by name).
    const lensesOnLine = async (): Promise<string[]> => {
      const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
      const line = lenses.find((l) => l.command?.command === 'weft.test' && l.command.arguments?.[1] === name)?.range.start.line;
      return line === undefined ? [] : lenses.filter((l) => l.range.start.line === line).map((l) => l.command?.title ?? '');
    };
    const before = await waitFor('a Run test lens above the test', async () => {
      const titles = await lensesOnLine();
      return titles.length > 0 ? titles : undefined;
    });
    const runLens = before.find((t) => t === '$(beaker) Run test' || t === 'Run again');
    assert.ok(runLens, before.join(' | '));
    // ACT: what the lens runs
    await vscode.commands.executeCommand('weft.test', uri, name);
    // ASSERT
    const after = await waitFor('the result on the lens', async () => {
      const titles = await lensesOnLine();
      return titles.some((t) => t.startsWith('$(pass) passed')) ? titles : undefined;
    });
    assert.ok(after.includes('Run again'), after.join(' | '));
  });

  it('saves a run as a test with the name and output keys given, in the style of the tests in the file', async () => {
    // ARRANGE
    const uri = workspaceFile('order-intake.flow.json');
    const document = await vscode.workspace.openTextDocument(uri);
    const before = document.getText();
    const record = await vscode.commands.executeCommand<{ id: string }>('weft.run', uri, { input: { orderId: 'A-42', total: 120 } });
    // ACT
    await vscode.commands.executeCommand('weft.saveRunAsTest', uri, record!.id, { name: 'orderId A-42', keys: ['queue', 'tax'] });
    // ASSERT: one property a line, objects inline, as the tests above it
    const after = document.getText();
    assert.ok(after.includes('      "name": "orderId A-42",\n      "input": { "orderId": "A-42", "total": 120'), after.slice(-400));
    assert.ok(after.includes('"expect": { "status": "completed", "output": { "queue": "auto", "tax": 22.8 } }'), after.slice(-400));
    await restoreDocument(document, before);
  });
});
