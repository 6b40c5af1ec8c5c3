// The run input presets of a workspace: named inputs per flow, in `.vscode/weft-inputs.json` so that a team shares
// them through the repository (docs/decisions.md). The file is read and written whole; other flows' presets and any
// other keys in it are kept. Pure: the text in, the text out (inputFormPanel.ts reads and writes the file).
//
//   { "presets": { "flows/order.flow.json": { "Big order": { "orderId": "A-1", "total": 5000 } } } }
//
// Flows are keyed by their path relative to the workspace folder, with "/" separators: what a teammate sees.

import type { NamedInput } from '../protocol/inputFormProtocol';

export const PRESETS_FILE = '.vscode/weft-inputs.json';

/** The presets file cannot be read as presets: the extension's error, not the engine's (no run is involved). */
export class PresetsFileError extends Error {
  readonly code = 'presets-unreadable';
  constructor(message: string) {
    super(message);
    this.name = 'PresetsFileError';
  }
}

type PresetsFile = { presets?: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** The presets of one flow, in the order saved. An absent file (undefined text) has none. */
export function presetsOf(fileText: string | undefined, flowKey: string): NamedInput[] {
  const file = parsePresetsFile(fileText);
  const forFlow = file.presets?.[flowKey];
  if (!forFlow || typeof forFlow !== 'object') return [];
  return Object.entries(forFlow).map(([name, input]) => ({ name, input }));
}

/** The file's text with `name` set to `input` for the flow (replacing a preset of the same name in place). */
export function withPreset(fileText: string | undefined, flowKey: string, name: string, input: unknown): string {
  const file = parsePresetsFile(fileText);
  const presets = { ...(file.presets ?? {}) };
  presets[flowKey] = { ...(presets[flowKey] ?? {}), [name]: input };
  return serialize({ ...file, presets });
}

/** The file's text without the flow's preset `name`; a flow left with none loses its key. */
export function withoutPreset(fileText: string | undefined, flowKey: string, name: string): string {
  const file = parsePresetsFile(fileText);
  const presets = { ...(file.presets ?? {}) };
  const { [name]: _removed, ...rest } = presets[flowKey] ?? {};
  if (Object.keys(rest).length === 0) delete presets[flowKey];
  else presets[flowKey] = rest;
  return serialize({ ...file, presets });
}

function parsePresetsFile(text: string | undefined): PresetsFile {
  if (text === undefined || text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    // Never overwrite a file a teammate broke: saving would lose every preset in it.
    throw new PresetsFileError(`${PRESETS_FILE} is not valid JSON (${(error as Error).message}); fix it before saving presets.`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new PresetsFileError(`${PRESETS_FILE} must hold a JSON object.`);
  }
  const file = parsed as PresetsFile;
  if (file.presets !== undefined && (typeof file.presets !== 'object' || file.presets === null || Array.isArray(file.presets))) {
    throw new PresetsFileError(`${PRESETS_FILE}: "presets" must be an object of flows.`);
  }
  return file;
}

function serialize(file: PresetsFile): string {
  return JSON.stringify(file, null, 2) + '\n';
}
