// The Run input, asked with one webview form showing every field of the flow's `inputs` JSON Schema at once
// (webview/inputForm/, src/extension/webviews/inputFormPanel.ts), prefilled with the last run's input, else the
// schema's defaults. Resolves with undefined when the user closes the form: nothing runs.
//
// The signature predates the form (Run, the CodeLens, Debug and Test this node call it); `options` is optional.

import * as vscode from 'vscode';
import type { NamedInput } from '../protocol/inputFormProtocol';
import { defaultsOf } from '../shared/schemaSample';
import { showInputForm } from './webviews/inputFormPanel';

export interface AskForInputOptions {
  /** The flow file: presets are saved in its workspace folder. */
  file?: vscode.Uri;
  /** The flow's in-file tests' inputs, offered as a pick. */
  testInputs?: NamedInput[];
  /** Where the form's host logs refused messages; the console otherwise. */
  log?: Pick<vscode.LogOutputChannel, 'warn' | 'error'>;
}

/** The extension's own id (package.json publisher.name): its folder holds the form's bundle. */
const EXTENSION_ID = 'weft.weft';

export async function askForInput(flowName: string, schema: Record<string, unknown>, previous: unknown, options: AskForInputOptions = {}): Promise<unknown | undefined> {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  if (!extension) throw Object.assign(new Error(`The extension ${EXTENSION_ID} is not installed: the input form cannot open.`), { code: 'internal' });
  return showInputForm({
    flowName,
    schema,
    previous,
    file: options.file,
    testInputs: options.testInputs ?? [],
    extensionUri: extension.extensionUri,
    log: options.log ?? { warn: (message: string) => console.warn(message), error: (message: string) => console.error(message) },
    defaults: defaultsOf(schema),
  });
}
