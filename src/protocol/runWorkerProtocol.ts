// Messages between the extension host and the run worker, a child Node process that runs flows so that a
// runaway node never blocks the editor and user code (.flow.ts modules, custom node types) never executes in the
// extension host.
//
// Who sends what:
// - host → worker: `RunRequest` (run a flow or its tests), `CompileRequest` (load a .flow.ts and report its
//   diagnostics, and with `graph` its canvas graph), `TestNodeRequest` (run one node alone: Test this node),
//   `CancelRequest`. Each request carries a `requestId` the replies repeat.
// - worker → host: `Ready` once, then per request: `DidEmitEvents` (batched engine events, at most one message
//   per ~16 ms), and one terminal reply: `RunDone`, `TestsDone`, `Compiled`, `NodeTested`, or `RequestFailed`.
// The host checks every message from the worker with zod before using it.

import { z } from 'zod';
import type { TestResult } from '../api/runTests';
import type { Diagnostic } from '../engine/model/diagnostics';
import type { EngineEvent } from '../engine/run/events';
import type { RunRecord } from '../engine/run/runRecord';
import type { CanvasGraph } from './canvasProtocol';
import type { SingleNodeResult } from '../engine/run/runSingleNode';
import { aiMockSchema, httpMockSchema } from './nodeInspectorProtocol';

export const runRequestSchema = z.object({
  kind: z.literal('run'),
  requestId: z.string(),
  file: z.string(),
  /** Unsaved editor text of a .flow.json, when the document is dirty. */
  text: z.string().optional(),
  input: z.unknown().optional(),
  historyDir: z.string().optional(),
  secrets: z.record(z.string(), z.string()),
  resumeFrom: z.string().optional(),
  rerunFrom: z.string().optional(),
  aiBaseUrl: z.string().optional(),
  timeoutMs: z.number().optional(),
});
export type RunRequest = z.infer<typeof runRequestSchema>;

export const testRequestSchema = z.object({
  kind: z.literal('test'),
  requestId: z.string(),
  file: z.string(),
  text: z.string().optional(),
  /** Only these test names; all when absent. */
  names: z.array(z.string()).optional(),
  historyDir: z.string().optional(),
});
export type TestRequest = z.infer<typeof testRequestSchema>;

export const compileRequestSchema = z.object({
  kind: z.literal('compile'),
  requestId: z.string(),
  file: z.string(),
  /** Also send the flow's canvas graph (the canvas of a .flow.ts draws it). */
  graph: z.boolean().optional(),
});
export type CompileRequest = z.infer<typeof compileRequestSchema>;

export const testNodeRequestSchema = z.object({
  kind: z.literal('testNode'),
  requestId: z.string(),
  file: z.string(),
  text: z.string().optional(),
  nodeId: z.string(),
  input: z.unknown(),
  trigger: z.unknown().optional(),
  nodes: z.record(z.string(), z.unknown()).optional(),
  mocks: z.object({ http: httpMockSchema.optional(), ai: aiMockSchema.optional() }).optional(),
  secrets: z.record(z.string(), z.string()),
  aiBaseUrl: z.string().optional(),
});
export type TestNodeRequest = z.infer<typeof testNodeRequestSchema>;

export const cancelRequestSchema = z.object({ kind: z.literal('cancel'), requestId: z.string() });
export type CancelRequest = z.infer<typeof cancelRequestSchema>;

export const hostToWorkerSchema = z.discriminatedUnion('kind', [runRequestSchema, testRequestSchema, compileRequestSchema, testNodeRequestSchema, cancelRequestSchema]);
export type HostToWorker = z.infer<typeof hostToWorkerSchema>;

/**
 * A schema that checks a payload's envelope (the fields the host reads before trusting the rest) and is typed as
 * the exact payload the worker sends: the engine's own types are richer than is worth restating in zod.
 */
function envelope<Payload>(schema: z.ZodType): z.ZodType<Payload> {
  return schema as z.ZodType<Payload>;
}

const rangeSchema = z.object({
  start: z.object({ line: z.number(), character: z.number() }),
  end: z.object({ line: z.number(), character: z.number() }),
});

const diagnosticSchema = envelope<Diagnostic>(
  z.object({ code: z.string(), severity: z.enum(['error', 'warning']), message: z.string(), range: rangeSchema.optional(), file: z.string().optional() }).passthrough(),
);

const recordSchema = envelope<RunRecord>(
  z.object({ id: z.string(), flowId: z.string(), status: z.string(), nodes: z.record(z.string(), z.unknown()) }).passthrough(),
);

const eventSchema = envelope<EngineEvent>(z.object({ type: z.string(), seq: z.number() }).passthrough());

const testResultSchema = envelope<WorkerTestResult>(
  z
    .object({
      name: z.string(),
      passed: z.boolean(),
      durationMs: z.number(),
      mismatches: z.array(z.object({ path: z.string(), expected: z.unknown(), actual: z.unknown(), nodeId: z.string().optional() }).passthrough()),
      error: z.string().optional(),
    })
    .passthrough(),
);

const canvasGraphSchema = envelope<CanvasGraph>(z.object({ nodes: z.array(z.unknown()), edges: z.array(z.unknown()) }).passthrough());

export const workerToHostSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('ready'), pid: z.number() }),
  z.object({ kind: z.literal('events'), requestId: z.string(), events: z.array(eventSchema) }),
  z.object({ kind: z.literal('runDone'), requestId: z.string(), record: recordSchema }),
  z.object({ kind: z.literal('testsDone'), requestId: z.string(), results: z.array(testResultSchema) }),
  z.object({
    kind: z.literal('compiled'),
    requestId: z.string(),
    flowId: z.string().optional(),
    diagnostics: z.array(diagnosticSchema),
    secretNames: z.array(z.string()),
    testNames: z.array(z.string()),
    /** Each in-file test's input, offered by the run input form (the names match testNames). */
    testInputs: z.array(z.object({ name: z.string(), input: z.unknown() })).optional(),
    inputs: z.record(z.string(), z.unknown()).optional(),
    /** When the request asked for it and the flow compiled. */
    graph: canvasGraphSchema.optional(),
  }),
  z.object({
    kind: z.literal('nodeTested'),
    requestId: z.string(),
    result: envelope<SingleNodeResult>(z.object({ nodeId: z.string(), status: z.enum(['completed', 'failed', 'cancelled']), logs: z.array(z.unknown()) }).passthrough()),
  }),
  z.object({
    kind: z.literal('failed'),
    requestId: z.string(),
    error: z.object({ message: z.string(), code: z.string().optional(), diagnostics: z.array(diagnosticSchema).optional() }),
  }),
]);
/** What the worker sends, inferred from the schema that checks it. */
export type WorkerToHost = z.infer<typeof workerToHostSchema>;

export interface WorkerTestResult extends Omit<TestResult, 'record'> {
  runId?: string;
  /** Unhandled node errors of the test's run, by node id. */
  nodeErrors: Record<string, string>;
}

/** Checks a message from the worker; undefined when it is not one. */
export function parseWorkerMessage(raw: unknown): WorkerToHost | undefined {
  // The message as sent: the parse only checks it (copying a large batch of events is not worth it).
  return workerToHostSchema.safeParse(raw).success ? (raw as WorkerToHost) : undefined;
}
