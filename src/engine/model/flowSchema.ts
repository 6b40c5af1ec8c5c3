// The zod schema of the flow format, v1 (spec sections 2 to 4, 8 and 9). `language/flow.schema.json` is
// generated from it, so the editor's JSON validation and the engine agree. Node configs are checked per type by
// the node registry (each type owns its config schema); here a config is any object.

import { z } from 'zod';
import { NODE_ID_PATTERN } from '../../shared/nodeId';

export const FLOW_ID_PATTERN = /^[a-z0-9][a-z0-9_-]*$/;

export const nodeIdSchema = z
  .string()
  .regex(NODE_ID_PATTERN, 'a node id starts with a letter or _ and holds only letters, digits, _ and -, and is not __proto__, constructor or prototype');

export const retrySchema = z
  .object({
    maxAttempts: z.number().int().min(1).max(100).optional().describe('Attempts in all, the first one included (default 1).'),
    delayMs: z.number().min(0).optional().describe('Delay before the first retry (default 1000).'),
    backoff: z.enum(['exponential', 'fixed']).optional().describe('exponential doubles the delay each retry (default exponential).'),
    maxDelayMs: z.number().min(0).optional().describe('Upper bound of a delay (default 30000).'),
  })
  .strict();

export const nodeSchema = z
  .object({
    id: nodeIdSchema.describe('Unique in the flow; edges and expressions (nodes.<id>) refer to it.'),
    type: z.string().min(1).describe('A registered node type.'),
    name: z.string().optional(),
    description: z.string().optional(),
    config: z.record(z.string(), z.unknown()).optional().describe('Per type; strings may hold {{ templates }}.'),
    retry: retrySchema.optional(),
    timeoutMs: z.number().positive().optional().describe('Per attempt.'),
    onError: z.enum(['fail', 'skip']).optional().describe('skip: the node ends failed, handled, and its out port fires with { error }.'),
    disabled: z.boolean().optional().describe('The node does not run; its input passes through.'),
  })
  .strict();

export const edgeSchema = z
  .object({
    from: nodeIdSchema,
    to: nodeIdSchema,
    port: z.string().min(1).optional().describe('An output port of `from` (default out).'),
    map: z.record(z.string(), z.unknown()).optional().describe('Fields of the target input, templates over the source output as `input`.'),
  })
  .strict();

export const manualTriggerSchema = z.object({ type: z.literal('manual') }).strict();

export const webhookTriggerSchema = z
  .object({
    type: z.literal('webhook'),
    path: z.string().min(1).optional().describe('Default: the flow id. Served at /hooks/<path>.'),
    method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE']).optional(),
    secret: z.string().optional().describe('Usually {{ secrets.NAME }}: bearer token or HMAC-SHA256 key.'),
    respond: z.enum(['ack', 'result']).optional(),
  })
  .strict();

export const scheduleTriggerSchema = z
  .object({
    type: z.literal('schedule'),
    cron: z.string().min(1).describe('Five fields: minute hour day-of-month month day-of-week.'),
    timezone: z.string().optional(),
    input: z.unknown().optional(),
  })
  .strict();

export const triggerSchema = z.discriminatedUnion('type', [manualTriggerSchema, webhookTriggerSchema, scheduleTriggerSchema]);

export const mockSchema = z.union([
  z.object({ output: z.unknown() }).strict(),
  z.object({ error: z.string() }).strict(),
]);

export const nodeExpectationSchema = z
  .object({
    status: z.enum(['pending', 'running', 'completed', 'failed', 'skipped', 'cancelled']).optional(),
    output: z.unknown().optional(),
  })
  .strict();

export const testCaseSchema = z
  .object({
    name: z.string().min(1),
    input: z.unknown().optional(),
    mocks: z.record(z.string(), mockSchema).optional(),
    expect: z
      .object({
        status: z.enum(['completed', 'failed', 'cancelled']).optional(),
        output: z.unknown().optional(),
        nodes: z.record(z.string(), nodeExpectationSchema).optional(),
      })
      .strict(),
  })
  .strict();

export const notifySchema = z
  .object({
    on: z.enum(['failure', 'completion', 'always']).describe('failure: failed or interrupted runs; completion: completed runs; always: every ended run.'),
    url: z.string().optional().describe('POST a JSON summary of the run here (http or https).'),
    secret: z.string().optional().describe('Template, usually {{secrets.NAME}}: signs the POST (X-Weft-Signature-256: sha256=<HMAC-SHA256 of the body>).'),
    subflow: z.string().optional().describe('Run this flow file (relative to this one) with the summary as input.'),
  })
  .strict();

export const settingsSchema = z
  .object({
    timeoutMs: z.number().positive().optional().describe('Whole-run timeout (default 300000).'),
    concurrency: z.number().int().min(1).optional().describe('Most nodes running at once (default 16).'),
    notify: notifySchema.optional().describe('After a run ends: post a signed summary to a URL, or run a subflow with it (v1.1).'),
  })
  .strict();

export const flowSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1),
    id: z.string().regex(FLOW_ID_PATTERN, 'a flow id is lower case letters, digits, _ and -, starting with a letter or digit'),
    name: z.string().optional(),
    description: z.string().optional(),
    imports: z.array(z.string()).optional().describe('Modules that default-export defineNodeType(...).'),
    inputs: z.record(z.string(), z.unknown()).optional().describe('JSON Schema of the run input.'),
    variables: z.record(z.string(), z.unknown()).optional(),
    triggers: z.array(triggerSchema).optional(),
    settings: settingsSchema.optional(),
    nodes: z.array(nodeSchema).min(1, 'a flow has at least one node'),
    edges: z.array(edgeSchema).optional(),
    output: z.unknown().optional().describe('Template of the run output.'),
    tests: z.array(testCaseSchema).optional(),
    layout: z.record(z.string(), z.object({ x: z.number(), y: z.number() }).strict()).optional(),
  })
  .strict();

export type RetryDefinition = z.infer<typeof retrySchema>;
export type NodeDefinition = z.infer<typeof nodeSchema>;
export type EdgeDefinition = z.infer<typeof edgeSchema>;
export type TriggerDefinition = z.infer<typeof triggerSchema>;
export type MockDefinition = z.infer<typeof mockSchema>;
export type TestCaseDefinition = z.infer<typeof testCaseSchema>;
export type FlowDefinition = z.infer<typeof flowSchema>;
export type NotifyDefinition = z.infer<typeof notifySchema>;
