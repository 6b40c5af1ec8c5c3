import { afterEach, describe, expect, it } from 'vitest';
import { WeftError } from '../../../../src/engine/errors';
import { aiConfigSchema, aiNodeType } from '../../../../src/engine/nodes/ai';
import type { AiConfig, AiOutput } from '../../../../src/engine/nodes/ai';
import { sendJson, startLocalServer } from '../../../support/localServer';
import type { LocalServer, RequestHandler } from '../../../support/localServer';
import { makeNodeContext } from '../../../support/nodeContext';
import type { NodeContextOverrides, TestNodeContext } from '../../../support/nodeContext';

const API_KEY = 'sk-test-7f3a9c1e5b';

let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A fake OpenAI-compatible API answering every request from `handler`. */
async function fakeApi(handler: RequestHandler): Promise<LocalServer> {
  server = await startLocalServer(handler);
  return server;
}

function completion(content: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    model: 'gpt-4o-mini-2024-07-18',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 1000, completion_tokens: 500, total_tokens: 1500 },
    ...extra,
  };
}

function context(
  config: Record<string, unknown>,
  overrides: NodeContextOverrides<AiConfig, unknown> = {},
): TestNodeContext<AiConfig, unknown> {
  return makeNodeContext<AiConfig>({ config: config as AiConfig, scope: { secrets: { OPENAI_API_KEY: API_KEY } }, ...overrides });
}

async function runAi(ctx: TestNodeContext<AiConfig, unknown>): Promise<AiOutput> {
  return (await aiNodeType.run(ctx)).output as AiOutput;
}

async function failure(promise: Promise<unknown>): Promise<WeftError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WeftError);
  return error as WeftError;
}

/** Everything about an error that could reach a record, a log or a screen. */
function everythingIn(error: WeftError): string {
  const cause = error.cause instanceof Error ? `${error.cause.message} ${error.cause.stack}` : String(error.cause);
  return `${error.message} ${error.stack} ${JSON.stringify(error.details)} ${cause}`;
}

describe('ai node: the request', () => {
  it('posts model, system and prompt to <baseUrl>/chat/completions with the key as a bearer token', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('Hello!')));
    const ctx = context({
      baseUrl: `${api.url}/v1/`,
      model: 'gpt-4o-mini',
      system: 'Be brief.',
      prompt: 'Say hello',
      temperature: 0.2,
      maxTokens: 50,
    });

    // ACT
    await runAi(ctx);

    // ASSERT
    expect(api.requests).toHaveLength(1);
    const [request] = api.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({
      model: 'gpt-4o-mini',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'Say hello' },
      ],
      temperature: 0.2,
      max_tokens: 50,
      // Streamed by default (docs/decisions.md); the usage comes in the last chunk only when asked for.
      stream: true,
      stream_options: { include_usage: true },
    });
  });

  it('asks for strict structured output when a schema is given', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('{"urgent":true}')));
    const schema = { type: 'object', properties: { urgent: { type: 'boolean' } }, required: ['urgent'], additionalProperties: false };

    // ACT
    await runAi(context({ baseUrl: api.url, model: 'gpt-4o-mini', prompt: 'Ticket: server down', schema }));

    // ASSERT
    expect(JSON.parse(api.requests[0].body).response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema, strict: true },
    });
  });

  it('sends the messages given, then the prompt as the last user message', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('4')));
    const messages = [
      { role: 'user', content: 'What is 1+1?' },
      { role: 'assistant', content: '2' },
    ];

    // ACT
    await runAi(context({ baseUrl: api.url, model: 'm', messages, prompt: { question: 'and 2+2?' } }));

    // ASSERT
    const sent = JSON.parse(api.requests[0].body);
    expect(sent.messages).toEqual([...messages, { role: 'user', content: '{"question":"and 2+2?"}' }]);
    expect(sent).not.toHaveProperty('response_format');
  });

  it('takes the base URL from the services when the config gives none, keeping its query', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('ok')));
    const ctx = context({ model: 'm', prompt: 'hi' }, { services: { aiBaseUrl: `${api.url}/proxy/v1?api-version=2024-10-21` } });

    // ACT
    await runAi(ctx);

    // ASSERT
    expect(api.requests[0].url).toBe('/proxy/v1/chat/completions?api-version=2024-10-21');
  });

  it('calls OpenAI itself by default, with max_completion_tokens, which its newer models require', async () => {
    // ARRANGE
    const seen: { url: string; body: string }[] = [];
    const fakeFetch = (async (url: URL, init: RequestInit) => {
      seen.push({ url: String(url), body: String(init.body) });
      return new Response(JSON.stringify(completion('ok')), { headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const ctx = context({ model: 'gpt-5-mini', prompt: 'hi', maxTokens: 100 }, { services: { fetch: fakeFetch } });

    // ACT
    await runAi(ctx);

    // ASSERT
    expect(seen[0].url).toBe('https://api.openai.com/v1/chat/completions');
    expect(JSON.parse(seen[0].body)).toMatchObject({ max_completion_tokens: 100 });
    expect(JSON.parse(seen[0].body)).not.toHaveProperty('max_tokens');
  });
});

describe('ai node: the answer', () => {
  it('outputs the text, the model that answered, the usage and the cost of a known model', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('Hello!')));

    // ACT
    const output = await runAi(context({ baseUrl: api.url, model: 'gpt-4o-mini', prompt: 'hi' }));

    // ASSERT
    // gpt-4o-mini: $0.15 in, $0.60 out per million tokens: 1000 * 0.15e-6 + 500 * 0.6e-6.
    expect(output).toEqual({
      text: 'Hello!',
      model: 'gpt-4o-mini-2024-07-18',
      usage: { inputTokens: 1000, outputTokens: 500 },
      costUsd: 0.00045,
    });
  });

  it('parses the answer into json when a schema is given', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('{"urgent":true,"tags":["db"]}')));

    // ACT
    const output = await runAi(context({ baseUrl: api.url, model: 'gpt-4o-mini', prompt: 'x', schema: { type: 'object' } }));

    // ASSERT
    expect(output.json).toEqual({ urgent: true, tags: ['db'] });
    expect(output.text).toBe('{"urgent":true,"tags":["db"]}');
  });

  it('gives no costUsd for a model the price table does not know, and zero usage when the API reports none', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('hi', { model: 'llama3.1:8b', usage: undefined })));

    // ACT
    const output = await runAi(context({ baseUrl: api.url, model: 'llama3.1:8b', prompt: 'hi' }));

    // ASSERT
    expect(output).toEqual({ text: 'hi', model: 'llama3.1:8b', usage: { inputTokens: 0, outputTokens: 0 } });
  });

  it('fails with a clear error when the answer to a schema is not valid JSON', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('Sure! {"urgent": tru')));

    // ACT
    const error = await failure(runAi(context({ baseUrl: api.url, model: 'm', prompt: 'x', schema: { type: 'object' } })));

    // ASSERT
    expect(error.message).toMatch(/^The model's answer is not valid JSON: /);
    expect(error.kind).toBe('operational');
    expect(error.details).toEqual({ answer: 'Sure! {"urgent": tru' });
  });

  it('says so when the JSON answer was cut off by maxTokens', async () => {
    // ARRANGE
    const cutOff = completion('{"summary": "a long', { choices: [{ message: { role: 'assistant', content: '{"summary": "a long' }, finish_reason: 'length' }] });
    const api = await fakeApi((_request, response) => sendJson(response, 200, cutOff));

    // ACT
    const error = await failure(runAi(context({ baseUrl: api.url, model: 'm', prompt: 'x', schema: { type: 'object' }, maxTokens: 5 })));

    // ASSERT
    expect(error.message).toContain('(it was cut off: raise config.maxTokens)');
  });

  it('fails with the refusal when the model refuses', async () => {
    // ARRANGE
    const refusal = completion(null, { choices: [{ message: { role: 'assistant', content: null, refusal: 'I cannot help with that.' } }] });
    const api = await fakeApi((_request, response) => sendJson(response, 200, refusal));

    // ACT
    const error = await failure(runAi(context({ baseUrl: api.url, model: 'm', prompt: 'x' })));

    // ASSERT
    expect(error.message).toBe('The model refused: I cannot help with that.');
  });
});

describe('ai node: errors', () => {
  it('fails before calling anything when the API key secret is not set', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('x')));
    const ctx = context({ baseUrl: api.url, model: 'm', prompt: 'x' }, { scope: { secrets: {} } });

    // ACT
    const error = await failure(runAi(ctx));

    // ASSERT
    expect(error.code).toBe('missing-secret');
    expect(error.message).toBe(
      'The ai node needs the secret OPENAI_API_KEY; set it with `Weft: Set Secret` or the environment variable OPENAI_API_KEY',
    );
    expect(api.requests).toHaveLength(0);
  });

  it('reads the key from the secret apiKeySecret names', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) => sendJson(response, 200, completion('x')));
    const ctx = context({ baseUrl: api.url, model: 'm', prompt: 'x', apiKeySecret: 'GROQ_KEY' }, { scope: { secrets: { GROQ_KEY: 'gsk-1' } } });
    const missing = context({ baseUrl: api.url, model: 'm', prompt: 'x', apiKeySecret: 'GROQ_KEY' });

    // ACT
    await runAi(ctx);
    const error = await failure(runAi(missing));

    // ASSERT
    expect(api.requests[0].headers.authorization).toBe('Bearer gsk-1');
    expect(error.message).toBe('The ai node needs the secret GROQ_KEY; set it with `Weft: Set Secret` or the environment variable GROQ_KEY');
  });

  it('fails with the API\'s own message and the key hidden when the API refuses the key', async () => {
    // ARRANGE
    const api = await fakeApi((_request, response) =>
      sendJson(response, 401, { error: { message: `Incorrect API key provided: ${API_KEY}.`, type: 'invalid_request_error', code: 'invalid_api_key' } }),
    );

    // ACT
    const error = await failure(runAi(context({ baseUrl: api.url, model: 'm', prompt: 'x' })));

    // ASSERT
    expect(error.code).toBe('http-status');
    expect(error.kind).toBe('user');
    expect(error.message).toBe(`POST ${api.url}/chat/completions answered 401 Unauthorized: Incorrect API key provided: ***.`);
    expect(error.details).toMatchObject({ status: 401 });
    expect(everythingIn(error)).not.toContain(API_KEY);
  });

  it('marks rate limits and server errors as operational, so retries apply', async () => {
    // ARRANGE
    let status = 429;
    const api = await fakeApi((_request, response) => {
      if (status === 429) sendJson(response, 429, { error: { message: 'Rate limit reached' } });
      else {
        response.writeHead(502, { 'content-type': 'text/html' });
        response.end('<h1>Bad gateway</h1>');
      }
    });

    // ACT
    const limited = await failure(runAi(context({ baseUrl: api.url, model: 'm', prompt: 'x' })));
    status = 502;
    const gateway = await failure(runAi(context({ baseUrl: api.url, model: 'm', prompt: 'x' })));

    // ASSERT
    expect(limited).toMatchObject({ code: 'http-status', kind: 'operational' });
    expect(limited.message).toBe(`POST ${api.url}/chat/completions answered 429 Too Many Requests: Rate limit reached`);
    expect(gateway).toMatchObject({ code: 'http-status', kind: 'operational' });
    expect(gateway.message).toBe(`POST ${api.url}/chat/completions answered 502 Bad Gateway: <h1>Bad gateway</h1>`);
  });

  it('never puts the key in an error or a log, whatever goes wrong', async () => {
    // ARRANGE
    const api = await fakeApi((request, response) => {
      // An API that echoes what it got, headers included.
      if (request.path.startsWith('/echo')) sendJson(response, 400, { error: { message: JSON.stringify(request.headers) } });
      else if (request.path.startsWith('/junk')) sendJson(response, 200, { headers: request.headers });
      else sendJson(response, 200, completion(`not json ${request.headers.authorization}`));
    });
    const closed = await startLocalServer(() => undefined);
    await closed.close();
    const aborted = new AbortController();
    aborted.abort();
    const contexts = [
      context({ baseUrl: `${api.url}/echo`, model: 'm', prompt: 'x' }),
      context({ baseUrl: `${api.url}/junk`, model: 'm', prompt: 'x' }),
      context({ baseUrl: `${api.url}/ok`, model: 'm', prompt: 'x', schema: { type: 'object' } }),
      context({ baseUrl: closed.url, model: 'm', prompt: 'x' }),
      context({ baseUrl: api.url, model: 'm', prompt: 'x' }, { signal: aborted.signal }),
    ];

    // ACT
    const errors = await Promise.all(contexts.map((ctx) => failure(runAi(ctx))));

    // ASSERT
    expect(errors.map((error) => error.code)).toEqual(['http-status', 'flow-error', 'flow-error', 'network', 'cancelled']);
    for (const error of errors) expect(everythingIn(error)).not.toContain(API_KEY);
    for (const ctx of contexts) expect(JSON.stringify(ctx.logs)).not.toContain(API_KEY);
  });

  it('the echoed key is replaced, not dropped, so the rest of the API\'s message survives', async () => {
    // ARRANGE
    const api = await fakeApi((request, response) => sendJson(response, 400, { error: { message: `bad header: ${request.headers.authorization}` } }));

    // ACT
    const error = await failure(runAi(context({ baseUrl: api.url, model: 'm', prompt: 'x' })));

    // ASSERT
    expect(error.message).toMatch(/answered 400 Bad Request: bad header: Bearer \*\*\*$/);
  });
});

describe('ai node: config', () => {
  it('needs a prompt or messages', () => {
    // ARRANGE
    const config = { model: 'gpt-4o-mini', system: 'You are terse.' };

    // ACT
    const result = aiConfigSchema.safeParse(config);

    // ASSERT
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['prompt', 'the ai node needs a prompt or messages'],
    ]);
  });

  it('wants the name of the key\'s secret, not a template giving its value', () => {
    // ARRANGE
    const config = { model: 'm', prompt: 'x', apiKeySecret: '{{ secrets.OPENAI_API_KEY }}' };

    // ACT
    const result = aiConfigSchema.safeParse(config);

    // ASSERT
    expect(result.error?.issues[0].message).toBe('expected the name of a secret, like OPENAI_API_KEY (its name, not its value)');
  });

  it('accepts templates for computed values', () => {
    // ARRANGE
    const config = {
      model: '{{ variables.model }}',
      prompt: 'Summarise {{ input.text }}',
      messages: '{{ input.history }}',
      temperature: '{{ variables.temperature }}',
      maxTokens: '{{ variables.maxTokens }}',
      schema: '{{ variables.schema }}',
    };

    // ACT
    const result = aiConfigSchema.safeParse(config);

    // ASSERT
    expect(result.success).toBe(true);
  });

  it('names the field when a template gave a value of the wrong kind', async () => {
    // ARRANGE
    const ctx = context({ baseUrl: 'http://127.0.0.1:9', model: 'm', prompt: 'x', temperature: 'warm' });

    // ACT
    const error = await failure(runAi(ctx));

    // ASSERT
    expect(error).toMatchObject({ code: 'invalid-config', message: 'The ai node\'s config.temperature must be a number; it is "warm".' });
  });

  it('takes fallbacks and a circuit breaker, and refuses unknown fields in them', () => {
    // ARRANGE
    const good = { model: 'a', prompt: 'x', stream: false, timeoutMs: 5000, fallback: [{ model: 'b', baseUrl: 'http://127.0.0.1:1/v1', apiKeySecret: 'OTHER_KEY' }], circuitBreaker: { failures: 3 } };
    const typo = { model: 'a', prompt: 'x', fallback: [{ model: 'b', apiKey: 'sk-oops' }] };
    const negative = { model: 'a', prompt: 'x', circuitBreaker: { cooldownMs: -1 } };

    // ACT + ASSERT
    expect(aiConfigSchema.safeParse(good).success).toBe(true);
    expect(aiConfigSchema.safeParse(typo).error?.issues[0].path).toEqual(['fallback', 0]);
    expect(aiConfigSchema.safeParse(negative).error?.issues[0].path).toEqual(['circuitBreaker', 'cooldownMs']);
  });

  it("names every secret it may read: the primary's and each fallback's", () => {
    const config = { model: 'a', prompt: 'x', fallback: [{ model: 'b', apiKeySecret: 'OTHER_KEY' }, { model: 'c' }] } as AiConfig;

    expect(aiNodeType.secretNames?.(config)).toEqual(['OPENAI_API_KEY', 'OTHER_KEY']);
  });

  it('is a side effect with one out port', () => {
    expect(aiNodeType).toMatchObject({ type: 'ai', sideEffect: true, ports: ['out'] });
  });
});
