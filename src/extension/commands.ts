// The commands of the Weft extension. Each takes an optional flow file (CodeLens and menus pass it) and falls back
// to the active editor's flow.

import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { appendTestCase } from '../language/appendTestCase';
import { testFromRun } from '../engine/testing/testFromRun';
import { assertableKeys, defaultTestName, pickOutput } from '../engine/testing/testChoices';
import { parse } from 'jsonc-parser';
import { createDefaultRegistry } from '../engine/nodes/builtins';
import { pickRun } from './historyPicker';
import type { FlowTestController } from './flowTestController';
import type { RunController } from './runController';
import type { HistoryPanelManager } from './webviews/historyPanel';
import type { ExecutionPanelManager } from './webviews/executionPanel';
import { runUri } from './runDocuments';
import { SECRET_NAME, type SecretStore } from './secretStore';
import { FLOW_TEMPLATES } from './flowTemplates';
import { activeFlowFile, isFlowJson } from './workspacePaths';
import { convertToFlowTs } from './convertToFlowTs';
import { runVersionHandlers } from './runVersions';

export interface CommandDeps {
  runs: RunController;
  history: HistoryPanelManager;
  execution: ExecutionPanelManager;
  secrets: SecretStore;
  tests: FlowTestController;
}

export type CommandHandlers = Record<string, (...args: unknown[]) => unknown>;

export function commandHandlers({ runs, secrets, tests, history, execution }: CommandDeps): CommandHandlers {
  const flowFile = async (arg: unknown): Promise<vscode.Uri | undefined> => {
    if (arg instanceof vscode.Uri) return arg;
    const active = activeFlowFile();
    if (active) return active;
    const files = await vscode.workspace.findFiles('**/*.flow.{json,ts}', '**/node_modules/**', 200);
    const chosen = await vscode.window.showQuickPick(
      files.map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      { title: 'Which flow?' },
    );
    return chosen?.uri;
  };

  const lastRunId = async (file: vscode.Uri, given: unknown): Promise<string | undefined> => {
    if (typeof given === 'string') return given;
    const flow = await runs.lastRunOfFile(file);
    if (!flow) void vscode.window.showInformationMessage(`${basename(file.fsPath)} has no recorded run yet. Run it first.`);
    return flow?.id;
  };

  return {
    // `options.input` skips the input form: for keybindings, tasks and tests.
    'weft.run': async (arg?: unknown, options?: unknown) => {
      const file = await flowFile(arg);
      const input = (options as { input?: unknown } | undefined)?.input;
      return file ? runs.run(file, input === undefined ? {} : { input }) : undefined;
    },
    // `testName`: only that test case (its CodeLens passes it).
    'weft.test': async (arg?: unknown, testName?: unknown) => {
      const file = await flowFile(arg);
      if (!file) return;
      const item = typeof testName === 'string' ? await tests.testItemFor(file, testName) : await tests.itemFor(file);
      if (!item) {
        void vscode.window.showInformationMessage(`${basename(file.fsPath)} has no tests. Add some under "tests", or use Weft: Save Run as Test.`);
        return;
      }
      const cancel = new vscode.CancellationTokenSource();
      await tests.runTests(new vscode.TestRunRequest([item], undefined, tests.runProfile), cancel.token);
      cancel.dispose();
    },
    'weft.convertToFlowTs': (arg?: unknown) => convertToFlowTs(arg),
    ...runVersionHandlers(runs),
    'weft.cancel': (requestId?: unknown) => runs.cancel(typeof requestId === 'string' ? requestId : undefined),
    'weft.rerun': async (arg?: unknown, runId?: unknown) => {
      const file = await flowFile(arg);
      if (!file) return;
      const id = await lastRunId(file, runId);
      const previous = id ? await runs.history(file).get(id) : undefined;
      if (previous) await runs.run(file, { input: previous.input ?? {} });
    },
    'weft.resume': async (arg?: unknown, runId?: unknown) => {
      const file = await flowFile(arg);
      if (!file) return;
      const id = await lastRunId(file, runId);
      if (id) await runs.run(file, { resumeFrom: id });
    },
    'weft.runFromNode': async (arg?: unknown, nodeId?: unknown) => {
      const file = await flowFile(arg);
      if (!file) return;
      const node = typeof nodeId === 'string' ? nodeId : await vscode.window.showInputBox({ title: 'Run from which node?', prompt: 'Node id' });
      if (!node) return;
      const id = await lastRunId(file, undefined);
      if (id) await runs.run(file, { resumeFrom: id, rerunFrom: node });
    },
    'weft.openHistory': async (arg?: unknown, flowId?: unknown) => {
      const scope = arg instanceof vscode.Uri ? arg : activeFlowFile() ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!scope) return void vscode.window.showInformationMessage('Open a folder first: run history lives in its .weft/ folder.');
      await history.show(scope, typeof flowId === 'string' ? flowId : undefined);
    },
    'weft.openCanvas': async (arg?: unknown) => {
      const file = await flowFile(arg);
      if (file) await vscode.commands.executeCommand('vscode.openWith', file, 'weft.canvas');
    },
    // The same runs as a quick pick, for the keyboard: type to filter, Enter opens.
    'weft.findRun': async (arg?: unknown, flowId?: unknown) => {
      const scope = arg instanceof vscode.Uri ? arg : activeFlowFile() ?? vscode.workspace.workspaceFolders?.[0]?.uri;
      if (!scope) return;
      await pickRun(runs, scope, typeof flowId === 'string' ? flowId : undefined);
    },
    'weft.showRun': async (arg?: unknown, runId?: unknown) => {
      const file = await flowFile(arg);
      if (file && typeof runId === 'string') await execution.showRun(file, runId);
    },
    'weft.showRunJson': async (arg?: unknown, runId?: unknown) => {
      const file = await flowFile(arg);
      if (!file || typeof runId !== 'string') return;
      const document = await vscode.workspace.openTextDocument(runUri(file, runId));
      await vscode.window.showTextDocument(await vscode.languages.setTextDocumentLanguage(document, 'json'), { preview: true, viewColumn: vscode.ViewColumn.Beside });
    },
    'weft.setSecret': async (suggested?: unknown) => {
      const name = await vscode.window.showInputBox({
        title: 'Weft: Set Secret (1/2)',
        prompt: 'Secret name, as flows read it: {{ secrets.NAME }}',
        value: typeof suggested === 'string' ? suggested : '',
        validateInput: (v) => (SECRET_NAME.test(v) ? undefined : 'Letters, digits and _, not starting with a digit.'),
        ignoreFocusOut: true,
      });
      if (!name) return;
      const value = await vscode.window.showInputBox({ title: `Weft: Set Secret (2/2)`, prompt: `Value of ${name}`, password: true, ignoreFocusOut: true });
      if (value === undefined) return;
      await secrets.set(name, value);
      void vscode.window.showInformationMessage(`Secret ${name} is set. It is kept in VS Code's secret storage and never written to history.`);
    },
    'weft.deleteSecret': async () => {
      const names = [...(await secrets.names())];
      if (names.length === 0) return void vscode.window.showInformationMessage('No Weft secrets are set.');
      const name = await vscode.window.showQuickPick(names, { title: 'Weft: Delete Secret' });
      if (name) await secrets.delete(name);
    },
    'weft.newFlow': async () => {
      const template = await vscode.window.showQuickPick(FLOW_TEMPLATES.map((t) => ({ label: t.label, description: t.description, template: t })), {
        title: 'Weft: New Flow from a template',
      });
      if (!template) return;
      const id = await vscode.window.showInputBox({
        title: 'Flow id',
        prompt: 'Lower case letters, digits, - and _; also the file name',
        value: template.template.id,
        validateInput: (v) => (/^[a-z0-9][a-z0-9_-]*$/.test(v) ? undefined : 'Lower case letters, digits, - and _, starting with a letter or digit.'),
      });
      if (!id) return;
      const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
      const active = vscode.window.activeTextEditor?.document.uri;
      const base = active?.scheme === 'file' ? vscode.Uri.file(dirname(active.fsPath)) : folder;
      if (!base) return void vscode.window.showErrorMessage('Open a folder first: flows live in a workspace.');
      const uri = vscode.Uri.file(join(base.fsPath, `${id}.flow.json`));
      try {
        await vscode.workspace.fs.stat(uri);
        return void vscode.window.showErrorMessage(`${vscode.workspace.asRelativePath(uri)} already exists.`);
      } catch {
        // Not there: create it.
      }
      await vscode.workspace.fs.writeFile(uri, Buffer.from(template.template.text(id), 'utf8'));
      await vscode.window.showTextDocument(uri);
    },
    // `options` ({ name, keys }) skips the name box and the key pick: for keybindings and tests.
    'weft.saveRunAsTest': async (arg?: unknown, runId?: unknown, options?: unknown) => {
      const file = await flowFile(arg);
      if (!file) return;
      if (!isFlowJson(file)) {
        return void vscode.window.showInformationMessage('Save Run as Test edits .flow.json files; in a .flow.ts, add the test case to `tests` yourself.');
      }
      const id = await lastRunId(file, runId);
      const record = id ? await runs.history(file).get(id) : undefined;
      if (!record) return;
      const document = await vscode.workspace.openTextDocument(file);
      const given = (options ?? {}) as { name?: unknown; keys?: unknown };
      const name =
        typeof given.name === 'string'
          ? given.name
          : await vscode.window.showInputBox({
              title: 'Save Run as Test: name',
              prompt: 'What this test checks, as it will show in Test Explorer',
              value: defaultTestName(record.input, testNamesOf(document.getText())),
              ignoreFocusOut: true,
              validateInput: (value) => (value.trim() ? undefined : 'A test needs a name.'),
            });
      if (!name) return;
      const keys = Array.isArray(given.keys) ? given.keys.filter((k): k is string => typeof k === 'string') : await pickAssertedKeys(record.output);
      if (keys === undefined) return;
      const { test, warnings } = testFromRun(sideEffectNodesOf(document.getText()), record, name.trim());
      // Only what the user picked is asserted (an object output matches by the keys it names).
      if (keys !== ALL_OUTPUT && test.expect) {
        const output = pickOutput(record.output, keys);
        if (output === undefined) delete test.expect.output;
        else test.expect.output = output;
      }
      const edit = new vscode.WorkspaceEdit();
      for (const insertion of appendTestCase(document.getText(), test)) {
        edit.replace(file, new vscode.Range(document.positionAt(insertion.offset), document.positionAt(insertion.offset + insertion.length)), insertion.content);
      }
      await vscode.workspace.applyEdit(edit);
      void vscode.window.showInformationMessage(`Added test "${name}"${warnings.length ? `. Note: ${warnings.join(' ')}` : '.'}`);
    },
  };
}

/** The run's output is not an object: it is asserted whole, nothing to pick. */
const ALL_OUTPUT: readonly string[] = [];

/**
 * Which output keys the test asserts: a quick pick of the output's keys, timestamps and ids unticked. Undefined
 * when the user dismissed it; ALL_OUTPUT when the output has no keys to pick from.
 */
async function pickAssertedKeys(output: unknown): Promise<readonly string[] | undefined> {
  const keys = assertableKeys(output);
  if (!keys || keys.length === 0) return ALL_OUTPUT;
  const items = keys.map(({ key, picked }) => ({
    label: key,
    description: previewOf((output as Record<string, unknown>)[key]),
    detail: picked ? undefined : 'Looks like a timestamp or an id: differs on every run',
    picked,
  }));
  const chosen = await vscode.window.showQuickPick(items, {
    title: 'Save Run as Test: which output keys should the test check?',
    placeHolder: 'Ticked keys are asserted; the rest may differ',
    canPickMany: true,
    ignoreFocusOut: true,
  });
  return chosen?.map((item) => item.label);
}

function previewOf(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

/** The names of the tests already in a .flow.json, so that a proposed name is new. */
function testNamesOf(text: string): string[] {
  const flow = parse(text, [], { allowTrailingComma: true }) as { tests?: { name?: unknown }[] } | undefined;
  return (Array.isArray(flow?.tests) ? flow.tests : []).map((t) => t?.name).filter((n): n is string => typeof n === 'string');
}

/** Nodes of a .flow.json whose built-in type reaches the outside world: read from the text, no code runs. */
function sideEffectNodesOf(text: string): string[] {
  const registry = createDefaultRegistry();
  const flow = parse(text, [], { allowTrailingComma: true }) as { nodes?: { id?: unknown; type?: unknown }[] } | undefined;
  return (flow?.nodes ?? [])
    .filter((n) => typeof n?.id === 'string' && typeof n.type === 'string' && registry.get(n.type)?.sideEffect)
    .map((n) => n.id as string);
}
