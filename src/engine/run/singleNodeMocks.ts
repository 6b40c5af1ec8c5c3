// The answers a node test gives an http or ai node instead of the network. Unlike a flow test's mocks, which
// replace a node's output, these replace the call: the node still resolves its templates, builds its request,
// reads the status and parses the answer, which is what testing the node means. An ai mock answers as an
// OpenAI-compatible chat completions API does (a Server-Sent Events stream when the request asks for one).

export interface HttpMock {
  /** Default 200. */
  status?: number;
  headers?: Record<string, string>;
  /** A string is sent as it is; anything else as JSON. */
  body?: unknown;
}

export interface AiMock {
  /** The model's answer text (for a `schema`, its JSON as text). */
  text: string;
}

export interface SingleNodeMocks {
  http?: HttpMock;
  ai?: AiMock;
}

/**
 * A fetch that answers chat completions requests with `mocks.ai` and every other request with `mocks.http`; a
 * request neither mock covers goes to `real` (an ai node's call with only an http mock, for example).
 */
export function mockedFetch(mocks: SingleNodeMocks, real: typeof fetch): typeof fetch {
  return (async (resource: Parameters<typeof fetch>[0], init?: RequestInit): Promise<Response> => {
    const url = typeof resource === 'string' ? resource : resource instanceof URL ? resource.href : resource.url;
    init?.signal?.throwIfAborted();
    if (mocks.ai && /\/chat\/completions(\?|$)/.test(url)) return aiAnswer(mocks.ai, init);
    if (mocks.http) return httpAnswer(mocks.http);
    return real(resource, init);
  }) as typeof fetch;
}

function httpAnswer(mock: HttpMock): Response {
  const headers = new Headers(mock.headers ?? {});
  const isText = typeof mock.body === 'string';
  if (!headers.has('content-type') && mock.body !== undefined) headers.set('content-type', isText ? 'text/plain' : 'application/json');
  const body = mock.body === undefined ? null : isText ? (mock.body as string) : JSON.stringify(mock.body);
  return new Response(body, { status: mock.status ?? 200, headers });
}

function aiAnswer(mock: AiMock, init: RequestInit | undefined): Response {
  const request = parseBody(init?.body);
  const model = typeof request.model === 'string' ? request.model : 'mock';
  const usage = { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 };
  if (request.stream === true) {
    const chunks = [
      { model, choices: [{ index: 0, delta: { role: 'assistant', content: mock.text } }] },
      { model, choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
      { model, choices: [], usage },
    ];
    const text = chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n';
    return new Response(text, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  }
  const answer = { model, choices: [{ index: 0, message: { role: 'assistant', content: mock.text }, finish_reason: 'stop' }], usage };
  return new Response(JSON.stringify(answer), { status: 200, headers: { 'content-type': 'application/json' } });
}

function parseBody(body: RequestInit['body']): Record<string, unknown> {
  if (typeof body !== 'string') return {};
  try {
    const parsed = JSON.parse(body) as unknown;
    return parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
