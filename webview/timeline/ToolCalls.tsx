// An ai node's tool calls, nested under its card: each call's tool, status, arguments and result (or why it gave
// none) and the child run it started. While the node runs they come from its progress events; once it completed,
// from its output's `toolCalls` (what the record keeps), so a run opened from history shows them the same way.

import type { ReactElement } from 'react';
import type { ToolCallProgress } from '../../src/engine/nodes/nodeType';
import { formatDuration } from './format';
import type { NodeView } from './runState';

/** The calls to show: the output's once the node has one, else those its events reported. */
export function toolCallsOf(node: NodeView): ToolCallProgress[] {
  if (node.hasOutput && node.output !== null && typeof node.output === 'object') {
    const calls = (node.output as { toolCalls?: unknown }).toolCalls;
    if (Array.isArray(calls)) {
      return calls.map((call: Omit<ToolCallProgress, 'status'>) => ({ ...call, status: call.error === undefined ? 'completed' : 'failed' }));
    }
  }
  return node.toolCalls ?? [];
}

export function ToolCalls({ calls }: { calls: readonly ToolCallProgress[] }): ReactElement {
  return (
    <section className="weft-tool-calls" aria-label="Tool calls">
      <ol>
        {calls.map((call) => (
          <li key={call.id} className="weft-tool-call" data-status={call.status} aria-label={`Tool call ${call.name}, ${statusWord(call)}`}>
            <div className="weft-tool-call-head">
              <span className="weft-tool-call-name">{call.name}</span>
              <span className="weft-status" data-status={statusWord(call)}>
                {statusWord(call)}
              </span>
              {call.durationMs !== undefined && <span className="weft-muted">{formatDuration(call.durationMs)}</span>}
              {call.executionId && <span className="weft-muted weft-mono">run {call.executionId}</span>}
            </div>
            <div className="weft-tool-call-value">
              <span className="weft-muted">arguments</span> <code>{compact(call.arguments)}</code>
            </div>
            {call.error !== undefined ? (
              <div className="weft-tool-call-value weft-error-text">{call.error}</div>
            ) : (
              call.status === 'completed' && (
                <div className="weft-tool-call-value">
                  <span className="weft-muted">result</span> <code>{compact(call.output)}</code>
                </div>
              )
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** As node statuses say it: a call that started is running. */
function statusWord(call: ToolCallProgress): string {
  return call.status === 'started' ? 'running' : call.status;
}

/** One line of JSON, cut at a length a card can show (the node's output has it all). */
function compact(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? 'undefined');
  return text.length > 300 ? `${text.slice(0, 299)}…` : text;
}
