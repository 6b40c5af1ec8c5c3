// The run history panel: the filters, the virtualised list of runs, and the comparison of two of them. The runs
// are the host's (sent again whenever the page loads); what the user set up here (filters, cursor, marks, scroll,
// the pair compared) is UI state, kept with setState so that it survives hide/show.

import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState, type JSX } from 'react';
import type { RunSummary } from '../../src/engine/history/runSummary';
import type { HistoryFilterState, HistoryScope, HistorySort, HistoryUiState, Invocation, RunPair } from '../../src/protocol/historyProtocol';
import { announce } from '../shared/announce';
import * as actions from './actions';
import { CompareView } from './CompareView';
import { EMPTY_FILTER, filterRuns, flowIdsOf, indexRuns } from './filterRuns';
import { Filters } from './Filters';
import { RunList } from './RunList';
import { describeDuration, describeStart } from './describe';
import { DEFAULT_SORT, nextSort, sortRuns } from './sortRuns';

/** Runs that can be marked for comparison at once; marking a third drops the first. */
const MAX_MARKED = 2;
/** Announce the count once typing pauses, not on every keystroke. */
const ANNOUNCE_DELAY_MS = 400;
const SCROLL_SAVE_DELAY_MS = 150;

interface CompareState {
  ids: [string, string];
  pair?: RunPair;
  error?: string;
}

function initialUiState(saved: HistoryUiState | undefined): HistoryUiState {
  return {
    scope: saved?.scope,
    filter: { ...EMPTY_FILTER, ...saved?.filter },
    sort: saved?.sort ?? DEFAULT_SORT,
    activeId: saved?.activeId,
    marked: Array.isArray(saved?.marked) ? saved.marked.slice(0, MAX_MARKED) : [],
    scrollTop: typeof saved?.scrollTop === 'number' ? saved.scrollTop : 0,
    compare: saved?.compare,
  };
}

export function App(): JSX.Element {
  const initial = useMemo(() => initialUiState(actions.loadUiState()), []);
  const [runs, setRuns] = useState<RunSummary[] | undefined>(undefined);
  const [invocations, setInvocations] = useState<Record<string, Invocation[]>>({});
  const [scope, setScope] = useState<HistoryScope | undefined>(initial.scope);
  const [filter, setFilter] = useState<HistoryFilterState>(initial.filter);
  const [sort, setSort] = useState<HistorySort>(initial.sort ?? DEFAULT_SORT);
  const [activeId, setActiveId] = useState<string | undefined>(initial.activeId);
  const [marked, setMarked] = useState<string[]>(initial.marked);
  const [compare, setCompare] = useState<CompareState | undefined>(initial.compare ? { ids: initial.compare } : undefined);
  const scrollTop = useRef(initial.scrollTop);
  const scrollSave = useRef<ReturnType<typeof setTimeout>>(undefined);
  const gridHost = useRef<HTMLDivElement>(null);

  // The state to save, always current (the scroll handler saves without re-rendering).
  const uiState: HistoryUiState = { scope, filter, sort, activeId, marked, scrollTop: scrollTop.current, compare: compare?.ids };
  const latest = useRef(uiState);
  latest.current = uiState;
  useEffect(() => {
    actions.saveUiState(latest.current);
  }, [scope, filter, sort, activeId, marked, compare?.ids]);
  // A scroll position still waiting to be saved is saved now, not later by a timer that would write this page's
  // state over a newer one.
  useEffect(
    () => () => {
      if (scrollSave.current === undefined) return;
      clearTimeout(scrollSave.current);
      actions.saveUiState({ ...latest.current, scrollTop: scrollTop.current });
    },
    [],
  );

  useEffect(() => {
    const offRuns = actions.onRuns(({ scope: nextScope, runs: nextRuns, invocations: nextInvocations }) => {
      setRuns(nextRuns);
      setInvocations(nextInvocations ?? {});
      setScope(nextScope);
      // Marks on runs that are gone (deleted, pruned by retention) go with them.
      const ids = new Set(nextRuns.map((run) => run.id));
      setMarked((current) => (current.every((id) => ids.has(id)) ? current : current.filter((id) => ids.has(id))));
    });
    const offFilter = actions.onFlowFilter(({ flowId }) => {
      // Asking for one flow's history shows all of it: the other filters could hide the runs asked for.
      setFilter({ ...EMPTY_FILTER, flowId: flowId ?? '' });
    });
    actions.ready();
    return () => {
      offRuns();
      offFilter();
    };
  }, []);

  const indexed = useMemo(() => indexRuns(runs ?? []), [runs]);
  const flowIds = useMemo(() => flowIdsOf(runs ?? []), [runs]);
  // Typing stays responsive: the list catches up with the filter when React has time.
  const deferredFilter = useDeferredValue(filter);
  const filtered = useMemo(() => filterRuns(indexed, deferredFilter), [indexed, deferredFilter]);
  const shown = useMemo(() => sortRuns(filtered, sort), [filtered, sort]);
  const byId = useMemo(() => new Map((runs ?? []).map((run) => [run.id, run])), [runs]);

  const total = runs?.length ?? 0;
  const countText = `Showing ${shown.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} run${total === 1 ? '' : 's'}`;
  const firstCount = useRef(true);
  // Runs on what the user sees changing (countText is derived from these), not on every render.
  useEffect(() => {
    if (runs === undefined) return;
    // The first list is not news: the panel just opened.
    if (firstCount.current) {
      firstCount.current = false;
      return;
    }
    const timer = setTimeout(() => announce(countText), ANNOUNCE_DELAY_MS);
    return () => clearTimeout(timer);
  }, [deferredFilter, shown.length, total]);

  // Load the pair being compared (also after a reload, from the saved ids).
  const compareKey = compare && !compare.pair && !compare.error ? `${compare.ids[0]}..${compare.ids[1]}` : undefined;
  useEffect(() => {
    if (!compare || compareKey === undefined) return;
    let live = true;
    const [a, b] = compare.ids;
    actions.getRunPair(a, b).then(
      (pair) => live && setCompare((current) => (current && current.ids[0] === a && current.ids[1] === b ? { ...current, pair } : current)),
      (error: Error) => live && setCompare((current) => (current ? { ...current, error: error.message } : current)),
    );
    return () => {
      live = false;
    };
  // Once per pair still to load (compareKey is undefined once it has loaded or failed).
  }, [compareKey]);

  const toggleMark = useCallback(
    (runId: string) => {
      const next = marked.includes(runId) ? marked.filter((id) => id !== runId) : [...marked, runId].slice(-MAX_MARKED);
      setMarked(next);
      announce(
        next.includes(runId)
          ? `Marked ${runId} for comparison (${next.length} of ${MAX_MARKED})`
          : `Unmarked ${runId} (${next.length} of ${MAX_MARKED} marked)`,
      );
    },
    [marked],
  );

  // Delete acts on the marked runs when the cursor is on one of them, else on the run under the cursor.
  const deleteFrom = useCallback(
    async (runId: string) => {
      const targets = marked.includes(runId) ? marked : [runId];
      const gone = new Set(targets);
      const index = shown.findIndex((run) => run.id === runId);
      const after = shown.slice(index + 1).find((run) => !gone.has(run.id)) ?? shown.slice(0, Math.max(0, index)).reverse().find((run) => !gone.has(run.id));
      try {
        const deleted = await actions.deleteRuns(targets);
        if (deleted.length === 0) return;
        setMarked((current) => current.filter((id) => !deleted.includes(id)));
        if (after) setActiveId(after.id);
        announce(`Deleted ${deleted.length} run${deleted.length === 1 ? '' : 's'}`);
      } catch (error) {
        announce(`Could not delete: ${(error as Error).message}`);
      }
    },
    [marked, shown],
  );

  function startCompare(): void {
    if (marked.length !== MAX_MARKED) return;
    // A is the older run: differences then read as "what changed since".
    const [x, y] = marked;
    const older = (byId.get(x)?.startedAt ?? '') <= (byId.get(y)?.startedAt ?? '');
    setCompare({ ids: older ? [x, y] : [y, x] });
  }

  function endCompare(): void {
    setCompare(undefined);
    // Back where the user was: the list, its cursor.
    setTimeout(() => gridHost.current?.querySelector<HTMLElement>('[role="grid"]')?.focus(), 0);
  }

  if (compare) {
    return <CompareView ids={compare.ids} pair={compare.pair} error={compare.error} onBack={endCompare} onOpen={actions.openRun} />;
  }

  const activeRun = (activeId !== undefined && shown.find((run) => run.id === activeId)) || shown[0];
  const deleteCount = activeRun ? (marked.includes(activeRun.id) ? marked.length : 1) : 0;
  return (
    <div className="history-app">
      <header className="history-header">
        <h1 className="weft-visually-hidden">Run history{scope ? ` of ${scope.label}` : ''}</h1>
        <Filters filter={filter} flowIds={flowIds} onChange={setFilter} />
        <div className="history-toolbar" role="toolbar" aria-label="Run actions">
          <span className="history-count weft-muted">{runs === undefined ? 'Loading runs…' : countText}</span>
          <button type="button" disabled={!activeRun} onClick={() => activeRun && actions.openRun(activeRun.id)}>
            Open
          </button>
          <button type="button" className="secondary" disabled={!activeRun} onClick={() => activeRun && actions.rerun(activeRun.id)}>
            Re-run
          </button>
          <button type="button" className="secondary" disabled={!activeRun} onClick={() => activeRun && actions.versionAction(activeRun.id, 'open')}>
            Open Version
          </button>
          <button type="button" className="secondary" disabled={!activeRun} onClick={() => activeRun && actions.versionAction(activeRun.id, 'diff')}>
            Diff with Current
          </button>
          <button type="button" className="secondary" disabled={!activeRun} onClick={() => activeRun && actions.versionAction(activeRun.id, 'run')}>
            Run This Version
          </button>
          <button type="button" className="secondary" disabled={marked.length !== MAX_MARKED} onClick={startCompare}>
            Compare ({marked.length}/{MAX_MARKED})
          </button>
          <button type="button" className="secondary" disabled={!activeRun} onClick={() => activeRun && void deleteFrom(activeRun.id)}>
            Delete{deleteCount > 1 ? ` ${deleteCount}` : ''}
          </button>
          <button type="button" className="secondary" onClick={actions.refresh}>
            Refresh
          </button>
          {filter.flowId ? (
            <button type="button" className="secondary" onClick={() => actions.openInsights(filter.flowId)}>
              <span className="codicon codicon-graph" aria-hidden="true" /> Insights
            </button>
          ) : null}
        </div>
      </header>
      {filter.flowId && invocations[filter.flowId]?.length ? <WebhookRequests flowId={filter.flowId} invocations={invocations[filter.flowId]} onOpen={actions.openRun} /> : null}
      <div className="history-body" ref={gridHost}>
        {/* The list mounts with its rows, so that a restored scroll position has the height to land in. */}
        {runs === undefined ? null : shown.length === 0 ? (
          <p className="history-empty weft-muted">{total === 0 ? 'No runs recorded yet. Run a flow and it appears here.' : 'No runs match these filters.'}</p>
        ) : (
          <RunList
            runs={shown}
            sort={sort}
            onSort={(column) => {
              const next = nextSort(sort, column);
              setSort(next);
              announce(`Sorted by ${column}, ${next.direction}`);
            }}
            activeId={activeRun?.id}
            marked={marked}
            initialScrollTop={scrollTop.current}
            onActivate={setActiveId}
            onOpen={actions.openRun}
            onToggleMark={toggleMark}
            onRerun={actions.rerun}
            onDelete={(runId) => void deleteFrom(runId)}
            onScroll={(top) => {
              scrollTop.current = top;
              // Scroll events come by the dozen a second; the position is saved once they pause.
              if (scrollSave.current) clearTimeout(scrollSave.current);
              scrollSave.current = setTimeout(() => {
                scrollSave.current = undefined;
                actions.saveUiState({ ...latest.current, scrollTop: scrollTop.current });
              }, SCROLL_SAVE_DELAY_MS);
            }}
          />
        )}
      </div>
    </div>
  );
}

/** Live mode's recent webhook requests of one flow, refused ones included (they have no run). */
function WebhookRequests({ flowId, invocations, onOpen }: { flowId: string; invocations: Invocation[]; onOpen: (runId: string) => void }): JSX.Element {
  return (
    <details className="history-invocations" data-invocations={flowId}>
      <summary>
        Webhook requests of {flowId} ({invocations.length})
      </summary>
      <table>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Request</th>
            <th scope="col">Status</th>
            <th scope="col">Latency</th>
            <th scope="col">Run</th>
          </tr>
        </thead>
        <tbody>
          {invocations.map((call, i) => (
            <tr key={`${call.at}-${i}`} data-status-code={call.status}>
              <td>
                <time dateTime={call.at}>{describeStart(call.at)}</time>
              </td>
              <td className="weft-mono">
                {call.method} {call.path}
              </td>
              <td className={call.status >= 400 ? 'weft-error-text' : undefined} title={call.error}>
                {call.status}
                {call.error ? ` ${call.error}` : ''}
              </td>
              <td>{describeDuration(call.latencyMs)}</td>
              <td>
                {call.executionId ? (
                  <button type="button" className="icon" onClick={() => onOpen(call.executionId!)} aria-label={`Open run ${call.executionId}`}>
                    {call.executionId}
                  </button>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
