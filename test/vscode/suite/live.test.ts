// Live mode from the editor, in a real VS Code: Activate serves a flow's webhook on 127.0.0.1 (a real server, the
// CLI's, in a child process), Send Test Webhook posts a test's input and the run lands in history, a flow that does
// not compile is refused, the schedule's next times show above its trigger, and Deactivate stops serving.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import * as vscode from 'vscode';
import packageJson from '../../../package.json';
import type { WeftExtensionApi } from '../../../src/extension/extension';
import type { Features } from '../../../src/extension/features';
import { waitFor } from './waitFor';
import { freePort } from '../../support/freePort';

const EXTENSION_ID = `${packageJson.publisher}.${packageJson.name}`;

function workspaceFile(name: string): vscode.Uri {
  return vscode.Uri.file(join(vscode.workspace.workspaceFolders![0].uri.fsPath, name));
}


async function lensTitles(uri: vscode.Uri): Promise<string[]> {
  const lenses = (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri)) ?? [];
  return lenses.map((l) => l.command?.title ?? '');
}

describe('live mode in VS Code', () => {
  let features: Features;
  let port: number;
  const orders = (): vscode.Uri => workspaceFile('order-intake.flow.json');

  before(async () => {
    const extension = vscode.extensions.getExtension<WeftExtensionApi>(EXTENSION_ID)!;
    await extension.activate();
    features = extension.exports.ready();
    port = await freePort();
    await vscode.workspace.getConfiguration('weft').update('live.webhookPort', port, vscode.ConfigurationTarget.Workspace);
  });

  after(async () => {
    await features.live.deactivate();
  });

  it('offers Activate, Copy webhook URL and Send test webhook above a flow with a webhook', async () => {
    await vscode.window.showTextDocument(orders());
    const titles = await waitFor('live lenses', async () => {
      const t = await lensTitles(orders());
      return t.includes('$(radio-tower) Activate') ? t : undefined;
    });
    assert.ok(titles.includes('$(link) Copy webhook URL'), titles.join(' | '));
    assert.ok(titles.includes('$(send) Send test webhook'), titles.join(' | '));
  });

  it('shows the next time of a schedule above its trigger', async () => {
    // The workbench asks the providers only for documents it has open.
    await vscode.window.showTextDocument(workspaceFile('overdue-invoices.flow.json'));
    const titles = await waitFor('schedule lens', async () => {
      const t = await lensTitles(workspaceFile('overdue-invoices.flow.json'));
      return t.find((title) => title.startsWith('$(clock) Next:'));
    });
    assert.match(titles, /^\$\(clock\) Next: \w{3} \d{4}-\d\d-\d\d 07:00:00 Europe\/Berlin$/);
  });

  it('activates a flow, serves its webhook, and records the run a test webhook starts', async () => {
    // ACT: activate, then send the input of one of its tests.
    await vscode.commands.executeCommand('weft.activate', orders());
    assert.equal(features.live.liveState(orders()), 'active');
    const url = await vscode.commands.executeCommand<string>('weft.copyWebhookUrl', orders(), 1);
    const sent = await vscode.commands.executeCommand<{ status: number; executionId?: string }>('weft.sendTestWebhook', orders(), 1, {
      test: 'French orders use the French rate',
    });

    // ASSERT: the URL is on loopback at the configured port, the webhook answered 202, and the run completed.
    assert.equal(url, `http://127.0.0.1:${port}/hooks/orders`);
    assert.equal(await vscode.env.clipboard.readText(), url);
    assert.equal(sent.status, 202);
    assert.ok(sent.executionId);
    const record = await waitFor('the webhook run in history', async () => {
      const run = await features.runs.history(orders()).get(sent.executionId!);
      return run && run.status !== 'running' ? run : undefined;
    });
    assert.equal(record.status, 'completed');
    assert.equal(record.trigger.type, 'webhook');
    assert.deepEqual((record.input as { country?: string }).country, 'FR');
    assert.ok((await lensTitles(orders())).includes('$(radio-tower) Active · Deactivate'));
  });

  it('refuses to activate a flow that does not compile, and says why', async () => {
    const broken = workspaceFile('live-broken.flow.json');
    await vscode.workspace.fs.writeFile(broken, Buffer.from('{ "version": 1, "id": "live-broken", "triggers": [{ "type": "webhook" }], "nodes": [{ "id": "a", "type": "nope" }] }'));
    await vscode.commands.executeCommand('weft.activate', broken);
    assert.equal(features.live.liveState(broken), 'inactive');
    assert.equal(features.live.liveState(orders()), 'active', 'the flows already active stay active');
    await vscode.workspace.fs.delete(broken);
  });

  it('deactivates: the webhook is no longer served', async () => {
    await vscode.commands.executeCommand('weft.deactivate', orders());
    assert.equal(features.live.liveState(orders()), 'inactive');
    await assert.rejects(fetch(`http://127.0.0.1:${port}/hooks/orders`, { method: 'POST', body: '{}' }));
  });
});
