// The run worker: a child process that runs flows for the extension host (see src/protocol/runWorkerProtocol.ts).
// It knows nothing of VS Code. Events are batched (one message per ~16 ms) so a 10,000-node run does not flood
// the host; the terminal reply is sent after the last batch.

import { readFileSync } from 'node:fs';
import { loadFlow } from '../api/loadFlow';
import { flowFileKind } from '../shared/flowFiles';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import type { Range } from '../engine/model/diagnostics';
import { createFlowSourceLocator } from '../engine/load/locateFlowSource';
import { canvasGraphFromCompiled } from '../language/canvasGraph';
import type { CanvasGraph } from '../protocol/canvasProtocol';
import { runFlow, secretsFromEnvironment } from '../api/runFlow';
import { runFlowTests } from '../api/runTests';
import { testNode } from '../api/testNode';
import { HistoryStore } from '../engine/history/historyStore';
import { hasErrors, type Diagnostic } from '../engine/model/diagnostics';
import type { EngineEvent } from '../engine/run/events';
import { hostToWorkerSchema, type RunRequest, type TestNodeRequest, type TestRequest, type WorkerToHost } from '../protocol/runWorkerProtocol';

const BATCH_MS = 16;
const running = new Map<string, AbortController>();
// One store per history directory for the worker's life: a store keeps its own journal file, so opening one per
// request would leave a journal per run behind for compaction to fold.
const histories = new Map<string, HistoryStore>();

function historyFor(dir: string | undefined): HistoryStore | false {
  if (dir === undefined) return false;
  let store = histories.get(dir);
  if (!store) {
    store = HistoryStore.open({ dir });
    histories.set(dir, store);
  }
  return store;
}

function send(message: WorkerToHost): void {
  process.send?.(message);
}

/** Leading-edge batching: the first event goes out at once (the user just clicked Run), later ones per ~16 ms. */
class EventBatcher {
  private batch: EngineEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private lastFlush = 0;

  constructor(private readonly requestId: string) {}

  push = (event: EngineEvent): void => {
    this.batch.push(event);
    if (this.timer) return;
    const wait = BATCH_MS - (performance.now() - this.lastFlush);
    if (wait <= 0) queueMicrotask(() => this.flush());
    else this.timer = setTimeout(() => this.flush(), wait);
  };

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.lastFlush = performance.now();
    if (this.batch.length === 0) return;
    const events = this.batch;
    this.batch = [];
    send({ kind: 'events', requestId: this.requestId, events });
  }
}

async function handleRun(request: RunRequest): Promise<void> {
  const compiled = loadFlow(request.file, { text: request.text });
  if (!compiled.flow || hasErrors(compiled.diagnostics)) {
    const first = compiled.diagnostics.find((d) => d.severity === 'error');
    send({
      kind: 'failed',
      requestId: request.requestId,
      error: { message: `The flow does not compile: ${first?.message ?? 'unknown error'}`, code: 'invalid-flow', diagnostics: compiled.diagnostics },
    });
    return;
  }
  const controller = new AbortController();
  running.set(request.requestId, controller);
  const batcher = new EventBatcher(request.requestId);
  try {
    const flow = compiled.flow;
    if (request.timeoutMs !== undefined && flow.definition.settings?.timeoutMs === undefined) flow.settings.timeoutMs = request.timeoutMs;
    const record = await runFlow(flow, {
      input: request.input,
      // The editor passes the secrets it holds; environment variables fill in the rest, as in the CLI.
      secrets: { ...secretsFromEnvironment(flow.secretNames), ...request.secrets },
      history: historyFor(request.historyDir),
      resumeFrom: request.resumeFrom,
      rerunFrom: request.rerunFrom,
      signal: controller.signal,
      onEvent: batcher.push,
      services: request.aiBaseUrl ? { aiBaseUrl: request.aiBaseUrl } : undefined,
    });
    // Durable before the reply: the host lists history (CodeLens, pickers) as soon as it hears the run ended.
    if (request.historyDir !== undefined) await histories.get(request.historyDir)?.flush();
    batcher.flush();
    send({ kind: 'runDone', requestId: request.requestId, record });
  } catch (error) {
    batcher.flush();
    const e = error as { message?: string; code?: string; diagnostics?: unknown[] };
    send({
      kind: 'failed',
      requestId: request.requestId,
      error: { message: e.message ?? String(error), code: e.code, diagnostics: e.diagnostics as Diagnostic[] | undefined },
    });
  } finally {
    running.delete(request.requestId);
  }
}

async function handleTests(request: TestRequest): Promise<void> {
  const compiled = loadFlow(request.file, { text: request.text });
  if (!compiled.flow || hasErrors(compiled.diagnostics)) {
    send({ kind: 'failed', requestId: request.requestId, error: { message: 'The flow does not compile.', code: 'invalid-flow', diagnostics: compiled.diagnostics } });
    return;
  }
  const controller = new AbortController();
  running.set(request.requestId, controller);
  try {
    const wanted = request.names ? new Set(request.names) : undefined;
    const all = await runFlowTests(compiled.flow, { history: historyFor(request.historyDir), signal: controller.signal });
    if (request.historyDir !== undefined) await histories.get(request.historyDir)?.flush();
    const results = all
      .filter((r) => !wanted || wanted.has(r.name))
      .map(({ record, ...rest }) => ({ ...rest, runId: record?.id, nodeErrors: nodeErrorsOf(record) }));
    send({ kind: 'testsDone', requestId: request.requestId, results });
  } finally {
    running.delete(request.requestId);
  }
}

/** Test this node: the node alone, with the scope and mocks the request gives; nothing goes to history. */
async function handleTestNode(request: TestNodeRequest): Promise<void> {
  const compiled = loadFlow(request.file, { text: request.text });
  if (!compiled.flow || hasErrors(compiled.diagnostics)) {
    const first = compiled.diagnostics.find((d) => d.severity === 'error');
    send({ kind: 'failed', requestId: request.requestId, error: { message: `The flow does not compile: ${first?.message ?? 'unknown error'}`, code: 'invalid-flow' } });
    return;
  }
  const controller = new AbortController();
  running.set(request.requestId, controller);
  try {
    const flow = compiled.flow;
    const result = await testNode(flow, {
      nodeId: request.nodeId,
      input: request.input,
      trigger: request.trigger,
      nodes: request.nodes,
      mocks: request.mocks,
      secrets: { ...secretsFromEnvironment(flow.secretNames), ...request.secrets },
      aiBaseUrl: request.aiBaseUrl,
      signal: controller.signal,
    });
    send({ kind: 'nodeTested', requestId: request.requestId, result });
  } finally {
    running.delete(request.requestId);
  }
}

function nodeErrorsOf(record: { nodes: Record<string, { status: string; error?: { message: string }; errorHandled?: boolean }> } | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const [id, node] of Object.entries(record?.nodes ?? {})) if (node.error && !node.errorHandled) errors[id] = node.error.message;
  return errors;
}

function handleCompile(requestId: string, file: string, withGraph = false): void {
  const compiled = loadFlow(file);
  const flow = compiled.flow;
  const graph = withGraph && flow ? canvasGraphOf(file, flow) : undefined;
  send({
    kind: 'compiled',
    requestId,
    flowId: flow?.id,
    diagnostics: compiled.diagnostics,
    secretNames: flow?.secretNames ?? [],
    testNames: flow?.tests.map((t) => t.name) ?? [],
    testInputs: flow?.tests.map((t) => ({ name: t.name, input: t.input })) ?? [],
    inputs: flow?.definition.inputs,
    ...(graph ? { graph } : {}),
  });
}

/** The canvas graph; in a .flow.ts each node's range is its object literal (read from the text, as CodeLens does). */
function canvasGraphOf(file: string, flow: CompiledFlow): CanvasGraph {
  let ranges: ReadonlyMap<string, Range> | undefined;
  if (flowFileKind(file) === 'ts') {
    try {
      ranges = createFlowSourceLocator(readFileSync(file, 'utf8')).nodeRanges;
    } catch {
      ranges = undefined;
    }
  }
  return canvasGraphFromCompiled(flow, ranges);
}

process.on('message', (raw: unknown) => {
  const parsed = hostToWorkerSchema.safeParse(raw);
  if (!parsed.success) return;
  const message = parsed.data;
  switch (message.kind) {
    case 'run':
      void handleRun(message);
      break;
    case 'test':
      void handleTests(message).catch((error: unknown) =>
        send({ kind: 'failed', requestId: message.requestId, error: { message: (error as Error).message ?? String(error) } }),
      );
      break;
    case 'testNode':
      void handleTestNode(message).catch((error: unknown) => {
        const e = error as { message?: string; code?: string };
        send({ kind: 'failed', requestId: message.requestId, error: { message: e.message ?? String(error), code: e.code } });
      });
      break;
    case 'compile':
      try {
        handleCompile(message.requestId, message.file, message.graph);
      } catch (error) {
        send({ kind: 'failed', requestId: message.requestId, error: { message: (error as Error).message ?? String(error) } });
      }
      break;
    case 'cancel':
      running.get(message.requestId)?.abort();
      break;
  }
});

// The host going away (window closed, extension host restarted) ends this process.
process.on('disconnect', () => process.exit(0));
send({ kind: 'ready', pid: process.pid });
