// The `ai` node type (spec section 7): one call of an OpenAI-compatible chat completions API. With `schema`
// the model is asked for structured output and the answer is parsed into `json`. The API key is a secret: it
// goes into the Authorization header and nowhere else (no log, no error message, no record).
//
// v1.1: the answer is streamed by default (`stream`), its pieces going out as `node.progress` deltas; when the
// primary model fails operationally (timeout, network, 5xx, 429, an unusable answer) or its circuit is open,
// the `fallback` models are tried in order, and the output says which answered (`model`) and why the others
// did not (`skipped`). The primary gets the node's retries first: fallbacks are tried on its last attempt, or at
// once when its circuit is open (docs/decisions.md).

import { z } from 'zod';
import { setSecretHint } from '../run/errorHints';
import { callThroughCircuit } from '../circuit/callThroughCircuit';
import type { CircuitSettings } from '../circuit/circuitBreaker';
import { circuitBreakerSchema, circuitSettingsOf } from '../circuit/circuitConfig';
import { processCircuits } from '../circuit/circuitRegistry';
import { WeftError } from '../errors';
import { costUsd } from './aiPrices';
import { readChatStream } from './aiStream';
import type { StreamChannel } from './aiStream';
import { DeltaHoldback } from './deltaHoldback';
import { DEFAULT_MAX_TOOL_CALLS, prepareTools, runToolCall, toolMessage, toolSchema, tooManyToolCalls } from './aiTools';
import type { RequestedToolCall, ToolCallRecord } from './aiTools';
import { defineNodeType } from './nodeType';
import type { NodeContext, NodeOutcome, NodeTypeDefinition } from './nodeType';
import type { NodeUsage } from '../run/runRecord';
import { describeRequest, describeStatus, errorKindForStatus, isHttpUrl, retryAfterMs, sendRequest } from './httpRequest';
import { configError, isPlainObject, isTemplateString, orTemplate } from './templatedConfig';

export const AI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const AI_DEFAULT_API_KEY_SECRET = 'OPENAI_API_KEY';
const ROLES = ['system', 'developer', 'user', 'assistant'] as const;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** How much of an answer goes into an error's details. */
const DETAIL_LIMIT = 1024;

const apiKeySecretSchema = z
  .string()
  .regex(SECRET_NAME, 'expected the name of a secret, like OPENAI_API_KEY (its name, not its value)');

const baseUrlSchema = z.string().refine((url) => isTemplateString(url) || isHttpUrl(url), 'expected an http:// or https:// URL');

const fallbackSchema = z
  .object({
    model: z.string().min(1, 'the model is empty').describe('The model to try.'),
    baseUrl: baseUrlSchema.optional().describe("Its API (default: the node's own)."),
    apiKeySecret: apiKeySecretSchema.optional().describe("The secret holding its API key (default: the node's own)."),
  })
  .strict();

const messageSchema = z
  .object({
    role: orTemplate(z.enum(ROLES), `one of ${ROLES.join(', ')}`),
    content: z.union([z.string(), z.array(z.unknown())]).describe('Text (may hold {{ templates }}), or an array of content parts.'),
    name: z.string().optional(),
  })
  .strict();

export const aiConfigSchema = z
  .object({
    baseUrl: z
      .string()
      .refine((url) => isTemplateString(url) || isHttpUrl(url), 'expected an http:// or https:// URL')
      .optional()
      .describe(`An OpenAI-compatible API, up to the version (default: from the settings, else ${AI_DEFAULT_BASE_URL}).`),
    model: z.string().min(1, 'the model is empty').describe('The model name, e.g. gpt-4o-mini.'),
    system: z.string().optional().describe('The system message.'),
    prompt: z.string().optional().describe('The user message; sent after `messages` when both are given.'),
    messages: orTemplate(z.array(messageSchema), 'an array of { role, content }')
      .optional()
      .describe('The conversation so far, [{ role, content }].'),
    temperature: orTemplate(z.number().min(0).max(2), 'a number from 0 to 2').optional(),
    maxTokens: orTemplate(z.number().int().positive(), 'a positive whole number')
      .optional()
      .describe('Most tokens the answer may have.'),
    schema: orTemplate(z.record(z.string(), z.unknown()), 'a JSON Schema object')
      .optional()
      .describe('JSON Schema of the answer: the model is asked for JSON that matches it (strict structured output), parsed into `json`.'),
    apiKeySecret: apiKeySecretSchema.optional().describe(`The secret holding the API key (default ${AI_DEFAULT_API_KEY_SECRET}).`),
    stream: orTemplate(z.boolean(), 'true or false')
      .optional()
      .describe('true (default): the answer is streamed, its text reaching the run views as it arrives (node.progress events).'),
    timeoutMs: orTemplate(z.number().int().positive(), 'a positive whole number of milliseconds')
      .optional()
      .describe("Time limit of each model's call, answer included (default: none of its own; the node's timeoutMs still applies). Past it the next fallback is tried."),
    fallback: z
      .array(fallbackSchema)
      .optional()
      .describe('Models tried in order when the primary fails (timeout, network, 5xx, 429 after its retries) or its circuit is open.'),
    circuitBreaker: circuitBreakerSchema.optional(),
    tools: z
      .array(toolSchema)
      .optional()
      .describe("Subflows the model may call (function calling): each subflow's `inputs` is the function's parameters; each call runs it as a child run."),
    maxToolCalls: orTemplate(z.number().int().min(0), 'a whole number, 0 or more')
      .optional()
      .describe(`Most tool calls the model may make in one run of the node (default ${DEFAULT_MAX_TOOL_CALLS}); past it the node fails with tool-call-limit.`),
  })
  .strict()
  .refine((config) => config.prompt !== undefined || config.messages !== undefined, {
    message: 'the ai node needs a prompt or messages',
    path: ['prompt'],
  })
  .meta({ examples: [{ model: 'gpt-4o-mini', prompt: '{{ input }}' }] });

export type AiConfig = z.infer<typeof aiConfigSchema>;

export const aiOutputSchema = z.object({
  text: z.string().describe('The answer as text.'),
  json: z.unknown().optional().describe('The answer parsed as JSON (only with `schema`).'),
  model: z.string().describe('The model that answered, as the API names it (a fallback, when the primary failed).'),
  skipped: z
    .array(z.object({ model: z.string(), code: z.string().optional(), reason: z.string() }))
    .optional()
    .describe('Only when a fallback answered: the models tried before it, in order, and why each did not answer.'),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  costUsd: z.number().optional().describe('Estimated from a built-in price table; absent for models it does not know.'),
  toolCalls: z
    .array(
      z.object({
        id: z.string(),
        name: z.string(),
        flow: z.string(),
        arguments: z.unknown(),
        output: z.unknown().optional(),
        error: z.string().optional(),
        executionId: z.string().optional(),
        durationMs: z.number(),
      }),
    )
    .optional()
    .describe('Only when the model called tools: each call, in order, with its arguments, result and child run.'),
});

/** A model that was tried and did not answer, and why. */
export interface SkippedModel {
  model: string;
  /** The error's code: `circuit-open`, `timeout`, `http-status`, `network`, ... */
  code?: string;
  reason: string;
}

export interface AiOutput {
  text: string;
  json?: unknown;
  model: string;
  skipped?: SkippedModel[];
  usage: { inputTokens: number; outputTokens: number };
  costUsd?: number;
  toolCalls?: ToolCallRecord[];
}

/** A model's answer: the output, and the tool calls it asks for (then its text may be empty). */
interface ModelAnswer {
  output: AiOutput;
  toolCalls: RequestedToolCall[];
  /** The assistant message to send back with the tools' results. */
  message: Record<string, unknown>;
}

export const aiNodeType: NodeTypeDefinition<AiConfig> = defineNodeType<AiConfig>({
  type: 'ai',
  title: 'AI chat completion',
  description: [
    'Calls an OpenAI-compatible chat completions API and outputs `{ text, json?, model, usage, costUsd? }`.',
    'The API key is read from the secret named by `apiKeySecret` (default `OPENAI_API_KEY`). With `schema`, the',
    'answer is JSON matching it, parsed into `json`.',
    '',
    '```json',
    '{ "id": "classify", "type": "ai", "config": {',
    '  "model": "gpt-4o-mini",',
    '  "system": "You sort support tickets.",',
    '  "prompt": "Ticket: {{ input.text }}",',
    '  "schema": { "type": "object", "properties": { "urgent": { "type": "boolean" } },',
    '              "required": ["urgent"], "additionalProperties": false }',
    '} }',
    '```',
    '',
    'Read the answer downstream as `nodes.classify.json.urgent`.',
    '',
    'With `tools: [{ "flow": "./lookup.flow.json" }]` the model may call subflows (their `inputs` are the',
    "parameters); each call is a child run, listed in the output's `toolCalls`; `maxToolCalls` (default 10) caps them.",
  ].join('\n'),
  configSchema: aiConfigSchema,
  ports: ['out'],
  outputSchema: aiOutputSchema,
  sideEffect: true,
  secretNames: (config) => {
    const primary = typeof config?.apiKeySecret === 'string' ? config.apiKeySecret : AI_DEFAULT_API_KEY_SECRET;
    const fallbacks = Array.isArray(config?.fallback) ? config.fallback : [];
    const names = fallbacks.map((entry) => (typeof entry?.apiKeySecret === 'string' ? entry.apiKeySecret : primary));
    return [...new Set([primary, ...names])];
  },
  run: runAi,
});

/** One model to call: the primary, or a fallback. */
interface AiTarget {
  model: string;
  baseUrl: unknown;
  secretName: string;
}

async function runAi(ctx: NodeContext<AiConfig>): Promise<NodeOutcome> {
  const config = ctx.config as Record<string, unknown>;
  const targets = targetsOf(config, ctx.services.aiBaseUrl);
  const circuit = circuitSettingsOf(config.circuitBreaker);
  const stream = config.stream === undefined ? true : config.stream;
  if (typeof stream !== 'boolean') throw configError('ai', 'stream', 'true or false', stream);
  const timeoutMs = config.timeoutMs ?? undefined;
  if (timeoutMs !== undefined && (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0)) {
    throw configError('ai', 'timeoutMs', 'a positive number of milliseconds', timeoutMs);
  }
  // Every key the node may send, so none can leak through another model's error (a proxy echoing it).
  const keys = targets.map((target) => ctx.scope.secrets[target.secretName]).filter((key): key is string => typeof key === 'string' && key !== '');
  const hide = (text: string): string => keys.reduce((out, key) => redact(out, key), text);

  const { tools, maxToolCalls } = await prepareTools(ctx, config);
  const options: CallOptions = { stream, timeoutMs, circuit, hide, tools: tools.map((tool) => tool.definition), conversation: [] };
  const calls: ToolCallRecord[] = [];
  const total = { inputTokens: 0, outputTokens: 0, costUsd: undefined as number | undefined };
  for (;;) {
    const answer = await answerWithFallback(ctx, config, targets, options);
    const { output } = answer;
    total.inputTokens += output.usage.inputTokens;
    total.outputTokens += output.usage.outputTokens;
    if (output.costUsd !== undefined) total.costUsd = (total.costUsd ?? 0) + output.costUsd;
    if (answer.toolCalls.length === 0 || tools.length === 0) {
      output.usage = { inputTokens: total.inputTokens, outputTokens: total.outputTokens };
      if (total.costUsd !== undefined) output.costUsd = roundCost(total.costUsd);
      if (calls.length > 0) output.toolCalls = calls;
      return outcomeOf(ctx, output);
    }
    if (calls.length + answer.toolCalls.length > maxToolCalls) throw tooManyToolCalls(maxToolCalls, calls);
    options.conversation.push(answer.message);
    for (const call of answer.toolCalls) {
      const record = await runToolCall(ctx, tools, call);
      calls.push(record);
      ctx.log(record.error === undefined ? 'info' : 'warn', `tool ${record.name}${record.error === undefined ? '' : ` refused: ${record.error}`}`);
      options.conversation.push(toolMessage(record));
    }
  }
}

function roundCost(value: number): number {
  return Math.round(value * 1e8) / 1e8;
}

function outcomeOf(ctx: NodeContext<AiConfig>, output: AiOutput): NodeOutcome {
  ctx.log(
    'debug',
    `${output.model}: ${output.usage.inputTokens} tokens in, ${output.usage.outputTokens} out` +
      (output.costUsd === undefined ? '' : `, about $${output.costUsd}`),
  );
  // The usage is also the node's own fact, so history and the run views total it without reading outputs.
  const usage: NodeUsage = { model: output.model, inputTokens: output.usage.inputTokens, outputTokens: output.usage.outputTokens };
  if (output.costUsd !== undefined) usage.costUsd = output.costUsd;
  return { output, usage };
}

/** One turn of the conversation: the primary model, then the fallbacks in order until one answers. */
async function answerWithFallback(ctx: NodeContext<AiConfig>, config: Record<string, unknown>, targets: AiTarget[], options: CallOptions): Promise<ModelAnswer> {
  const { hide } = options;
  const skipped: SkippedModel[] = [];
  const lastAttempt = ctx.attempt >= ctx.maxAttempts;
  for (let index = 0; index < targets.length; index++) {
    const target = targets[index];
    let answer: ModelAnswer;
    try {
      answer = await callModel(ctx, config, target, options);
    } catch (error) {
      // Cancelled, or out of the node's own time: no model may be tried, and the engine's error says why.
      if (ctx.signal.aborted) throw error;
      const last = index === targets.length - 1;
      // The primary's ordinary failures go back to the engine while it has retries left; an open circuit
      // would fail every retry the same way, so it goes to the fallback at once.
      const retriesFirst = index === 0 && !lastAttempt && (error as { code?: unknown }).code !== 'circuit-open';
      if (last || retriesFirst || !mayFallBack(error, ctx.signal)) throw skipped.length === 0 ? error : everyModelFailed(error, skipped, target.model, hide);
      const reason = hide(error instanceof Error ? error.message : String(error));
      const code = (error as { code?: unknown }).code;
      skipped.push(typeof code === 'string' ? { model: target.model, code, reason } : { model: target.model, reason });
      const note = `${target.model} did not answer (${reason}); trying ${targets[index + 1].model}.`;
      ctx.log('warn', note);
      // Streamed text of the model that failed may have gone out already: the message tells a view to start over.
      ctx.progress({ message: note });
      continue;
    }
    if (skipped.length > 0) answer.output.skipped = skipped;
    return answer;
  }
  throw new WeftError('internal', 'The ai node had no model to call.');
}

/** The primary model, then each fallback, with the node's own base URL and key secret where one leaves them out. */
function targetsOf(config: Record<string, unknown>, defaultBaseUrl: string | undefined): AiTarget[] {
  const secretName = config.apiKeySecret === undefined ? AI_DEFAULT_API_KEY_SECRET : String(config.apiKeySecret);
  const baseUrl = config.baseUrl ?? defaultBaseUrl ?? AI_DEFAULT_BASE_URL;
  if (typeof config.model !== 'string' || config.model === '') throw configError('ai', 'model', 'a model name', config.model);
  const targets: AiTarget[] = [{ model: config.model, baseUrl, secretName }];
  const fallback = config.fallback ?? [];
  if (!Array.isArray(fallback)) throw configError('ai', 'fallback', 'an array of { model, baseUrl?, apiKeySecret? }', fallback);
  fallback.forEach((entry: unknown, index) => {
    const field = `fallback[${index}]`;
    if (!isPlainObject(entry)) throw configError('ai', field, 'an object { model, baseUrl?, apiKeySecret? }', entry);
    if (typeof entry.model !== 'string' || entry.model === '') throw configError('ai', `${field}.model`, 'a model name', entry.model);
    targets.push({
      model: entry.model,
      baseUrl: entry.baseUrl ?? baseUrl,
      secretName: entry.apiKeySecret === undefined ? secretName : String(entry.apiKeySecret),
    });
  });
  return targets;
}

/** Whether the next model may do better: an operational failure, not a bad config or a cancel of the run. */
function mayFallBack(error: unknown, signal: AbortSignal): boolean {
  if (signal.aborted) return false;
  const { code, kind } = (error ?? {}) as { code?: unknown; kind?: unknown };
  return code !== 'cancelled' && kind !== 'user' && code !== 'missing-secret' && code !== 'invalid-config';
}

function everyModelFailed(last: unknown, skipped: SkippedModel[], lastModel: string, hide: (text: string) => string): WeftError {
  const lastReason = hide(last instanceof Error ? last.message : String(last));
  const tried = [...skipped.map((entry) => `${entry.model}: ${entry.reason}`), `${lastModel}: ${lastReason}`];
  const code = last instanceof WeftError ? last.code : 'network';
  const lastCode = (last as { code?: unknown }).code;
  const all = [...skipped, typeof lastCode === 'string' ? { model: lastModel, code: lastCode, reason: lastReason } : { model: lastModel, reason: lastReason }];
  return new WeftError(code, `No model answered (${tried.length} tried): ${tried.join('; ')}`, {
    kind: last instanceof WeftError ? last.kind : 'operational',
    cause: last,
    details: { ...(last instanceof WeftError ? last.details : {}), skipped: all },
  });
}

interface CallOptions {
  stream: boolean;
  timeoutMs: number | undefined;
  circuit: CircuitSettings | undefined;
  hide: (text: string) => string;
  /** The OpenAI `tools` entries (empty: none offered). */
  tools: Record<string, unknown>[];
  /** The assistant's tool calls and the tools' results so far, sent after the config's messages. */
  conversation: Record<string, unknown>[];
}

/** One model's call, through its circuit breaker when the node has one. */
async function callModel(ctx: NodeContext<AiConfig>, config: Record<string, unknown>, target: AiTarget, options: CallOptions): Promise<ModelAnswer> {
  const apiKey = ctx.scope.secrets[target.secretName];
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new WeftError(
      'missing-secret',
      `The ai node needs the secret ${target.secretName}; set it with \`Weft: Set Secret\` or the environment variable ${target.secretName}`,
      { hint: setSecretHint([target.secretName]) },
    );
  }
  const baseUrl = target.baseUrl;
  if (typeof baseUrl !== 'string' || !isHttpUrl(baseUrl)) throw configError('ai', 'baseUrl', 'an http:// or https:// URL', baseUrl);
  const url = new URL(baseUrl);
  // On the path, so a query the base URL may need (Azure's ?api-version=) stays where it is.
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  const requestBody = buildRequestBody({ ...config, model: target.model }, url);
  if (options.tools.length > 0) {
    requestBody.tools = options.tools;
    (requestBody.messages as unknown[]).push(...options.conversation);
  }
  // Usage comes in a last chunk only when asked for; servers that do not know the option ignore it.
  if (options.stream) Object.assign(requestBody, { stream: true, stream_options: { include_usage: true } });

  const call = (): Promise<ModelAnswer> => askModel(ctx, url, apiKey, requestBody, options);
  if (options.circuit === undefined) return call();
  return callThroughCircuit(
    {
      store: ctx.services.circuits ?? processCircuits(),
      target: circuitTarget(url, target.model),
      settings: options.circuit,
      onChange: (change) => ctx.circuitChanged(change),
    },
    call,
  );
}

/** Reads a streamed answer, each piece going out as a `node.progress` delta, secrets never split across two. */
async function streamWithProgress(ctx: NodeContext<AiConfig>, response: Response, what: string): Promise<string> {
  const secrets = Object.values(ctx.scope.secrets);
  const holdbacks: Record<StreamChannel, DeltaHoldback> = { answer: new DeltaHoldback(secrets), reasoning: new DeltaHoldback(secrets) };
  const send = (delta: string, channel: StreamChannel): void => {
    // A node stopped by the engine has ended: its events are out, and nothing may follow them.
    if (delta !== '' && !ctx.signal.aborted) ctx.progress(channel === 'reasoning' ? { delta, channel } : { delta });
  };
  const text = await readChatStream(response, (delta, channel) => send(holdbacks[channel].push(delta), channel), what);
  send(holdbacks.reasoning.flush(), 'reasoning');
  send(holdbacks.answer.flush(), 'answer');
  return text;
}

/** `ai http://host/v1 model`: the API without its query or credentials (either may hold a secret). */
function circuitTarget(chatUrl: URL, model: string): string {
  const api = `${chatUrl.origin}${chatUrl.pathname.replace(/\/chat\/completions$/, '')}`;
  return `ai ${api} ${model}`;
}

async function askModel(ctx: NodeContext<AiConfig>, url: URL, apiKey: string, requestBody: Record<string, unknown>, options: CallOptions): Promise<ModelAnswer> {
  const { hide } = options;
  const model = requestBody.model as string;
  const what = describeRequest('POST', url);
  const headers = new Headers({ 'content-type': 'application/json', accept: options.stream ? 'text/event-stream, application/json' : 'application/json' });
  headers.set('authorization', `Bearer ${apiKey}`);
  const response = await sendRequest(
    ctx.services.fetch,
    { method: 'POST', url, headers, body: JSON.stringify(requestBody), signal: ctx.signal, timeoutMs: options.timeoutMs },
    options.stream ? { readEventStream: (streamed) => streamWithProgress(ctx, streamed, what) } : {},
  );

  if (response.status >= 400) {
    const reason = hide(apiErrorMessage(response.text));
    const details: Record<string, unknown> = { status: response.status, body: hide(response.text.slice(0, DETAIL_LIMIT)) };
    const wait = retryAfterMs(response.headers);
    if (wait !== undefined) details.retryAfterMs = wait;
    throw new WeftError('http-status', `${what} answered ${describeStatus(response)}${reason ? `: ${reason}` : ''}`, {
      kind: errorKindForStatus(response.status),
      details,
    });
  }
  return readAnswer(response.text, model, requestBody.response_format !== undefined, what, hide);
}

/** The chat completions request a config describes, every evaluated value checked. */
export function buildRequestBody(config: Record<string, unknown>, url: URL): Record<string, unknown> {
  const { model, system, prompt, temperature, maxTokens, schema } = config;
  if (typeof model !== 'string' || model === '') throw configError('ai', 'model', 'a model name', model);

  const messages: { role: string; content: unknown; name?: string }[] = [];
  if (system !== undefined && system !== null) messages.push({ role: 'system', content: asText(system) });
  if (config.messages !== undefined && config.messages !== null) {
    if (!Array.isArray(config.messages)) throw configError('ai', 'messages', 'an array of { role, content }', config.messages);
    config.messages.forEach((message: unknown, index) => {
      const field = `messages[${index}]`;
      if (!isPlainObject(message)) throw configError('ai', field, 'an object { role, content }', message);
      if (typeof message.role !== 'string' || message.role === '') throw configError('ai', `${field}.role`, 'a role', message.role);
      const content = Array.isArray(message.content) ? message.content : asText(message.content);
      messages.push(typeof message.name === 'string' ? { role: message.role, content, name: message.name } : { role: message.role, content });
    });
  }
  if (prompt !== undefined && prompt !== null) messages.push({ role: 'user', content: asText(prompt) });
  if (messages.every((message) => message.role === 'system' || message.role === 'developer')) {
    throw configError('ai', 'prompt', 'the text to send (or give config.messages)', prompt);
  }

  const body: Record<string, unknown> = { model, messages };
  if (temperature !== undefined && temperature !== null) {
    if (typeof temperature !== 'number' || !Number.isFinite(temperature)) throw configError('ai', 'temperature', 'a number', temperature);
    body.temperature = temperature;
  }
  if (maxTokens !== undefined && maxTokens !== null) {
    if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens <= 0) {
      throw configError('ai', 'maxTokens', 'a positive whole number', maxTokens);
    }
    // OpenAI's own API refuses max_tokens for its newer models; compatible servers mostly know only max_tokens.
    body[url.hostname === 'api.openai.com' ? 'max_completion_tokens' : 'max_tokens'] = maxTokens;
  }
  if (schema !== undefined && schema !== null) {
    if (!isPlainObject(schema)) throw configError('ai', 'schema', 'a JSON Schema object', schema);
    body.response_format = { type: 'json_schema', json_schema: { name: 'output', schema, strict: true } };
  }
  return body;
}

/**
 * Maps a chat completions answer to the node's output. `hide` redacts the API key from whatever of the answer
 * goes into an error: a model or a proxy may echo it.
 */
function readAnswer(text: string, requestedModel: string, wantsJson: boolean, what: string, hide: (text: string) => string): ModelAnswer {
  const answerError = (message: string, kind: 'operational' | 'user', answer: string): WeftError =>
    unusableAnswer(hide(message), kind, hide(answer.slice(0, DETAIL_LIMIT)));
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw answerError(`${what} answered with something that is not JSON`, 'operational', text);
  }
  const root = isPlainObject(data) ? data : {};
  const choice = Array.isArray(root.choices) && isPlainObject(root.choices[0]) ? root.choices[0] : undefined;
  const message = choice && isPlainObject(choice.message) ? choice.message : undefined;
  if (message === undefined) throw answerError(`${what} answered without a message (no choices[0].message)`, 'operational', text);

  const toolCalls = toolCallsOf(message.tool_calls);
  const content = contentText(message.content) ?? (toolCalls.length > 0 ? '' : undefined);
  if (content === undefined) {
    if (typeof message.refusal === 'string') throw answerError(`The model refused: ${message.refusal}`, 'user', text);
    throw answerError(`${what} answered with an empty message`, 'operational', text);
  }

  const model = typeof root.model === 'string' && root.model !== '' ? root.model : requestedModel;
  const usage = isPlainObject(root.usage) ? root.usage : {};
  const inputTokens = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  const outputTokens = typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0;
  const output: AiOutput = { text: content, model, usage: { inputTokens, outputTokens } };

  const cost = costUsd(model, inputTokens, outputTokens) ?? costUsd(requestedModel, inputTokens, outputTokens);
  if (cost !== undefined) output.costUsd = cost;
  if (toolCalls.length > 0) {
    const assistant = {
      role: 'assistant',
      content: content === '' ? null : content,
      tool_calls: toolCalls.map((call) => ({ id: call.id, type: 'function', function: { name: call.name, arguments: call.arguments } })),
    };
    return { output, toolCalls, message: assistant };
  }
  if (wantsJson) {
    try {
      output.json = JSON.parse(content);
    } catch (error) {
      const cutOff = choice?.finish_reason === 'length' ? ' (it was cut off: raise config.maxTokens)' : '';
      const why = error instanceof Error ? `: ${error.message}` : '';
      // A model may do better on another try, so this is operational: retry settings apply.
      throw answerError(`The model's answer is not valid JSON${cutOff}${why}`, 'operational', content);
    }
  }
  return { output, toolCalls, message: { role: 'assistant', content } };
}

/** The tool calls of an answer's message (`tool_calls: [{ id, function: { name, arguments } }]`). */
function toolCallsOf(value: unknown): RequestedToolCall[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isPlainObject).map((call, index) => {
    const fn = isPlainObject(call.function) ? call.function : {};
    return {
      id: typeof call.id === 'string' && call.id !== '' ? call.id : `call_${index}`,
      name: typeof fn.name === 'string' ? fn.name : '',
      arguments: typeof fn.arguments === 'string' ? fn.arguments : JSON.stringify(fn.arguments ?? {}),
    };
  });
}

// The error code union has no code for "the API's answer was unusable"; flow-error is the closest, and the
// kind says whether a retry may help.
function unusableAnswer(message: string, kind: 'operational' | 'user', answer: string): WeftError {
  return new WeftError('flow-error', message, { kind, details: { answer } });
}

/** The message an OpenAI-compatible API puts in its error body, in the shapes seen in the wild. */
function apiErrorMessage(text: string): string {
  try {
    const data: unknown = JSON.parse(text);
    if (isPlainObject(data)) {
      const error = data.error;
      if (isPlainObject(error) && typeof error.message === 'string') return error.message;
      if (typeof error === 'string') return error;
      if (typeof data.message === 'string') return data.message;
      if (typeof data.detail === 'string') return data.detail;
    }
  } catch {
    // Not JSON: a proxy's page, say. Its start is the best message there is.
  }
  return text.trim().slice(0, 300);
}

function contentText(content: unknown): string | undefined {
  if (typeof content === 'string') return content;
  // Some compatible servers answer with content parts: [{ type: 'text', text }].
  if (Array.isArray(content)) {
    const parts = content.filter(isPlainObject).map((part) => (typeof part.text === 'string' ? part.text : ''));
    return parts.length > 0 ? parts.join('') : undefined;
  }
  return undefined;
}

// A template that gives an object (`"{{ input }}"`) is sent as its JSON text, which a model reads well.
function asText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? '';
}

// An API may echo the key it was given (OpenAI shows its end in 401 errors; a proxy may show all of it).
function redact(text: string, secret: string): string {
  return text.split(secret).join('***');
}
