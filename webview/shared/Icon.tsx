// An icon from VS Code's codicon font (@vscode/codicons, whose CSS and font each app's main.tsx loads), so icons
// look like the workbench's and render everywhere: emoji and symbol glyphs were empty boxes in code-server.
import type { ReactElement } from 'react';

/** The codicons the webviews use (see node_modules/@vscode/codicons/dist/codicon.css for the others). */
export type CodiconName = 'chevron-down' | 'chevron-right' | 'copy' | 'refresh' | 'trash' | 'arrow-left' | 'close' | 'play' | 'debug-alt' | 'debug-stackframe';

/**
 * Decorative: hidden from screen readers, so the control or text it sits in must say what it means (a button's
 * aria-label or its words; `label` gives an icon standing alone a visually hidden name).
 */
export function Icon({ name, label }: { name: CodiconName; label?: string }): ReactElement {
  return (
    <>
      <span className={`codicon codicon-${name} weft-icon`} aria-hidden="true" />
      {label && <span className="weft-visually-hidden">{label}</span>}
    </>
  );
}
