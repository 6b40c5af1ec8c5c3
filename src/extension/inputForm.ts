// The Run input form, generated from the flow's `inputs` JSON Schema and prefilled with the last run's input:
// one step per property (text, number, boolean and enum fields, each validated as it is typed), or a single JSON
// field when the schema is not a flat object. Keyboard-only by nature (VS Code's quick input). Resolves with
// undefined when the user dismisses it: nothing runs.

import * as vscode from 'vscode';

interface PropertySchema {
  type?: string | string[];
  enum?: unknown[];
  default?: unknown;
  description?: string;
  title?: string;
  minimum?: number;
  maximum?: number;
}

type FieldKind = 'string' | 'number' | 'integer' | 'boolean' | 'enum';

export async function askForInput(flowName: string, schema: Record<string, unknown>, previous: unknown): Promise<unknown | undefined> {
  const properties = schema.properties as Record<string, PropertySchema> | undefined;
  const required = new Set((schema.required as string[] | undefined) ?? []);
  const flat = schema.type === 'object' && properties && Object.values(properties).every((p) => fieldKind(p) !== undefined);
  if (!flat) return askForJson(flowName, previous ?? exampleFor(schema));

  const before = (previous && typeof previous === 'object' ? previous : {}) as Record<string, unknown>;
  const input: Record<string, unknown> = {};
  const entries = Object.entries(properties!);
  for (const [index, [name, property]] of entries.entries()) {
    const step = `${index + 1}/${entries.length}`;
    const value = await askField(flowName, step, name, property, required.has(name), name in before ? before[name] : property.default);
    if (value === CANCELLED) return undefined;
    if (value !== undefined) input[name] = value;
  }
  return input;
}

const CANCELLED = Symbol('cancelled');

async function askField(
  flowName: string,
  step: string,
  name: string,
  property: PropertySchema,
  required: boolean,
  initial: unknown,
): Promise<unknown | typeof CANCELLED> {
  const kind = fieldKind(property)!;
  const title = `Run ${flowName}: input ${step}`;
  const label = `${property.title ?? name}${required ? '' : ' (optional)'}`;
  if (kind === 'boolean' || kind === 'enum') {
    const options = kind === 'boolean' ? [true, false] : property.enum!;
    const items = options.map((option) => ({ label: String(option), value: option, picked: option === initial }));
    if (!required) items.push({ label: '(leave out)', value: undefined, picked: initial === undefined });
    const chosen = await vscode.window.showQuickPick(items, { title, placeHolder: `${label}${property.description ? ` — ${property.description}` : ''}`, ignoreFocusOut: true });
    return chosen === undefined ? CANCELLED : chosen.value;
  }
  const text = await vscode.window.showInputBox({
    title,
    prompt: `${label}${property.description ? ` — ${property.description}` : ''}`,
    value: initial === undefined ? '' : String(initial),
    ignoreFocusOut: true,
    validateInput: (value) => validateField(kind, property, required, value),
  });
  if (text === undefined) return CANCELLED;
  if (text === '' && !required) return undefined;
  return kind === 'string' ? text : Number(text);
}

function validateField(kind: FieldKind, property: PropertySchema, required: boolean, value: string): string | undefined {
  if (value === '') return required ? 'Required.' : undefined;
  if (kind === 'number' || kind === 'integer') {
    const n = Number(value);
    if (value.trim() === '' || Number.isNaN(n)) return 'Enter a number.';
    if (kind === 'integer' && !Number.isInteger(n)) return 'Enter a whole number.';
    if (property.minimum !== undefined && n < property.minimum) return `At least ${property.minimum}.`;
    if (property.maximum !== undefined && n > property.maximum) return `At most ${property.maximum}.`;
  }
  return undefined;
}

function fieldKind(property: PropertySchema): FieldKind | undefined {
  if (Array.isArray(property.enum) && property.enum.every((v) => ['string', 'number', 'boolean'].includes(typeof v))) return 'enum';
  const type = Array.isArray(property.type) ? property.type.find((t) => t !== 'null') : property.type;
  if (type === 'string' || type === 'number' || type === 'integer' || type === 'boolean') return type;
  return undefined;
}

async function askForJson(flowName: string, initial: unknown): Promise<unknown | undefined> {
  const text = await vscode.window.showInputBox({
    title: `Run ${flowName}: input (JSON)`,
    prompt: 'The run input as JSON',
    value: JSON.stringify(initial ?? {}),
    ignoreFocusOut: true,
    validateInput: (value) => {
      try {
        JSON.parse(value);
        return undefined;
      } catch (error) {
        return `Not JSON: ${(error as Error).message}`;
      }
    },
  });
  return text === undefined ? undefined : JSON.parse(text);
}

function exampleFor(schema: Record<string, unknown>): unknown {
  if (schema.default !== undefined) return schema.default;
  if (schema.type === 'array') return [];
  return {};
}
