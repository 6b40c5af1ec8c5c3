// One recorded value in the compare view: the shared JSON tree (it draws only the open part, so an output at the
// history size limit costs what is on screen), with copy to the clipboard. The one place that decides how the
// compare view shows a value.

import type { JSX } from 'react';
import { announce } from '../shared/announce';
import { JsonTree } from '../shared/JsonTree';

function copy(text: string): void {
  navigator.clipboard.writeText(text).then(
    () => announce('Copied'),
    () => announce('Could not copy'),
  );
}

export function ValueView({ value, label }: { value: unknown; label: string }): JSX.Element {
  if (value === undefined) return <p className="weft-muted">{label}: none</p>;
  return (
    <div className="history-value">
      <JsonTree value={value} label={label} onCopy={copy} />
    </div>
  );
}
