// Live mode under the attacks of issue 9, against real servers on 127.0.0.1 (in process, through startLiveServer,
// and the built `weft serve` for the failed start): credentials in query strings and bodies kept out of records and
// logs, a start that fails, history that cannot be written, auth before the rate limit and before the body, a
// catastrophic regex, deep and prototype-named input, and Idempotency-Key across a restart.

import { createServer } from 'node:net';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { RunRecord } from '../../src/engine/run/runRecord';
import { startLiveServer, type LiveLogEntry, type LiveServer, type LiveServerOptions, type LiveStatus } from '../../src/live/liveServer';
import { signBody } from '../../src/live/webhookAuth';
import { freePort } from '../support/freePort';
import { httpCall as call, openHttpRequest as open } from '../support/httpCall';
import { startLocalServer, sendJson, type LocalServer } from '../support/localServer';
import { assertCliBuilt, makeWorkspace, runCli, waitFor } from './runCli';

function flow(id: string, triggers: object[], nodes: object[], extra: object = {}): object {
  return { version: 1, id, triggers, nodes, ...extra };
}

const transform = (output: unknown): object => ({ id: 'out', type: 'transform', config: { output } });
const SECRET = 'hook-secret-value-1234';
const bearer = { authorization: `Bearer ${SECRET}` };

interface Served {
  server: LiveServer;
  history: HistoryStore;
  logs: LiveLogEntry[];
  dir: string;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function serve(flows: Record<string, object>, options: Partial<LiveServerOptions> & { history?: HistoryStore; dir?: string } = {}): Promise<Served> {
  let dir = options.dir;
  if (dir === undefined) {
    const workspace = await makeWorkspace('hardening');
    cleanups.push(workspace.remove);
    dir = workspace.dir;
  }
  const flowsDir = join(dir, 'flows');
  await mkdir(flowsDir, { recursive: true });
  for (const [name, definition] of Object.entries(flows)) await writeFile(join(flowsDir, name), JSON.stringify(definition, null, 2));
  const history = options.history ?? HistoryStore.open({ dir: join(dir, '.weft') });
  const logs: LiveLogEntry[] = [];
  const server = await startLiveServer({ port: 0, secrets: { HOOK_SECRET: SECRET }, rateLimit: 0, bodyTimeoutMs: 60_000, ...options, dir: flowsDir, history, onLog: (entry) => logs.push(entry) });
  cleanups.push(async () => {
    await server.close({ graceMs: 1000 });
    await history.close();
  });
  return { server, history, logs, dir };
}

async function statusOf(server: LiveServer): Promise<LiveStatus> {
  return (await call(server.url, '/_weft/status', { method: 'GET' })).json as LiveStatus;
}

async function runIds(history: HistoryStore, flowId: string): Promise<string[]> {
  await history.flush();
  return (await history.list({ flowId })).map((summary) => summary.id);
}

async function historyText(dir: string): Promise<string> {
  const texts: string[] = [];
  const walk = async (at: string): Promise<void> => {
    for (const entry of await readdir(at, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(at, entry.name));
      else texts.push(await readFile(join(at, entry.name), 'utf8'));
    }
  };
  await walk(dir);
  return texts.join('\n');
}

const securedAck = flow('secured', [{ type: 'webhook', secret: '{{ secrets.HOOK_SECRET }}' }], [transform({ ok: true })]);

describe('weft serve keeps credentials and bodies out of records and logs', () => {
  it('records credential-named query parameters of an authenticated request as redacted, and never logs a query', async () => {
    // ARRANGE
    const { server, history, logs, dir } = await serve({ 'secured.flow.json': securedAck });
    // ACT
    const reply = await call(server.url, '/hooks/secured?token=query-token-4242&api_key=query-key-4242&page=2', { headers: bearer, body: '{}' });
    const unmatched = await call(server.url, '/hooks/nothing-here?token=query-token-4242', { body: '{}' });
    await waitFor('the run to end', async () => (server.inFlight() === 0 ? true : undefined));
    const status = await statusOf(server);
    await server.close({ graceMs: 1000 });
    // ASSERT
    expect(reply.status).toBe(202);
    expect(unmatched.status).toBe(404);
    const record = (await history.get((reply.json as { executionId: string }).executionId)) as RunRecord;
    expect(record.trigger.query).toEqual({ token: '***', api_key: '***', page: '2' });
    const everything = [await historyText(join(dir, '.weft')), JSON.stringify(status), ...logs.map((entry) => JSON.stringify(entry))].join('\n');
    expect(everything).not.toContain('query-token-4242');
    expect(everything).not.toContain('query-key-4242');
  });

  it("keeps a GET webhook's credential parameters masked in the records of the subflows its run starts", async () => {
    // ARRANGE: an OAuth-style callback passes its `code` on to a child flow, which uses it (and so records it).
    const callback = flow(
      'callback',
      [{ type: 'webhook', method: 'GET', secret: '{{ secrets.HOOK_SECRET }}' }],
      [{ id: 'exchange', type: 'subflow', config: { flow: './exchange.flow.json', input: { code: '{{ input.code }}', state: '{{ input.state }}' } } }],
    );
    const exchange = flow('exchange', [], [transform({ exchanged: '{{ input.code }}', state: '{{ input.state }}' })]);
    const { server, history, dir } = await serve({ 'callback.flow.json': callback, 'exchange.flow.json': exchange });
    // ACT
    const reply = await call(server.url, '/hooks/callback?code=oauth-code-98765&state=s-1', { method: 'GET', headers: bearer });
    await waitFor('the run and its subflow to end', async () => (server.inFlight() === 0 ? true : undefined));
    await server.close({ graceMs: 1000 });
    // ASSERT: the child ran with the real code (it is in no record), and the state, not a credential, is kept.
    expect(reply.status).toBe(202);
    const parent = (await history.get((reply.json as { executionId: string }).executionId)) as RunRecord;
    expect(parent.status).toBe('completed');
    const [childId] = await runIds(history, 'exchange');
    const child = (await history.get(childId)) as RunRecord;
    expect(child.status).toBe('completed');
    expect(child.output).toEqual({ exchanged: '***', state: 's-1' });
    expect(await historyText(join(dir, '.weft'))).not.toContain('oauth-code-98765');
  });

  it('answers 400 to a body that is not JSON without echoing any of it to the client, the log, the invocation log or the status', async () => {
    // ARRANGE
    const { server, logs, dir } = await serve({ 'open.flow.json': flow('open', [{ type: 'webhook' }], [transform(1)]) });
    // ACT
    const reply = await call(server.url, '/hooks/open', { body: 'sk_live_abcdef not json' });
    const status = await statusOf(server);
    await server.close({ graceMs: 1000 });
    // ASSERT
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: { code: 'invalid-json' } });
    const everything = [reply.text, await historyText(join(dir, '.weft')), JSON.stringify(status), ...logs.map((entry) => JSON.stringify(entry))].join('\n');
    expect(everything).toContain('not JSON');
    expect(everything).not.toContain('sk_live');
  });
});

describe('weft serve: a start that fails', () => {
  it('rejects, frees the port and serves nothing when history cannot be opened (.weft is a file)', async () => {
    // ARRANGE
    const workspace = await makeWorkspace('failed-start');
    cleanups.push(workspace.remove);
    await writeFile(join(workspace.dir, '.weft'), 'not a directory');
    const port = await freePort();
    // ACT
    const started = serve({ 'open.flow.json': flow('open', [{ type: 'webhook' }], [transform(1)]) }, { dir: workspace.dir, port });
    // ASSERT
    await expect(started).rejects.toThrow();
    await expect(listenOn(port)).resolves.toBe(true);
  });

  it('`weft serve` exits non-zero and frees the port', async () => {
    // ARRANGE
    assertCliBuilt();
    const workspace = await makeWorkspace('failed-start-cli');
    cleanups.push(workspace.remove);
    await writeFile(join(workspace.dir, '.weft'), 'not a directory');
    await writeFile(join(workspace.dir, 'open.flow.json'), JSON.stringify(flow('open', [{ type: 'webhook' }], [transform(1)])));
    const port = await freePort();
    // ACT
    const result = await runCli(['serve', '--port', String(port)], { cwd: workspace.dir, timeoutMs: 30_000 });
    // ASSERT
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('could not start');
    await expect(listenOn(port)).resolves.toBe(true);
  });
});

/** Whether a server can listen on the port now (it is free). */
function listenOn(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(false));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}

describe('weft serve when history cannot be written', () => {
  let target: LocalServer;
  beforeAll(async () => {
    target = await startLocalServer((_request, response) => sendJson(response, 200, { ok: true }));
    return () => target.close();
  });

  /** A store whose writes fail like a full disk while `failing` is set. */
  function failingStore(dir: string): HistoryStore & { failing: boolean } {
    const store = HistoryStore.open({ dir: join(dir, '.weft') }) as HistoryStore & { failing: boolean };
    const save = store.save.bind(store);
    store.failing = true;
    store.save = (record: RunRecord) => (store.failing ? Promise.reject(new Error('ENOSPC: no space left on device')) : save(record));
    return store;
  }

  const sideEffect = (id: string, respond: string): object =>
    flow(id, [{ type: 'webhook', respond }], [{ id: 'call', type: 'http', config: { url: `${target.url}/${id}`, method: 'POST' } }]);

  it('answers an ack 503 with Retry-After and runs nothing, reports it, and refuses new requests while it lasts', async () => {
    // ARRANGE
    const workspace = await makeWorkspace('history-failing');
    cleanups.push(workspace.remove);
    const store = failingStore(workspace.dir);
    const { server, logs } = await serve({ 'ack.flow.json': sideEffect('ack', 'ack'), 'res.flow.json': sideEffect('res', 'result') }, { dir: workspace.dir, history: store, historyRetryMs: 600_000 });
    const before = target.requests.length;
    // ACT
    const ack = await call(server.url, '/hooks/ack', { body: '{}' });
    const status = await statusOf(server);
    const result = await call(server.url, '/hooks/res', { body: '{}' });
    // ASSERT
    expect(ack.status).toBe(503);
    expect(ack.headers['retry-after']).toMatch(/^\d+$/);
    expect(ack.json).toMatchObject({ error: { code: 'history-unavailable' } });
    expect(status.history).toMatchObject({ ok: false, lastError: expect.stringContaining('ENOSPC') });
    expect(result.status).toBe(503);
    expect(result.headers['retry-after']).toBe('600');
    expect(target.requests.length).toBe(before); // neither request's http node ran
    expect(logs.some((entry) => entry.level === 'error' && /history cannot be written/i.test(entry.message))).toBe(true);
  });

  it('reports a result run whose record could not be written, and accepts requests again once history can be written', async () => {
    // ARRANGE
    const workspace = await makeWorkspace('history-recovers');
    cleanups.push(workspace.remove);
    const store = failingStore(workspace.dir);
    const { server, logs, history } = await serve({ 'ack.flow.json': sideEffect('ack2', 'ack'), 'res.flow.json': sideEffect('res2', 'result') }, { dir: workspace.dir, history: store, historyRetryMs: 0 });
    // ACT
    const unrecorded = await call(server.url, '/hooks/res2', { body: '{}' });
    const refused = await call(server.url, '/hooks/ack2', { body: '{}' });
    store.failing = false;
    const accepted = await call(server.url, '/hooks/ack2', { body: '{}' });
    await waitFor('the run to end', async () => (server.inFlight() === 0 ? true : undefined));
    const status = await statusOf(server);
    // ASSERT
    const lost = unrecorded.headers['x-weft-execution-id'] as string;
    expect(unrecorded.status).toBe(200);
    expect(logs.some((entry) => entry.level === 'error' && entry.executionId === lost && /could not be recorded/.test(entry.message))).toBe(true);
    expect(refused.status).toBe(503);
    expect(target.requests.filter((r) => r.path === '/ack2')).toHaveLength(1); // only the accepted one ran
    expect(accepted.status).toBe(202);
    expect(await runIds(history, 'ack2')).toEqual([(accepted.json as { executionId: string }).executionId]);
    expect(status.history).toEqual({ ok: true });
  });
});

describe('weft serve: authentication comes first', () => {
  it('does not let unauthenticated requests use up a flow\'s rate budget', async () => {
    // ARRANGE: one request per 100 s
    const { server } = await serve({ 'secured.flow.json': securedAck }, { rateLimit: 0.01 });
    // ACT
    const refused: number[] = [];
    for (let i = 0; i < 30; i++) refused.push((await call(server.url, '/hooks/secured', { body: '{}', headers: { authorization: 'Bearer wrong' } })).status);
    const signed = await call(server.url, '/hooks/secured', { body: '{"a":1}', headers: { 'x-weft-signature-256': signBody('{"a":1}', SECRET) } });
    const next = await call(server.url, '/hooks/secured', { body: '{}', headers: bearer });
    // ASSERT
    expect(new Set(refused)).toEqual(new Set([401]));
    expect(signed.status).toBe(202);
    expect(next.status).toBe(429);
  });

  it('refuses an unauthenticated request with 401 before reading its body', async () => {
    // ARRANGE
    const { server } = await serve({ 'secured.flow.json': securedAck });
    // ACT: half a MiB declared, one KiB sent, the rest never
    const { request, reply } = open(server.url, '/hooks/secured', { headers: { 'content-type': 'application/json', 'content-length': String(512 * 1024) } });
    request.write(Buffer.alloc(1024, 0x20));
    const answer = await reply;
    request.destroy();
    // ASSERT
    expect(answer.status).toBe(401);
    expect(answer.headers.connection).toBe('close');
  });

  it('caps the bytes of bodies held at once across requests: past the budget a request gets 503, and the held one goes through', async () => {
    // ARRANGE
    const { server } = await serve({ 'open.flow.json': flow('open', [{ type: 'webhook' }], [transform(1)]) }, { bodyBudgetBytes: 64 * 1024 });
    const first = open(server.url, '/hooks/open', { headers: { 'content-type': 'application/json', 'content-length': String(50 * 1024) } });
    const start = `[${'0,'.repeat(20 * 1024)}`;
    first.request.write(start);
    await waitFor('the first body to be held', async () => ((await statusOf(server)).heldBodyBytes >= 40 * 1024 ? true : undefined));
    // ACT
    const second = await call(server.url, '/hooks/open', { body: JSON.stringify({ fill: 'x'.repeat(30 * 1024) }) });
    first.request.end(`${' '.repeat(50 * 1024 - start.length - 2)}0]`);
    const firstReply = await first.reply;
    // ASSERT
    expect(second.status).toBe(503);
    expect(second.json).toMatchObject({ error: { code: 'busy' } });
    expect(second.headers['retry-after']).toBe('1');
    expect(firstReply.status).toBe(202);
    expect((await statusOf(server)).heldBodyBytes).toBe(0);
  });
});

describe('weft serve: input that could hurt', () => {
  it('matches an inputs pattern in linear time: the catastrophic one answers 422 and another flow is served meanwhile', async () => {
    // ARRANGE
    const { server } = await serve({
      'evil.flow.json': flow('evil', [{ type: 'webhook', respond: 'result' }], [transform(1)], { inputs: { type: 'object', properties: { s: { type: 'string', pattern: '^(a+)+$' } } } }),
      'other.flow.json': flow('other', [{ type: 'webhook', respond: 'result' }], [transform({ fine: true })]),
    });
    // ACT
    const [evil, other] = await Promise.all([
      call(server.url, '/hooks/evil', { body: JSON.stringify({ s: `${'a'.repeat(100_000)}!` }) }),
      call(server.url, '/hooks/other', { body: '{}' }),
    ]);
    const good = await call(server.url, '/hooks/evil', { body: JSON.stringify({ s: 'aaaa' }) });
    // ASSERT
    expect(evil.status).toBe(422);
    expect(other.status).toBe(200);
    expect(other.json).toEqual({ fine: true });
    expect(good.status).toBe(200);
  });

  it('refuses a body nested deeper than 64 levels with 400 body-too-deep and runs nothing; 64 levels run', async () => {
    // ARRANGE
    const { server, history } = await serve({ 'deep.flow.json': flow('deep', [{ type: 'webhook', respond: 'result' }], [transform({ ok: true })]) });
    const nested = (levels: number): string => `${'['.repeat(levels)}${']'.repeat(levels)}`;
    // ACT
    const tooDeep = await call(server.url, '/hooks/deep', { body: nested(10_000) });
    const justOver = await call(server.url, '/hooks/deep', { body: nested(65) });
    const atLimit = await call(server.url, '/hooks/deep', { body: nested(64) });
    // ASSERT
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.json).toMatchObject({ error: { code: 'body-too-deep' } });
    expect(justOver.status).toBe(400);
    expect(atLimit.status).toBe(200);
    expect(await runIds(history, 'deep')).toHaveLength(1);
  });

  it('refuses __proto__, constructor and prototype keys anywhere in the input with 400 forbidden-key, saying which', async () => {
    // ARRANGE
    const { server, history } = await serve({ 'keys.flow.json': flow('keys', [{ type: 'webhook', respond: 'result' }], [transform('{{ trigger }}')]) });
    // ACT
    const proto = await call(server.url, '/hooks/keys', { body: '{"__proto__": {"admin": true}, "a": 1}' });
    const nested = await call(server.url, '/hooks/keys', { body: '{"a": [{"constructor": 1}]}' });
    const plain = await call(server.url, '/hooks/keys', { body: '{"a": 1}' });
    // ASSERT
    expect(proto.status).toBe(400);
    expect(proto.json).toMatchObject({ error: { code: 'forbidden-key', message: expect.stringContaining('"__proto__"') } });
    expect(nested.status).toBe(400);
    expect(nested.json).toMatchObject({ error: { code: 'forbidden-key', message: expect.stringContaining('/a/0/constructor') } });
    expect(plain.status).toBe(200);
    expect(await runIds(history, 'keys')).toHaveLength(1);
  });
});

describe('weft serve: Idempotency-Key', () => {
  it('answers a repeated key with the first answer and starts nothing, also after a restart and for a concurrent repeat', async () => {
    // ARRANGE
    const workspace = await makeWorkspace('idempotency');
    cleanups.push(workspace.remove);
    const flows = {
      'secured.flow.json': securedAck,
      'res.flow.json': flow('res', [{ type: 'webhook', respond: 'result' }], [transform({ doubled: '{{ trigger.n * 2 }}' })]),
    };
    const first = await serve(flows, { dir: workspace.dir });
    const signed = (key: string): Record<string, string> => ({ 'x-weft-signature-256': signBody('{}', SECRET), 'idempotency-key': key });
    // ACT
    const [ack, concurrent] = await Promise.all([
      call(first.server.url, '/hooks/secured', { body: '{}', headers: signed('order-1') }),
      call(first.server.url, '/hooks/secured', { body: '{}', headers: signed('order-1') }),
    ]);
    const result = await call(first.server.url, '/hooks/res', { body: '{"n": 21}', headers: { 'idempotency-key': 'order-1' } });
    await waitFor('runs to end', async () => (first.server.inFlight() === 0 ? true : undefined));
    await first.server.close({ graceMs: 1000 });
    await first.history.close();
    const second = await serve(flows, { dir: workspace.dir });
    const ackAgain = await call(second.server.url, '/hooks/secured', { body: '{}', headers: signed('order-1') });
    const resultAgain = await call(second.server.url, '/hooks/res', { body: '{"n": 5}', headers: { 'idempotency-key': 'order-1' } });
    const otherKey = await call(second.server.url, '/hooks/secured', { body: '{}', headers: signed('order-2') });
    await waitFor('runs to end', async () => (second.server.inFlight() === 0 ? true : undefined));
    // ASSERT
    const executionId = (ack.json as { executionId: string }).executionId;
    expect(ack.status).toBe(202);
    expect(concurrent).toMatchObject({ status: 202, json: { executionId } });
    expect(ackAgain).toMatchObject({ status: 202, json: { executionId } });
    expect(ackAgain.headers['idempotent-replayed']).toBe('true');
    expect(result).toMatchObject({ status: 200, json: { doubled: 42 } });
    expect(resultAgain).toMatchObject({ status: 200, json: { doubled: 42 } });
    expect(otherKey.status).toBe(202);
    expect((await runIds(second.history, 'secured')).sort()).toEqual([executionId, (otherKey.json as { executionId: string }).executionId].sort());
    expect(await runIds(second.history, 'res')).toHaveLength(1);
  });
});
