// Text an ai node streams, as it grows: the answer, and the model's reasoning collapsed apart from it. The text
// itself is not a live region (a screen reader would read every token); the card announces the end instead.

import { useLayoutEffect, useRef, type ReactElement } from 'react';
import { formatCount } from './format';

/** The answer so far, kept scrolled to its end while the user has not scrolled up to read. */
export function StreamedAnswer({ text }: { text: string }): ReactElement {
  const box = useRef<HTMLPreElement>(null);
  const atEnd = useRef(true);
  useLayoutEffect(() => {
    const el = box.current;
    if (el && atEnd.current) el.scrollTop = el.scrollHeight;
  }, [text]);
  return (
    <pre
      className="weft-node-stream-text"
      ref={box}
      tabIndex={0}
      aria-label="Answer so far"
      aria-busy="true"
      onScroll={(e) => {
        const el = e.currentTarget;
        atEnd.current = el.scrollHeight - el.scrollTop - el.clientHeight < 16;
      }}
    >
      {text}
    </pre>
  );
}

/**
 * The model's reasoning, closed until the user opens it: it is not the answer. Open or closed is the card's, so
 * it stays as the user left it when the section moves into the opened card at the node's end.
 */
export function ReasoningSection({ text, open, onToggle }: { text: string; open: boolean; onToggle: (open: boolean) => void }): ReactElement {
  return (
    <details className="weft-node-reasoning" open={open} onToggle={(e) => onToggle(e.currentTarget.open)}>
      <summary>
        Reasoning <span className="weft-muted">({formatCount(text.length)} characters)</span>
      </summary>
      <pre className="weft-node-reasoning-text">{text}</pre>
    </details>
  );
}

/** Up to this many characters of the answer are read out when it is complete. */
const ANNOUNCED_CHARS = 300;

/** What the card's live region says: nothing while the answer streams, then that it is complete, or stopped. */
export function streamAnnouncement(nodeId: string, status: string, output: unknown): string {
  if (status === 'running' || status === 'pending') return '';
  if (status !== 'completed') return `${nodeId} stopped before its answer was complete.`;
  const text = typeof output === 'object' && output !== null ? (output as { text?: unknown }).text : undefined;
  if (typeof text !== 'string' || text === '') return `${nodeId} answered.`;
  return `${nodeId} answered: ${text.length > ANNOUNCED_CHARS ? `${text.slice(0, ANNOUNCED_CHARS)}…` : text}`;
}
