// A fake OpenAI-compatible chat completions API on 127.0.0.1 (real HTTP, node:http), scripted per test and per
// model: answer (as JSON, or as Server-Sent Events when the request asks `stream: true`, with reasoning deltas
// where given), fail with a status, hang (never answer: a timeout), or rate-limit (429 with Retry-After).
//
// Each model has a queue of behaviours taken in order; the last one repeats, so `script('m', fail())` fails
// every call and `script('m', fail(), answer('ok'))` fails the first and answers the rest. A model without a
// script answers "ok". Requests are recorded before they are answered, so a test can wait for one to arrive.
// `callTools(...)` answers with tool calls (function calling), streamed as OpenAI does: the id and name first,
// then the arguments' JSON text in fragments.

import type { ServerResponse } from 'node:http';
import { sendJson, startLocalServer } from './localServer';
import type { LocalServer, RecordedRequest } from './localServer';

export type FakeBehaviour =
  | {
      kind: 'answer';
      text: string;
      reasoning?: string;
      chunks?: string[];
      reasoningChunks?: string[];
      model?: string;
      usage?: { prompt: number; completion: number };
      /** Streamed: send this many events, then nothing more (a server that stalls mid-answer). */
      stallAfter?: number;
    }
  | { kind: 'tool-calls'; calls: FakeToolCall[]; usage?: { prompt: number; completion: number } }
  | { kind: 'fail'; status: number; message: string }
  | { kind: 'hang' }
  | { kind: 'rate-limit'; retryAfterSeconds: number };

/** Answers `text`. Streamed as `chunks` (default: the text word by word), after `reasoning` where given. */
export function answer(
  text: string,
  options: Omit<Extract<FakeBehaviour, { kind: 'answer' }>, 'kind' | 'text'> = {},
): FakeBehaviour {
  return { kind: 'answer', text, ...options };
}

export interface FakeToolCall {
  name: string;
  /** An object (sent as its JSON text) or the raw text the model "wrote" (to send broken JSON). */
  arguments: Record<string, unknown> | string;
  id?: string;
}

/** Answers with these tool calls (finish_reason `tool_calls`, no text). */
export function callTools(...calls: FakeToolCall[]): FakeBehaviour {
  return { kind: 'tool-calls', calls };
}

/** Answers `status` (500 by default) with an OpenAI-shaped error body. */
export function fail(status = 500, message = 'The server had an error while processing your request.'): FakeBehaviour {
  return { kind: 'fail', status, message };
}

/** Never answers: the caller's time limit is what ends the call. */
export function hang(): FakeBehaviour {
  return { kind: 'hang' };
}

/** 429 Too Many Requests with `Retry-After: <seconds>`. */
export function rateLimit(retryAfterSeconds = 1): FakeBehaviour {
  return { kind: 'rate-limit', retryAfterSeconds };
}

export interface ChatRequest {
  model: string;
  stream: boolean;
  body: Record<string, unknown>;
  raw: RecordedRequest;
}

export interface FakeOpenAi {
  /** The base URL to give an ai node: `http://127.0.0.1:<port>/v1`. */
  readonly baseUrl: string;
  /** Chat completion requests, in arrival order. */
  readonly requests: ChatRequest[];
  /** Sets what calls for `model` do, in order; the last behaviour repeats. */
  script(model: string, ...behaviours: FakeBehaviour[]): void;
  /** The requests that named `model`. */
  requestsFor(model: string): ChatRequest[];
  /** Resolves once `count` requests in all have arrived (state, not time). */
  waitForRequests(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeOpenAi(): Promise<FakeOpenAi> {
  const scripts = new Map<string, FakeBehaviour[]>();
  const requests: ChatRequest[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];

  const server: LocalServer = await startLocalServer((raw, response) => {
    if (raw.method !== 'POST' || !raw.path.endsWith('/chat/completions')) {
      sendJson(response, 404, { error: { message: `No route ${raw.method} ${raw.path}`, type: 'invalid_request_error' } });
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.body) as Record<string, unknown>;
    } catch {
      sendJson(response, 400, { error: { message: 'The body is not JSON.', type: 'invalid_request_error' } });
      return;
    }
    const model = typeof body.model === 'string' ? body.model : '';
    const request: ChatRequest = { model, stream: body.stream === true, body, raw };
    requests.push(request);
    for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
    const queue = scripts.get(model);
    const behaviour = queue === undefined || queue.length === 0 ? answer('ok') : queue.length > 1 ? queue.shift()! : queue[0];
    respond(request, behaviour, response);
  });

  return {
    baseUrl: `${server.url}/v1`,
    requests,
    script: (model, ...behaviours) => {
      scripts.set(model, behaviours);
    },
    requestsFor: (model) => requests.filter((request) => request.model === model),
    waitForRequests: (count) =>
      requests.length >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })),
    close: () => server.close(),
  };
}

function respond(request: ChatRequest, behaviour: FakeBehaviour, response: ServerResponse): void {
  switch (behaviour.kind) {
    case 'hang':
      return;
    case 'fail':
      sendJson(response, behaviour.status, { error: { message: behaviour.message, type: 'server_error' } });
      return;
    case 'rate-limit':
      sendJson(
        response,
        429,
        { error: { message: 'Rate limit reached for requests', type: 'requests', code: 'rate_limit_exceeded' } },
        { 'retry-after': String(behaviour.retryAfterSeconds) },
      );
      return;
    case 'tool-calls':
      if (request.stream) streamToolCalls(request, behaviour, response);
      else sendJson(response, 200, toolCallCompletion(request, behaviour));
      return;
    case 'answer':
      if (request.stream) streamAnswer(request, behaviour, response);
      else sendJson(response, 200, completion(request, behaviour));
      return;
  }
}

type Answer = Extract<FakeBehaviour, { kind: 'answer' }>;

type ToolCalls = Extract<FakeBehaviour, { kind: 'tool-calls' }>;

function toolCallsOf(behaviour: ToolCalls): { id: string; type: 'function'; function: { name: string; arguments: string } }[] {
  return behaviour.calls.map((call, index) => ({
    id: call.id ?? `call_${index + 1}`,
    type: 'function',
    function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments) },
  }));
}

function toolCallCompletion(request: ChatRequest, behaviour: ToolCalls): Record<string, unknown> {
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: request.model,
    choices: [{ index: 0, message: { role: 'assistant', content: null, tool_calls: toolCallsOf(behaviour) }, finish_reason: 'tool_calls' }],
    usage: usageOf(behaviour),
  };
}

function streamToolCalls(request: ChatRequest, behaviour: ToolCalls, response: ServerResponse): void {
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model: request.model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const events: unknown[] = [chunk({ role: 'assistant', content: null })];
  toolCallsOf(behaviour).forEach((call, index) => {
    events.push(chunk({ tool_calls: [{ index, id: call.id, type: 'function', function: { name: call.function.name, arguments: '' } }] }));
    // The arguments in pieces of 5 characters, as models stream them.
    for (let at = 0; at < call.function.arguments.length; at += 5) {
      events.push(chunk({ tool_calls: [{ index, function: { arguments: call.function.arguments.slice(at, at + 5) } }] }));
    }
  });
  events.push(chunk({}, 'tool_calls'));
  const options = request.body.stream_options as { include_usage?: unknown } | undefined;
  if (options?.include_usage === true) events.push({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', model: request.model, choices: [], usage: usageOf(behaviour) });
  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  for (const event of events) response.write(`data: ${JSON.stringify(event)}\n\n`);
  response.end('data: [DONE]\n\n');
}

function usageOf(behaviour: { usage?: { prompt: number; completion: number } }): { prompt_tokens: number; completion_tokens: number; total_tokens: number } {
  const { prompt, completion: out } = behaviour.usage ?? { prompt: 10, completion: 5 };
  return { prompt_tokens: prompt, completion_tokens: out, total_tokens: prompt + out };
}

function completion(request: ChatRequest, behaviour: Answer): Record<string, unknown> {
  const message: Record<string, unknown> = { role: 'assistant', content: behaviour.text };
  if (behaviour.reasoning !== undefined) message.reasoning_content = behaviour.reasoning;
  return {
    id: 'chatcmpl-fake',
    object: 'chat.completion',
    created: 1_700_000_000,
    model: behaviour.model ?? request.model,
    choices: [{ index: 0, message, finish_reason: 'stop' }],
    usage: usageOf(behaviour),
  };
}

/** As OpenAI streams: a role chunk, content (and reasoning_content) deltas, a finish chunk, a usage chunk, [DONE]. */
function streamAnswer(request: ChatRequest, behaviour: Answer, response: ServerResponse): void {
  const model = behaviour.model ?? request.model;
  const chunk = (delta: Record<string, unknown>, finish: string | null = null): Record<string, unknown> => ({
    id: 'chatcmpl-fake',
    object: 'chat.completion.chunk',
    created: 1_700_000_000,
    model,
    choices: [{ index: 0, delta, finish_reason: finish }],
  });
  const reasoning = behaviour.reasoningChunks ?? (behaviour.reasoning === undefined ? [] : [behaviour.reasoning]);
  const content = behaviour.chunks ?? behaviour.text.split(/(?<= )/);
  const events: unknown[] = [chunk({ role: 'assistant', content: '' })];
  for (const piece of reasoning) events.push(chunk({ reasoning_content: piece }));
  for (const piece of content) events.push(chunk({ content: piece }));
  events.push(chunk({}, 'stop'));
  const options = request.body.stream_options as { include_usage?: unknown } | undefined;
  if (options?.include_usage === true) events.push({ id: 'chatcmpl-fake', object: 'chat.completion.chunk', model, choices: [], usage: usageOf(behaviour) });

  response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
  // One write per event, as a real server sends them: the client must join what arrives in pieces.
  const sent = behaviour.stallAfter === undefined ? events : events.slice(0, behaviour.stallAfter);
  for (const event of sent) response.write(`data: ${JSON.stringify(event)}\n\n`);
  if (behaviour.stallAfter === undefined) response.end('data: [DONE]\n\n');
}
