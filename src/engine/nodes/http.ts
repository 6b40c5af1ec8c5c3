// The `http` node type (spec section 7): one HTTP request, its answer as `{ status, headers, body }`.
// Retries and the per-attempt timeout are the engine's; `config.timeoutMs` is this request's own limit.

import { z } from 'zod';
import { callThroughCircuit } from '../circuit/callThroughCircuit';
import { circuitBreakerSchema, circuitSettingsOf } from '../circuit/circuitConfig';
import { processCircuits } from '../circuit/circuitRegistry';
import { WeftError } from '../errors';
import { defineNodeType } from './nodeType';
import type { NodeContext, NodeOutcome, NodeTypeDefinition } from './nodeType';
import { describeRequest, describeStatus, errorKindForStatus, isHttpUrl, isJsonContentType, retryAfterMs, sendRequest } from './httpRequest';
import type { ReceivedResponse } from './httpRequest';
import { configError, isPlainObject, isTemplateString, orTemplate } from './templatedConfig';

export const HTTP_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export const HTTP_DEFAULT_TIMEOUT_MS = 30_000;
/** How much of a failed answer's body goes into the error's details. */
const ERROR_BODY_LIMIT = 1024;

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const httpConfigSchema = z
  .object({
    method: orTemplate(z.enum(HTTP_METHODS), `one of ${HTTP_METHODS.join(', ')}`)
      .optional()
      .describe('HTTP method (default GET).'),
    url: z
      .string()
      .min(1, 'the url is empty')
      // A literal URL is checked now, at compile time; a computed one when the node runs.
      .refine((url) => isTemplateString(url) || isHttpUrl(url), 'expected an http:// or https:// URL')
      .describe('The URL; may hold {{ templates }}.')
      .meta({ examples: ['https://example.com'] }),
    headers: orTemplate(z.record(z.string(), scalar), 'an object of header values')
      .optional()
      .describe('Request headers, name to value.'),
    query: orTemplate(z.record(z.string(), z.union([scalar, z.null(), z.array(scalar)])), 'an object of query parameters')
      .optional()
      .describe('Added to the URL\'s query; an array adds the parameter once per element; null leaves it out.'),
    body: z
      .unknown()
      .optional()
      .describe('An object or array is sent as JSON (content-type application/json unless a header says otherwise); a string as it is.'),
    responseSchema: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('JSON Schema of the response body: templates reading nodes.<id>.body are checked against it at compile time (not at run time).'),
    timeoutMs: orTemplate(z.number().int().positive(), 'a positive whole number of milliseconds')
      .optional()
      .describe(`Time limit of the request, answer included (default ${HTTP_DEFAULT_TIMEOUT_MS}).`),
    failOnStatus: orTemplate(z.boolean(), 'true or false')
      .optional()
      .describe('true (default): an answer with status >= 400 fails the node.'),
    circuitBreaker: circuitBreakerSchema.optional(),
  })
  .strict();

export type HttpConfig = z.infer<typeof httpConfigSchema>;

export const httpOutputSchema = z.object({
  status: z.number().describe('The HTTP status code.'),
  headers: z.record(z.string(), z.string()).describe('Response headers, lower-case names.'),
  body: z.unknown().describe('Parsed JSON when the content type says JSON, else the text.'),
});

/** The request a config describes, its templates evaluated and every value checked. */
export interface HttpRequestPlan {
  method: string;
  url: URL;
  headers: Headers;
  body?: string;
  timeoutMs: number;
  failOnStatus: boolean;
}

export const httpNodeType: NodeTypeDefinition<HttpConfig> = defineNodeType<HttpConfig>({
  type: 'http',
  title: 'HTTP request',
  description: [
    'Sends an HTTP request and outputs `{ status, headers, body }`; `body` is parsed JSON when the answer says',
    'JSON (`application/json` or `+json`), else text. An answer with status >= 400 fails the node unless',
    '`failOnStatus` is `false`.',
    '',
    '```json',
    '{ "id": "order", "type": "http", "config": {',
    '  "method": "POST",',
    '  "url": "https://api.example.com/orders",',
    '  "headers": { "authorization": "Bearer {{ secrets.SHOP_TOKEN }}" },',
    '  "query": { "dryRun": true },',
    '  "body": { "sku": "{{ input.sku }}", "quantity": 2 },',
    '  "timeoutMs": 5000',
    '} }',
    '```',
    '',
    'Read the answer downstream as `nodes.order.body.id`.',
  ].join('\n'),
  configSchema: httpConfigSchema,
  ports: ['out'],
  outputSchema: httpOutputSchema,
  sideEffect: true,
  run: runHttp,
});

async function runHttp(ctx: NodeContext<HttpConfig>): Promise<NodeOutcome> {
  const config = ctx.config as Record<string, unknown>;
  const plan = planHttpRequest(config);
  const circuit = circuitSettingsOf(config.circuitBreaker);
  const what = describeRequest(plan.method, plan.url);
  const call = async (): Promise<ReceivedResponse> => {
    const response = await sendRequest(ctx.services.fetch, { ...plan, signal: ctx.signal });
    ctx.log('debug', `${what} answered ${describeStatus(response)}`);
    if (plan.failOnStatus && response.status >= 400) {
      const details: Record<string, unknown> = { status: response.status, body: response.text.slice(0, ERROR_BODY_LIMIT) };
      const wait = retryAfterMs(response.headers);
      if (wait !== undefined) details.retryAfterMs = wait;
      throw new WeftError('http-status', `${what} answered ${describeStatus(response)}`, { kind: errorKindForStatus(response.status), details });
    }
    return response;
  };
  const response =
    circuit === undefined
      ? await call()
      : await callThroughCircuit(
          {
            store: ctx.services.circuits ?? processCircuits(),
            // Per host (and port): one sick server, whatever path or method the nodes call on it.
            target: `http ${plan.url.host}`,
            settings: circuit,
            onChange: (change) => ctx.circuitChanged(change),
            // With failOnStatus off a 5xx or 429 completes the node, but it still tells of a sick server.
            failedAnswer: (answer) => answer.status >= 500 || answer.status === 429,
          },
          call,
        );

  let body: unknown = response.text;
  if (isJsonContentType(response.headers['content-type'])) {
    if (response.text.trim() === '') {
      body = null;
    } else {
      try {
        body = JSON.parse(response.text);
      } catch {
        // The answer arrived; failing it over a wrong content type would lose it. Keep the text, say so.
        ctx.log('warn', `${what} said its body is JSON but it is not; the body is kept as text.`);
      }
    }
  }
  return { output: { status: response.status, headers: response.headers, body } };
}

/** Checks an evaluated config and turns it into a request. Throws an `invalid-config` error naming the wrong field. */
export function planHttpRequest(config: Record<string, unknown>): HttpRequestPlan {
  const method = config.method === undefined ? 'GET' : config.method;
  if (typeof method !== 'string' || !(HTTP_METHODS as readonly string[]).includes(method.toUpperCase())) {
    throw configError('http', 'method', `one of ${HTTP_METHODS.join(', ')}`, method);
  }
  const upperMethod = method.toUpperCase();

  if (typeof config.url !== 'string' || !isHttpUrl(config.url)) {
    throw configError('http', 'url', 'an http:// or https:// URL', config.url);
  }
  const url = new URL(config.url);
  appendQuery(url, config.query);

  const headers = toHeaders(config.headers);
  let body: string | undefined;
  if (config.body !== undefined && config.body !== null) {
    if (upperMethod === 'GET' || upperMethod === 'HEAD') {
      throw new WeftError('invalid-config', `A ${upperMethod} request cannot have a body; send the values in config.query, or use POST.`);
    }
    if (typeof config.body === 'string') {
      body = config.body;
    } else {
      body = JSON.stringify(config.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
  }

  const timeoutMs = config.timeoutMs === undefined ? HTTP_DEFAULT_TIMEOUT_MS : config.timeoutMs;
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0) {
    throw configError('http', 'timeoutMs', 'a positive number of milliseconds', timeoutMs);
  }
  const failOnStatus = config.failOnStatus === undefined ? true : config.failOnStatus;
  if (typeof failOnStatus !== 'boolean') throw configError('http', 'failOnStatus', 'true or false', failOnStatus);

  return { method: upperMethod, url, headers, body, timeoutMs, failOnStatus };
}

function appendQuery(url: URL, query: unknown): void {
  if (query === undefined || query === null) return;
  if (!isPlainObject(query)) throw configError('http', 'query', 'an object', query);
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one === undefined || one === null) continue;
      if (typeof one === 'object') throw configError('http', `query.${name}`, 'a string, number or boolean, or an array of them', one);
      url.searchParams.append(name, String(one));
    }
  }
}

function toHeaders(value: unknown): Headers {
  const headers = new Headers();
  if (value === undefined || value === null) return headers;
  if (!isPlainObject(value)) throw configError('http', 'headers', 'an object', value);
  for (const [name, raw] of Object.entries(value)) {
    // A template that gives nothing leaves the header out, so "{{ secrets.TOKEN ?? null }}" can be optional.
    if (raw === undefined || raw === null) continue;
    if (typeof raw === 'object') throw configError('http', `headers.${name}`, 'a string', raw);
    try {
      headers.set(name, String(raw));
    } catch {
      // The value is not shown: it may be a secret.
      throw new WeftError('invalid-config', `The http node's header "${name}" has a name or value HTTP does not allow (a line break?).`);
    }
  }
  return headers;
}
