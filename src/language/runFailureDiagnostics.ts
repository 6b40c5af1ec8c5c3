// The diagnostics a failed run leaves in its flow file: one per node that failed unhandled, on the failing
// template part when the error says where it is (an `expression-error`'s location), else on the node. Pure:
// the extension puts them in a DiagnosticCollection and clears them on the next run or an edit.

import { describeError } from '../engine/errors';
import type { Range } from '../engine/model/diagnostics';
import type { RunRecord } from '../engine/run/runRecord';
import { createFlowSourceLocator } from '../engine/load/locateFlowSource';
import { parseJsonSource } from '../engine/model/jsonSource';
import { errorLocationRange } from './runFailurePlaces';

export interface RunFailureDiagnostic {
  /** The failed node; '' for the run's own `output`. */
  nodeId: string;
  range: Range;
  /** The error as a person reads it, and the way out when one is known. */
  message: string;
  code?: string;
}

/**
 * The failures of `record` placed in `text` (the flow file as it is now, at `file`). A location in another
 * file (a subflow's template) is not this file's: such a failure is placed on the node that ran the subflow.
 */
export function runFailureDiagnostics(record: RunRecord, text: string, file: string): RunFailureDiagnostic[] {
  const isJson = file.endsWith('.json');
  let nodeRanges: Map<string, Range> | undefined;
  const nodeRange = (nodeId: string): Range | undefined => {
    nodeRanges ??= nodeRangesOf(text, isJson);
    return nodeRanges.get(nodeId);
  };
  const out: RunFailureDiagnostic[] = [];
  for (const [nodeId, node] of Object.entries(record.nodes)) {
    if (node.status !== 'failed' || node.errorHandled || node.error === undefined) continue;
    const error = node.error;
    const location = error.location;
    const here = location !== undefined && (location.file === undefined || samePath(location.file, file));
    const range = (here ? errorLocationRange(text, isJson, location) : undefined) ?? nodeRange(nodeId);
    if (range === undefined) continue;
    const message = `Run failed at node '${nodeId}': ${describeError(error)}${error.hint ? `\n${error.hint}` : ''}`;
    out.push({ nodeId, range, message, ...(error.code ? { code: error.code } : {}) });
  }
  // A failure of the run's own `output` template belongs to no node.
  const runError = record.error;
  const runLocation = runError?.location;
  if (runError && runLocation && runError.nodeId === undefined && (runLocation.file === undefined || samePath(runLocation.file, file))) {
    const range = errorLocationRange(text, isJson, runLocation);
    if (range) {
      const message = `Run failed at its output: ${describeError(runError)}${runError.hint ? `\n${runError.hint}` : ''}`;
      out.push({ nodeId: '', range, message, ...(runError.code ? { code: runError.code } : {}) });
    }
  }
  return out;
}

/** Where each top-level node is: its `id` value in JSON (a short, one-line anchor), its id literal in a .flow.ts. */
function nodeRangesOf(text: string, isJson: boolean): Map<string, Range> {
  if (!isJson) return createFlowSourceLocator(text).nodeRanges;
  const source = parseJsonSource(text);
  const ranges = new Map<string, Range>();
  const nodes = (source.value as { nodes?: unknown } | undefined)?.nodes;
  if (!Array.isArray(nodes)) return ranges;
  nodes.forEach((node: { id?: unknown } | null, i) => {
    const range = typeof node?.id === 'string' ? source.rangeOf(['nodes', i, 'id']) : undefined;
    if (range && !ranges.has(node!.id as string)) ranges.set(node!.id as string, range);
  });
  return ranges;
}

function samePath(a: string, b: string): boolean {
  const norm = (p: string): string => p.replace(/\\/g, '/').toLowerCase();
  return norm(a) === norm(b);
}
