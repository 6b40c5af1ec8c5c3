// Find a node by id, name or type: the matches are listed; Enter (or a click) selects the first (or that one)
// and centres the view on it.

import { useMemo, useState, type ReactElement } from 'react';
import type { CanvasNode } from '../../../src/protocol/canvasProtocol';
import { Icon } from '../../shared/Icon';

export function FindBox({ nodes, onPick, onClose }: { nodes: CanvasNode[]; onPick: (id: string) => void; onClose: () => void }): ReactElement {
  const [query, setQuery] = useState('');
  const matches = useMemo(() => {
    const q = query.trim().toLowerCase();
    if (!q) return [];
    return nodes.filter((n) => [n.id, n.name ?? '', n.type].some((s) => s.toLowerCase().includes(q))).slice(0, 20);
  }, [nodes, query]);
  return (
    <div className="weft-find" role="search">
      <label className="weft-visually-hidden" htmlFor="weft-find-input">
        Find a node
      </label>
      <input
        id="weft-find-input"
        autoFocus
        placeholder="Find a node"
        value={query}
        onChange={(e) => setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && matches[0]) onPick(matches[0].id);
          if (e.key === 'Escape') onClose();
        }}
        aria-describedby="weft-find-count"
      />
      <span id="weft-find-count" className="weft-muted">
        {query ? `${matches.length} found` : ''}
      </span>
      <button type="button" className="icon" aria-label="Close find" onClick={onClose}>
        <Icon name="close" />
      </button>
      {matches.length > 0 ? (
        <ul className="weft-find-results">
          {matches.map((n) => (
            <li key={n.id}>
              <button type="button" className="icon" onClick={() => onPick(n.id)}>
                {n.name ? `${n.name} (${n.id})` : n.id} <span className="weft-muted">{n.type}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
