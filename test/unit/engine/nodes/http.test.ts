import { afterEach, describe, expect, it } from 'vitest';
import { WeftError } from '../../../../src/engine/errors';
import { httpConfigSchema, httpNodeType } from '../../../../src/engine/nodes/http';
import type { HttpConfig } from '../../../../src/engine/nodes/http';
import { retryAfterMs } from '../../../../src/engine/nodes/httpRequest';
import type { NodeOutcome } from '../../../../src/engine/nodes/nodeType';
import { sendJson, startLocalServer } from '../../../support/localServer';
import type { LocalServer, RequestHandler } from '../../../support/localServer';
import { makeNodeContext } from '../../../support/nodeContext';
import type { TestNodeContext } from '../../../support/nodeContext';

let server: LocalServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: RequestHandler): Promise<LocalServer> {
  server = await startLocalServer(handler);
  return server;
}

function context(config: Record<string, unknown>, signal?: AbortSignal): TestNodeContext<HttpConfig, unknown> {
  return makeNodeContext<HttpConfig>({ config: config as HttpConfig, ...(signal ? { signal } : {}) });
}

async function runHttp(ctx: TestNodeContext<HttpConfig, unknown>): Promise<{ status: number; headers: Record<string, string>; body: unknown }> {
  const outcome: NodeOutcome = await httpNodeType.run(ctx);
  return outcome.output as { status: number; headers: Record<string, string>; body: unknown };
}

async function failure(promise: Promise<unknown>): Promise<WeftError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(WeftError);
  return error as WeftError;
}

describe('http node: the request', () => {
  it('sends a GET with the query appended to the URL and the headers given', async () => {
    // ARRANGE
    const local = await serve((_request, response) => sendJson(response, 200, { ok: true }));
    const ctx = context({
      url: `${local.url}/items?sort=name`,
      query: { page: 2, tag: ['a', 'b c'], draft: false, skipped: null },
      headers: { 'X-Api-Key': 'k-123', Accept: 'application/json' },
    });

    // ACT
    const output = await runHttp(ctx);

    // ASSERT
    expect(local.requests).toHaveLength(1);
    const [request] = local.requests;
    expect(request.method).toBe('GET');
    expect(request.path).toBe('/items');
    expect(request.query.get('sort')).toBe('name');
    expect(request.query.get('page')).toBe('2');
    expect(request.query.getAll('tag')).toEqual(['a', 'b c']);
    expect(request.query.get('draft')).toBe('false');
    expect(request.query.has('skipped')).toBe(false);
    expect(request.headers['x-api-key']).toBe('k-123');
    expect(request.headers.accept).toBe('application/json');
    expect(output).toMatchObject({ status: 200, body: { ok: true } });
  });

  it('sends an object body as JSON with content-type application/json', async () => {
    // ARRANGE
    const local = await serve((_request, response) => sendJson(response, 201, { id: 7 }));
    const ctx = context({ method: 'POST', url: `${local.url}/orders`, body: { sku: 'x-1', quantity: 2, tags: ['a'] } });

    // ACT
    const output = await runHttp(ctx);

    // ASSERT
    const [request] = local.requests;
    expect(request.method).toBe('POST');
    expect(request.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request.body)).toEqual({ sku: 'x-1', quantity: 2, tags: ['a'] });
    expect(output).toMatchObject({ status: 201, body: { id: 7 } });
  });

  it('keeps a content-type header given in the config, whatever its case', async () => {
    // ARRANGE
    const local = await serve((_request, response) => response.end());
    const ctx = context({ method: 'PUT', url: local.url, headers: { 'Content-Type': 'application/vnd.api+json' }, body: [1, 2] });

    // ACT
    await runHttp(ctx);

    // ASSERT
    expect(local.requests[0].headers['content-type']).toBe('application/vnd.api+json');
    expect(local.requests[0].body).toBe('[1,2]');
  });

  it('sends a string body as it is', async () => {
    // ARRANGE
    const local = await serve((_request, response) => response.end());
    const ctx = context({ method: 'post', url: local.url, headers: { 'content-type': 'text/csv' }, body: 'a,b\n1,2\n' });

    // ACT
    await runHttp(ctx);

    // ASSERT
    expect(local.requests[0].method).toBe('POST');
    expect(local.requests[0].headers['content-type']).toBe('text/csv');
    expect(local.requests[0].body).toBe('a,b\n1,2\n');
  });

  it('sends the user name and password of the URL as Basic authentication and never shows the password', async () => {
    // ARRANGE
    const local = await serve((_request, response) => {
      response.writeHead(500);
      response.end();
    });
    const withCredentials = local.url.replace('http://', 'http://ada:s3cr%40t@');
    const ctx = context({ url: `${withCredentials}/private` });

    // ACT
    const error = await failure(runHttp(ctx));

    // ASSERT
    expect(local.requests[0].headers.authorization).toBe(`Basic ${Buffer.from('ada:s3cr@t').toString('base64')}`);
    expect(error.message).toBe(`GET ${local.url}/private answered 500 Internal Server Error`);
  });
});

describe('http node: the answer', () => {
  it('outputs the status, the headers with lower-case names, and a JSON body parsed', async () => {
    // ARRANGE
    const local = await serve((_request, response) => sendJson(response, 200, { items: [{ id: 1 }] }, { 'X-Request-Id': 'r-9' }));

    // ACT
    const output = await runHttp(context({ url: local.url }));

    // ASSERT
    expect(output.status).toBe(200);
    expect(output.headers['x-request-id']).toBe('r-9');
    expect(output.headers['content-type']).toBe('application/json');
    expect(output.body).toEqual({ items: [{ id: 1 }] });
  });

  it('parses a +json content type with parameters as JSON', async () => {
    // ARRANGE
    const local = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/problem+json; charset=utf-8' });
      response.end('{"title":"ok"}');
    });

    // ACT
    const output = await runHttp(context({ url: local.url }));

    // ASSERT
    expect(output.body).toEqual({ title: 'ok' });
  });

  it('keeps a body that is not JSON as text, even when it looks like JSON', async () => {
    // ARRANGE
    const local = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.end('{"not":"parsed"}');
    });

    // ACT
    const output = await runHttp(context({ url: local.url }));

    // ASSERT
    expect(output.body).toBe('{"not":"parsed"}');
  });

  it('keeps the text and warns when a body said to be JSON is not', async () => {
    // ARRANGE
    const local = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('<html>oops</html>');
    });
    const ctx = context({ url: local.url });

    // ACT
    const output = await runHttp(ctx);

    // ASSERT
    expect(output.body).toBe('<html>oops</html>');
    expect(ctx.logs.some((entry) => entry.level === 'warn' && entry.message.includes('not'))).toBe(true);
  });

  it('fails on a status >= 400 with the method, URL and status, and the start of the body in details', async () => {
    // ARRANGE
    const longBody = 'x'.repeat(5000);
    const local = await serve((_request, response) => {
      response.writeHead(503, { 'content-type': 'text/plain' });
      response.end(longBody);
    });

    // ACT
    const error = await failure(runHttp(context({ url: `${local.url}/health` })));

    // ASSERT
    expect(error.code).toBe('http-status');
    expect(error.kind).toBe('operational');
    expect(error.message).toBe(`GET ${local.url}/health answered 503 Service Unavailable`);
    expect(error.details).toEqual({ status: 503, body: 'x'.repeat(1024) });
  });

  it('marks a 404 as the user\'s error, not one a retry may cure', async () => {
    // ARRANGE
    const local = await serve((_request, response) => sendJson(response, 404, { error: 'no such item' }));

    // ACT
    const error = await failure(runHttp(context({ url: `${local.url}/items/9` })));

    // ASSERT
    expect(error.code).toBe('http-status');
    expect(error.kind).toBe('user');
    expect(error.details).toEqual({ status: 404, body: '{"error":"no such item"}' });
  });

  it('outputs an answer with status >= 400 when failOnStatus is false', async () => {
    // ARRANGE
    const local = await serve((_request, response) => sendJson(response, 404, { error: 'no such item' }));

    // ACT
    const output = await runHttp(context({ url: local.url, failOnStatus: false }));

    // ASSERT
    expect(output).toMatchObject({ status: 404, body: { error: 'no such item' } });
  });
});

describe('http node: failures on the way', () => {
  it('fails with a network error naming the request when nothing listens on the port', async () => {
    // ARRANGE
    const closed = await startLocalServer(() => undefined);
    await closed.close();

    // ACT
    const error = await failure(runHttp(context({ url: `${closed.url}/x` })));

    // ASSERT
    expect(error.code).toBe('network');
    expect(error.kind).toBe('operational');
    expect(error.message).toBe(`GET ${closed.url}/x failed: ECONNREFUSED (connection refused)`);
  });

  it('fails with a timeout error when the server does not answer within config.timeoutMs', async () => {
    // ARRANGE
    const local = await serve(() => undefined); // never answers
    const started = Date.now();

    // ACT
    const error = await failure(runHttp(context({ url: `${local.url}/slow`, timeoutMs: 150 })));

    // ASSERT
    expect(error.code).toBe('timeout');
    expect(error.message).toBe(`GET ${local.url}/slow got no complete answer within 150 ms`);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('times out a server that sends its headers and then stalls the body', async () => {
    // ARRANGE
    const local = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' });
      response.write('partial');
    });

    // ACT
    const error = await failure(runHttp(context({ url: local.url, timeoutMs: 150 })));

    // ASSERT
    expect(error.code).toBe('timeout');
  });

  it('stops the request and rethrows the engine\'s reason when the node\'s signal fires', async () => {
    // ARRANGE
    const controller = new AbortController();
    const reason = new WeftError('cancelled', 'The run was cancelled.');
    const local = await serve(() => controller.abort(reason)); // abort once the request has arrived

    // ACT
    const error = await failure(runHttp(context({ url: local.url }, controller.signal)));

    // ASSERT
    expect(error).toBe(reason);
    expect(local.requests).toHaveLength(1);
  });

  it('fails with a cancelled error when the signal fires without a reason of its own', async () => {
    // ARRANGE
    const controller = new AbortController();
    const local = await serve(() => controller.abort());

    // ACT
    const error = await failure(runHttp(context({ url: `${local.url}/a` }, controller.signal)));

    // ASSERT
    expect(error.code).toBe('cancelled');
    expect(error.message).toBe(`GET ${local.url}/a was cancelled`);
  });
});

describe('http node: config', () => {
  it('accepts templates wherever a value is computed', () => {
    // ARRANGE
    const config = {
      method: '{{ input.method }}',
      url: '{{ variables.baseUrl }}/items',
      headers: '{{ input.headers }}',
      query: { page: '{{ input.page }}' },
      timeoutMs: '{{ variables.timeout }}',
      failOnStatus: '{{ input.strict }}',
      body: '{{ input }}',
    };

    // ACT
    const result = httpConfigSchema.safeParse(config);

    // ASSERT
    expect(result.success).toBe(true);
  });

  it('rejects at compile time a literal URL that is not http or https, an unknown method and a negative timeout', () => {
    // ARRANGE
    const configs = [{ url: 'ftp://files.example.com/a' }, { url: 'https://x.test', method: 'FETCH' }, { url: 'https://x.test', timeoutMs: -1 }];

    // ACT
    const messages = configs.map((config) => httpConfigSchema.safeParse(config).error?.issues.map((issue) => issue.message).join('; '));

    // ASSERT
    expect(messages[0]).toBe('expected an http:// or https:// URL');
    expect(messages[1]).toContain('expected one of GET, POST');
    expect(messages[2]).toBe('Too small: expected number to be >0');
  });

  it('rejects a computed URL that is not http or https before sending anything', async () => {
    // ARRANGE
    let called = false;
    const ctx = makeNodeContext<HttpConfig>({
      config: { url: 'file:///etc/passwd' },
      services: { fetch: (() => ((called = true), Promise.reject(new Error('no')))) as unknown as typeof fetch },
    });

    // ACT
    const error = await failure(runHttp(ctx));

    // ASSERT
    expect(error.code).toBe('invalid-config');
    expect(error.message).toBe('The http node\'s config.url must be an http:// or https:// URL; it is "file:///etc/passwd".');
    expect(called).toBe(false);
  });

  it('names the field when a template gave a value of the wrong kind', async () => {
    // ARRANGE
    const ctx = context({ url: 'http://127.0.0.1:9/', timeoutMs: 'soon' });

    // ACT
    const error = await failure(runHttp(ctx));

    // ASSERT
    expect(error.code).toBe('invalid-config');
    expect(error.message).toBe('The http node\'s config.timeoutMs must be a positive number of milliseconds; it is "soon".');
  });

  it('refuses a body on a GET request', async () => {
    // ARRANGE
    const ctx = context({ url: 'http://127.0.0.1:9/', body: { a: 1 } });

    // ACT
    const error = await failure(runHttp(ctx));

    // ASSERT
    expect(error.code).toBe('invalid-config');
    expect(error.message).toContain('A GET request cannot have a body');
  });

  it('is a side effect with one out port', () => {
    expect(httpNodeType.sideEffect).toBe(true);
    expect(httpNodeType.ports).toEqual(['out']);
    expect(httpNodeType.type).toBe('http');
  });
});

describe('retryAfterMs', () => {
  it('reads Retry-After in seconds or as an HTTP date, and ignores what it cannot read', () => {
    const now = Date.parse('2026-01-01T00:00:00.000Z');

    expect(retryAfterMs({ 'retry-after': '2' }, now)).toBe(2000);
    expect(retryAfterMs({ 'retry-after': '0.5' }, now)).toBe(500);
    expect(retryAfterMs({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
  });
});
