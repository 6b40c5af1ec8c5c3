// The run input form's panel: opens the form beside the flow, answers its messages (validation with the engine's
// own validator, presets in the workspace's .vscode/weft-inputs.json) and settles with the input the user submitted,
// or undefined when the panel is closed without running.

import * as vscode from 'vscode';
import { createInputValidator, type InputValidator } from '../../engine/model/inputValidator';
import { inputFormInbound, type InputFieldError, type InputFormInbound, type InputFormNotifications, type NamedInput } from '../../protocol/inputFormProtocol';
import { PRESETS_FILE, presetsOf, withPreset, withoutPreset } from '../inputPresets';
import { WebviewChannel } from './webviewChannel';
import { webviewHtml, webviewOptions } from './webviewHtml';

export interface InputFormRequest {
  flowName: string;
  schema: Record<string, unknown>;
  previous: unknown;
  /** The flow file: its workspace folder holds the presets. Without it, presets are not offered. */
  file?: vscode.Uri;
  testInputs: NamedInput[];
  extensionUri: vscode.Uri;
  log: Pick<vscode.LogOutputChannel, 'warn' | 'error'>;
  defaults: unknown;
}

export const INPUT_FORM_VIEW_TYPE = 'weft.inputForm';

/** Shows the form; resolves with the submitted input, or undefined when the user closed it. */
export function showInputForm(request: InputFormRequest): Promise<unknown | undefined> {
  const validate = validatorFor(request.schema);
  const presets = presetsPlace(request.file);
  const panel = vscode.window.createWebviewPanel(
    INPUT_FORM_VIEW_TYPE,
    `Run ${request.flowName}`,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: false },
    // Kept while hidden: a half-typed input must survive a look at another tab.
    { ...webviewOptions(request.extensionUri), retainContextWhenHidden: true },
  );
  panel.webview.html = webviewHtml(panel.webview, request.extensionUri, 'inputForm', `Run ${request.flowName}`);

  return new Promise((resolve) => {
    let settled = false;
    const settle = (value: unknown | undefined): void => {
      if (settled) return;
      settled = true;
      resolve(value);
    };
    const channel: WebviewChannel<InputFormInbound, InputFormNotifications> = new WebviewChannel(
      panel.webview,
      inputFormInbound,
      {
        ready: async () => {
          await channel.notify('didLoadForm', {
            flowName: request.flowName,
            schema: request.schema,
            initial: request.previous ?? request.defaults,
            initialSource: request.previous !== undefined ? 'last run' : undefined,
            testInputs: request.testInputs,
            presets: presets ? await presets.list() : [],
            presetsLocation: presets?.label,
          });
        },
        cancel: () => panel.dispose(),
        validate: ({ value }) => ({ errors: validate(value) }),
        submit: ({ value }) => {
          const errors = validate(value);
          if (errors.length > 0) return { errors };
          settle(value);
          // Closed once the channel has posted this reply (disposing now would drop it, leaving the page waiting).
          setImmediate(() => panel.dispose());
          return { errors };
        },
        savePreset: async ({ name, value }) => {
          if (!presets) throw Object.assign(new Error('Presets are saved in a workspace folder; this flow is not in one.'), { code: 'usage' });
          return { presets: await presets.save(name.trim(), value) };
        },
        deletePreset: async ({ name }) => {
          if (!presets) return { presets: [] };
          // A preset file is shared through the repository: deleting one is deleting a teammate's too.
          const choice = await vscode.window.showWarningMessage(`Delete the input preset "${name}"?`, { modal: true, detail: `It is removed from ${PRESETS_FILE}.` }, 'Delete');
          if (choice !== 'Delete') return { presets: await presets.list() };
          return { presets: await presets.remove(name) };
        },
      },
      request.log,
    );
    panel.onDidDispose(() => {
      channel.dispose();
      settle(undefined);
    });
  });
}

/** The engine's validator (same ajv options, same messages), as field errors; a schema ajv refuses lets the run decide. */
function validatorFor(schema: Record<string, unknown>): (value: unknown) => InputFieldError[] {
  let validator: InputValidator;
  try {
    validator = createInputValidator(schema);
  } catch {
    // The flow's compile reports a schema that does not compile; the form then only checks that it is JSON.
    return () => [];
  }
  return (value) => validator(value).errors;
}

interface PresetsPlace {
  label: string;
  list(): Promise<NamedInput[]>;
  save(name: string, value: unknown): Promise<NamedInput[]>;
  remove(name: string): Promise<NamedInput[]>;
}

function presetsPlace(file: vscode.Uri | undefined): PresetsPlace | undefined {
  const folder = file ? vscode.workspace.getWorkspaceFolder(file) : undefined;
  if (!file || !folder) return undefined;
  const uri = vscode.Uri.joinPath(folder.uri, PRESETS_FILE);
  const flowKey = vscode.workspace.asRelativePath(file, false).replace(/\\/g, '/');
  const read = async (): Promise<string | undefined> => {
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return undefined; // no presets yet
    }
  };
  const write = async (text: string): Promise<void> => {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, '.vscode'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(text));
  };
  return {
    label: PRESETS_FILE,
    list: async () => presetsOf(await read(), flowKey),
    save: async (name, value) => {
      const text = withPreset(await read(), flowKey, name, value);
      await write(text);
      return presetsOf(text, flowKey);
    },
    remove: async (name) => {
      const text = withoutPreset(await read(), flowKey, name);
      await write(text);
      return presetsOf(text, flowKey);
    },
  };
}
