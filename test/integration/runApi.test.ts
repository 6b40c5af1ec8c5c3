// The run API of `weft serve` (spec section 14) against real servers on 127.0.0.1: start, list, get, cancel a run
// waiting in a `wait` node, resume a failed run from a node, the webhooks' input checks, the bearer token, and the
// bounded concurrency and backlog (503 with Retry-After past them).

import { createServer, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { RunRecord } from '../../src/engine/run/runRecord';
import { startLiveServer, type LiveServer } from '../../src/live/liveServer';
import { assertCliBuilt, makeWorkspace, startCli, waitFor } from './runCli';

interface Reply {
  status: number;
  headers: Headers;
  json: any;
}

async function api(base: string, path: string, options: { method?: string; body?: unknown; raw?: string; token?: string } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  let body: string | undefined = options.raw;
  if (options.body !== undefined) body = JSON.stringify(options.body);
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, { method: options.method ?? (body === undefined ? 'GET' : 'POST'), headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text === '' ? undefined : JSON.parse(text) };
}

async function recordOf(base: string, executionId: string, token?: string): Promise<RunRecord> {
  return (await api(base, `/_weft/runs/${executionId}`, { token })).json as RunRecord;
}

function ended(base: string, executionId: string): Promise<RunRecord> {
  return waitFor(`run ${executionId} to end`, async () => {
    const record = await recordOf(base, executionId);
    return record.status !== undefined && record.status !== 'running' ? record : undefined;
  }, 20_000);
}

function flow(id: string, triggers: object[], nodes: object[], extra: object = {}): object {
  return { version: 1, id, triggers, nodes, ...extra };
}

async function writeFlows(dir: string, flows: Record<string, object>): Promise<void> {
  await mkdir(dir, { recursive: true });
  for (const [name, definition] of Object.entries(flows)) await writeFile(join(dir, name), JSON.stringify(definition, null, 2));
}

let workspace: { dir: string; remove: () => Promise<void> };
let history: HistoryStore;
let server: LiveServer;
let upstream: Server;
let upstreamCalls = 0;

beforeAll(async () => {
  // A flaky upstream: its first answer is a 500, every later one a 200.
  upstream = createServer((request, response) => {
    upstreamCalls++;
    response.writeHead(upstreamCalls === 1 ? 500 : 200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ call: upstreamCalls }));
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as { port: number }).port}/`;
  workspace = await makeWorkspace('run-api');
  const flows = join(workspace.dir, 'flows');
  await writeFlows(flows, {
    'greet.flow.json': flow('greet', [{ type: 'manual' }], [{ id: 'out', type: 'transform', config: { output: { hello: '{{ trigger.name }}' } } }], {
      inputs: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
    }),
    'hook.flow.json': flow('hook', [{ type: 'webhook' }], [{ id: 'out', type: 'transform', config: { output: 1 } }]),
    'sleepy.flow.json': flow('sleepy', [{ type: 'webhook' }], [{ id: 'sleep', type: 'wait', config: { ms: 600_000 } }]),
    'flaky.flow.json': flow(
      'flaky',
      [{ type: 'manual' }],
      [
        { id: 'prep', type: 'transform', config: { output: { at: '{{ trigger.at }}' } } },
        { id: 'call', type: 'http', config: { url: upstreamUrl, failOnStatus: true } },
      ],
      { edges: [{ from: 'prep', to: 'call' }] },
    ),
  });
  history = HistoryStore.open({ dir: join(workspace.dir, '.weft') });
  server = await startLiveServer({ dir: flows, port: 0, history, rateLimit: 0, bodyLimitBytes: 64 * 1024 });
});

afterAll(async () => {
  await server?.close({ graceMs: 1000, inFlight: 'cancel' });
  await history?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await workspace?.remove();
});

describe('the run API', () => {
  it('starts a run of a flow by id (202), records it with an api trigger, and gets its record', async () => {
    // ACT
    const started = await api(server.url, '/_weft/runs', { body: { flow: 'greet', input: { name: 'Ada' } } });
    // ASSERT
    expect(started.status).toBe(202);
    const record = await ended(server.url, started.json.executionId);
    expect(record).toMatchObject({ id: started.json.executionId, flowId: 'greet', status: 'completed', output: { hello: 'Ada' }, trigger: { type: 'api' } });
    expect((await api(server.url, '/_weft/runs/nope-123')).status).toBe(404);
  });

  it('lists runs newest first, filtered by flow and status, with the total and paging', async () => {
    // ARRANGE
    const ids: string[] = [];
    for (const name of ['a', 'b', 'c']) ids.push((await api(server.url, '/_weft/runs', { body: { flow: 'greet', input: { name } } })).json.executionId);
    for (const id of ids) await ended(server.url, id);
    // ACT
    const page = await api(server.url, '/_weft/runs?flow=greet&status=completed&limit=2&offset=1');
    const none = await api(server.url, '/_weft/runs?flow=greet&status=failed');
    const bad = await api(server.url, '/_weft/runs?status=happy');
    const badLimit = await api(server.url, '/_weft/runs?limit=-1');
    // ASSERT
    expect(page.status).toBe(200);
    const all = (await api(server.url, '/_weft/runs?flow=greet')).json.runs.map((run: { id: string }) => run.id);
    expect(all.slice(0, 3)).toEqual([...ids].reverse());
    expect(page.json.runs.map((run: { id: string }) => run.id)).toEqual(all.slice(1, 3));
    expect(page.json.total).toBe(all.length);
    expect(page.json.runs[0]).toMatchObject({ flowId: 'greet', status: 'completed', triggerType: 'api' });
    expect(none.json).toEqual({ runs: [], total: 0 });
    expect([bad.status, badLimit.status]).toEqual([400, 400]);
  });

  it('answers a bad start as webhooks do: 404 unknown flow, 400 bad JSON or shape, 413 too large, 422 invalid input', async () => {
    // ACT
    const unknown = await api(server.url, '/_weft/runs', { body: { flow: 'nope', input: {} } });
    const badJson = await api(server.url, '/_weft/runs', { raw: '{"flow": "greet",' });
    const noFlow = await api(server.url, '/_weft/runs', { body: { input: {} } });
    const forbidden = await api(server.url, '/_weft/runs', { raw: '{"flow": "greet", "input": {"name": "x", "__proto__": {}}}' });
    const large = await api(server.url, '/_weft/runs', { body: { flow: 'greet', input: { name: 'x'.repeat(70_000) } } });
    const invalid = await api(server.url, '/_weft/runs', { body: { flow: 'greet', input: { name: 7 } } });
    const method = await api(server.url, '/_weft/runs', { method: 'DELETE' });
    // ASSERT
    expect([unknown.status, badJson.status, noFlow.status, forbidden.status, large.status, invalid.status, method.status]).toEqual([404, 400, 400, 400, 413, 422, 405]);
    expect(badJson.json.error.code).toBe('invalid-json');
    expect(forbidden.json.error.code).toBe('forbidden-key');
    expect(invalid.json).toMatchObject({ error: { code: 'invalid-input' }, errors: [{ path: '/name' }] });
    expect((await api(server.url, '/_weft/runs?flow=nope')).json.total).toBe(0);
  });

  it('cancels a run waiting in a wait node (202), then says it has ended (409) or does not exist (404)', async () => {
    // ARRANGE
    const started = await api(server.url, '/_weft/runs', { body: { flow: 'sleepy', input: {} } });
    const id = started.json.executionId as string;
    await waitFor('the run to wait', async () => ((await recordOf(server.url, id)).nodes?.sleep?.status === 'running' ? true : undefined));
    // ACT
    const cancelled = await api(server.url, `/_weft/runs/${id}/cancel`, { method: 'POST' });
    const again = await api(server.url, `/_weft/runs/${id}/cancel`, { method: 'POST' });
    const missing = await api(server.url, '/_weft/runs/nope-1/cancel', { method: 'POST' });
    // ASSERT
    expect(cancelled.status).toBe(202);
    expect((await ended(server.url, id)).status).toBe('cancelled');
    expect(again.status).toBe(409);
    expect(missing.status).toBe(404);
  });

  it('resumes a failed run from a node: the new run reuses what came before it and completes', async () => {
    // ARRANGE: the upstream fails the first call
    const failed = await ended(server.url, (await api(server.url, '/_weft/runs', { body: { flow: 'flaky', input: { at: 1 } } })).json.executionId);
    expect(failed.status).toBe('failed');
    // ACT
    const unknownNode = await api(server.url, `/_weft/runs/${failed.id}/resume`, { body: { from: 'nope' } });
    const resumed = await api(server.url, `/_weft/runs/${failed.id}/resume`, { body: { from: 'call' } });
    // ASSERT
    expect(unknownNode.status).toBe(404);
    expect(resumed.status).toBe(202);
    const record = await ended(server.url, resumed.json.executionId);
    expect(record).toMatchObject({ status: 'completed', resumedFrom: failed.id, rerunFrom: 'call', input: { at: 1 } });
    expect(record.nodes.prep.reused).toBe(true);
    expect(record.nodes.call.output).toMatchObject({ status: 200 });
  });

  it('refuses to resume a run that still runs (409)', async () => {
    // ARRANGE
    const id = (await api(server.url, '/_weft/runs', { body: { flow: 'sleepy', input: {} } })).json.executionId as string;
    // ACT
    const resumed = await api(server.url, `/_weft/runs/${id}/resume`, { method: 'POST' });
    // ASSERT
    expect(resumed.status).toBe(409);
    await api(server.url, `/_weft/runs/${id}/cancel`, { method: 'POST' });
  });
});

describe('the run API with WEFT_API_TOKEN', () => {
  let secured: LiveServer;
  let securedHistory: HistoryStore;
  const TOKEN = 'api-token-for-tests';

  beforeAll(async () => {
    securedHistory = HistoryStore.open({ dir: join(workspace.dir, '.weft-secured') });
    secured = await startLiveServer({ dir: join(workspace.dir, 'flows'), port: 0, history: securedHistory, apiToken: TOKEN, resumeInterrupted: false });
  });

  afterAll(async () => {
    await secured?.close({ graceMs: 1000, inFlight: 'cancel' });
    await securedHistory?.close();
  });

  it('answers 401 with WWW-Authenticate without the token or with a wrong one, and serves the right one', async () => {
    // ACT
    const none = await api(secured.url, '/_weft/runs');
    const wrong = await api(secured.url, '/_weft/runs', { token: 'api-token-for-test' });
    const wrongStart = await api(secured.url, '/_weft/runs', { body: { flow: 'greet', input: { name: 'x' } }, token: 'nope' });
    const sse = await api(secured.url, '/_weft/runs/abc/events');
    const right = await api(secured.url, '/_weft/runs', { token: TOKEN });
    const started = await api(secured.url, '/_weft/runs', { body: { flow: 'greet', input: { name: 'x' } }, token: TOKEN });
    // ASSERT
    expect([none.status, wrong.status, wrongStart.status, sse.status]).toEqual([401, 401, 401, 401]);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(right.status).toBe(200);
    expect(started.status).toBe(202);
    expect((await securedHistory.list({ flowId: 'greet' })).length).toBeLessThanOrEqual(1);
  });

  it('still answers the webhooks with their own secrets, and the status to this machine', async () => {
    // ACT
    const hook = await fetch(`${secured.url}/hooks/hook`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    const status = await fetch(`${secured.url}/_weft/status`);
    // ASSERT
    expect(hook.status).toBe(202);
    expect(status.status).toBe(200);
  });
});

describe('bounded concurrency and backlog', () => {
  let bounded: LiveServer;
  let boundedHistory: HistoryStore;

  beforeAll(async () => {
    boundedHistory = HistoryStore.open({ dir: join(workspace.dir, '.weft-bounded') });
    bounded = await startLiveServer({ dir: join(workspace.dir, 'flows'), port: 0, history: boundedHistory, concurrency: 1, backlog: 1, rateLimit: 0, resumeInterrupted: false });
  });

  afterAll(async () => {
    await bounded?.close({ graceMs: 1000, inFlight: 'cancel' });
    await boundedHistory?.close();
  });

  it('holds one run in the backlog and answers 503 with Retry-After past it, to webhooks and the run API', async () => {
    // ARRANGE: one run takes the only slot; the next one waits in the backlog
    const running = await api(bounded.url, '/_weft/runs', { body: { flow: 'sleepy', input: {} } });
    expect(running.status).toBe(202);
    const waiting = api(bounded.url, '/_weft/runs', { body: { flow: 'sleepy', input: {} } });
    await waitFor('a run in the backlog', async () => (bounded.status().slots.queued === 1 ? true : undefined));
    // ACT
    const refused = await api(bounded.url, '/_weft/runs', { body: { flow: 'greet', input: { name: 'x' } } });
    const hook = await fetch(`${bounded.url}/hooks/hook`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    // ASSERT
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(refused.json.error.code).toBe('busy');
    expect(hook.status).toBe(503);
    expect(hook.headers.get('retry-after')).toBe('1');
    expect(bounded.status().slots).toMatchObject({ running: 1, queued: 1, concurrency: 1, backlog: 1 });
    // ACT: the slot frees up, the waiting run starts and its request is answered
    expect((await api(bounded.url, `/_weft/runs/${running.json.executionId}/cancel`, { method: 'POST' })).status).toBe(202);
    const second = await waiting;
    // ASSERT
    expect(second.status).toBe(202);
    expect((await recordOf(bounded.url, second.json.executionId)).status).toBe('running');
    expect((await api(bounded.url, `/_weft/runs/${second.json.executionId}/cancel`, { method: 'POST' })).status).toBe(202);
    const accepted = await api(bounded.url, '/_weft/runs', { body: { flow: 'greet', input: { name: 'x' } } });
    expect(accepted.status).toBe(202);
  });
});

describe('weft serve (the command) with the run API', () => {
  it('reads the token from WEFT_API_TOKEN, takes --concurrency and --backlog, and refuses bad values', async () => {
    // ARRANGE
    assertCliBuilt();
    const cli = startCli(['serve', 'flows', '--port', '0', '--concurrency', '2', '--backlog', '3', '--history', '.weft-cli'], { cwd: workspace.dir, env: { WEFT_API_TOKEN: 'cli-token' }, timeoutMs: 30_000 });
    try {
      const url = await waitFor('weft serve to print its URL', async () => /on (http:\/\/127\.0\.0\.1:\d+)/.exec(cli.stdout())?.[1]);
      // ACT
      const without = await api(url, '/_weft/runs');
      const started = await api(url, '/_weft/runs', { body: { flow: 'greet', input: { name: 'cli' } }, token: 'cli-token' });
      const status = await api(url, '/_weft/status');
      // ASSERT
      expect(without.status).toBe(401);
      expect(started.status).toBe(202);
      expect(status.json.slots).toMatchObject({ concurrency: 2, backlog: 3 });
      expect(cli.stdout()).toContain('/_weft/runs');
    } finally {
      cli.child.kill('SIGTERM');
      await cli.result;
    }
    const bad = await startCli(['serve', 'flows', '--port', '0', '--concurrency', '0'], { cwd: workspace.dir }).result;
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--concurrency must be');
  }, 60_000);
});
