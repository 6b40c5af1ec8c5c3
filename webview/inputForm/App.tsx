// The run input form: every field of the flow's `inputs` schema at once, or the whole input as JSON (one value,
// two views: each edit in either updates it). Each change is validated by the host with the engine's validator,
// and the errors are shown at their fields: those of fields the user has edited, and all of them once a value was
// loaded whole (a test's input, a preset, the sample) or Run was pressed. Run (Enter in a box, Ctrl+Enter
// anywhere) submits; the host runs only a valid input.

import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent, type JSX, type KeyboardEvent } from 'react';
import type { InputFieldError, InputFormNotifications, NamedInput } from '../../src/protocol/inputFormProtocol';
import { sampleOf } from '../../src/shared/schemaSample';
import * as actions from './actions';
import { drawnFields } from './drawnFields';
import { placeErrors } from './errorPlacement';
import { parseJson } from '../shared/jsonParseError';
import { SchemaField, fieldId, type FieldContext } from './SchemaField';
import { inSchemaOrder } from './schemaOrder';
import { removeAt, setAt, toPointer, type Path } from './valuePath';

type Loaded = InputFormNotifications['didLoadForm'];
type Mode = 'form' | 'json';

interface JsonProblem {
  message: string;
  line: number;
  column: number;
}

export function App(): JSX.Element {
  const [form, setForm] = useState<Loaded | undefined>(undefined);
  const [value, setValue] = useState<unknown>(undefined);
  const [mode, setMode] = useState<Mode>('form');
  const [jsonText, setJsonText] = useState('');
  const [jsonProblem, setJsonProblem] = useState<JsonProblem | undefined>(undefined);
  const [errors, setErrors] = useState<InputFieldError[]>([]);
  const [touched, setTouched] = useState<ReadonlySet<string>>(new Set());
  const [showAll, setShowAll] = useState(false);
  const [presets, setPresets] = useState<NamedInput[]>([]);
  const [source, setSource] = useState<string>('');
  const [presetName, setPresetName] = useState('');
  const [status, setStatus] = useState('');
  const [busy, setBusy] = useState(false);
  const validation = useRef(0);
  const root = useRef<HTMLFormElement>(null);

  useEffect(() => {
    const stop = actions.onLoad((loaded) => {
      setForm(loaded);
      setValue(loaded.initial);
      setJsonText(jsonOf(loaded.initial, loaded.schema));
      setPresets(loaded.presets);
      setSource(loaded.initialSource ?? 'defaults');
    });
    actions.ready();
    return stop;
  }, []);

  // Validation as you type: the newest answer wins (an older one may arrive after it).
  useEffect(() => {
    if (!form) return;
    const ticket = ++validation.current;
    actions.validate(value).then(
      (found) => {
        if (ticket === validation.current) setErrors(found);
      },
      () => undefined,
    );
  }, [form, value]);

  /** A whole value from elsewhere (a test, a preset, the sample): both views show it, all its errors too. */
  const replaceValue = useCallback((next: unknown, from: string) => {
    setValue(next);
    setJsonText(jsonOf(next, form?.schema));
    setJsonProblem(undefined);
    setShowAll(true);
    setSource(from);
    setStatus(`Loaded ${from}.`);
  }, [form]);

  const context: FieldContext = useMemo(() => {
    const shown = showAll ? errors : errors.filter((error) => [...touched].some((pointer) => isWithin(error.path, pointer)));
    return {
      root: form?.schema ?? {},
      errors: placeErrors(shown, form ? drawnFields(form.schema, value) : new Set(['/'])),
      onChange: (path: Path, next: unknown) => {
        setValue((current: unknown) => {
          const updated = setAt(current, path, next);
          setJsonText(jsonOf(updated, form?.schema));
          return updated;
        });
        setTouched((current) => new Set(current).add(toPointer(path)));
      },
      onRemoveItem: (path: Path, index: number) => {
        setValue((current: unknown) => {
          const updated = removeAt(current, path, index);
          setJsonText(jsonOf(updated, form?.schema));
          return updated;
        });
        setTouched((current) => new Set(current).add(toPointer(path)));
      },
    };
  }, [form, errors, touched, showAll, value]);

  if (!form) return <p className="input-form-loading">Loading the input form…</p>;

  const onJsonChange = (text: string): void => {
    setJsonText(text);
    const parsed = parseJson(text);
    if (parsed.ok) {
      setJsonProblem(undefined);
      setValue(parsed.value);
      setShowAll(true);
    } else setJsonProblem({ message: parsed.message, line: parsed.line, column: parsed.column });
  };

  const submit = async (event?: FormEvent): Promise<void> => {
    event?.preventDefault();
    if (busy) return;
    if (mode === 'json' && jsonProblem) {
      setStatus(`The JSON is not valid (line ${jsonProblem.line}, column ${jsonProblem.column}): fix it to run.`);
      return;
    }
    setBusy(true);
    try {
      const found = await actions.submit(value);
      if (found.length === 0) return; // the host closes the form and runs
      setErrors(found);
      setShowAll(true);
      const message = `${found.length === 1 ? 'One problem' : `${found.length} problems`} to fix before running.`;
      setStatus(message);
      // The first field that says what is wrong takes the focus.
      requestAnimationFrame(() => root.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
    } catch (error) {
      setStatus((error as Error).message);
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void submit();
    }
  };

  const loadChoice = (key: string): void => {
    const [kind, index] = key.split(':');
    if (kind === 'test') replaceValue(structuredClone(form.testInputs[Number(index)].input), `test “${form.testInputs[Number(index)].name}”`);
    else if (kind === 'preset') {
      const preset = presets[Number(index)];
      replaceValue(structuredClone(preset.input), `preset “${preset.name}”`);
      setPresetName(preset.name);
    } else if (kind === 'last') replaceValue(structuredClone(form.initial), 'the last run’s input');
  };

  const savePreset = async (): Promise<void> => {
    const name = presetName.trim();
    if (!name) {
      setStatus('Name the preset to save it.');
      return;
    }
    try {
      const existed = presets.some((preset) => preset.name === name);
      setPresets(await actions.savePreset(name, value));
      setStatus(existed ? `Preset “${name}” replaced.` : `Preset “${name}” saved in ${form.presetsLocation}.`);
    } catch (error) {
      setStatus((error as Error).message);
    }
  };

  const deletePreset = async (): Promise<void> => {
    const name = presetName.trim();
    try {
      const left = await actions.deletePreset(name);
      const deleted = left.length < presets.length;
      setPresets(left);
      setStatus(deleted ? `Preset “${name}” deleted.` : `Preset “${name}” kept.`);
    } catch (error) {
      setStatus((error as Error).message);
    }
  };

  const presetExists = presets.some((preset) => preset.name === presetName.trim());
  const jsonErrorId = 'json-problem';
  const rootErrors = context.errors.get('/');
  const shownCount = [...context.errors.values()].reduce((n, list) => n + list.length, 0);

  return (
    <form ref={root} className="input-form" onSubmit={submit} onKeyDown={onKeyDown} noValidate aria-labelledby="input-form-title">
      <header className="input-form-header">
        <h1 id="input-form-title">Run {form.flowName}</h1>
        <p className="input-form-source" data-testid="input-source">
          Input: {source}
        </p>
      </header>

      <div className="input-form-toolbar" role="group" aria-label="Load and save inputs">
        <label className="toolbar-field">
          <span>Load</span>
          <select aria-label="Load an input" value="" onChange={(event) => loadChoice(event.currentTarget.value)}>
            <option value="">Choose an input…</option>
            {form.initialSource ? <option value="last:0">The last run’s input</option> : null}
            {form.testInputs.length > 0 ? (
              <optgroup label="Tests in the flow">
                {form.testInputs.map((test, index) => (
                  <option key={test.name} value={`test:${index}`}>
                    {test.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {presets.length > 0 ? (
              <optgroup label="Presets">
                {presets.map((preset, index) => (
                  <option key={preset.name} value={`preset:${index}`}>
                    {preset.name}
                  </option>
                ))}
              </optgroup>
            ) : null}
          </select>
        </label>
        <button type="button" className="secondary" onClick={() => replaceValue(sampleOf(form.schema), 'a sample from the schema')} title="Fill every field with an example made from the schema">
          <span className="codicon codicon-sparkle" aria-hidden="true" /> Sample
        </button>
        <button
          type="button"
          className="secondary"
          aria-pressed={mode === 'json'}
          disabled={mode === 'json' && !!jsonProblem}
          title={mode === 'json' && jsonProblem ? 'Fix the JSON to go back to the form' : undefined}
          onClick={() => {
            if (mode === 'form') setJsonText(jsonOf(value, form.schema));
            setMode(mode === 'form' ? 'json' : 'form');
          }}
        >
          <span className="codicon codicon-json" aria-hidden="true" /> Edit as JSON
        </button>
        {form.presetsLocation ? (
          <span className="toolbar-presets">
            <input aria-label="Preset name" placeholder="Preset name" value={presetName} onChange={(event) => setPresetName(event.currentTarget.value)} maxLength={100} />
            <button type="button" className="secondary" onClick={savePreset} title={`Save this input as a preset in ${form.presetsLocation}`}>
              <span className="codicon codicon-save" aria-hidden="true" /> Save preset
            </button>
            <button type="button" className="secondary" onClick={deletePreset} disabled={!presetExists} title="Delete the preset of this name">
              <span className="codicon codicon-trash" aria-hidden="true" /> Delete preset
            </button>
          </span>
        ) : null}
      </div>

      {rootErrors ? (
        <div className="field-error form-error" id={fieldId([], '-error')}>
          <span className="codicon codicon-error" aria-hidden="true" /> {rootErrors.join(' ')}
        </div>
      ) : null}

      {mode === 'form' ? (
        <SchemaField context={context} schema={form.schema} path={[]} value={value} name="input" required />
      ) : (
        <div className="json-mode">
          <label htmlFor="json-input" className="field-label">
            Input as JSON
          </label>
          <textarea
            id="json-input"
            className="json-input"
            spellCheck={false}
            value={jsonText}
            aria-invalid={jsonProblem ? true : undefined}
            aria-describedby={jsonProblem || shownCount > 0 ? jsonErrorId : undefined}
            onChange={(event) => onJsonChange(event.currentTarget.value)}
          />
          <div id={jsonErrorId}>
            {jsonProblem ? (
              <div className="field-error" data-testid="json-parse-error">
                <span className="codicon codicon-error" aria-hidden="true" /> Line {jsonProblem.line}, column {jsonProblem.column}: {jsonProblem.message}
              </div>
            ) : (
              errors.map((error) => (
                <div key={`${error.path} ${error.message}`} className="field-error">
                  <span className="codicon codicon-error" aria-hidden="true" /> {error.path}: {error.message}
                </div>
              ))
            )}
          </div>
        </div>
      )}

      <footer className="input-form-footer">
        <button type="submit" disabled={busy}>
          <span className="codicon codicon-play" aria-hidden="true" /> Run
        </button>
        <button type="button" className="secondary" onClick={() => actions.cancel()}>
          Cancel
        </button>
        <span className="input-form-status" role="status">
          {status}
        </span>
        <span className="input-form-keys">Ctrl+Enter runs</span>
      </footer>
    </form>
  );
}

/** The value as JSON mode shows it: indented, keys in the schema's order. */
function jsonOf(value: unknown, schema: Record<string, unknown> | undefined): string {
  return JSON.stringify(schema ? inSchemaOrder(value ?? {}, schema) : (value ?? {}), null, 2);
}

/** Whether the pointer `path` is `pointer` or inside it. */
function isWithin(path: string, pointer: string): boolean {
  return path === pointer || path.startsWith(pointer + '/');
}
