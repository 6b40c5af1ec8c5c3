// The inspector's fields from a node type's config JSON Schema: which control edits each property, and how a
// control's text becomes a config value. Strings may hold templates anywhere, so a number field accepts one too.

/** `text`: several lines of plain text (a value of any shape that holds a text now, like a log's message). */
export type FieldKind = 'string' | 'text' | 'number' | 'boolean' | 'enum' | 'json';

export interface FormField {
  key: string;
  kind: FieldKind;
  required: boolean;
  description?: string;
  /** enum: the choices; string: suggestions (an enum that also accepts a template). */
  options?: string[];
  /** The schema takes any value: the field switches between text and JSON. */
  anyShape?: boolean;
}

interface Schema {
  type?: string | string[];
  items?: unknown;
  enum?: unknown[];
  anyOf?: Schema[];
  description?: string;
  properties?: Record<string, Schema>;
  required?: string[];
}

/** The fields of a config schema, in its order; properties the config has but the schema lacks come last as JSON. */
export function formFields(schema: unknown, config: Record<string, unknown>): FormField[] {
  const s = (schema ?? {}) as Schema;
  const required = new Set(s.required ?? []);
  const fields: FormField[] = Object.entries(s.properties ?? {}).map(([key, property]) => fieldOf(key, property, required.has(key), config[key]));
  for (const key of Object.keys(config)) if (!s.properties?.[key]) fields.push({ key, kind: 'json', required: false });
  return fields;
}

function fieldOf(key: string, schema: Schema, required: boolean, value: unknown): FormField {
  const field: FormField = { key, kind: kindOf(schema), required };
  const description = schema.description ?? schema.anyOf?.find((s) => s.description)?.description;
  if (description) field.description = description;
  const choices = enumOf(schema);
  if (field.kind === 'enum' || (field.kind === 'string' && choices.length > 0)) field.options = choices;
  // A text where the schema also takes other shapes (a condition: a template or a JSON Logic object) is edited as
  // text, not as a JSON string literal with quotes to keep balanced.
  if (field.kind === 'json' && typeof value === 'string' && acceptsString(schema)) field.kind = 'string';
  // A value of any shape: text while it is a text (or unset), JSON otherwise; the inspector offers the switch.
  if (field.kind === 'json' && isAnyShape(schema)) {
    field.anyShape = true;
    if (value === undefined || typeof value === 'string') field.kind = 'text';
  }
  // A value the control cannot show (an object where a string is expected) is edited as JSON.
  if (value !== undefined && !fits(field.kind, value)) field.kind = 'json';
  return field;
}

function kindOf(schema: Schema): FieldKind {
  if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === 'string')) return 'enum';
  const type = Array.isArray(schema.type) ? (schema.type.length === 1 ? schema.type[0] : undefined) : schema.type;
  if (type === 'string') return 'string';
  if (type === 'number' || type === 'integer') return 'number';
  if (type === 'boolean') return 'boolean';
  if (schema.anyOf && schema.anyOf.length > 0 && schema.anyOf.every((s) => kindOf(s) === 'string' || kindOf(s) === 'enum')) return 'string';
  if (schema.anyOf && schema.anyOf.some((s) => kindOf(s) === 'number') && schema.anyOf.every((s) => ['number', 'string'].includes(kindOf(s)))) return 'number';
  return 'json';
}

function isAnyShape(schema: Schema): boolean {
  return schema.type === undefined && schema.anyOf === undefined && schema.enum === undefined && schema.properties === undefined && schema.items === undefined;
}

function acceptsString(schema: Schema): boolean {
  if (schema.type === 'string' || (Array.isArray(schema.type) && schema.type.includes('string'))) return true;
  return (schema.anyOf ?? []).some(acceptsString);
}

function enumOf(schema: Schema): string[] {
  if (Array.isArray(schema.enum)) return schema.enum.filter((v): v is string => typeof v === 'string');
  return (schema.anyOf ?? []).flatMap(enumOf);
}

function fits(kind: FieldKind, value: unknown): boolean {
  switch (kind) {
    case 'string':
    case 'text':
    case 'enum':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' || typeof value === 'string';
    case 'boolean':
      return typeof value === 'boolean';
    case 'json':
      return true;
  }
}

/** A field's text carried over when the user switches it between text and JSON. */
export function switchedText(from: FieldKind, to: FieldKind, text: string): string {
  if (from === 'text' && to === 'json') return JSON.stringify(text);
  if (from === 'json' && to === 'text') {
    try {
      const value: unknown = JSON.parse(text);
      return typeof value === 'string' ? value : text;
    } catch {
      return text;
    }
  }
  return text;
}

/** The text a control shows for a value. */
export function fieldText(kind: FieldKind, value: unknown): string {
  if (value === undefined) return '';
  if (kind === 'json') return JSON.stringify(value, null, 2);
  return String(value);
}

/**
 * A control's text as a config value: undefined removes the property (an empty optional field). Throws with a
 * sentence when JSON does not parse.
 */
export function parseField(field: FormField, text: string): unknown {
  if (text.trim() === '' && !field.required) return undefined;
  switch (field.kind) {
    case 'number': {
      const n = Number(text);
      return text.trim() !== '' && Number.isFinite(n) ? n : text;
    }
    case 'boolean':
      return text === 'true';
    case 'json':
      try {
        return JSON.parse(text);
      } catch {
        throw new Error(`${field.key} is not valid JSON.`);
      }
    default:
      return text;
  }
}
