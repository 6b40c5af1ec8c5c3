// Live mode against real servers on 127.0.0.1: the webhook contract of spec section 8 under load and under abuse,
// schedules, shutdown and restart (in process through startLiveServer), and `weft serve` as a user runs it (the
// built CLI, killed with SIGKILL mid-run and started again).

import { Agent, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { RunRecord } from '../../src/engine/run/runRecord';
import type { InvocationLogFile } from '../../src/live/invocationLog';
import { startLiveServer, type LiveServer, type LiveStatus } from '../../src/live/liveServer';
import { signBody } from '../../src/live/webhookAuth';
import { httpCall as call } from '../support/httpCall';
import { assertCliBuilt, delay, makeWorkspace, startCli, waitFor, type CliProcess } from './runCli';

function flow(id: string, triggers: object[], nodes: object[], extra: object = {}): object {
  return { version: 1, id, triggers, nodes, ...extra };
}

const transform = (output: unknown): object => ({ id: 'out', type: 'transform', config: { output } });

async function writeFlows(dir: string, flows: Record<string, object | string>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, definition] of Object.entries(flows)) {
    await writeFile(join(dir, name), typeof definition === 'string' ? definition : JSON.stringify(definition, null, 2));
  }
}

async function runsOf(history: HistoryStore, flowId: string): Promise<string[]> {
  return (await history.list({ flowId })).map((s) => s.id);
}

async function settled(server: LiveServer, history: HistoryStore): Promise<void> {
  await waitFor('runs in flight to end', async () => (server.inFlight() === 0 ? true : undefined), 20_000);
  await history.flush();
}

let workspace: { dir: string; remove: () => Promise<void> };
let history: HistoryStore;
let server: LiveServer;
const SECRET = 'shh-its-a-secret';

beforeAll(async () => {
  workspace = await makeWorkspace('serve');
  const flows = join(workspace.dir, 'flows');
  await writeFlows(flows, {
    'trivial.flow.json': flow('trivial', [{ type: 'webhook' }], [transform({ got: '{{ trigger.n }}' })]),
    'typed.flow.json': flow('typed', [{ type: 'webhook' }], [transform('{{ trigger }}')], {
      inputs: { type: 'object', properties: { n: { type: 'number' }, name: { type: 'string' } }, required: ['n', 'name'] },
    }),
    'secured.flow.json': flow('secured', [{ type: 'webhook', secret: '{{ secrets.HOOK_SECRET }}' }], [transform({ ok: true })]),
    'result.flow.json': flow('result', [{ type: 'webhook', respond: 'result' }], [transform({ doubled: '{{ trigger.n * 2 }}' })]),
    'failing.flow.json': flow('failing', [{ type: 'webhook', respond: 'result' }], [{ id: 'boom', type: 'fail', config: { message: 'nope: {{ trigger.why }}' } }]),
    'query.flow.json': flow('query', [{ type: 'webhook', method: 'GET', respond: 'result' }], [transform({ q: '{{ trigger.q }}' })]),
    'oauth.flow.json': flow('oauth', [{ type: 'webhook', method: 'GET', respond: 'result' }], [
      transform({ exchanged: '{{ trigger.code == "abc123def456" }}', state: '{{ trigger.state }}' }),
    ]),
    'x.flow.json': flow('x', [{ type: 'webhook', path: 'x' }], [transform(1)]),
    'ab.flow.json': flow('ab', [{ type: 'webhook', path: 'a/b' }], [transform(2)]),
    'broken.flow.json': '{ "version": 1, "id": "broken", "triggers": [{ "type": "webhook" }], "nodes": [{ "id": "a", "type": "nope" }] }',
  });
  history = HistoryStore.open({ dir: join(workspace.dir, '.weft') });
  server = await startLiveServer({ dir: flows, port: 0, history, secrets: { HOOK_SECRET: SECRET }, rateLimit: 0, bodyTimeoutMs: 1000 });
});

afterAll(async () => {
  await server?.close({ graceMs: 1000 });
  await history?.close();
  await workspace?.remove();
});

describe('weft serve: webhooks', () => {
  it('serves the valid flows and says why the invalid one is not served', async () => {
    // ACT
    const reply = await call(server.url, '/_weft/status', { method: 'GET' });
    // ASSERT
    expect(reply.status).toBe(200);
    const status = reply.json as LiveStatus;
    expect(status.flows.map((f) => f.id).sort()).toEqual(['ab', 'failing', 'oauth', 'query', 'result', 'secured', 'trivial', 'typed', 'x']);
    expect(status.flows.find((f) => f.id === 'trivial')!.webhooks).toEqual([
      { url: `${server.url}/hooks/trivial`, method: 'POST', respond: 'ack', secured: false },
    ]);
    expect(status.problems).toHaveLength(1);
    expect(status.problems[0]).toMatchObject({ code: 'invalid-flow' });
    expect(status.problems[0].file).toMatch(/broken\.flow\.json$/);
    expect(status.problems[0].errors?.join('\n')).toContain('unknown-node-type');
  });

  it('accepts 1,000 requests at 50 concurrent connections and records exactly one run for each', async () => {
    // ARRANGE
    const agent = new Agent({ keepAlive: true, maxSockets: 50 });
    const before = await runsOf(history, 'trivial');
    // ACT
    const replies = await Promise.all(
      Array.from({ length: 1000 }, (_, n) => call(server.url, '/hooks/trivial', { body: JSON.stringify({ n }), agent })),
    );
    agent.destroy();
    await settled(server, history);
    // ASSERT
    expect(replies.map((r) => r.status).filter((s) => s !== 202)).toEqual([]);
    const accepted = replies.map((r) => (r.json as { executionId: string }).executionId);
    expect(new Set(accepted).size).toBe(1000);
    expect(replies.every((r, n) => r.headers['x-weft-execution-id'] === accepted[n])).toBe(true);
    const recorded = (await history.list({ flowId: 'trivial' })).filter((s) => !before.includes(s.id));
    expect(recorded.map((s) => s.id).sort()).toEqual([...accepted].sort());
    expect(recorded.every((s) => s.status === 'completed' && s.triggerType === 'webhook')).toBe(true);
    const sample = (await history.get(accepted[7])) as RunRecord;
    expect(sample.output).toEqual({ got: 7 });
    expect(sample.trigger).toMatchObject({ type: 'webhook', path: 'trivial', method: 'POST', respond: 'ack' });
  }, 60_000);

  it('answers 400 to malformed JSON and runs nothing', async () => {
    // ACT
    const reply = await call(server.url, '/hooks/typed', { body: '{"n": 1,' });
    await settled(server, history);
    // ASSERT
    expect(reply.status).toBe(400);
    expect(reply.json).toMatchObject({ error: { code: 'invalid-json' } });
    expect(await runsOf(history, 'typed')).toEqual([]);
  });

  it('answers 422 listing the input errors and runs nothing', async () => {
    // ACT
    const reply = await call(server.url, '/hooks/typed', { body: JSON.stringify({ n: 'one' }) });
    await settled(server, history);
    // ASSERT
    expect(reply.status).toBe(422);
    const body = reply.json as { error: { code: string }; errors: { path: string; message: string }[] };
    expect(body.error.code).toBe('invalid-input');
    expect(body.errors.map((e) => e.path).sort()).toEqual(['/n', '/name']);
    expect(await runsOf(history, 'typed')).toEqual([]);
  });

  it('answers 413 to a body over 1 MiB, declared or not, and runs nothing', async () => {
    // ARRANGE
    const big = JSON.stringify({ n: 1, pad: 'x'.repeat(1024 * 1024) });
    // ACT
    const declared = await call(server.url, '/hooks/trivial', { body: big });
    const chunked = await new Promise<number>((resolve, reject) => {
      const url = new URL(server.url);
      const request = httpRequest({ host: url.hostname, port: url.port, path: '/hooks/trivial', method: 'POST', agent: false }, (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      });
      request.on('error', reject);
      request.write(big.slice(0, 600_000));
      request.end(big.slice(600_000)); // no Content-Length: sent chunked
    });
    // ASSERT
    expect(declared.status).toBe(413);
    expect(chunked).toBe(413);
    const invocations = (await call(server.url, '/_weft/status', { method: 'GET' })).json as LiveStatus;
    const trivial = invocations.flows.find((f) => f.id === 'trivial')!.recentInvocations;
    expect(trivial.slice(0, 2).map((i) => i.status)).toEqual([413, 413]);
  });

  it('answers 401 without the secret or with a wrong one, and 202 with the bearer token or a valid signature', async () => {
    // ARRANGE
    const body = JSON.stringify({ hello: 'world' });
    // ACT
    const missing = await call(server.url, '/hooks/secured', { body });
    const wrong = await call(server.url, '/hooks/secured', { body, headers: { authorization: 'Bearer not-it' } });
    const badSignature = await call(server.url, '/hooks/secured', { body, headers: { 'x-weft-signature-256': signBody(body, 'not-it') } });
    const bearer = await call(server.url, '/hooks/secured', { body, headers: { authorization: `Bearer ${SECRET}` } });
    const signed = await call(server.url, '/hooks/secured', { body, headers: { 'x-weft-signature-256': signBody(body, SECRET), 'x-delivery': 'd-1' } });
    await settled(server, history);
    // ASSERT
    expect([missing.status, wrong.status, badSignature.status]).toEqual([401, 401, 401]);
    expect(missing.headers['www-authenticate']).toBe('Bearer');
    expect([bearer.status, signed.status]).toEqual([202, 202]);
    expect((await runsOf(history, 'secured')).sort()).toEqual(
      [(bearer.json as { executionId: string }).executionId, (signed.json as { executionId: string }).executionId].sort(),
    );
    const record = (await history.get((signed.json as { executionId: string }).executionId)) as RunRecord;
    expect(record.trigger).toMatchObject({ type: 'webhook', authenticated: 'signature', headers: { 'x-delivery': 'd-1' } });
    const headers = record.trigger.headers as Record<string, string>;
    expect(headers['x-weft-signature-256']).toBeUndefined();
    // Wherever records are kept: run files, and the journal segments group commit writes them to.
    for (const folder of ['runs', 'journal']) {
      for (const file of await readdir(join(history.dir, folder)).catch(() => [])) expect(await readFile(join(history.dir, folder, file), 'utf8')).not.toContain(SECRET);
    }
  });

  it('cuts off a body sent one byte every 200 ms, while a normal request in parallel gets 202', async () => {
    // ARRANGE
    const before = await runsOf(history, 'trivial');
    const url = new URL(server.url);
    const socket = connect(Number(url.port), url.hostname);
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('utf8')));
    socket.on('error', () => undefined); // writes after the server closed: expected
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('POST /hooks/trivial HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n');
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write('{');
    }, 200);
    // ACT
    await delay(300);
    const normal = await call(server.url, '/hooks/trivial', { body: '{"n": 42}' });
    await closed;
    clearInterval(drip);
    await settled(server, history);
    // ASSERT
    expect(normal.status).toBe(202);
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    const added = (await runsOf(history, 'trivial')).filter((id) => !before.includes(id));
    expect(added).toEqual([(normal.json as { executionId: string }).executionId]);
  });

  it('refuses odd paths (400) and unknown ones (404), and runs nothing', async () => {
    // ACT
    const replies = await Promise.all(
      ['/hooks/../x', '/hooks/a%2Fb', '/hooks//x', '/hooks/x/', '/hooks/./x', '/hooks/nope', '/nothing'].map((path) => call(server.url, path, { body: '{}' })),
    );
    const exact = await call(server.url, '/hooks/a/b', { body: '{}' });
    await settled(server, history);
    // ASSERT
    expect(replies.map((r) => r.status)).toEqual([400, 400, 400, 400, 400, 404, 404]);
    expect(await runsOf(history, 'x')).toEqual([]);
    expect(exact.status).toBe(202);
    expect(await runsOf(history, 'ab')).toEqual([(exact.json as { executionId: string }).executionId]);
    const status = (await call(server.url, '/_weft/status', { method: 'GET' })).json as LiveStatus;
    expect(status.unmatched.slice(0, 7).map((i) => i.status).sort()).toEqual([400, 400, 400, 400, 400, 404, 404]);
  });

  it('answers 405 with Allow for another method', async () => {
    // ACT
    const reply = await call(server.url, '/hooks/trivial', { method: 'PUT', body: '{}' });
    // ASSERT
    expect(reply.status).toBe(405);
    expect(reply.headers.allow).toBe('POST');
  });

  it('respond: result answers 200 with the output, or 500 with the error', async () => {
    // ACT
    const ok = await call(server.url, '/hooks/result', { body: JSON.stringify({ n: 21 }) });
    const failed = await call(server.url, '/hooks/failing', { body: JSON.stringify({ why: 'because' }) });
    const query = await call(server.url, '/hooks/query?q=find+me', { method: 'GET' });
    // ASSERT
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ doubled: 42 });
    expect(failed.status).toBe(500);
    expect(failed.json).toMatchObject({ error: { message: 'nope: because', nodeId: 'boom' } });
    const failedRecord = (await history.get((failed.json as { executionId: string }).executionId)) as RunRecord;
    expect(failedRecord.status).toBe('failed');
    expect(query.status).toBe(200);
    expect(query.json).toEqual({ q: 'find me' });
  });

  it('a GET webhook run reads a credential-like query parameter (an OAuth code); its record keeps it masked', async () => {
    // ACT: an OAuth provider's redirect to the callback flow.
    const reply = await call(server.url, '/hooks/oauth?code=abc123def456&state=s1', { method: 'GET' });

    // ASSERT: the flow saw the real code, history did not keep it.
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ exchanged: true, state: 's1' });
    const record = (await history.get(String(reply.headers['x-weft-execution-id']))) as RunRecord;
    expect(record.input).toEqual({ code: '***', state: 's1' });
    expect(JSON.stringify(record)).not.toContain('abc123def456');
  });

  it('records recent invocations in history: run records for accepted requests, the invocation log for all', async () => {
    // ARRANGE
    await call(server.url, '/hooks/x', { body: '{' });
    const accepted = await call(server.url, '/hooks/x', { body: '{}' });
    // ACT
    await server.close({ graceMs: 2000 });
    const log = JSON.parse(await readFile(join(history.dir, 'live', 'x.invocations.json'), 'utf8')) as InvocationLogFile;
    // ASSERT
    expect(log.invocations.slice(0, 2).map(({ method, status, executionId }) => ({ method, status, executionId }))).toEqual([
      { method: 'POST', status: 202, executionId: (accepted.json as { executionId: string }).executionId },
      { method: 'POST', status: 400, executionId: undefined },
    ]);
    expect(log.invocations[0].latencyMs).toBeGreaterThan(0);
  });
});

describe('weft serve: rate limit', () => {
  it('answers 429 with Retry-After over the per-flow rate', async () => {
    // ARRANGE
    const ws = await makeWorkspace('serve-rate');
    await writeFlows(ws.dir, { 'limited.flow.json': flow('limited', [{ type: 'webhook' }], [transform(1)]) });
    const store = HistoryStore.open({ dir: join(ws.dir, '.weft') });
    const limited = await startLiveServer({ dir: ws.dir, port: 0, history: store, rateLimit: 5 });
    try {
      // ACT
      const replies = await Promise.all(Array.from({ length: 12 }, () => call(limited.url, '/hooks/limited', { body: '{}' })));
      // ASSERT
      const statuses = replies.map((r) => r.status);
      expect(statuses.filter((s) => s === 202)).toHaveLength(5);
      expect(statuses.filter((s) => s === 429)).toHaveLength(7);
      expect(replies.find((r) => r.status === 429)!.headers['retry-after']).toBe('1');
    } finally {
      await limited.close();
      await store.close();
      await ws.remove();
    }
  });
});

describe('weft serve: schedules', () => {
  it('fires a schedule of every second within its second, recording the time it was due for', async () => {
    // ARRANGE
    const ws = await makeWorkspace('serve-tick');
    await writeFlows(ws.dir, {
      'tick.flow.json': flow('tick', [{ type: 'schedule', cron: '* * * * * *', input: { source: 'clock' } }], [transform('{{ trigger.source }}')]),
    });
    const store = HistoryStore.open({ dir: join(ws.dir, '.weft') });
    const live = await startLiveServer({ dir: ws.dir, port: 0, history: store });
    try {
      // ACT
      await delay(2600);
      await live.close();
      // ASSERT
      const runs = await Promise.all((await store.list({ flowId: 'tick' })).map(async (s) => (await store.get(s.id)) as RunRecord));
      expect(runs.length).toBeGreaterThanOrEqual(2);
      for (const run of runs) {
        const due = Date.parse(run.trigger.scheduledFor as string);
        expect(run.trigger).toMatchObject({ type: 'schedule', cron: '* * * * * *', timezone: 'UTC' });
        expect(Date.parse(run.startedAt) - due).toBeGreaterThanOrEqual(0);
        expect(Date.parse(run.startedAt) - due).toBeLessThan(1000);
        expect(run).toMatchObject({ status: 'completed', output: 'clock' });
      }
    } finally {
      await store.close();
      await ws.remove();
    }
  });

  it('starts one catch-up run for the times missed while nothing served, and says how many', async () => {
    // ARRANGE: the every-minute schedule last ran for a time 10 minutes before the current minute
    const ws = await makeWorkspace('serve-catchup');
    await writeFlows(ws.dir, { 'minutely.flow.json': flow('minutely', [{ type: 'schedule', cron: '* * * * *' }], [transform(1)]) });
    const store = HistoryStore.open({ dir: join(ws.dir, '.weft') });
    const thisMinute = Math.floor(Date.now() / 60_000) * 60_000;
    const lastDue = new Date(thisMinute - 10 * 60_000).toISOString();
    await store.save({
      id: 'old-scheduled-run',
      flowId: 'minutely',
      flowHash: 'x',
      status: 'completed',
      mode: 'run',
      trigger: { type: 'schedule', cron: '* * * * *', timezone: 'UTC', scheduledFor: lastDue },
      input: undefined,
      startedAt: lastDue,
      nodes: {},
    });
    await store.flush();
    // ACT
    const live = await startLiveServer({ dir: ws.dir, port: 0, history: store });
    await waitFor('the catch-up run to end', async () => (live.inFlight() === 0 ? true : undefined));
    await live.close();
    // ASSERT
    try {
      expect(live.catchUps).toHaveLength(1);
      const missed = Math.floor(Date.parse(live.catchUps[0].scheduledFor) / 60_000) * 60_000 === thisMinute ? 10 : 11;
      expect(live.catchUps[0]).toMatchObject({ flowId: 'minutely', missed });
      const record = (await store.get(live.catchUps[0].executionId)) as RunRecord;
      expect(record.trigger).toMatchObject({ type: 'schedule', catchUp: true, missed, scheduledFor: live.catchUps[0].scheduledFor });
      expect(record.status).toBe('completed');
    } finally {
      await store.close();
      await ws.remove();
    }
  });
});

describe('weft serve: stop and start again', () => {
  it('saves a run still waiting at shutdown as interrupted, and the next start finishes it at its due time', async () => {
    // ARRANGE
    const ws = await makeWorkspace('serve-restart');
    await writeFlows(ws.dir, {
      'pause.flow.json': flow('pause', [{ type: 'webhook' }], [{ id: 'sleep', type: 'wait', config: { ms: 1500 } }, transform({ done: true })], {
        edges: [{ from: 'sleep', to: 'out' }],
      }),
    });
    const store = HistoryStore.open({ dir: join(ws.dir, '.weft') });
    const first = await startLiveServer({ dir: ws.dir, port: 0, history: store });
    const accepted = await call(first.url, '/hooks/pause', { body: '{}' });
    const id = (accepted.json as { executionId: string }).executionId;
    await delay(100);
    // ACT
    const stopped = await first.close({ graceMs: 200 });
    const saved = (await store.get(id)) as RunRecord;
    const second = await startLiveServer({ dir: ws.dir, port: 0, history: store });
    const resumed = second.resumed.find((r) => r.from === id);
    await waitFor('the resumed run to end', async () => (second.inFlight() === 0 ? true : undefined));
    await second.close();
    // ASSERT
    try {
      expect(accepted.status).toBe(202);
      expect(stopped.suspended).toEqual([id]);
      expect(saved.status).toBe('interrupted');
      expect(resumed).toBeDefined();
      const record = (await store.get(resumed!.executionId)) as RunRecord;
      expect(record).toMatchObject({ status: 'completed', resumedFrom: id, output: { done: true }, trigger: { type: 'webhook' } });
      const due = Date.parse((saved.nodes.sleep.state as { until: string }).until);
      expect(Date.parse(record.nodes.sleep.finishedAt!)).toBeGreaterThanOrEqual(due - 5);
    } finally {
      await store.close();
      await ws.remove();
    }
  });
});

describe('weft serve (the command)', () => {
  let ws: { dir: string; remove: () => Promise<void> };
  const running: CliProcess[] = [];

  beforeAll(async () => {
    assertCliBuilt();
    ws = await makeWorkspace('serve-cli');
    await writeFlows(join(ws.dir, 'flows'), {
      'pause.flow.json': flow('pause', [{ type: 'webhook' }], [{ id: 'sleep', type: 'wait', config: { ms: 2000 } }, transform({ done: '{{ trigger.n }}' })], {
        edges: [{ from: 'sleep', to: 'out' }],
      }),
    });
  });

  afterAll(async () => {
    for (const cli of running) if (cli.child.exitCode === null) cli.child.kill('SIGKILL');
    await ws?.remove();
  });

  async function serve(): Promise<{ cli: CliProcess; url: string }> {
    const cli = startCli(['serve', 'flows', '--port', '0'], { cwd: ws.dir, timeoutMs: 30_000 });
    running.push(cli);
    const url = await waitFor('weft serve to print its URL', async () => /on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stdout())?.[1]);
    return { cli, url };
  }

  it('loses no accepted request when killed at once, and the next start resumes and completes the runs', async () => {
    // ARRANGE
    const first = await serve();
    const replies = await Promise.all([1, 2, 3].map((n) => call(first.url, '/hooks/pause', { body: JSON.stringify({ n }) })));
    const ids = replies.map((r) => (r.json as { executionId: string }).executionId);
    // ACT: killed the moment the last 202 arrives
    first.cli.child.kill('SIGKILL');
    expect((await first.cli.result).signal).toBe('SIGKILL');
    const store = HistoryStore.open({ dir: join(ws.dir, '.weft') });
    const recorded = await Promise.all(ids.map((id) => store.get(id)));
    const second = await serve();
    const done = await waitFor(
      'the resumed runs to complete',
      async () => {
        const summaries = await store.list({ flowId: 'pause' });
        const finished = summaries.filter((s) => s.resumedFrom !== undefined && ids.includes(s.resumedFrom) && s.status === 'completed');
        return finished.length === 3 ? summaries : undefined;
      },
      15_000,
    );
    second.cli.child.kill('SIGTERM');
    const exit = await second.cli.result;
    // ASSERT
    expect(replies.map((r) => r.status)).toEqual([202, 202, 202]);
    expect(recorded.map((r) => r?.status)).toEqual(['running', 'running', 'running']);
    for (const id of ids) expect(done.find((s) => s.id === id)?.status).toBe('interrupted');
    const resumed = await Promise.all(done.filter((s) => s.resumedFrom).map(async (s) => (await store.get(s.id)) as RunRecord));
    expect(resumed.map((r) => (r.output as { done: number }).done).sort()).toEqual([1, 2, 3]);
    expect(second.cli.stdout()).toContain('Resuming interrupted run');
    expect(exit.code).toBe(0);
    await store.close();
  }, 60_000);

  it('exits 2 when nothing under the directory can be served', async () => {
    // ARRANGE
    await writeFlows(join(ws.dir, 'manual'), { 'm.flow.json': flow('m', [{ type: 'manual' }], [transform(1)]) });
    // ACT
    const result = await startCli(['serve', 'manual', '--port', '0'], { cwd: ws.dir }).result;
    // ASSERT
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('Nothing to serve');
  });

  it('exits 2 for a bad --port', async () => {
    // ACT
    const result = await startCli(['serve', 'flows', '--port', 'eighty'], { cwd: ws.dir }).result;
    // ASSERT
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--port must be a port number');
  });
});
