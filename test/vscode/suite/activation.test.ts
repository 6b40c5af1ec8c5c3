// The extension activates in a real VS Code when a flow is open, and contributes its commands there.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { describe, it } from 'mocha';
import packageJson from '../../../package.json';
import { waitFor } from './waitFor';

const EXTENSION_ID = `${packageJson.publisher}.${packageJson.name}`;

describe('activation', () => {
  it('activates when order-intake.flow.json is opened and registers weft.run', async () => {
    // ARRANGE: the runner opens a copy of samples/ as the workspace.
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'a workspace folder is open');
    const file = vscode.Uri.file(join(folder.uri.fsPath, 'order-intake.flow.json'));

    // ACT
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);

    // ASSERT
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `extension ${EXTENSION_ID} is installed`);
    await waitFor(`${EXTENSION_ID} to be active`, () => extension.isActive);
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('weft.run'), 'weft.run is a registered command');
  });
});
