// "Connect to…": an edge from the selected node without a mouse. The output port (when the node has several) and
// the target, picked from the nodes of the same graph, filtered by typing; Enter connects to the first match,
// Escape closes.

import { useMemo, useState, type ReactElement } from 'react';
import type { CanvasNode } from '../../../src/protocol/canvasProtocol';

export interface ConnectDialogProps {
  source: CanvasNode;
  /** The nodes the source may connect to: those of its own graph, itself excluded. */
  targets: CanvasNode[];
  onConnect: (port: string, target: string) => void;
  onClose: () => void;
}

export function ConnectDialog({ source, targets, onConnect, onClose }: ConnectDialogProps): ReactElement {
  const [query, setQuery] = useState('');
  const [port, setPort] = useState(source.ports[0] ?? 'out');
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    return targets.filter((n) => !q || [n.id, n.name ?? '', n.type].some((s) => s.toLowerCase().includes(q)));
  }, [targets, query]);
  const title = `Connect ${source.id} to…`;
  return (
    <div className="weft-find weft-connect" role="dialog" aria-label={title} onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <span className="weft-pane-title">{title}</span>
      {source.ports.length > 1 ? (
        <label className="weft-field-inline">
          <span>from port</span>
          <select value={port} onChange={(e) => setPort(e.target.value)} aria-label="Output port">
            {source.ports.map((p) => (
              <option key={p} value={p}>
                {p}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label className="weft-visually-hidden" htmlFor="weft-connect-input">
        Target node
      </label>
      <input
        id="weft-connect-input"
        autoFocus
        placeholder="Target node"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && matches[0]) {
            e.preventDefault();
            onConnect(port, matches[0].id);
          }
        }}
        aria-describedby="weft-connect-count"
      />
      <span id="weft-connect-count" className="weft-muted">
        {matches.length === 1 ? '1 node' : `${matches.length} nodes`}
      </span>
      <button type="button" className="icon" aria-label="Cancel connecting" onClick={onClose}>
        ×
      </button>
      <ul className="weft-find-results" aria-label="Target nodes">
        {matches.map((n) => (
          <li key={n.id}>
            <button type="button" className="icon" onClick={() => onConnect(port, n.id)}>
              {n.name ? `${n.name} (${n.id})` : n.id} <span className="weft-muted">{n.type}</span>
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
