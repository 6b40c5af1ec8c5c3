// The node inspector's tabs shared by the canvas and the execution panel: "Runs" (the node's recent executions
// across history, filtered by status, each opening its run) and "Test" (run the node alone with an input from a
// past run or edited as JSON, optionally with its http or ai call mocked, and see its output, logs and error).
// Components never post messages: the app passes its actions (NodeInspectorActions) in.

import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactElement, type Ref } from 'react';
import type { NodeRunsPage, NodeRunSummary } from '../../src/engine/history/nodeRuns';
import type { NodeTestResult, NodeTestScope } from '../../src/protocol/nodeInspectorProtocol';
import { describeAge } from '../../src/shared/describeTime';
import { formatDuration } from '../../src/shared/formatDuration';
import { announce } from './announce';
import { jsonText, parseJsonInput, type JsonInputResult } from './jsonInput';

export interface NodeInspectorActions {
  nodeRuns(nodeId: string, options: { status?: string[]; offset?: number }): Promise<NodeRunsPage>;
  nodeTestScope(nodeId: string, runId: string): Promise<NodeTestScope>;
  testNode(params: {
    nodeId: string;
    input: unknown;
    trigger?: unknown;
    nodes?: Record<string, unknown>;
    mocks?: { http?: { status?: number; headers?: Record<string, string>; body?: unknown }; ai?: { text: string } };
  }): Promise<NodeTestResult>;
  /** Stops the node's test in progress (its testNode reply then says cancelled). */
  cancelNodeTest(nodeId: string): void;
  openRun(runId: string): void;
}

export type NodeInspectorTab = 'runs' | 'test';

const STATUS_FILTERS: { value: string; label: string }[] = [
  { value: '', label: 'All statuses' },
  { value: 'completed', label: 'Completed' },
  { value: 'failed', label: 'Failed' },
  { value: 'cancelled', label: 'Cancelled' },
];

// ---- Tabs ------------------------------------------------------------------------------------------

export interface TabsProps<T extends string> {
  tabs: { id: T; label: string }[];
  active: T;
  onChange: (tab: T) => void;
  label: string;
  idPrefix: string;
}

/** A WAI-ARIA tab list: arrow keys, Home and End move between tabs; only the active tab is in the tab order. */
export function Tabs<T extends string>({ tabs, active, onChange, label, idPrefix }: TabsProps<T>): ReactElement {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const onKeyDown = (event: KeyboardEvent, index: number): void => {
    const last = tabs.length - 1;
    const next = event.key === 'ArrowRight' ? (index === last ? 0 : index + 1) : event.key === 'ArrowLeft' ? (index === 0 ? last : index - 1) : event.key === 'Home' ? 0 : event.key === 'End' ? last : -1;
    if (next < 0) return;
    event.preventDefault();
    onChange(tabs[next].id);
    refs.current[next]?.focus();
  };
  return (
    <div role="tablist" aria-label={label} className="weft-tabs">
      {tabs.map((tab, index) => (
        <button
          key={tab.id}
          ref={(el) => {
            refs.current[index] = el;
          }}
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${tab.id}`}
          aria-selected={tab.id === active}
          aria-controls={`${idPrefix}-panel-${tab.id}`}
          tabIndex={tab.id === active ? 0 : -1}
          className="weft-tab"
          onClick={() => onChange(tab.id)}
          onKeyDown={(e) => onKeyDown(e, index)}
        >
          {tab.label}
        </button>
      ))}
    </div>
  );
}

// ---- Runs of this node ------------------------------------------------------------------------------

export function NodeRunsPanel({ nodeId, actions, now = Date.now }: { nodeId: string; actions: NodeInspectorActions; now?: () => number }): ReactElement {
  const [status, setStatus] = useState('');
  const [runs, setRuns] = useState<NodeRunSummary[] | undefined>();
  const [more, setMore] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const filterId = useId();

  useEffect(() => {
    let live = true;
    setRuns(undefined);
    setError(undefined);
    actions
      .nodeRuns(nodeId, status ? { status: [status] } : {})
      .then((page) => {
        if (!live) return;
        setRuns(page.runs);
        setMore(page.more);
      })
      .catch((e: unknown) => live && setError((e as Error).message));
    return () => {
      live = false;
    };
  }, [nodeId, status, actions]);

  const loadMore = (): void => {
    actions
      .nodeRuns(nodeId, { ...(status ? { status: [status] } : {}), offset: runs?.length ?? 0 })
      .then((page) => {
        setRuns((before) => [...(before ?? []), ...page.runs]);
        setMore(page.more);
      })
      .catch((e: unknown) => setError((e as Error).message));
  };

  return (
    <div className="weft-node-runs">
      <label className="weft-field weft-field-inline" htmlFor={filterId}>
        <span>Status</span>
        <select id={filterId} value={status} onChange={(e) => setStatus(e.target.value)}>
          {STATUS_FILTERS.map((f) => (
            <option key={f.value} value={f.value}>
              {f.label}
            </option>
          ))}
        </select>
      </label>
      {error ? (
        <p className="weft-error-text" role="alert">
          {error}
        </p>
      ) : runs === undefined ? (
        <p className="weft-muted">Loading runs…</p>
      ) : runs.length === 0 ? (
        <p className="weft-muted">{status ? `No run where ${nodeId} ended ${status}.` : `${nodeId} has not run yet.`}</p>
      ) : (
        <ul className="weft-node-run-list" aria-label={`Runs of ${nodeId}`}>
          {runs.map((run) => (
            <li key={run.runId}>
              <button
                type="button"
                className="weft-node-run"
                data-run-id={run.runId}
                title={`Open run ${run.runId}`}
                aria-label={`Open run ${run.runId}: ${run.status} ${describeAge(run.startedAt, now())}${run.error ?? run.errorCode ? `, ${run.error ?? run.errorCode}` : ''}`}
                onClick={() => actions.openRun(run.runId)}
              >
                <span className="weft-status" data-status={run.status}>
                  {run.status}
                </span>
                <span className="weft-muted">{describeAge(run.startedAt, now())}</span>
                {run.durationMs !== undefined ? <span className="weft-muted">{formatDuration(run.durationMs)}</span> : null}
                {run.attempts !== undefined && run.attempts > 1 ? <span className="weft-muted">{run.attempts} attempts</span> : null}
                {run.mode === 'test' ? <span className="weft-muted">test</span> : null}
                {run.errorCode ? <span className="weft-error-text weft-node-run-error">{run.error ?? run.errorCode}</span> : null}
              </button>
            </li>
          ))}
        </ul>
      )}
      {more ? (
        <button type="button" className="secondary" onClick={loadMore}>
          Show older runs
        </button>
      ) : null}
    </div>
  );
}

// ---- Test this node ---------------------------------------------------------------------------------

export interface NodeTestPanelProps {
  nodeId: string;
  /** The node's type: offers the http or ai mock where it applies. */
  nodeType?: string;
  actions: NodeInspectorActions;
  /** The run to take the input from at first (the run the panel shows); else the node's latest run. */
  initialRunId?: string;
}

export function NodeTestPanel({ nodeId, nodeType, actions, initialRunId }: NodeTestPanelProps): ReactElement {
  const ids = useId();
  const [runs, setRuns] = useState<NodeRunSummary[]>([]);
  const [source, setSource] = useState<string>(initialRunId ?? '');
  const [inputText, setInputText] = useState('{}');
  const [triggerText, setTriggerText] = useState('');
  const [nodesText, setNodesText] = useState('');
  const [mockHttp, setMockHttp] = useState(false);
  const [httpText, setHttpText] = useState('{\n  "status": 200,\n  "body": {}\n}');
  const [mockAi, setMockAi] = useState(false);
  const [aiText, setAiText] = useState('');
  const [problem, setProblem] = useState<{ field: string; result: Extract<JsonInputResult, { ok: false }> } | undefined>();
  const [running, setRunning] = useState(false);
  const [result, setResult] = useState<NodeTestResult | undefined>();
  const [failure, setFailure] = useState<string | undefined>();
  const inputRef = useRef<HTMLTextAreaElement>(null);

  // The runs to take an input from: the node's recent ones (any status).
  useEffect(() => {
    let live = true;
    actions
      .nodeRuns(nodeId, {})
      .then((page) => {
        if (!live) return;
        setRuns(page.runs);
        setSource((current) => current || page.runs[0]?.runId || '');
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [nodeId, actions]);

  // Choosing a run fills the input and the scope with what the node saw in it.
  useEffect(() => {
    if (!source) return;
    let live = true;
    actions
      .nodeTestScope(nodeId, source)
      .then((scope) => {
        if (!live) return;
        setInputText(jsonText(scope.input) || 'null');
        setTriggerText(jsonText(scope.trigger));
        setNodesText(jsonText(scope.nodes));
        setProblem(undefined);
      })
      .catch((e: unknown) => live && setFailure((e as Error).message));
    return () => {
      live = false;
    };
  }, [nodeId, source, actions]);

  const run = (): void => {
    const fields: [string, string, unknown][] = [
      ['input', inputText, undefined],
      ['trigger', triggerText, null],
      ['nodes', nodesText, {}],
      ...(mockHttp ? ([['http mock', httpText, undefined]] as [string, string, unknown][]) : []),
    ];
    const values: Record<string, unknown> = {};
    for (const [field, text, emptyAs] of fields) {
      const parsed = parseJsonInput(text, { emptyAs });
      if (!parsed.ok) {
        setProblem({ field, result: parsed });
        announce(`The ${field} is not valid JSON: ${parsed.message}`);
        if (field === 'input' && parsed.offset !== undefined) {
          inputRef.current?.focus();
          inputRef.current?.setSelectionRange(parsed.offset, parsed.offset + 1);
        }
        return;
      }
      values[field] = parsed.value;
    }
    if (values.nodes === null || typeof values.nodes !== 'object' || Array.isArray(values.nodes)) {
      setProblem({ field: 'nodes', result: { ok: false, message: 'Upstream outputs must be an object: { "nodeId": output, … }.' } });
      return;
    }
    setProblem(undefined);
    setFailure(undefined);
    setRunning(true);
    const mocks: Parameters<NodeInspectorActions['testNode']>[0]['mocks'] = {};
    if (mockHttp) mocks.http = values['http mock'] as NonNullable<typeof mocks.http>;
    if (mockAi) mocks.ai = { text: aiText };
    actions
      .testNode({
        nodeId,
        input: values.input,
        trigger: values.trigger === null ? undefined : values.trigger,
        nodes: values.nodes as Record<string, unknown>,
        ...(mockHttp || mockAi ? { mocks } : {}),
      })
      .then((outcome) => {
        setResult(outcome);
        announce(`Test of ${nodeId}: ${outcome.status}`);
      })
      .catch((e: unknown) => setFailure((e as Error).message))
      .finally(() => setRunning(false));
  };

  // Ctrl+Enter (Cmd+Enter) in any field runs the test, as in VS Code's own inputs.
  const onKeyDown = (event: KeyboardEvent): void => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      if (!running) run();
    }
  };

  const jsonArea = (field: string, label: string, text: string, setText: (t: string) => void, rows: number, ref?: Ref<HTMLTextAreaElement>): ReactElement => {
    const id = `${ids}-${field.replace(/\s/g, '-')}`;
    const bad = problem?.field === field ? problem.result : undefined;
    return (
      <div className="weft-field">
        <label htmlFor={id}>{label}</label>
        <textarea
          id={id}
          ref={ref}
          className="weft-mono weft-json-input"
          rows={Math.min(14, Math.max(rows, text.split('\n').length))}
          value={text}
          spellCheck={false}
          aria-invalid={bad ? true : undefined}
          aria-describedby={bad ? `${id}-error` : undefined}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
        {bad ? (
          <p id={`${id}-error`} className="weft-error-text" role="alert">
            {bad.line !== undefined ? `Line ${bad.line}, column ${bad.column}: ` : ''}
            {bad.message}
          </p>
        ) : null}
      </div>
    );
  };

  return (
    <div className="weft-node-test" onKeyDown={onKeyDown}>
      <label className="weft-field" htmlFor={`${ids}-source`}>
        <span>Input from</span>
        <select id={`${ids}-source`} value={source} onChange={(e) => setSource(e.target.value)}>
          <option value="">(edited by hand)</option>
          {source && !runs.some((r) => r.runId === source) ? <option value={source}>run {source}</option> : null}
          {runs.map((r) => (
            <option key={r.runId} value={r.runId}>
              {describeAge(r.startedAt, Date.now())}, {r.status} (run {r.runId})
            </option>
          ))}
        </select>
      </label>
      {jsonArea('input', 'Input (JSON)', inputText, setInputText, 4, inputRef)}
      <details>
        <summary>Scope: the run input and upstream outputs its templates read</summary>
        {jsonArea('trigger', 'trigger (JSON)', triggerText, setTriggerText, 3)}
        {jsonArea('nodes', 'nodes: upstream outputs by node id (JSON)', nodesText, setNodesText, 3)}
      </details>
      {nodeType === 'http' || nodeType === 'ai' ? (
        <fieldset className="weft-node-test-mocks">
          <legend>Mocks</legend>
          {nodeType === 'http' ? (
            <>
              <label className="weft-field weft-field-inline">
                <input type="checkbox" checked={mockHttp} onChange={(e) => setMockHttp(e.target.checked)} />
                <span>Answer the HTTP call with a mock response instead of the network</span>
              </label>
              {mockHttp ? jsonArea('http mock', 'Mock response { status, headers, body } (JSON)', httpText, setHttpText, 4) : null}
            </>
          ) : (
            <>
              <label className="weft-field weft-field-inline">
                <input type="checkbox" checked={mockAi} onChange={(e) => setMockAi(e.target.checked)} />
                <span>Answer the model call with a mock answer instead of the API</span>
              </label>
              {mockAi ? (
                <div className="weft-field">
                  <label htmlFor={`${ids}-ai`}>Mock answer (text)</label>
                  <textarea id={`${ids}-ai`} rows={3} value={aiText} onChange={(e) => setAiText(e.target.value)} onKeyDown={onKeyDown} />
                </div>
              ) : null}
            </>
          )}
        </fieldset>
      ) : null}
      <p className="weft-node-test-actions">
        <button type="button" onClick={run} disabled={running} aria-keyshortcuts="Control+Enter">
          {running ? 'Testing…' : 'Test this node'}
        </button>
        {running ? (
          <button type="button" className="secondary" onClick={() => actions.cancelNodeTest(nodeId)}>
            Cancel
          </button>
        ) : null}
      </p>
      {failure ? (
        <p className="weft-error-text" role="alert">
          {failure}
        </p>
      ) : null}
      {result ? <TestResult result={result} /> : null}
    </div>
  );
}

function TestResult({ result }: { result: NodeTestResult }): ReactElement {
  return (
    <section className="weft-node-test-result" aria-label="Test result" data-test-status={result.status}>
      <p>
        <span className="weft-status" data-status={result.status}>
          {result.status}
        </span>
        <span className="weft-muted"> in {formatDuration(result.durationMs)}</span>
        {result.attempts > 1 ? <span className="weft-muted">, {result.attempts} attempts</span> : null}
        {result.ports ? <span className="weft-muted">, port {result.ports.join(', ')}</span> : null}
      </p>
      {result.error ? (
        <div className="weft-error-text" role="alert">
          <p>
            {result.error.code ? <span className="weft-mono">{result.error.code}: </span> : null}
            {result.error.message}
          </p>
          {result.error.hint ? <p className="weft-muted">{result.error.hint}</p> : null}
        </div>
      ) : null}
      {result.status === 'completed' ? (
        <>
          <h4 className="weft-pane-subtitle">Output</h4>
          <pre className="weft-preview weft-mono" aria-label="Output">
            {result.output === undefined ? 'undefined' : JSON.stringify(result.output, null, 2)}
          </pre>
        </>
      ) : null}
      <h4 className="weft-pane-subtitle">Logs</h4>
      {result.logs.length === 0 ? (
        <p className="weft-muted">No logs.</p>
      ) : (
        <ol className="weft-node-test-logs weft-mono" aria-label="Logs">
          {result.logs.map((line, i) => (
            <li key={i} data-level={line.level}>
              <span className="weft-muted">{line.level}</span> {line.message}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

// ---- Both tabs --------------------------------------------------------------------------------------

export interface NodeInspectorTabsProps {
  nodeId: string;
  nodeType?: string;
  actions: NodeInspectorActions;
  initialRunId?: string;
  /** Tabs of the host app before Runs and Test (the canvas's Config). */
  before?: { id: string; label: string; render: () => ReactElement }[];
  tab: string;
  onTab: (tab: string) => void;
}

/** The tab list and the active tab's panel; panels of inactive tabs are not rendered (nothing to fetch). */
export function NodeInspectorTabs({ nodeId, nodeType, actions, initialRunId, before = [], tab, onTab }: NodeInspectorTabsProps): ReactElement {
  const prefix = `weft-node-${useId().replace(/:/g, '')}`;
  const tabs = [...before.map(({ id, label }) => ({ id, label })), { id: 'runs', label: 'Runs' }, { id: 'test', label: 'Test' }];
  const active = tabs.some((t) => t.id === tab) ? tab : tabs[0].id;
  const custom = before.find((b) => b.id === active);
  return (
    <div className="weft-node-inspector">
      <Tabs tabs={tabs} active={active} onChange={onTab} label={`Inspector of ${nodeId}`} idPrefix={prefix} />
      <div role="tabpanel" id={`${prefix}-panel-${active}`} aria-labelledby={`${prefix}-tab-${active}`} className="weft-tab-panel">
        {custom ? custom.render() : active === 'runs' ? <NodeRunsPanel key={nodeId} nodeId={nodeId} actions={actions} /> : <NodeTestPanel key={nodeId} nodeId={nodeId} nodeType={nodeType} actions={actions} initialRunId={initialRunId} />}
      </div>
    </div>
  );
}
