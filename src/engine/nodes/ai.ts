// The `ai` node type (spec section 7): one call of an OpenAI-compatible chat completions API. With `schema`
// the model is asked for structured output and the answer is parsed into `json`. The API key is a secret: it
// goes into the Authorization header and nowhere else (no log, no error message, no record).

import { z } from 'zod';
import { setSecretHint } from '../run/errorHints';
import { WeftError } from '../errors';
import { costUsd } from './aiPrices';
import { defineNodeType } from './nodeType';
import type { NodeContext, NodeOutcome, NodeTypeDefinition } from './nodeType';
import type { NodeUsage } from '../run/runRecord';
import { describeRequest, describeStatus, errorKindForStatus, isHttpUrl, sendRequest } from './httpRequest';
import { configError, isPlainObject, isTemplateString, orTemplate } from './templatedConfig';

export const AI_DEFAULT_BASE_URL = 'https://api.openai.com/v1';
export const AI_DEFAULT_API_KEY_SECRET = 'OPENAI_API_KEY';
const ROLES = ['system', 'developer', 'user', 'assistant'] as const;
const SECRET_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** How much of an answer goes into an error's details. */
const DETAIL_LIMIT = 1024;

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
    apiKeySecret: z
      .string()
      .regex(SECRET_NAME, 'expected the name of a secret, like OPENAI_API_KEY (its name, not its value)')
      .optional()
      .describe(`The secret holding the API key (default ${AI_DEFAULT_API_KEY_SECRET}).`),
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
  model: z.string().describe('The model that answered, as the API names it.'),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  costUsd: z.number().optional().describe('Estimated from a built-in price table; absent for models it does not know.'),
});

export interface AiOutput {
  text: string;
  json?: unknown;
  model: string;
  usage: { inputTokens: number; outputTokens: number };
  costUsd?: number;
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
  ].join('\n'),
  configSchema: aiConfigSchema,
  ports: ['out'],
  outputSchema: aiOutputSchema,
  sideEffect: true,
  secretNames: (config) => [typeof config?.apiKeySecret === 'string' ? config.apiKeySecret : AI_DEFAULT_API_KEY_SECRET],
  run: runAi,
});

async function runAi(ctx: NodeContext<AiConfig>): Promise<NodeOutcome> {
  const config = ctx.config as Record<string, unknown>;
  const secretName = config.apiKeySecret === undefined ? AI_DEFAULT_API_KEY_SECRET : String(config.apiKeySecret);
  const apiKey = ctx.scope.secrets[secretName];
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new WeftError(
      'missing-secret',
      `The ai node needs the secret ${secretName}; set it with \`Weft: Set Secret\` or the environment variable ${secretName}`,
      { hint: setSecretHint([secretName]) },
    );
  }

  const baseUrl = config.baseUrl ?? ctx.services.aiBaseUrl ?? AI_DEFAULT_BASE_URL;
  if (typeof baseUrl !== 'string' || !isHttpUrl(baseUrl)) throw configError('ai', 'baseUrl', 'an http:// or https:// URL', baseUrl);
  const url = new URL(baseUrl);
  // On the path, so a query the base URL may need (Azure's ?api-version=) stays where it is.
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/chat/completions`;
  const requestBody = buildRequestBody(config, url);
  const model = requestBody.model as string;

  const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
  headers.set('authorization', `Bearer ${apiKey}`);
  const response = await sendRequest(ctx.services.fetch, {
    method: 'POST',
    url,
    headers,
    body: JSON.stringify(requestBody),
    signal: ctx.signal,
  });
  const what = describeRequest('POST', url);

  if (response.status >= 400) {
    const reason = redact(apiErrorMessage(response.text), apiKey);
    throw new WeftError('http-status', `${what} answered ${describeStatus(response)}${reason ? `: ${reason}` : ''}`, {
      kind: errorKindForStatus(response.status),
      details: { status: response.status, body: redact(response.text.slice(0, DETAIL_LIMIT), apiKey) },
    });
  }

  const output = readAnswer(response.text, model, requestBody.response_format !== undefined, what, (text) => redact(text, apiKey));
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
function readAnswer(text: string, requestedModel: string, wantsJson: boolean, what: string, hide: (text: string) => string): AiOutput {
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

  const content = contentText(message.content);
  if (content === undefined) {
    if (typeof message.refusal === 'string') throw answerError(`The model refused: ${message.refusal}`, 'user', text);
    throw answerError(`${what} answered with an empty message`, 'operational', text);
  }

  const model = typeof root.model === 'string' && root.model !== '' ? root.model : requestedModel;
  const usage = isPlainObject(root.usage) ? root.usage : {};
  const inputTokens = typeof usage.prompt_tokens === 'number' ? usage.prompt_tokens : 0;
  const outputTokens = typeof usage.completion_tokens === 'number' ? usage.completion_tokens : 0;
  const output: AiOutput = { text: content, model, usage: { inputTokens, outputTokens } };

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
  const cost = costUsd(model, inputTokens, outputTokens) ?? costUsd(requestedModel, inputTokens, outputTokens);
  if (cost !== undefined) output.costUsd = cost;
  return output;
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
