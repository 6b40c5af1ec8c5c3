// The filter bar: status (several at once), flow, start date range and search, each a labelled form control.

import type { JSX } from 'react';
import type { RunStatus } from '../../src/engine/run/runRecord';
import type { HistoryFilterState } from '../../src/protocol/historyProtocol';
import { EMPTY_FILTER, isFilterEmpty } from './filterRuns';

const STATUSES: RunStatus[] = ['completed', 'failed', 'cancelled', 'interrupted', 'running'];

export interface FiltersProps {
  filter: HistoryFilterState;
  flowIds: string[];
  onChange(filter: HistoryFilterState): void;
}

export function Filters({ filter, flowIds, onChange }: FiltersProps): JSX.Element {
  const set = (patch: Partial<HistoryFilterState>): void => onChange({ ...filter, ...patch });
  // A preselected flow with no runs yet is still offered, so the select shows what is applied.
  const flows = filter.flowId && !flowIds.includes(filter.flowId) ? [filter.flowId, ...flowIds] : flowIds;
  return (
    <form className="history-filters" role="search" aria-label="Filter runs" onSubmit={(e) => e.preventDefault()}>
      <label className="history-field history-search">
        <span>Search</span>
        <input
          type="search"
          value={filter.search}
          placeholder="Input or output value, run id, flow, error"
          onChange={(e) => set({ search: e.currentTarget.value })}
        />
      </label>
      <label className="history-field">
        <span>Flow</span>
        <select value={filter.flowId} onChange={(e) => set({ flowId: e.currentTarget.value })}>
          <option value="">All flows</option>
          {flows.map((id) => (
            <option key={id} value={id}>
              {id}
            </option>
          ))}
        </select>
      </label>
      <label className="history-field">
        <span>From</span>
        <input type="date" value={filter.from} max={filter.to || undefined} onChange={(e) => set({ from: e.currentTarget.value })} />
      </label>
      <label className="history-field">
        <span>To</span>
        <input type="date" value={filter.to} min={filter.from || undefined} onChange={(e) => set({ to: e.currentTarget.value })} />
      </label>
      <fieldset className="history-statuses">
        <legend>Status</legend>
        {STATUSES.map((status) => (
          <label key={status}>
            <input
              type="checkbox"
              checked={filter.statuses.includes(status)}
              onChange={(e) =>
                set({ statuses: e.currentTarget.checked ? [...filter.statuses, status] : filter.statuses.filter((s) => s !== status) })
              }
            />
            <span className="weft-status" data-status={status}>
              {status}
            </span>
          </label>
        ))}
      </fieldset>
      <button type="button" className="secondary" disabled={isFilterEmpty(filter)} onClick={() => onChange(EMPTY_FILTER)}>
        Clear filters
      </button>
    </form>
  );
}
