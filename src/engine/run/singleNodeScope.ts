// What a node saw in a past run, as the scope to test it again with: its input, the run's input (`trigger`)
// and the outputs of the nodes that had completed (`nodes`). Pure: the caller reads the record.

import { WeftError } from '../errors';
import type { RunRecord } from './runRecord';

export interface SingleNodeScope {
  input: unknown;
  trigger: unknown;
  nodes: Record<string, unknown>;
}

export function singleNodeScopeFromRun(record: RunRecord, nodeId: string): SingleNodeScope {
  const node = record.nodes[nodeId];
  if (!node) throw new WeftError('not-found', `Run ${record.id} has no node '${nodeId}'.`);
  const nodes: Record<string, unknown> = {};
  for (const [id, other] of Object.entries(record.nodes)) {
    // Only what existed when the node ran: its own output is what the test is to find out.
    if (id !== nodeId && other.status === 'completed') nodes[id] = other.output;
  }
  // A node the run never reached has no input of its own: the run's input is the best start to edit from.
  return { input: node.input !== undefined ? node.input : record.input, trigger: record.input, nodes };
}
