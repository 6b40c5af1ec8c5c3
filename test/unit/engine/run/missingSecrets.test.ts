// A run that reads an unset secret fails before any node runs, naming every missing secret (issue 9, defect 4);
// the reads a run would not make (mocked, reused, disabled nodes, a webhook's secret, a fallback) do not count.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import { HistoryStore } from '../../../../src/engine/history/historyStore';
import { startLiveServer } from '../../../../src/live/liveServer';
import { flowOf, runDefinition, statuses, transform } from '../../../support/runHelpers';
import { sendJson, startLocalServer, type LocalServer } from '../../../support/localServer';

let server: LocalServer;

beforeAll(async () => {
  server = await startLocalServer((_request, response) => sendJson(response, 200, { ok: true }));
});

afterAll(async () => {
  await server?.close();
});

afterEach(() => {
  server.requests.length = 0;
});

/** shape -> call: `shape` builds a header from TOKEN, `call` sends it with API_KEY in its query. */
function callingFlow(): object {
  return flowOf(
    [
      transform('shape', { auth: 'Bearer {{ secrets.TOKEN }}' }),
      { id: 'call', type: 'http', config: { url: `${server.url}/hook`, headers: { Authorization: '{{ input.auth }}' }, query: { key: '{{ secrets.API_KEY }}' } } },
    ],
    [{ from: 'shape', to: 'call' }],
  );
}

describe('a run that reads an unset secret', () => {
  it('fails before any node runs, naming every missing secret and who reads it, and sends no request', async () => {
    // ACT
    const { record, events } = await runDefinition(callingFlow(), { secrets: {} });

    // ASSERT
    expect(record.status).toBe('failed');
    expect(record.error).toMatchObject({ code: 'missing-secret' });
    expect(record.error?.message).toContain("'TOKEN' (read by 'shape')");
    expect(record.error?.message).toContain("'API_KEY' (read by 'call')");
    expect(statuses(record)).toEqual({ shape: 'pending', call: 'pending' });
    expect(events.map((e) => e.type)).toEqual(['execution.started', 'execution.failed']);
    expect(server.requests).toHaveLength(0);
  });

  it('counts an empty value as not set', async () => {
    const { record } = await runDefinition(callingFlow(), { secrets: { TOKEN: 'abc', API_KEY: '' } });
    expect(record.error?.code).toBe('missing-secret');
    expect(record.error?.message).toMatch(/^Secret 'API_KEY' \(read by 'call'\) is not set/);
    expect(server.requests).toHaveLength(0);
  });

  it('runs when every secret is set, and the request carries them', async () => {
    const { record } = await runDefinition(callingFlow(), { secrets: { TOKEN: 'tok-123456', API_KEY: 'key-654321' } });
    expect(record.status).toBe('completed');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0].headers.authorization).toBe('Bearer tok-123456');
    expect(server.requests[0].query.get('key')).toBe('key-654321');
  });

  it('is read from the environment by default, also by a subflow for the secrets only it reads', async () => {
    // ARRANGE: parent (reads nothing) -> child (reads WEFT_TEST_CHILD_TOKEN)
    const dir = await mkdtemp(join(tmpdir(), 'weft-secrets-'));
    await writeFile(join(dir, 'child.flow.json'), JSON.stringify(flowOf([transform('check', "{{ secrets.WEFT_TEST_CHILD_TOKEN == 'child-secret' }}")], [], { id: 'child' })));
    await writeFile(join(dir, 'parent.flow.json'), JSON.stringify(flowOf([{ id: 'sub', type: 'subflow', config: { flow: './child.flow.json', input: {} } }], [], { id: 'parent' })));
    try {
      // ACT
      const unset = await runFlow(join(dir, 'parent.flow.json'), { history: false });
      process.env.WEFT_TEST_CHILD_TOKEN = 'child-secret';
      const set = await runFlow(join(dir, 'parent.flow.json'), { history: false });

      // ASSERT
      expect(unset.status).toBe('failed');
      expect(unset.nodes.sub.error?.message).toContain("Secret 'WEFT_TEST_CHILD_TOKEN' (read by 'check') is not set");
      expect(set.status).toBe('completed');
      expect(set.output).toBe(true);
    } finally {
      delete process.env.WEFT_TEST_CHILD_TOKEN;
      await rm(dir, { recursive: true, force: true });
    }
  });
  it('in weft serve, answers a respond: result webhook with the missing-secret error and records the failed run', async () => {
    // ARRANGE: a served flow whose webhook has no secret, whose node reads TOKEN
    const dir = await mkdtemp(join(tmpdir(), 'weft-secrets-serve-'));
    const flow = flowOf([transform('use', 'Bearer {{ secrets.TOKEN }}')], [], { id: 'served', triggers: [{ type: 'webhook', respond: 'result' }] });
    await writeFile(join(dir, 'served.flow.json'), JSON.stringify(flow));
    const history = HistoryStore.open({ dir: join(dir, '.weft') });
    const live = await startLiveServer({ dir, port: 0, history, secrets: {}, resumeInterrupted: false, catchUpMissed: false });
    try {
      // ACT
      const response = await fetch(`${live.url}/hooks/served`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      const body = (await response.json()) as { executionId: string; error: { code: string; message: string } };

      // ASSERT
      expect(response.status).toBe(500);
      expect(body.error).toMatchObject({ code: 'missing-secret' });
      expect(body.error.message).toContain("Secret 'TOKEN' (read by 'use') is not set");
      const record = await history.get(body.executionId);
      expect(record?.status).toBe('failed');
      expect(record?.nodes.use.status).toBe('pending');
    } finally {
      await live.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('reads a run does not make', () => {
  it('a test run whose reading nodes are mocked does not need the secrets', async () => {
    const { record } = await runDefinition(callingFlow(), {
      mode: 'test',
      mocks: { shape: { output: { auth: 'Bearer mocked' } }, call: { output: { status: 200, body: {} } } },
    });
    expect(record.status).toBe('completed');
  });

  it('a test run fails on an unmocked node that reads an unset secret, and an unmocked http node fails as unmocked', async () => {
    const unmockedTransform = await runDefinition(callingFlow(), { mode: 'test', mocks: { call: { output: { status: 200, body: {} } } } });
    expect(unmockedTransform.record.error?.code).toBe('missing-secret');
    expect(unmockedTransform.record.error?.message).toContain("'TOKEN'");
    expect(unmockedTransform.record.error?.message).not.toContain('API_KEY');

    const unmockedHttp = await runDefinition(callingFlow(), { mode: 'test', mocks: { shape: { output: { auth: 'x' } } } });
    expect(unmockedHttp.record.error?.code).toBe('unmocked-side-effect');
    expect(server.requests).toHaveLength(0);
  });

  it('a mocked loop does not need the secrets of its body', async () => {
    const loop = {
      id: 'each',
      type: 'loop',
      config: { items: '{{ [1, 2] }}', body: { nodes: [transform('inner', '{{ secrets.INNER }}')], edges: [] } },
    };
    const mocked = await runDefinition(flowOf([loop]), { mode: 'test', mocks: { each: { output: [] } } });
    const unmocked = await runDefinition(flowOf([loop]), { mode: 'test' });
    expect(mocked.record.status).toBe('completed');
    expect(unmocked.record.error?.message).toContain("Secret 'INNER' (read by 'inner')");
  });

  it('a disabled node, a webhook trigger secret and a read with a fallback need nothing', async () => {
    const definition = flowOf(
      [
        transform('off', '{{ secrets.DISABLED_ONE }}', { disabled: true }),
        { id: 'call', type: 'http', config: { url: `${server.url}/optional`, headers: { Authorization: '{{ secrets.OPTIONAL ?? null }}' } } },
      ],
      [{ from: 'off', to: 'call' }],
      { triggers: [{ type: 'webhook', secret: '{{ secrets.HOOK_SECRET }}' }] },
    );
    const { record } = await runDefinition(definition, { secrets: {} });
    expect(record.status, record.error?.message).toBe('completed');
    expect(server.requests[0].headers.authorization).toBeUndefined();
  });
});
