// The run's log as it grows: a minimum level, a search, and Download (all matching lines, through the host's save
// dialog). Only the last MAX_LINES matching lines are drawn; the view sticks to the bottom while the user is there.

import { memo, useLayoutEffect, useMemo, useRef, type ReactElement } from 'react';
import type { LogLevel } from '../../src/engine/nodes/nodeType';
import { formatClock, formatCount } from './format';
import { filterLogs, LOG_LEVELS, lineSource, type LogFilter } from './logFilter';
import type { LogLine } from './runState';

export interface LogViewProps {
  lines: readonly LogLine[];
  /** The view's version: the lines array grows in place. */
  version: number;
  filter: LogFilter;
  onFilter: (filter: LogFilter) => void;
  onDownload: (lines: readonly LogLine[]) => void;
  onSelectNode: (nodeId: string) => void;
}

const MAX_LINES = 1000;

export const LogView = memo(function LogView({ lines, version, filter, onFilter, onDownload, onSelectNode }: LogViewProps): ReactElement {
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const matching = useMemo(() => filterLogs(lines, filter), [lines, lines.length, version, filter]);
  const shown = matching.length > MAX_LINES ? matching.slice(-MAX_LINES) : matching;
  const list = useRef<HTMLOListElement>(null);
  const atBottom = useRef(true);

  useLayoutEffect(() => {
    const el = list.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [shown.length, version]);

  return (
    <section className="weft-log-view" aria-label="Run log">
      <div className="weft-log-toolbar">
        <h2>Log</h2>
        <label>
          <span className="weft-visually-hidden">Minimum level</span>
          <select value={filter.minLevel} onChange={(e) => onFilter({ ...filter, minLevel: e.target.value as LogLevel })} aria-label="Minimum level">
            {LOG_LEVELS.map((level) => (
              <option key={level} value={level}>
                {level === 'debug' ? 'All levels' : `${level} and above`}
              </option>
            ))}
          </select>
        </label>
        <input
          type="search"
          placeholder="Search logs"
          aria-label="Search logs"
          value={filter.search}
          onChange={(e) => onFilter({ ...filter, search: e.target.value })}
        />
        <button type="button" className="secondary" onClick={() => onDownload(matching)} disabled={matching.length === 0}>
          Download
        </button>
        <span className="weft-muted" aria-live="off">
          {matching.length === lines.length ? `${formatCount(lines.length)} lines` : `${formatCount(matching.length)} of ${formatCount(lines.length)} lines`}
        </span>
      </div>
      {matching.length > MAX_LINES && (
        <p className="weft-muted">
          Showing the last {formatCount(MAX_LINES)} of {formatCount(matching.length)} lines; Download saves them all.
        </p>
      )}
      <ol
        className="weft-log-lines weft-mono"
        ref={list}
        tabIndex={0}
        aria-label="Log lines"
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
        }}
      >
        {shown.length === 0 && <li className="weft-muted">{lines.length === 0 ? 'No log lines yet.' : 'No line matches.'}</li>}
        {shown.map((line) => (
          <li key={line.seq} data-level={line.level}>
            <span className="weft-muted">{formatClock(line.ts)}</span> <span className="weft-log-level">{line.level}</span>{' '}
            <button type="button" className="weft-link weft-log-source" onClick={() => onSelectNode(line.loop ? line.loop.loopNodeId : line.nodeId)}>
              {lineSource(line)}
            </button>{' '}
            <span className="weft-log-message">{line.message}</span>
          </li>
        ))}
      </ol>
    </section>
  );
});
