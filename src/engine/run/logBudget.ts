// How much of a run's logs is kept. Logs go into the run record (written at every checkpoint) and the event
// stream (the execution panel, the CLI); one code node logging 1,000 lines of 64 KB made a 65 MB record. A line
// longer than the line limit is cut; once a node or the run has logged its limit, the node's later lines are
// dropped and counted, so the last entry a node keeps says how many were lost. Sizes are in characters.

export interface LogLimits {
  lineChars: number;
  nodeChars: number;
  runChars: number;
}

export const DEFAULT_LOG_LIMITS: LogLimits = { lineChars: 64 * 1024, nodeChars: 1024 * 1024, runChars: 4 * 1024 * 1024 };

/** A line to keep (perhaps cut), or the number of this node's lines dropped so far, this one included. */
export type LogAdmission = { keep: string } | { dropped: number };

export class LogBudget {
  private runChars = 0;
  private readonly nodes = new Map<string, { chars: number; dropped: number }>();

  constructor(private readonly limits: LogLimits = DEFAULT_LOG_LIMITS) {}

  admit(nodeId: string, message: string): LogAdmission {
    let node = this.nodes.get(nodeId);
    if (!node) {
      node = { chars: 0, dropped: 0 };
      this.nodes.set(nodeId, node);
    }
    // Once a node has lost a line it keeps none after it: its last entry stays the count of what was lost.
    if (node.dropped > 0) return { dropped: ++node.dropped };
    const text = message.length > this.limits.lineChars ? cutLine(message, this.limits.lineChars) : message;
    if (node.chars + text.length > this.limits.nodeChars || this.runChars + text.length > this.limits.runChars) {
      return { dropped: ++node.dropped };
    }
    node.chars += text.length;
    this.runChars += text.length;
    return { keep: text };
  }
}

/** The log event sent when a node first loses a line (the record's entry counts them all by the end). */
export const LOGS_TRUNCATED_NOTE = '[logs truncated: later lines of this node are not kept]';

/** The entry that stands for a node's dropped lines, last in its record's logs. */
export function droppedLinesNote(dropped: number): string {
  return `[logs truncated: ${dropped} more line${dropped === 1 ? '' : 's'}]`;
}

function cutLine(message: string, limit: number): string {
  return `${message.slice(0, limit)}… [truncated ${message.length - limit} chars]`;
}
