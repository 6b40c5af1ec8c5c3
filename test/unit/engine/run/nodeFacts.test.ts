// Issue 10 item 2: the events say what the engine knows. `node.completed` carries the ports that fired and a
// model call's usage; the node record keeps both, so history and the CLI can total AI cost per node from records.

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { EngineEvent, NodeCompletedEvent } from '../../../../src/engine/run/events';
import { runDefinition } from '../../../support/runHelpers';
import { triageTicketRun } from '../../../support/triageTicketRun';
import { runFlow } from '../../../../src/api/runFlow';

const samples = resolve(__dirname, '../../../../samples');

function completed(events: readonly EngineEvent[], nodeId: string): NodeCompletedEvent | undefined {
  return events.find((e): e is NodeCompletedEvent => e.type === 'node.completed' && e.nodeId === nodeId);
}

describe('node facts on events and records', () => {
  it('carries the ports that fired on node.completed, and keeps the ones other than out in the record', async () => {
    const { record, events } = await runDefinition({
      version: 1,
      id: 'ports',
      nodes: [
        { id: 'check', type: 'if', config: { condition: false } },
        { id: 'yes', type: 'transform', config: { output: 1 } },
        { id: 'no', type: 'transform', config: { output: 2 } },
      ],
      edges: [
        { from: 'check', port: 'true', to: 'yes' },
        { from: 'check', port: 'false', to: 'no' },
      ],
    });
    expect(completed(events, 'check')?.ports).toEqual(['false']);
    expect(completed(events, 'no')?.ports).toEqual(['out']);
    expect(record.nodes.check.ports).toEqual(['false']);
  });

  it("records an ai node's usage and carries it on node.completed", async () => {
    const events: EngineEvent[] = [];
    const record = await runFlow(resolve(samples, 'triage-ticket.flow.json'), {
      history: false,
      ...triageTicketRun(),
      onEvent: (e) => events.push(e),
    });
    const usage = record.nodes.classify.usage;
    expect(usage).toMatchObject({ model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 500 });
    expect(usage?.costUsd).toBeGreaterThan(0);
    expect(completed(events, 'classify')?.usage).toEqual(usage);
    // Nodes that pass the answer on made no call of their own.
    for (const [id, node] of Object.entries(record.nodes)) if (id !== 'classify') expect(node.usage).toBeUndefined();
  });
});
