// The node types one can add, from the registry (the host sends them). A click adds one beside the selected node
// (else the last one), in free space.

import type { ReactElement } from 'react';
import type { PaletteEntry } from '../../../src/protocol/canvasProtocol';

export function Palette({ entries, onAdd }: { entries: PaletteEntry[]; onAdd: (type: string) => void }): ReactElement {
  return (
    <nav id="weft-palette" className="weft-palette" aria-label="Add a node">
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
