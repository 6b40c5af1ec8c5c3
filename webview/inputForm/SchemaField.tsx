// One field of the input form, drawn from its JSON Schema, and its children: an object is a group of fields, an
// array a list of items with Add and Remove, an enum a select, a boolean a checkbox, a number or a string a text
// box (the string's `format` picks the box: date, email, url), anything else a JSON box. Each field shows its
// title, required mark, description, default and the errors placed at it; they are tied to the control with
// aria-describedby so a screen reader reads them with it.

import { useEffect, useState, type JSX } from 'react';
import { enumChoices, fieldKind, itemsOf, propertiesOf, requiredOf, resolveRef, type JsonSchema } from '../../src/shared/schemaKind';
import { defaultsOf } from '../../src/shared/schemaSample';
import { parseJson } from '../shared/jsonParseError';
import { toPointer, type Path } from './valuePath';

export interface FieldContext {
  root: JsonSchema;
  errors: Map<string, string[]>;
  onChange(path: Path, value: unknown): void;
  onRemoveItem(path: Path, index: number): void;
}

interface FieldProps {
  context: FieldContext;
  schema: JsonSchema;
  path: Path;
  value: unknown;
  name: string;
  required: boolean;
}

/** A DOM id from a pointer: stable across renders, so labels and descriptions stay tied to their control. */
export function fieldId(path: Path, suffix = ''): string {
  return `field${toPointer(path).replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}${suffix}`;
}

export function SchemaField({ context, schema, path, value, name, required }: FieldProps): JSX.Element {
  const resolved = resolveRef(schema, context.root);
  const kind = fieldKind(resolved);
  if (kind === 'object') return <ObjectField context={context} schema={resolved} path={path} value={value} name={name} required={required} />;
  if (kind === 'array') return <ArrayField context={context} schema={resolved} path={path} value={value} name={name} required={required} />;
  return <LeafField context={context} schema={resolved} path={path} value={value} name={name} required={required} />;
}

function titleOf(schema: JsonSchema, name: string): string {
  return typeof schema.title === 'string' && schema.title ? schema.title : name;
}

function Description({ schema, id }: { schema: JsonSchema; id: string }): JSX.Element | null {
  const description = typeof schema.description === 'string' ? schema.description : undefined;
  const hasDefault = schema.default !== undefined;
  if (!description && !hasDefault) return null;
  return (
    <div className="field-description" id={id}>
      {description}
      {hasDefault ? <span className="field-default">{description ? ' ' : ''}Default: {JSON.stringify(schema.default)}</span> : null}
    </div>
  );
}

function FieldErrors({ messages, id }: { messages: string[] | undefined; id: string }): JSX.Element | null {
  if (!messages || messages.length === 0) return null;
  return (
    <div className="field-error" id={id}>
      <span className="codicon codicon-error" aria-hidden="true" /> {messages.map(sentence).join(' ')}
    </div>
  );
}

/** "must be number" → "Must be number."; the engine's "is required" → "Required." (it is said at the field). */
function sentence(message: string): string {
  const bare = message.replace(/^is (required|not allowed)$/, '$1');
  const text = bare.charAt(0).toUpperCase() + bare.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function RequiredMark({ required }: { required: boolean }): JSX.Element | null {
  return required ? (
    <span className="field-required" title="Required">
      {' *'}
      <span className="weft-visually-hidden"> (required)</span>
    </span>
  ) : null;
}

function describedBy(schema: JsonSchema, errors: string[] | undefined, path: Path): string | undefined {
  const ids = [];
  if (typeof schema.description === 'string' || schema.default !== undefined) ids.push(fieldId(path, '-description'));
  if (errors?.length) ids.push(fieldId(path, '-error'));
  return ids.length ? ids.join(' ') : undefined;
}

function ObjectField({ context, schema, path, value, name, required }: FieldProps): JSX.Element {
  const requiredNames = requiredOf(schema);
  const errors = path.length > 0 ? context.errors.get(toPointer(path)) : undefined;
  const fields = propertiesOf(schema).map(([property, propertySchema]) => (
    <SchemaField
      key={property}
      context={context}
      schema={propertySchema}
      path={[...path, property]}
      value={value && typeof value === 'object' ? (value as Record<string, unknown>)[property] : undefined}
      name={property}
      required={requiredNames.has(property)}
    />
  ));
  if (path.length === 0) return <div className="form-fields">{fields}</div>;
  return (
    <fieldset className="field field-group" data-pointer={toPointer(path)} aria-describedby={describedBy(schema, errors, path)} aria-invalid={errors ? true : undefined}>
      <legend>
        {titleOf(schema, name)}
        <RequiredMark required={required} />
      </legend>
      <Description schema={schema} id={fieldId(path, '-description')} />
      <FieldErrors messages={errors} id={fieldId(path, '-error')} />
      {fields.length > 0 ? fields : <p className="field-description">No fields.</p>}
    </fieldset>
  );
}

function ArrayField({ context, schema, path, value, name, required }: FieldProps): JSX.Element {
  const items = Array.isArray(value) ? value : [];
  const itemSchema = itemsOf(schema);
  const errors = context.errors.get(toPointer(path));
  const title = titleOf(schema, name);
  const add = (): void => context.onChange([...path, items.length], newItem(resolveRef(itemSchema, context.root), context.root));
  return (
    <fieldset className="field field-group field-array" data-pointer={toPointer(path)} aria-describedby={describedBy(schema, errors, path)} aria-invalid={errors ? true : undefined}>
      <legend>
        {title}
        <RequiredMark required={required} />
      </legend>
      <Description schema={schema} id={fieldId(path, '-description')} />
      <FieldErrors messages={errors} id={fieldId(path, '-error')} />
      {items.length === 0 ? <p className="field-description">No items.</p> : null}
      <ol className="array-items">
        {items.map((item, index) => (
          <li key={index} className="array-item">
            <SchemaField context={context} schema={itemSchema} path={[...path, index]} value={item} name={`${title} ${index + 1}`} required={false} />
            <button type="button" className="icon secondary" aria-label={`Remove ${title} ${index + 1}`} title="Remove" onClick={() => context.onRemoveItem(path, index)}>
              <span className="codicon codicon-trash" aria-hidden="true" />
            </button>
          </li>
        ))}
      </ol>
      <button type="button" className="secondary" onClick={add}>
        <span className="codicon codicon-add" aria-hidden="true" /> Add {title} item
      </button>
    </fieldset>
  );
}

/** What "Add item" puts in: the item's defaults, else an empty value of its kind. */
function newItem(schema: JsonSchema, root: JsonSchema): unknown {
  const defaults = defaultsOf(schema, root, 1);
  if (defaults !== undefined) return defaults;
  switch (fieldKind(schema)) {
    case 'object':
      return {};
    case 'array':
      return [];
    case 'boolean':
      return false;
    case 'enum':
      return enumChoices(schema)[0];
    case 'string':
      return '';
    default:
      return null;
  }
}

/** The HTML input type for a string's format; formats a browser box would mangle (date-time, time) stay text. */
const FORMAT_INPUT: Record<string, string> = { date: 'date', email: 'email', 'idn-email': 'email', uri: 'url', url: 'url', iri: 'url' };

function LeafField({ context, schema, path, value, name, required }: FieldProps): JSX.Element {
  const kind = fieldKind(schema);
  const pointer = toPointer(path);
  const errors = context.errors.get(pointer);
  const id = fieldId(path);
  const common = {
    id,
    'aria-describedby': describedBy(schema, errors, path),
    'aria-invalid': errors ? true : undefined,
    'aria-required': required || undefined,
  } as const;
  const set = (next: unknown): void => context.onChange(path, next);
  let control: JSX.Element;
  if (kind === 'boolean') {
    control = <input type="checkbox" {...common} checked={value === true} onChange={(event) => set(event.currentTarget.checked)} />;
  } else if (kind === 'enum') {
    const choices = enumChoices(schema);
    const index = choices.findIndex((choice) => choice === value);
    control = (
      <select {...common} value={index === -1 ? '' : String(index)} onChange={(event) => set(event.currentTarget.value === '' ? undefined : choices[Number(event.currentTarget.value)])}>
        {/* An optional enum can be left out; a required one starts unchosen until the user picks. */}
        {!required || index === -1 ? <option value="">{required ? 'Choose…' : '(none)'}</option> : null}
        {choices.map((choice, i) => (
          <option key={i} value={String(i)}>
            {typeof choice === 'string' ? choice : JSON.stringify(choice)}
          </option>
        ))}
      </select>
    );
  } else if (kind === 'number' || kind === 'integer') {
    control = <NumberBox common={common} value={value} onChange={set} integer={kind === 'integer'} />;
  } else if (kind === 'string') {
    const format = typeof schema.format === 'string' ? schema.format : undefined;
    control = (
      <input
        type={(format && FORMAT_INPUT[format]) ?? 'text'}
        {...common}
        value={typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value)}
        placeholder={format}
        spellCheck={false}
        // An optional string left empty is left out of the input (the schema's default then applies).
        onChange={(event) => set(event.currentTarget.value === '' && !required ? undefined : event.currentTarget.value)}
      />
    );
  } else {
    control = <JsonBox common={common} value={value} onChange={set} />;
  }
  const checkbox = kind === 'boolean';
  return (
    <div className={`field field-${kind}`} data-pointer={pointer}>
      <label htmlFor={id} className={checkbox ? 'field-label field-label-checkbox' : 'field-label'}>
        {checkbox ? control : null}
        {titleOf(schema, name)}
        <RequiredMark required={required} />
        {kind === 'json' ? <span className="field-hint"> (JSON)</span> : null}
      </label>
      {checkbox ? null : control}
      <Description schema={schema} id={fieldId(path, '-description')} />
      <FieldErrors messages={errors} id={fieldId(path, '-error')} />
    </div>
  );
}

type CommonProps = { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean; 'aria-required'?: boolean };

/** A number as typed: "1." or "-" stay in the box while the value is the number so far; text that is no number
 * goes into the value as text, so the validator says "must be number" at the field. */
function NumberBox({ common, value, onChange, integer }: { common: CommonProps; value: unknown; onChange(next: unknown): void; integer: boolean }): JSX.Element {
  const [draft, setDraft] = useState(() => textOfNumber(value));
  useEffect(() => {
    // A value set from outside (a preset, the sample, JSON mode) replaces the draft; the user's own typing does not.
    if (!sameNumber(draft, value)) setDraft(textOfNumber(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the value changes
  }, [value]);
  return (
    <input
      type="text"
      inputMode={integer ? 'numeric' : 'decimal'}
      {...common}
      value={draft}
      onChange={(event) => {
        const text = event.currentTarget.value;
        setDraft(text);
        onChange(numberOfText(text));
      }}
    />
  );
}

function textOfNumber(value: unknown): string {
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : String(value);
}

function numberOfText(text: string): unknown {
  if (text.trim() === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : text;
}

function sameNumber(draft: string, value: unknown): boolean {
  return numberOfText(draft) === value || (draft === '' && value === undefined);
}

/** A value the form has no widget for, as JSON; text that is not JSON stays in the box with its error. */
function JsonBox({ common, value, onChange }: { common: CommonProps; value: unknown; onChange(next: unknown): void }): JSX.Element {
  const [draft, setDraft] = useState(() => (value === undefined ? '' : JSON.stringify(value)));
  const [problem, setProblem] = useState<string | undefined>(undefined);
  useEffect(() => {
    const parsed = draft.trim() === '' ? undefined : parseJson(draft);
    const current = parsed === undefined ? undefined : parsed.ok ? parsed.value : Symbol.for('unparsed');
    if (JSON.stringify(current) !== JSON.stringify(value) && !(parsed && !parsed.ok)) setDraft(value === undefined ? '' : JSON.stringify(value));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- only when the value changes
  }, [value]);
  const problemId = `${common.id}-json-error`;
  return (
    <>
      <textarea
        {...common}
        aria-describedby={[common['aria-describedby'], problem ? problemId : undefined].filter(Boolean).join(' ') || undefined}
        aria-invalid={common['aria-invalid'] || !!problem || undefined}
        className="json-box"
        rows={2}
        spellCheck={false}
        value={draft}
        onChange={(event) => {
          const text = event.currentTarget.value;
          setDraft(text);
          if (text.trim() === '') {
            setProblem(undefined);
            onChange(undefined);
            return;
          }
          const parsed = parseJson(text);
          if (parsed.ok) {
            setProblem(undefined);
            onChange(parsed.value);
          } else setProblem(`Line ${parsed.line}, column ${parsed.column}: ${parsed.message}`);
        }}
      />
      {problem ? (
        <div className="field-error" id={problemId}>
          <span className="codicon codicon-error" aria-hidden="true" /> {problem}
        </div>
      ) : null}
    </>
  );
}
