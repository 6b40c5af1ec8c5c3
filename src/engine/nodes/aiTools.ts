// The `ai` node's tools (spec section 7, v1.1): subflows the model may call. Each tool is offered to the model as
// an OpenAI function whose parameters are the subflow's `inputs` schema; each call the model makes is checked
// against that schema and, when it fits, runs the subflow as a child run (the subflow node's own code path,
// NodeServices.runSubflow). A call whose arguments are not JSON or do not fit goes back to the model as the
// tool's error, so it can correct itself; a child run that fails fails the node (docs/decisions.md).

import { z } from 'zod';
import { WeftError } from '../errors';
import type { NodeContext, SubflowDescription } from './nodeType';
import { configError, isPlainObject } from './templatedConfig';

/** Calls per node when `maxToolCalls` is not set: enough for a few rounds, few enough to stop a model that loops. */
export const DEFAULT_MAX_TOOL_CALLS = 10;
/** OpenAI's rule for function names. */
export const TOOL_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export const toolSchema = z
  .object({
    flow: z.string().min(1, 'the flow is empty').describe('The subflow to offer, a path relative to this file (like a subflow node).'),
    name: z.string().regex(TOOL_NAME, 'letters, digits, _ and -, at most 64').optional().describe("The function's name (default: the subflow's flow id)."),
    description: z.string().optional().describe("What the tool does, for the model (default: the subflow's description)."),
  })
  .strict();

export type ToolConfig = z.infer<typeof toolSchema>;

/** A tool ready to offer: its function name, the subflow behind it and that subflow's inputs. */
export interface PreparedTool {
  name: string;
  flow: string;
  subflow: SubflowDescription;
  /** The OpenAI `tools` entry. */
  definition: Record<string, unknown>;
}

/** One call the model made, as the record and the events show it. */
export interface ToolCallRecord {
  /** The model's id for the call. */
  id: string;
  name: string;
  flow: string;
  /** The arguments as the model gave them (parsed when they are JSON). */
  arguments: unknown;
  /** The child run's output, when it completed. */
  output?: unknown;
  /** Why the call gave no output: arguments the model must fix, or the child run's error. */
  error?: string;
  /** The child run's id (its record has `parentExecutionId` set to this run). */
  executionId?: string;
  durationMs: number;
}

/** A tool call as the model's answer carries it. */
export interface RequestedToolCall {
  id: string;
  name: string;
  arguments: string;
}

/** Reads `tools` and `maxToolCalls` from the evaluated config and describes each subflow. */
export async function prepareTools(ctx: NodeContext, config: Record<string, unknown>): Promise<{ tools: PreparedTool[]; maxToolCalls: number }> {
  const max = config.maxToolCalls ?? DEFAULT_MAX_TOOL_CALLS;
  if (typeof max !== 'number' || !Number.isInteger(max) || max < 0) throw configError('ai', 'maxToolCalls', 'a whole number, 0 or more', max);
  const list = config.tools ?? [];
  if (!Array.isArray(list)) throw configError('ai', 'tools', 'an array of { flow, name?, description? }', list);
  const describe = ctx.services.describeSubflow;
  if (list.length > 0 && describe === undefined) throw new WeftError('internal', 'This host cannot run subflows as tools.');
  const tools: PreparedTool[] = [];
  for (const [index, entry] of list.entries()) {
    if (!isPlainObject(entry) || typeof entry.flow !== 'string' || entry.flow === '') {
      throw configError('ai', `tools[${index}]`, 'an object { flow, name?, description? }', entry);
    }
    const subflow = await describe!(entry.flow);
    const name = typeof entry.name === 'string' ? entry.name : subflow.id;
    if (!TOOL_NAME.test(name)) throw configError('ai', `tools[${index}].name`, 'letters, digits, _ and -, at most 64', name);
    if (tools.some((tool) => tool.name === name)) throw configError('ai', `tools[${index}].name`, 'a name no other tool of the node has', name);
    const description = typeof entry.description === 'string' ? entry.description : subflow.description;
    const fn: Record<string, unknown> = { name, parameters: subflow.inputs ?? { type: 'object', properties: {} } };
    if (description !== undefined) fn.description = description;
    tools.push({ name, flow: entry.flow, subflow, definition: { type: 'function', function: fn } });
  }
  return { tools, maxToolCalls: max };
}

/** Runs one call: checks its arguments against the subflow's inputs, then runs the subflow as a child run. */
export async function runToolCall(ctx: NodeContext, tools: readonly PreparedTool[], call: RequestedToolCall): Promise<ToolCallRecord> {
  const started = Date.now();
  const tool = tools.find((candidate) => candidate.name === call.name);
  let args: unknown = call.arguments;
  const done = (fields: Partial<ToolCallRecord>): ToolCallRecord => ({
    id: call.id,
    name: call.name,
    flow: tool?.flow ?? '',
    arguments: args,
    ...fields,
    durationMs: Date.now() - started,
  });
  if (tool === undefined) return done({ error: `There is no tool named ${call.name}; the tools are ${tools.map((t) => t.name).join(', ')}.` });
  try {
    args = call.arguments.trim() === '' ? {} : JSON.parse(call.arguments);
  } catch (error) {
    return done({ error: `The arguments are not JSON: ${(error as Error).message}` });
  }
  const validation = tool.subflow.validateInput(args);
  if (!validation.ok) {
    return done({ error: `The arguments do not match the parameters: ${validation.errors.map((e) => `${e.path || '/'} ${e.message}`).join('; ')}` });
  }
  let executionId: string | undefined;
  const onStarted = (childId: string): void => {
    executionId = childId;
    ctx.progress({ toolCall: { id: call.id, name: call.name, status: 'started', arguments: args, executionId } });
  };
  try {
    const output = await ctx.services.runSubflow(tool.flow, validation.value, ctx.signal, { onStarted });
    const record = done({ output, executionId });
    ctx.progress({ toolCall: { ...record, status: 'completed' } });
    return record;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const record = done(executionId === undefined ? { error: message } : { error: message, executionId });
    ctx.progress({ toolCall: { ...record, status: 'failed' } });
    throw new WeftError('subflow', `Tool ${call.name} failed: ${message}`, {
      cause: error,
      details: { toolCall: record },
    });
  }
}

/** What goes back to the model for a call: the output as JSON text, or `{ "error": ... }`. */
export function toolMessage(record: ToolCallRecord): Record<string, unknown> {
  const content = record.error !== undefined ? JSON.stringify({ error: record.error }) : (JSON.stringify(record.output) ?? 'null');
  return { role: 'tool', tool_call_id: record.id, content };
}

export function tooManyToolCalls(max: number, calls: readonly ToolCallRecord[]): WeftError {
  return new WeftError('tool-call-limit', `The model asked for more than ${max} tool calls (maxToolCalls); the calls made: ${calls.map((c) => c.name).join(', ') || 'none'}`, {
    // Not retried: a model that loops on tools would loop again, at a cost.
    details: { maxToolCalls: max, toolCalls: calls },
  });
}
