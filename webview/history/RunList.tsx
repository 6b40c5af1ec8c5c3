// The list of runs: a grid with one focus stop (the cursor is aria-activedescendant, so only the rows on screen
// exist in the DOM: 10,000 runs render as a window of a few dozen rows). Keys: arrows, Home/End, PageUp/PageDown
// move; Enter opens the run; Space marks it for comparison; Delete asks to delete.

import { defaultRangeExtractor, useVirtualizer, type Range } from '@tanstack/react-virtual';
import { useEffect, useRef, type JSX, type KeyboardEvent } from 'react';
import type { RunSummary } from '../../src/engine/history/runSummary';
import type { HistorySort, HistorySortColumn } from '../../src/protocol/historyProtocol';
import { describeAge, describeDuration, describeStart, shortRunId } from './describe';
import { Icon } from '../shared/Icon';

/** Fixed: rows are one line, so the virtualizer never measures. */
const ROW_HEIGHT = 26;

export interface RunListProps {
  /** In the order shown (filtered and sorted). */
  runs: readonly RunSummary[];
  sort: HistorySort;
  /** A column header was clicked, or Enter/Space pressed on it. */
  onSort(column: HistorySortColumn): void;
  activeId: string | undefined;
  marked: string[];
  initialScrollTop: number;
  onActivate(runId: string): void;
  onOpen(runId: string): void;
  onToggleMark(runId: string): void;
  onRerun(runId: string): void;
  /** Delete pressed, or a row's delete button: which run it was on. */
  onDelete(runId: string): void;
  onScroll(scrollTop: number): void;
}

function rowDomId(runId: string): string {
  return `weft-run-${runId}`;
}

const COLUMNS: { column: HistorySortColumn; label: string; className?: string }[] = [
  { column: 'status', label: 'Status' },
  { column: 'flow', label: 'Flow' },
  { column: 'input', label: 'Input' },
  { column: 'trigger', label: 'Trigger' },
  { column: 'started', label: 'Started' },
  { column: 'duration', label: 'Duration', className: 'col-num' },
  { column: 'id', label: 'Run' },
];

/**
 * A column header that sorts: a real button (Tab reaches it, Enter and Space press it) inside the columnheader,
 * which carries aria-sort so a screen reader says which column orders the list and which way.
 */
function SortHeader({ column, label, className, sort, onSort }: (typeof COLUMNS)[number] & { sort: HistorySort; onSort(column: HistorySortColumn): void }): JSX.Element {
  const active = sort.column === column;
  return (
    <span role="columnheader" className={className} aria-sort={active ? sort.direction : 'none'} data-column={column}>
      <button type="button" className="history-sort" onClick={() => onSort(column)} title={`Sort by ${label.toLowerCase()}`}>
        {label}
        <span aria-hidden="true" className="history-sort-arrow">{active ? (sort.direction === 'ascending' ? '▲' : '▼') : ''}</span>
      </button>
    </span>
  );
}

export function RunList(props: RunListProps): JSX.Element {
  const { runs, activeId, marked } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);
  const found = activeId === undefined ? -1 : runs.findIndex((run) => run.id === activeId);
  // The cursor stays on a run that the filters still show, else on the first one.
  const activeIndex = found >= 0 ? found : runs.length > 0 ? 0 : -1;
  const virtualizer = useVirtualizer({
    count: runs.length,
    // The row under the cursor is always in the DOM, even scrolled away: aria-activedescendant must name an element.
    rangeExtractor: (range: Range) => {
      const indexes = defaultRangeExtractor(range);
      if (activeIndex >= 0 && !indexes.includes(activeIndex)) indexes.push(activeIndex);
      return indexes.sort((a, b) => a - b);
    },
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => runs[index]?.id ?? index,
    overscan: 8,
    initialOffset: props.initialScrollTop,
  });
  const active = activeIndex >= 0 ? runs[activeIndex] : undefined;
  const markedSet = new Set(marked);

  // Keep the row under the cursor rendered and visible, whatever moved it (keys, a refresh, a filter); not on
  // mount, where the restored scroll position wins.
  const mounted = useRef(false);
  useEffect(() => {
    if (!mounted.current) {
      mounted.current = true;
      return;
    }
    if (activeIndex >= 0) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, virtualizer]);

  function move(index: number): void {
    if (runs.length === 0) return;
    const next = Math.max(0, Math.min(runs.length - 1, index));
    props.onActivate(runs[next].id);
  }

  function onKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    // Keys on a column header's sort button are the button's (Enter and Space sort), not the list's.
    if ((event.target as HTMLElement).closest('.history-head')) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? ROW_HEIGHT * 10) / ROW_HEIGHT) - 1);
    let handled = true;
    switch (event.key) {
      case 'ArrowDown': move(activeIndex + 1); break;
      case 'ArrowUp': move(activeIndex - 1); break;
      case 'Home': move(0); break;
      case 'End': move(runs.length - 1); break;
      case 'PageDown': move(activeIndex + page); break;
      case 'PageUp': move(activeIndex - page); break;
      case 'Enter': if (active) props.onOpen(active.id); break;
      case ' ': if (active) props.onToggleMark(active.id); break;
      case 'Delete': if (active) props.onDelete(active.id); break;
      default: handled = false;
    }
    if (handled) event.preventDefault();
  }

  return (
    <div
      ref={gridRef}
      className="history-grid"
      role="grid"
      aria-label="Runs"
      aria-rowcount={runs.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={active ? rowDomId(active.id) : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div role="rowgroup" className="history-head">
        <div role="row" aria-rowindex={1} className="history-row">
          <span role="columnheader" className="col-mark"><span className="weft-visually-hidden">Marked for comparison</span></span>
          {COLUMNS.map((column) => (
            <SortHeader key={column.column} {...column} sort={props.sort} onSort={props.onSort} />
          ))}
          <span role="columnheader"><span className="weft-visually-hidden">Actions</span></span>
        </div>
      </div>
      <div ref={scrollRef} className="history-scroll" role="rowgroup" onScroll={(e) => props.onScroll(e.currentTarget.scrollTop)}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {virtualizer.getVirtualItems().map((item) => {
            const run = runs[item.index];
            if (!run) return null;
            const isMarked = markedSet.has(run.id);
            const isActive = item.index === activeIndex;
            return (
              <div
                key={run.id}
                id={rowDomId(run.id)}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={isMarked}
                data-run-id={run.id}
                data-status={run.status}
                data-active={isActive || undefined}
                className="history-row history-item"
                style={{ transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}
                onClick={() => {
                  props.onActivate(run.id);
                  gridRef.current?.focus();
                }}
                onDoubleClick={() => props.onOpen(run.id)}
              >
                <span role="gridcell" className="col-mark">
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    checked={isMarked}
                    aria-label={`Mark run ${run.id} for comparison`}
                    onClick={(e) => e.stopPropagation()}
                    onChange={() => {
                      props.onActivate(run.id);
                      props.onToggleMark(run.id);
                      gridRef.current?.focus();
                    }}
                  />
                </span>
                <span role="gridcell">
                  <span className="weft-status" data-status={run.status}>{run.status}</span>
                </span>
                <span role="gridcell" className="col-flow" title={run.error ? `${run.flowId}: ${run.error}` : run.flowId}>
                  {run.flowId}
                  {run.error ? <span className="weft-muted history-error"> — {run.error}</span> : null}
                </span>
                <span role="gridcell" className="col-input" title={run.inputSummary}>
                  {run.inputSummary ?? <span className="weft-muted">no input</span>}
                </span>
                <span role="gridcell">
                  {run.triggerType}
                  {run.mode === 'test' ? <span className="weft-muted"> (test)</span> : null}
                </span>
                <span role="gridcell" title={describeAge(run.startedAt, Date.now())}>
                  <time dateTime={run.startedAt}>{describeStart(run.startedAt)}</time>
                </span>
                <span role="gridcell" className="col-num">{describeDuration(run.durationMs)}</span>
                <span role="gridcell" className="col-id weft-mono" title={run.id}>{shortRunId(run.id)}</span>
                <span role="gridcell" className="col-actions">
                  <button
                    type="button"
                    className="icon"
                    tabIndex={-1}
                    title="Re-run with the same input"
                    aria-label={`Re-run ${run.id} with the same input`}
                    onClick={(e) => {
                      e.stopPropagation();
                      props.onRerun(run.id);
                    }}
                  >
                    <Icon name="refresh" />
                  </button>
                  <button
                    type="button"
                    className="icon"
                    tabIndex={-1}
                    title="Delete this run"
                    aria-label={`Delete run ${run.id}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      props.onDelete(run.id);
                    }}
                  >
                    <Icon name="trash" />
                  </button>
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
