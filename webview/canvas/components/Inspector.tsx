// The selected node: a form for its name, disabled flag and config (generated from its type's config schema),
// and its record in the current or last run, with a way to open that run (the Config tab); with the node
// inspector's actions, also its runs across history and a test of the node alone (the Runs and Test tabs).

import { useState, type FormEvent, type ReactElement } from 'react';
import type { CanvasNode, CanvasNodeDetails, PaletteEntry } from '../../../src/protocol/canvasProtocol';
import { fieldText, formFields, parseField, switchedText, type FieldKind, type FormField } from '../schemaForm';
import { Icon } from '../../shared/Icon';
import { NodeInspectorTabs, type NodeInspectorActions } from '../../shared/NodeInspector';

export interface InspectorProps {
  node: CanvasNode;
  entry?: PaletteEntry;
  readOnly: boolean;
  details: CanvasNodeDetails | null;
  onApply: (fields: { config: Record<string, unknown>; name: string; disabled: boolean }) => void;
  onOpenRun: (runId: string) => void;
  onReveal: () => void;
  onClose: () => void;
  /** The Runs and Test tabs' requests; without them the inspector shows the config alone. */
  inspectorActions?: NodeInspectorActions;
  /** The tab shown (the app keeps it across selections). */
  tab?: string;
  onTab?: (tab: string) => void;
}

export function Inspector(props: InspectorProps): ReactElement {
  const { node, entry, readOnly, details } = props;
  const [kinds, setKinds] = useState<Record<string, FieldKind>>({});
  // A field of any shape may have been switched between text and JSON by the user.
  const fields = formFields(entry?.configSchema, node.config).map((f) => (kinds[f.key] ? { ...f, kind: kinds[f.key] } : f));
  const [name, setName] = useState(node.name ?? '');
  const [disabled, setDisabled] = useState(node.disabled === true);
  const [texts, setTexts] = useState<Record<string, string>>(() => Object.fromEntries(fields.map((f) => [f.key, fieldText(f.kind, node.config[f.key])])));
  const [error, setError] = useState<string | undefined>();

  const submit = (event: FormEvent): void => {
    event.preventDefault();
    try {
      const config: Record<string, unknown> = { ...node.config };
      for (const field of fields) {
        const value = parseField(field, texts[field.key] ?? '');
        if (value === undefined) delete config[field.key];
        else config[field.key] = value;
      }
      setError(undefined);
      props.onApply({ config, name: name.trim(), disabled });
    } catch (e) {
      setError((e as Error).message);
    }
  };

  const configPane = (
    <>
      <RunDetails details={details} onOpenRun={props.onOpenRun} />
      <form onSubmit={submit}>
        <fieldset disabled={readOnly}>
          <label className="weft-field">
            <span>Name</span>
            <input value={name} onChange={(e) => setName(e.target.value)} />
          </label>
          <label className="weft-field weft-field-inline">
            <input type="checkbox" checked={disabled} onChange={(e) => setDisabled(e.target.checked)} />
            <span>Disabled (does not run; its input passes through)</span>
          </label>
          {fields.map((field) => (
            <Field
              key={field.key}
              field={field}
              text={texts[field.key] ?? ''}
              onChange={(text) => setTexts((t) => ({ ...t, [field.key]: text }))}
              onKind={(kind) => {
                setTexts((t) => ({ ...t, [field.key]: switchedText(field.kind, kind, t[field.key] ?? '') }));
                setKinds((k) => ({ ...k, [field.key]: kind }));
              }}
            />
          ))}
          {error ? (
            <p className="weft-error-text" role="alert">
              {error}
            </p>
          ) : null}
          {readOnly ? null : <button type="submit">Apply</button>}
        </fieldset>
      </form>
      <button type="button" className="secondary" onClick={props.onReveal}>
        Show in text
      </button>
    </>
  );

  return (
    <aside id="weft-inspector" className="weft-inspector" aria-label={`Node ${node.id}`}>
      <div className="weft-pane-header">
        <h2 className="weft-pane-title">
          {node.type} <span className="weft-mono">{node.id}</span>
        </h2>
        <button type="button" className="icon" aria-label="Close the inspector" onClick={props.onClose}>
          <Icon name="close" />
        </button>
      </div>
      {entry ? <p className="weft-muted">{entry.title}</p> : null}
      {props.inspectorActions ? (
        <NodeInspectorTabs
          nodeId={node.id}
          nodeType={node.type}
          actions={props.inspectorActions}
          initialRunId={details && !details.live ? details.runId : undefined}
          tab={props.tab ?? 'config'}
          onTab={(tab) => props.onTab?.(tab)}
          before={[{ id: 'config', label: 'Config', render: () => configPane }]}
        />
      ) : (
        configPane
      )}
    </aside>
  );
}

function Field({ field, text, onChange, onKind }: { field: FormField; text: string; onChange: (text: string) => void; onKind: (kind: FieldKind) => void }): ReactElement {
  const id = `weft-field-${field.key}`;
  const label = (
    <span>
      {field.key}
      {field.required ? ' *' : ''}
    </span>
  );
  const hint = field.description ? <small className="weft-muted">{field.description}</small> : null;
  if (field.kind === 'boolean') {
    return (
      <label className="weft-field weft-field-inline">
        <input type="checkbox" checked={text === 'true'} onChange={(e) => onChange(String(e.target.checked))} />
        {label}
        {hint}
      </label>
    );
  }
  if (field.kind === 'enum') {
    return (
      <label className="weft-field">
        {label}
        <select value={text} onChange={(e) => onChange(e.target.value)}>
          {field.required ? null : <option value="">(default)</option>}
          {(field.options ?? []).map((o) => (
            <option key={o} value={o}>
              {o}
            </option>
          ))}
        </select>
        {hint}
      </label>
    );
  }
  if (field.kind === 'json' || field.kind === 'text') {
    const json = field.kind === 'json';
    return (
      <div className="weft-field">
        <label htmlFor={id}>{label}</label>
        <textarea
          id={id}
          className={json ? 'weft-mono' : undefined}
          rows={Math.min(12, Math.max(json ? 3 : 2, text.split('\n').length))}
          value={text}
          onChange={(e) => onChange(e.target.value)}
          spellCheck={false}
        />
        {field.anyShape ? (
          <label className="weft-field-inline">
            <input type="checkbox" checked={json} onChange={(e) => onKind(e.target.checked ? 'json' : 'text')} />
            <span>JSON (an object, a list, a number)</span>
          </label>
        ) : null}
        {hint}
      </div>
    );
  }
  return (
    <label className="weft-field">
      {label}
      <input
        id={id}
        value={text}
        inputMode={field.kind === 'number' ? 'decimal' : undefined}
        list={field.options?.length ? `${id}-options` : undefined}
        onChange={(e) => onChange(e.target.value)}
        spellCheck={false}
      />
      {field.options?.length ? (
        <datalist id={`${id}-options`}>
          {field.options.map((o) => (
            <option key={o} value={o} />
          ))}
        </datalist>
      ) : null}
      {hint}
    </label>
  );
}

function RunDetails({ details, onOpenRun }: { details: CanvasNodeDetails | null; onOpenRun: (runId: string) => void }): ReactElement | null {
  if (!details) return null;
  return (
    <section className="weft-run-details" aria-label={details.live ? 'Current run' : 'Last run'}>
      <h3 className="weft-pane-subtitle">{details.live ? 'Current run' : 'Last run'}</h3>
      <p>
        <span className="weft-status" data-status={details.status}>
          {details.status}
        </span>
        {details.durationMs !== undefined ? <span className="weft-muted"> in {Math.round(details.durationMs)} ms</span> : null}
        {details.attempts && details.attempts > 1 ? <span className="weft-muted">, {details.attempts} attempts</span> : null}
      </p>
      {details.error ? (
        <p className="weft-error-text">
          {details.error}
          {details.errorHandled ? ' (handled)' : ''}
        </p>
      ) : null}
      {details.output !== undefined ? (
        <details>
          <summary>Output</summary>
          <pre className="weft-preview">{details.output}</pre>
        </details>
      ) : null}
      {details.input !== undefined ? (
        <details>
          <summary>Input</summary>
          <pre className="weft-preview">{details.input}</pre>
        </details>
      ) : null}
      <button type="button" className="secondary" onClick={() => onOpenRun(details.runId)}>
        Open run
      </button>
    </section>
  );
}
