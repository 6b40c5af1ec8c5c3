// The execution panel: receives the run from the host (a snapshot, batches of events, the end), folds it into the
// view model (runState.ts) and draws the header, the timeline, the node cards and the log.
//
// The view model is kept in a ref and changed in place by the reducer (O(events) for 10,000-node runs); `version`
// in state makes React render. Only UI state (the run shown, open cards, selection, log filter) goes to setState.
//
// The end-to-end latency test reads two things: the root element's data-run-status / data-run-id, and
// document.body.dataset.firstNodeEventAt, set once per run when the first node event has been rendered.

import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { DebugPauseView, RunSnapshot } from '../../src/protocol/executionProtocol';
import { announce } from '../shared/announce';
import { Icon } from '../shared/Icon';
import { NodeInspectorTabs } from '../shared/NodeInspector';
import * as actions from './actions';
import { DebugPauseBanner } from './DebugPauseBanner';
import { Header } from './Header';
import { DEFAULT_LOG_FILTER, formatLogText, logFileName, type LogFilter } from './logFilter';
import { LogView } from './LogView';
import type { NodeCardActions } from './NodeCard';
import { NodeList } from './NodeList';
import { createRunView, reduceRun, type LogLine, type RunInput, type RunView } from './runState';
import { Timeline } from './Timeline';

interface Meta {
  viewId: number;
  file: string;
  fileName: string;
  requestId?: string;
  live: boolean;
  message?: string;
}

export function App(): ReactElement {
  const saved = useMemo(() => actions.loadUiState(), []);
  const viewRef = useRef<RunView>(createRunView());
  const metaRef = useRef<Meta | undefined>(undefined);
  const [version, setVersion] = useState(0);
  const [meta, setMeta] = useState<Meta | undefined>(undefined);
  const [debugPause, setDebugPause] = useState<DebugPauseView>({});
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set(saved.expanded ?? []));
  const [selected, setSelected] = useState<string | undefined>(saved.selected);
  const [scrollRequest, setScrollRequest] = useState(0);
  /** The node the inspector shows (its runs, Test this node); undefined: the inspector is closed. */
  const [inspected, setInspected] = useState<string | undefined>();
  const [inspectorTab, setInspectorTab] = useState(saved.inspectorTab ?? 'test');
  const [logFilter, setLogFilter] = useState<LogFilter>({ minLevel: saved.logLevel ?? DEFAULT_LOG_FILTER.minLevel, search: saved.logSearch ?? '' });
  const root = useRef<HTMLDivElement>(null);
  const markedFirstEvent = useRef<number | undefined>(undefined);
  /** The run shown last (from the saved UI state after a reload), to tell a new run from the same one again. */
  const lastRun = useRef<{ requestId?: string; runId?: string } | undefined>(saved.run ? { ...saved.run } : undefined);

  const apply = useCallback((input: RunInput): void => {
    viewRef.current = reduceRun(viewRef.current, input);
    setVersion(viewRef.current.version);
  }, []);

  useEffect(() => {
    const offs = [
      actions.onRunChanged((snapshot: RunSnapshot) => {
        const runId = snapshot.runId ?? snapshot.record?.id;
        const last = lastRun.current;
        const sameRun = !!last && ((!!snapshot.requestId && snapshot.requestId === last.requestId) || (!!runId && runId === last.runId));
        lastRun.current = { requestId: snapshot.requestId, runId };
        metaRef.current = {
          viewId: snapshot.viewId,
          file: snapshot.file,
          fileName: snapshot.fileName,
          requestId: snapshot.requestId,
          live: snapshot.live,
          message: snapshot.message,
        };
        setMeta(metaRef.current);
        // A new run starts with its cards closed; the same run shown again (a reload) keeps the user's choices.
        if (!sameRun) {
          setExpanded(new Set());
          setSelected(undefined);
        }
        viewRef.current = createRunView();
        apply({ kind: 'snapshot', flowName: snapshot.flowName, startedAt: snapshot.startedAt, nodeTypes: snapshot.nodeTypes, events: snapshot.events, record: snapshot.record });
        if (snapshot.feedback) apply({ kind: 'feedback', nodes: snapshot.feedback });
      }),
      actions.onEvents(({ viewId, events }) => {
        if (viewId !== metaRef.current?.viewId) return;
        apply({ kind: 'events', events });
      }),
      actions.onRunFinished(({ viewId, record, message }) => {
        if (viewId !== metaRef.current?.viewId) return;
        metaRef.current = { ...metaRef.current, live: false, requestId: undefined, message: message ?? metaRef.current.message };
        setMeta(metaRef.current);
        apply(record ? { kind: 'record', record } : { kind: 'ended', message: message ?? 'The run stopped before it finished.' });
      }),
      actions.onDebugPause(setDebugPause),
    ];
    actions.ready();
    return () => offs.forEach((off) => off());
  }, [apply]);

  const view = viewRef.current;
  // Under a flood of events React may skip intermediate renders of the heavy parts (timeline, cards, log); the
  // header stays current. The deferred view shares the (in-place) nodes: it is only rendered less often.
  const shownView = useDeferredValue(view);

  // The root element carries the run's status and id for tests and themes.
  useEffect(() => {
    const host = root.current?.parentElement;
    if (!host) return;
    host.dataset.runStatus = meta ? view.status : 'none';
    if (view.runId) host.dataset.runId = view.runId;
    else delete host.dataset.runId;
  }, [meta, version, view]);

  // Measured by the e2e test: the first node event of each shown run, once its card is rendered (the deferred view
  // is what the cards draw).
  useEffect(() => {
    if (!meta || !shownView.sawNodeEvent || markedFirstEvent.current === meta.viewId) return;
    markedFirstEvent.current = meta.viewId;
    document.body.dataset.firstNodeEventAt = String(Date.now());
  }, [meta, shownView]);

  // A run that ends failed opens the failed node's card by itself (once per run shown), unless the user already
  // picked a node: the error is what they will look at first.
  const openedFailure = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (!meta || view.status !== 'failed' || openedFailure.current === meta.viewId) return;
    openedFailure.current = meta.viewId;
    const failedId = failedNodeOf(view);
    if (failedId === undefined || selected !== undefined) return;
    setExpanded((set) => new Set(set).add(failedId));
    setSelected(failedId);
    setScrollRequest((n) => n + 1);
  }, [meta, version, view, selected]);

  const lastStatus = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!meta || lastStatus.current === `${meta.viewId}:${view.status}`) return;
    const first = lastStatus.current === undefined || !lastStatus.current.startsWith(`${meta.viewId}:`);
    lastStatus.current = `${meta.viewId}:${view.status}`;
    if (view.status === 'starting' || (view.status === 'running' && !first)) return;
    announce(
      view.status === 'running'
        ? `${view.flowName ?? 'Run'} is running`
        : `${view.flowName ?? 'Run'} ${view.status}${view.status === 'failed' && view.error ? `: ${view.error.message}` : ''}`,
    );
  }, [meta, version, view]);

  // UI state only; the run itself is the host's and comes again on reload.
  useEffect(() => {
    if (meta && lastRun.current && view.runId) lastRun.current.runId = view.runId;
    actions.saveUiState({
      run: meta ? { file: meta.file, runId: view.runId, requestId: meta.live ? meta.requestId : undefined } : saved.run,
      expanded: [...expanded],
      selected,
      logLevel: logFilter.minLevel,
      logSearch: logFilter.search,
      inspectorTab,
    });
  }, [meta, view.runId, expanded, selected, logFilter, saved, inspectorTab]);

  const cardActions = useMemo<NodeCardActions>(
    () => ({
      onToggle: (id) =>
        setExpanded((set) => {
          const next = new Set(set);
          if (next.has(id)) next.delete(id);
          else next.add(id);
          return next;
        }),
      onSelect: setSelected,
      onReveal: actions.revealNode,
      onInspect: setInspected,
      onOpenValue: (id, which) => actions.openValue(which, id),
      onCopy: (text) => {
        actions.copyText(text);
        announce('Copied');
      },
      feedback: {
        onFeedback: async (id, form) => {
          const runId = viewRef.current.runId;
          if (runId === undefined) return 'The run has no id yet: give feedback once it is recorded.';
          const { entry, error } = await actions.giveFeedback(runId, id, form);
          if (entry) apply({ kind: 'feedback', nodes: { [id]: entry } });
          return entry ? undefined : (error ?? 'The feedback was not saved.');
        },
        onMakeTest: async (id) => {
          const runId = viewRef.current.runId;
          if (runId === undefined) return 'The run has no id yet.';
          return (await actions.makeTestFromFeedback(runId, id)).message;
        },
      },
    }),
    [apply],
  );

  const selectAndShow = useCallback((id: string) => {
    if (!viewRef.current.byId.has(id)) return;
    setSelected(id);
    setScrollRequest((n) => n + 1);
  }, []);
  const openNode = useCallback((id: string) => {
    setExpanded((set) => new Set(set).add(id));
    selectAndShow(id);
  }, [selectAndShow]);

  const onDownload = useCallback(async (lines: readonly LogLine[]) => {
    const run = { flowName: viewRef.current.flowName, runId: viewRef.current.runId };
    try {
      const written = await actions.saveLogs(formatLogText(lines, run), logFileName(run));
      if (written) announce('Logs saved');
    } catch (error) {
      announce(`Could not save the logs: ${(error as Error).message}`);
    }
  }, []);

  return (
    <div className="weft-exec" ref={root} data-version={version}>
      <DebugPauseBanner pause={debugPause} />
      {meta ? (
        <>
          <Header
            view={view}
            fileName={meta.fileName}
            live={meta.live}
            requestId={meta.requestId}
            message={meta.message}
            onCancel={actions.cancelRun}
            onRerun={actions.rerun}
            onResume={actions.resume}
            onRevealNode={actions.revealNode}
            onOpenRunValue={(which) => actions.openValue(which)}
          />
          <section className="weft-exec-timeline" aria-label="Timeline">
            <Timeline view={shownView} version={shownView.version} live={meta.live} selected={selected} onSelect={selectAndShow} onOpen={openNode} />
          </section>
          <div className="weft-exec-panes">
            <section className="weft-exec-nodes" aria-label="Nodes">
              <h2 className="weft-visually-hidden">Nodes</h2>
              <NodeList nodes={shownView.nodes} version={shownView.version} expanded={expanded} selected={selected} scrollRequest={scrollRequest} actions={cardActions} />
              {inspected !== undefined ? (
                <section className="weft-exec-inspector weft-card" aria-label={`Inspector of ${inspected}`}>
                  <div className="weft-exec-inspector-header">
                    <h2 className="weft-pane-subtitle">
                      Node <span className="weft-mono">{inspected}</span>
                    </h2>
                    <button type="button" className="icon" aria-label="Close the node inspector" onClick={() => setInspected(undefined)}>
                      <Icon name="close" />
                    </button>
                  </div>
                  <NodeInspectorTabs
                    key={inspected}
                    nodeId={inspected}
                    nodeType={view.byId.get(inspected)?.type}
                    actions={actions.nodeInspector}
                    initialRunId={meta.live ? undefined : view.runId}
                    tab={inspectorTab}
                    onTab={setInspectorTab}
                  />
                </section>
              ) : null}
            </section>
            <LogView lines={shownView.logs} version={shownView.version} filter={logFilter} onFilter={setLogFilter} onDownload={onDownload} onSelectNode={openNode} />
          </div>
        </>
      ) : (
        <p className="weft-muted weft-exec-empty">Run a flow to see it here.</p>
      )}
    </div>
  );
}

/** The node the run failed at: the run error's node, else the first node that failed unhandled. */
function failedNodeOf(view: RunView): string | undefined {
  const fromError = view.error?.nodeId;
  if (fromError !== undefined && view.byId.has(fromError)) return fromError;
  return view.nodes.find((node) => node.status === 'failed' && !node.errorHandled)?.id;
}
