// The execution panel's line while a Weft debug session is paused: which node it stopped before, where (its path
// through subflows and loop iterations) and in which file. The debug session's run is the adapter's, not a run the
// panel follows, so this line is what the panel shows of it; the debugger's views hold the rest.

import type { ReactElement } from 'react';
import type { DebugPauseView } from '../../src/protocol/executionProtocol';
import { Icon } from '../shared/Icon';

export function DebugPauseBanner({ pause }: { pause: DebugPauseView }): ReactElement | null {
  if (!pause.nodeId) return null;
  const where = pause.path && pause.path.length > 2 ? pause.path.join(' › ') : undefined;
  return (
    <div className="weft-debug-pause" role="status" data-paused-node={pause.nodeId}>
      <span className="weft-paused-badge">
        <Icon name="debug-stackframe" /> Paused
      </span>{' '}
      in the debugger before <strong>{pause.nodeId}</strong>
      {where ? <span className="weft-muted"> ({where})</span> : null}
      {pause.fileName ? <span className="weft-muted"> · {pause.fileName}</span> : null}
    </div>
  );
}
