// The host's side of the node inspector (src/protocol/nodeInspectorProtocol.ts), shared by the canvas and the
// execution panel: the node's runs from the history index, a past run's scope for the node, and Test this node
// in the run worker (never in the extension host: a node may run user code or hang). Knows nothing of VS Code:
// the panels pass in what it needs, so a test can too.

import { WeftError } from '../engine/errors';
import type { HistoryStore } from '../engine/history/historyStore';
import { singleNodeScopeFromRun } from '../engine/run/singleNodeScope';
import type { NodeInspectorInbound } from '../protocol/nodeInspectorProtocol';
import type { RunWorkerClient } from './runWorkerClient';
import type { InboundHandlers } from './webviews/webviewChannel';

export interface NodeInspectorHostDeps {
  /** The flow file the panel shows (a path). */
  file: string;
  /** The flow's id, as its text gives it (undefined when it has none). */
  flowId(): Promise<string | undefined>;
  history(): Pick<HistoryStore, 'nodeRuns' | 'get'>;
  worker: Pick<RunWorkerClient, 'testNode' | 'compile' | 'cancel'>;
  /** The stored values of these secrets (those not stored are absent; the worker falls back to the environment). */
  secretValues(names: readonly string[]): Promise<Record<string, string>>;
  /** The editor's text of a .flow.json with unsaved changes: the test runs what the user sees. */
  unsavedText(): string | undefined;
  aiBaseUrl(): string | undefined;
}

/**
 * The worker request of each node's test in progress, by file and node id: module-wide, since a panel makes its
 * handlers when asked (the execution panel switches flows) and Cancel must find the test another call started.
 */
const testsInProgress = new Map<string, string>();

export function nodeInspectorHandlers(deps: NodeInspectorHostDeps): InboundHandlers<NodeInspectorInbound> {
  return {
    nodeRuns: async ({ nodeId, status, offset }) => {
      const flowId = await deps.flowId();
      if (flowId === undefined) return { runs: [], more: false };
      const page = await deps.history().nodeRuns({ flowId, nodeId, status, offset });
      return { ...page, flowId };
    },
    nodeTestScope: async ({ nodeId, runId }) => {
      const record = await deps.history().get(runId);
      if (!record) throw new WeftError('not-found', `No run ${runId} in this workspace's history.`);
      return { runId: record.id, ...singleNodeScopeFromRun(record, nodeId) };
    },
    testNode: async ({ nodeId, input, trigger, nodes, mocks }) => {
      // The secrets the flow reads, as a run gets them: compiled in the worker (a .flow.ts runs nowhere else).
      const compiled = await deps.worker.compile(deps.file);
      const secrets = await deps.secretValues(compiled.secretNames);
      const text = deps.unsavedText();
      const aiBaseUrl = deps.aiBaseUrl();
      const { requestId, done } = deps.worker.testNode({
        file: deps.file,
        ...(text !== undefined ? { text } : {}),
        nodeId,
        input,
        trigger,
        nodes,
        mocks,
        secrets,
        ...(aiBaseUrl ? { aiBaseUrl } : {}),
      });
      const key = `${deps.file}#${nodeId}`;
      testsInProgress.set(key, requestId);
      try {
        return await done;
      } finally {
        if (testsInProgress.get(key) === requestId) testsInProgress.delete(key);
      }
    },
    cancelNodeTest: async ({ nodeId }) => {
      const requestId = testsInProgress.get(`${deps.file}#${nodeId}`);
      if (requestId !== undefined) await deps.worker.cancel(requestId);
    },
  };
}
