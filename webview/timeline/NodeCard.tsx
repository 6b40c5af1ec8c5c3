// One node's card: a header that says how it went (status, type, duration, attempts, iterations, AI usage) and,
// opened, its error with the stack and a way to its place in the flow file, its attempts, input, output and logs.
// While an ai node runs, its streamed answer grows under the header, opened or not (it is what the user watches),
// with the reasoning collapsed apart; once it completed, its output is the answer, and the reasoning stays
// available, collapsed, in the opened card.
// Memoised on the node's `rev`: nodes change in place, and a big run re-renders only the cards that changed.

import { memo, useState, type ReactElement } from 'react';
import { describeError } from '../../src/engine/errors';
import { JsonTree } from '../shared/JsonTree';
import { formatClock, formatCost, formatCount, formatDuration } from './format';
import { lineSource } from './logFilter';
import type { NodeView } from './runState';
import { Icon } from '../shared/Icon';
import { ReasoningSection, StreamedAnswer, streamAnnouncement } from './StreamedAnswer';
import { ToolCalls, toolCallsOf } from './ToolCalls';
import { FeedbackSection, type FeedbackActions } from './FeedbackSection';

export interface NodeCardActions {
  onToggle: (nodeId: string) => void;
  onSelect: (nodeId: string) => void;
  onReveal: (nodeId: string) => void;
  /** Opens the node inspector (its runs across history, Test this node); absent: no such link. */
  onInspect?: (nodeId: string) => void;
  onOpenValue: (nodeId: string, which: 'input' | 'output' | 'error') => void;
  onCopy: (text: string) => void;
  /** Decision feedback on the recorded run's nodes; absent where there is no recorded run to judge. */
  feedback?: FeedbackActions;
}

export interface NodeCardProps {
  node: NodeView;
  rev: number;
  expanded: boolean;
  selected: boolean;
  actions: NodeCardActions;
}

/** Node logs drawn in a card; the log view below has them all. */
const CARD_LOG_LINES = 200;

export const NodeCard = memo(function NodeCard({ node, expanded, selected, actions }: NodeCardProps): ReactElement {
  const bodyId = `weft-node-body-${cssId(node.id)}`;
  const [reasoningOpen, setReasoningOpen] = useState(false);
  const toolCalls = toolCallsOf(node);
  return (
    <article
      className={`weft-card weft-node-card${selected ? ' weft-node-selected' : ''}`}
      data-node-id={node.id}
      data-node-status={node.status}
      aria-label={`${node.id}, ${node.status}`}
    >
      <h3 className="weft-node-heading">
        <button
          type="button"
          className="weft-node-toggle"
          aria-expanded={expanded}
          aria-controls={bodyId}
          onClick={() => {
            actions.onSelect(node.id);
            actions.onToggle(node.id);
          }}
        >
          <span className="weft-node-twisty" aria-hidden="true">
            <Icon name={expanded ? 'chevron-down' : 'chevron-right'} />
          </span>
          <span className="weft-node-id">{node.id}</span>
          {node.type && <span className="weft-node-type weft-muted">{node.type}</span>}
          <span className="weft-status" data-status={node.status}>
            {node.status}
          </span>
          {node.durationMs !== undefined && <span className="weft-muted">{formatDuration(node.durationMs)}</span>}
          {node.attemptCount > 1 && <span className="weft-node-badge">{node.attemptCount} attempts</span>}
          {node.iterationCount !== undefined && (
            <span className="weft-node-badge">
              {formatCount(node.iterationCount)} iteration{node.iterationCount === 1 ? '' : 's'}
            </span>
          )}
          {node.reused && <span className="weft-node-badge">reused</span>}
          {node.skipReason === 'disabled' && <span className="weft-node-badge">disabled</span>}
          {node.errorHandled && <span className="weft-node-badge">error handled</span>}
          {node.usage && (
            <span className="weft-node-usage weft-muted">
              {formatCount(node.usage.inputTokens + node.usage.outputTokens)} tokens{node.usage.costUsd !== undefined ? ` · ${formatCost(node.usage.costUsd)}` : ''}
            </span>
          )}
        </button>
      </h3>
      {toolCalls.length > 0 && <ToolCalls calls={toolCalls} />}
      {node.status === 'running' && (node.streamedAnswer !== undefined || node.streamedReasoning !== undefined) && (
        <section className="weft-node-stream" aria-label="Streamed answer">
          {node.streamedReasoning !== undefined && <ReasoningSection text={node.streamedReasoning} open={reasoningOpen} onToggle={setReasoningOpen} />}
          {node.streamedAnswer !== undefined && <StreamedAnswer text={node.streamedAnswer} />}
        </section>
      )}
      {node.streamed && (
        <p className="weft-visually-hidden" aria-live="polite" data-testid="stream-announcement">
          {streamAnnouncement(node.id, node.status, node.output)}
        </p>
      )}
      {expanded && (
        <div className="weft-node-body" id={bodyId}>
          {node.error && (
            <section className="weft-node-error" aria-label="Error">
              <p className="weft-error-text">
                {node.error.code && <code>{node.error.code}</code>} {describeError(node.error)}
              </p>
              {node.error.hint && <p className="weft-node-hint">{node.error.hint}</p>}
              {node.error.stack && (
                <details>
                  <summary>Stack</summary>
                  <pre className="weft-node-stack">{node.error.stack}</pre>
                </details>
              )}
            </section>
          )}
          <p className="weft-node-links">
            <button type="button" className="weft-link" onClick={() => actions.onReveal(node.id)}>
              Reveal in flow file
            </button>
            {actions.onInspect && (
              <button type="button" className="weft-link" onClick={() => actions.onInspect?.(node.id)}>
                Runs and test of this node
              </button>
            )}
            {node.skipReason === 'dead-path' && <span className="weft-muted">Skipped: no active incoming edge.</span>}
          </p>
          {node.attempts.length > 1 && (
            <section aria-label="Attempts">
              <h4>Attempts</h4>
              <ol className="weft-node-attempts">
                {node.attempts.map((a, i) => (
                  <li key={i}>
                    Attempt {a.attempt}: {a.status}
                    {a.end !== undefined && ` after ${formatDuration(a.end - a.start)}`}
                    {a.error && <span className="weft-error-text"> — {a.error.message}</span>}
                    {a.retryDelayMs !== undefined && <span className="weft-muted"> (retried after {formatDuration(a.retryDelayMs)})</span>}
                  </li>
                ))}
              </ol>
            </section>
          )}
          {countFailed(node) > 0 && (
            <p className="weft-error-text">
              {formatCount(countFailed(node))} of {formatCount(node.iterationCount ?? node.iterations.length)} iterations had a failure.
            </p>
          )}
          {node.hasInput && (
            <ValueSection title="Input" value={node.input} onOpen={() => actions.onOpenValue(node.id, 'input')} onCopy={actions.onCopy} />
          )}
          {node.status !== 'running' && node.streamedAnswer !== undefined && (
            <section className="weft-node-value" aria-label="Streamed before it stopped">
              <h4>Streamed before it stopped</h4>
              <pre className="weft-node-stream-text weft-node-stream-ended">{node.streamedAnswer}</pre>
            </section>
          )}
          {node.status !== 'running' && node.streamedReasoning !== undefined && <ReasoningSection text={node.streamedReasoning} open={reasoningOpen} onToggle={setReasoningOpen} />}
          {node.hasOutput && (
            <ValueSection title="Output" value={node.output} onOpen={() => actions.onOpenValue(node.id, 'output')} onCopy={actions.onCopy} />
          )}
          {actions.feedback && (node.status === 'completed' || node.status === 'failed') && (
            <FeedbackSection nodeId={node.id} feedback={node.feedback} actions={actions.feedback} />
          )}
          {node.logs.length > 0 && (
            <section aria-label="Node logs">
              <h4>Logs</h4>
              <ol className="weft-log-lines weft-mono">
                {node.logs.slice(-CARD_LOG_LINES).map((line) => (
                  <li key={line.seq} data-level={line.level}>
                    <span className="weft-muted">{formatClock(line.ts)}</span> <span className="weft-log-level">{line.level}</span>{' '}
                    {line.loop && <span className="weft-muted">[{lineSource(line)}] </span>}
                    {line.message}
                  </li>
                ))}
              </ol>
            </section>
          )}
        </div>
      )}
    </article>
  );
}, (a, b) => a.node === b.node && a.rev === b.rev && a.expanded === b.expanded && a.selected === b.selected && a.actions === b.actions);

function ValueSection({ title, value, onOpen, onCopy }: { title: string; value: unknown; onOpen: () => void; onCopy: (text: string) => void }): ReactElement {
  return (
    <section className="weft-node-value" aria-label={title}>
      <h4>
        {title}
        <button type="button" className="weft-link" onClick={onOpen}>
          Open in editor
        </button>
      </h4>
      <JsonTree value={value} label={title.toLowerCase()} onCopy={onCopy} onShowAll={onOpen} maxChildren={50} maxStringLength={400} />
    </section>
  );
}

function countFailed(node: NodeView): number {
  let n = 0;
  for (const iteration of node.iterations) if (iteration?.failed) n++;
  return n;
}

function cssId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, (c) => `_${c.charCodeAt(0).toString(16)}`);
}
