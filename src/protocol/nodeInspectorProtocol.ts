// The node inspector's messages, shared by the canvas (canvasProtocol.ts) and the execution panel
// (executionProtocol.ts), which spread them into their own (envelope: webviewIpc.ts).
//
// Who sends what (webview → host requests, each answered once):
// - `nodeRuns`: the node's recent executions across history (newest first, a page of 50, filtered by the node's
//   own status), read from the history index only.
// - `nodeTestScope`: what the node saw in a past run, to test it again with: its input, the run's input
//   (`trigger`) and the upstream outputs (`nodes`).
// - `testNode`: run the node alone in the run worker with that scope (or an edited one) and optional mocks of its
//   http or ai call; replies with its output, logs and error.
// And one command: `cancelNodeTest` stops the node's test in progress (its reply then says cancelled).
//
// zod and types only: the browser bundles import the types, the host checks every inbound message with the schemas.

import { z } from 'zod';
import type { NodeRunsPage } from '../engine/history/nodeRuns';
import type { SingleNodeResult } from '../engine/run/runSingleNode';
import type { SingleNodeScope } from '../engine/run/singleNodeScope';
import { NODE_ID_PATTERN } from '../shared/nodeId';

const nodeId = z.string().regex(NODE_ID_PATTERN, 'a node id');
const runId = z.string().min(1).max(512);
export const NODE_STATUSES = ['pending', 'running', 'completed', 'failed', 'skipped', 'cancelled'] as const;

export const httpMockSchema = z.object({
  status: z.number().int().min(100).max(599).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
});
export const aiMockSchema = z.object({ text: z.string().max(10_000_000) });

export const nodeInspectorInbound = {
  nodeRuns: z.object({ nodeId, status: z.array(z.enum(NODE_STATUSES)).max(6).optional(), offset: z.number().int().min(0).optional() }),
  nodeTestScope: z.object({ nodeId, runId }),
  testNode: z.object({
    nodeId,
    input: z.unknown(),
    trigger: z.unknown().optional(),
    nodes: z.record(z.string(), z.unknown()).optional(),
    mocks: z.object({ http: httpMockSchema.optional(), ai: aiMockSchema.optional() }).optional(),
  }),
  cancelNodeTest: z.object({ nodeId }),
};
export type NodeInspectorInbound = typeof nodeInspectorInbound;

export type NodeTestScope = SingleNodeScope & { runId: string };
export type NodeTestResult = SingleNodeResult;

// Type aliases, not interfaces: they must fit webviewIpc's Record<string, unknown> constraints.
export type NodeInspectorReplies = {
  nodeRuns: NodeRunsPage & { flowId?: string };
  nodeTestScope: NodeTestScope;
  testNode: NodeTestResult;
};
