// The live-mode commands: Activate / Deactivate (a flow, or every flow of the workspace), Copy Webhook URL, Send
// Test Webhook (with a payload from the flow's own tests, signed like a real sender signs it), and the status bar's
// menu. The server itself is LiveController's.

import { basename } from 'node:path';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { readFlowText } from './readFlowText';
import { nextScheduleTimes, triggersOf, type WebhookTriggerOutline } from '../language/triggerOutline';
import { signBody, SIGNATURE_HEADER } from '../live/webhookAuth';
import { HOOKS_PREFIX } from '../live/webhookPath';
import type { CommandHandlers } from './commands';
import type { LiveController } from './liveController';
import type { SecretStore } from './secretStore';
import { activeFlowFile } from './workspacePaths';

interface WebhookTarget {
  url: string;
  method: string;
  /** The secret's name, when the trigger reads `{{ secrets.NAME }}`. */
  secretName?: string;
}

export function liveCommandHandlers(live: LiveController, secrets: SecretStore): CommandHandlers {
  const flowFile = (arg: unknown): vscode.Uri | undefined => {
    return arg instanceof vscode.Uri ? arg : activeFlowFile();
  };
  const pickActive = async (title: string): Promise<vscode.Uri | undefined> => {
    const files = live.activeFiles();
    if (files.length === 0) return void vscode.window.showInformationMessage('No flow is active. Use Weft: Activate Flow on a flow with a webhook or schedule trigger.');
    if (files.length === 1) return vscode.Uri.file(files[0]);
    const chosen = await vscode.window.showQuickPick(files.map((f) => ({ label: basename(f), description: vscode.workspace.asRelativePath(f), file: f })), { title });
    return chosen ? vscode.Uri.file(chosen.file) : undefined;
  };

  /** The webhook a command is about: the given trigger, the only one, or the one the user picks. */
  const webhookOf = async (file: vscode.Uri, triggerIndex: unknown): Promise<WebhookTarget | undefined> => {
    const targets = await webhookTargets(file, live);
    if (targets.length === 0) return void vscode.window.showInformationMessage(`${basename(file.fsPath)} has no webhook trigger.`);
    if (typeof triggerIndex === 'number' && targets.find((t) => t.index === triggerIndex)) return targets.find((t) => t.index === triggerIndex);
    if (targets.length === 1) return targets[0];
    const chosen = await vscode.window.showQuickPick(targets.map((t) => ({ label: `${t.method} ${t.url}`, target: t })), { title: 'Which webhook?' });
    return chosen?.target;
  };

  return {
    'weft.activate': async (arg?: unknown) => {
      const file = flowFile(arg);
      if (!file) return void vscode.window.showInformationMessage('Open a flow to activate it.');
      await live.activate([file]);
      if (live.liveState(file) !== 'inactive') reportActive(live, file);
    },
    'weft.activateWorkspace': async () => {
      const files = await vscode.workspace.findFiles('**/*.flow.{json,ts}', '**/node_modules/**', 1000);
      const withTriggers: vscode.Uri[] = [];
      for (const file of files) {
        // A .flow.ts cannot be read without running it: activation tells whether it has live triggers.
        if (file.path.endsWith('.ts')) {
          withTriggers.push(file);
          continue;
        }
        // A file that cannot be read (too large, gone) is skipped here; activating it one by one says why.
        const text = await readFlowText(file).catch(() => undefined);
        if (text !== undefined && triggersOf(text).length > 0) withTriggers.push(file);
      }
      if (withTriggers.length === 0) return void vscode.window.showInformationMessage('No flow in this workspace has a webhook or schedule trigger.');
      await live.activate(withTriggers);
    },
    'weft.deactivate': async (arg?: unknown) => {
      const file = flowFile(arg) ?? (await pickActive('Deactivate which flow?'));
      if (file) await live.deactivate([file]);
    },
    'weft.deactivateAll': () => live.deactivate(),
    'weft.copyWebhookUrl': async (arg?: unknown, triggerIndex?: unknown) => {
      const file = flowFile(arg) ?? (await pickActive('Copy the webhook URL of which flow?'));
      const target = file ? await webhookOf(file, triggerIndex) : undefined;
      if (!target) return;
      await vscode.env.clipboard.writeText(target.url);
      const note = live.liveState(file!) === 'inactive' ? ' The flow is not active: Activate it to serve this URL.' : '';
      void vscode.window.showInformationMessage(`Copied ${target.method} ${target.url}.${note}`);
      return target.url;
    },
    // `options.test` names the test whose input is sent, without asking (keybindings, tasks, tests).
    'weft.sendTestWebhook': async (arg?: unknown, triggerIndex?: unknown, options?: unknown) => {
      const file = flowFile(arg) ?? (await pickActive('Send a test webhook to which flow?'));
      if (!file) return;
      if (live.liveState(file) === 'inactive') {
        const choice = await vscode.window.showWarningMessage(`${basename(file.fsPath)} is not active.`, 'Activate and Send');
        if (!choice) return;
        await live.activate([file]);
        if (live.liveState(file) === 'inactive') return;
      }
      const target = await webhookOf(file, triggerIndex);
      if (!target) return;
      const payload = await payloadFromTests(file, (options as { test?: unknown } | undefined)?.test);
      if (payload === undefined) return;
      const secret = target.secretName ? ((await secrets.values([target.secretName]))[target.secretName] ?? process.env[target.secretName]) : undefined;
      const response = await sendWebhook(target, payload.body, secret);
      const executionId = (() => {
        try {
          return (JSON.parse(response.body) as { executionId?: string }).executionId;
        } catch {
          return undefined;
        }
      })();
      const summary = `Test webhook (${payload.label}) → ${response.status}${response.status >= 400 ? `: ${response.body.slice(0, 300)}` : ''}`;
      const show = response.status >= 400 ? vscode.window.showErrorMessage : vscode.window.showInformationMessage;
      void show(summary, ...(executionId ? ['Open Run'] : [])).then((choice) => choice && vscode.commands.executeCommand('weft.showRun', file, executionId));
      return { status: response.status, body: response.body, executionId };
    },
    'weft.showScheduleTimes': async (arg?: unknown, triggerIndex?: unknown) => {
      const file = flowFile(arg);
      if (!file) return;
      const document = await vscode.workspace.openTextDocument(file);
      const schedules = triggersOf(document.getText()).filter((t) => t.type === 'schedule' && (triggerIndex === undefined || t.index === triggerIndex));
      const items = schedules.flatMap((t): vscode.QuickPickItem[] => {
        if (t.type !== 'schedule') return [];
        const next = nextScheduleTimes(t.cron, t.timezone);
        return 'error' in next ? [{ label: `$(warning) "${t.cron}"`, detail: next.error }] : next.times.map((time) => ({ label: `$(clock) ${time}`, description: `"${t.cron}"` }));
      });
      await vscode.window.showQuickPick(items, { title: `Next times of ${basename(file.fsPath)}'s schedule${schedules.length === 1 ? '' : 's'}` });
      return items.map((i) => i.label.replace(/^\$\([\w-]+\) /, ''));
    },
    'weft.liveMenu': async () => {
      const status = live.liveStatus();
      const items: (vscode.QuickPickItem & { run: () => unknown })[] = [];
      for (const flow of status?.flows ?? []) {
        for (const hook of flow.webhooks) {
          items.push({ label: `$(copy) Copy ${hook.method} ${hook.url}`, description: flow.id, run: () => vscode.env.clipboard.writeText(hook.url) });
        }
        for (const schedule of flow.schedules) {
          items.push({ label: `$(clock) ${flow.id}: "${schedule.cron}"`, description: `next ${schedule.next[0] ?? '-'}`, run: () => undefined });
        }
      }
      items.push({ label: '$(debug-stop) Deactivate All', run: () => live.deactivate() });
      items.push({ label: '$(output) Show Log', run: () => live.showLog() });
      const chosen = await vscode.window.showQuickPick(items, { title: `Weft live mode${live.baseUrl() ? ` on ${live.baseUrl()}` : ''}` });
      await chosen?.run();
    },
  };
}

function reportActive(live: LiveController, file: vscode.Uri): void {
  const flow = live.liveStatus()?.flows.find((f) => f.file === file.fsPath);
  const served = flow ? [...flow.webhooks.map((h) => `${h.method} ${h.url}`), ...flow.schedules.map((s) => `"${s.cron}"`)] : [];
  void vscode.window.showInformationMessage(`${basename(file.fsPath)} is active${served.length > 0 ? `: ${served.join(', ')}` : ''}.`);
}

/** The webhooks of a flow: from the live server when it serves the flow, else from the .flow.json text. */
async function webhookTargets(file: vscode.Uri, live: LiveController): Promise<(WebhookTarget & { index: number })[]> {
  const document = await vscode.workspace.openTextDocument(file);
  const written = file.path.endsWith('.json') ? triggersOf(document.getText()).filter((t): t is WebhookTriggerOutline => t.type === 'webhook') : [];
  const served = live.liveStatus()?.flows.find((f) => f.file === file.fsPath);
  if (served) {
    return served.webhooks.map((hook, i) => ({ url: hook.url, method: hook.method, index: written[i]?.index ?? i, secretName: secretNameOf(written[i]?.secret) }));
  }
  const port = vscode.workspace.getConfiguration('weft').get<number>('live.webhookPort', 8787);
  const host = vscode.workspace.getConfiguration('weft').get<string>('live.host', '127.0.0.1');
  return written.map((t) => ({ url: `http://${host}:${port}${HOOKS_PREFIX}${t.path}`, method: t.method, index: t.index, secretName: secretNameOf(t.secret) }));
}

function secretNameOf(template: string | undefined): string | undefined {
  return template ? /^\s*\{\{\s*secrets\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}\s*$/.exec(template)?.[1] : undefined;
}

/** The body to send: a test case's input (asks which when there are several), else `{}`. */
async function payloadFromTests(file: vscode.Uri, testName: unknown): Promise<{ label: string; body: unknown } | undefined> {
  const document = await vscode.workspace.openTextDocument(file);
  const flow = file.path.endsWith('.json') ? (parse(document.getText(), [], { allowTrailingComma: true }) as { tests?: { name?: string; input?: unknown }[] }) : undefined;
  const tests = (flow?.tests ?? []).filter((t) => t && typeof t.name === 'string');
  if (tests.length === 0) return { label: 'empty payload', body: {} };
  const named = tests.find((t) => t.name === testName);
  if (named) return { label: `input of test "${named.name}"`, body: named.input ?? {} };
  if (tests.length === 1) return { label: `input of test "${tests[0].name}"`, body: tests[0].input ?? {} };
  const chosen = await vscode.window.showQuickPick(
    tests.map((t) => ({ label: t.name!, detail: JSON.stringify(t.input ?? {}).slice(0, 200), test: t })),
    { title: 'Send the input of which test?' },
  );
  return chosen ? { label: `input of test "${chosen.test.name}"`, body: chosen.test.input ?? {} } : undefined;
}

async function sendWebhook(target: WebhookTarget, body: unknown, secret: string | undefined): Promise<{ status: number; body: string }> {
  const raw = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== undefined) headers[SIGNATURE_HEADER] = signBody(raw, secret);
  try {
    const response = await fetch(target.url, { method: target.method, headers, body: raw, signal: AbortSignal.timeout(30_000) });
    return { status: response.status, body: await response.text() };
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new Error('The webhook did not answer within 30 s.');
    throw error;
  }
}
