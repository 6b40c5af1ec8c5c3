// Messages of the run input form (src/extension/webviews/inputFormPanel.ts ↔ webview/inputForm/). The envelope is
// webviewIpc.ts's.
//
// Who sends what:
// - webview → host, commands: `ready` (the page listens: send it the form), `cancel` (close without running).
// - webview → host, requests: `validate` (the value as typed, checked by the engine's own validator, so that the
//   form and the run agree: ajv cannot compile in the webview, whose CSP forbids eval), `submit` (run with this
//   value: the host validates once more and answers with the errors, or closes the form and runs), `savePreset` and
//   `deletePreset` (the presets of this flow after the change).
// - host → webview, notifications: `didLoadForm` (the schema, the value to start from, the flow's test inputs and
//   the saved presets).

import { z } from 'zod';

/** A preset's name as the user types it: short, and not empty once trimmed. */
export const presetName = z
  .string()
  .max(100)
  .refine((name) => name.trim().length > 0, 'a preset needs a name');

/** Any JSON value: the webview sends what the user typed, which is the input to check. */
const jsonValue = z.unknown();

export const inputFormInbound = {
  ready: z.object({}),
  cancel: z.object({}),
  validate: z.object({ value: jsonValue }),
  submit: z.object({ value: jsonValue }),
  savePreset: z.object({ name: presetName, value: jsonValue }),
  deletePreset: z.object({ name: presetName }),
};
export type InputFormInbound = typeof inputFormInbound;

/** One complaint of the validator, at a JSON Pointer into the input ("/" for the value itself). */
export interface InputFieldError {
  path: string;
  message: string;
}

/** A named input: a test case's input from the flow file, or a preset saved in the workspace. */
export interface NamedInput {
  name: string;
  input: unknown;
}

export type InputFormReplies = {
  validate: { errors: InputFieldError[] };
  /** Empty errors: the form closes and the run starts. */
  submit: { errors: InputFieldError[] };
  savePreset: { presets: NamedInput[] };
  deletePreset: { presets: NamedInput[] };
};

export type InputFormNotifications = {
  didLoadForm: {
    flowName: string;
    /** The flow's `inputs` JSON Schema. */
    schema: Record<string, unknown>;
    /** The value to start from: the last run's input, else the schema's defaults. */
    initial: unknown;
    /** Where the previous value came from, to say so ("last run"), or undefined for defaults. */
    initialSource?: 'last run';
    testInputs: NamedInput[];
    presets: NamedInput[];
    /** Where presets are saved, to tell the user (a workspace-relative path). */
    presetsLocation?: string;
  };
};
