// The node types one can add, from the registry (the host sends them). A click adds one at the centre of the view.

import type { ReactElement } from 'react';
import type { PaletteEntry } from '../../../src/protocol/canvasProtocol';

export function Palette({ entries, onAdd }: { entries: PaletteEntry[]; onAdd: (type: string) => void }): ReactElement {
  return (
    <nav className="weft-palette" aria-label="Add a node">
      <h2 className="weft-pane-title">Add a node</h2>
      <ul>
        {entries.map((entry) => (
          <li key={entry.type}>
            <button type="button" className="secondary" title={entry.title} aria-label={`Add ${entry.type} node: ${entry.title}`} onClick={() => onAdd(entry.type)}>
              {entry.type}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
