// The run worker as the extension uses it: a real child process running real flows.

import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../src/engine/run/events';
import { RunWorkerClient, RunWorkerError } from '../../src/extension/runWorkerClient';
import { makeWorkspace, SAMPLES_DIR as SAMPLES } from './runCli';

const WORKER = join(__dirname, '../../dist/runWorker.js');

describe('run worker', () => {
  let client: RunWorkerClient;
  let dir: string;
  let remove: () => Promise<void>;

  beforeAll(async () => {
    if (!existsSync(WORKER)) throw new Error('dist/runWorker.js is missing: run `node esbuild.mjs` first');
    client = new RunWorkerClient(WORKER);
    ({ dir, remove } = await makeWorkspace('worker'));
  });
  afterAll(async () => {
    client.dispose();
    await remove();
  });

  it('runs a flow and streams its events in batches, in order', async () => {
    const batches: EngineEvent[][] = [];
    const { done } = client.run(
      { file: join(SAMPLES, 'order-intake.flow.json'), input: { orderId: 'W-1', total: 100 }, secrets: {}, historyDir: join(dir, '.weft') },
      (events) => batches.push(events),
    );
    const record = await done;
    expect(record.status).toBe('completed');
    expect(record.output).toMatchObject({ orderId: 'W-1', queue: 'auto', tax: 19 });
    const events = batches.flat();
    expect(events[0].type).toBe('execution.started');
    expect(events.at(-1)?.type).toBe('execution.completed');
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    // Batched: fewer messages than events.
    expect(batches.length).toBeLessThan(events.length);
  });

  it('tests one node alone in the worker: templates against the given scope, the http call mocked', async () => {
    const file = join(SAMPLES, 'flaky-endpoint.flow.json');
    const scope = { trigger: { amount: 10, currency: 'USD', ratesUrl: 'https://rates.example.test/latest' }, secrets: {} };
    const converted = await client.testNode({ file, nodeId: 'convert', input: { status: 200, body: { rates: { USD: 1.5 } } }, ...scope }).done;
    const rates = await client.testNode({ file, nodeId: 'rates', input: {}, mocks: { http: { status: 200, body: { rates: { USD: 1.2 } } } }, ...scope }).done;
    expect(converted).toMatchObject({ status: 'completed', output: { amount: 10, currency: 'USD', converted: 15 } });
    expect(rates).toMatchObject({ status: 'completed', output: { status: 200, body: { rates: { USD: 1.2 } } } });
  });

  it('runs unsaved editor text instead of the file on disk', async () => {
    const file = join(dir, 'edited.flow.json');
    writeFileSync(file, JSON.stringify({ version: 1, id: 'edited', nodes: [{ id: 'a', type: 'transform', config: { output: 'on disk' } }] }));
    const text = JSON.stringify({ version: 1, id: 'edited', nodes: [{ id: 'a', type: 'transform', config: { output: 'in the editor' } }] });
    const record = await client.run({ file, text, secrets: {} }, () => undefined).done;
    expect(record.output).toBe('in the editor');
  });

  it('rejects a flow that does not compile with its diagnostics', async () => {
    const file = join(dir, 'broken.flow.json');
    writeFileSync(file, '{ "version": 1, "id": "broken", "nodes": [{ "id": "a", "type": "nope" }] }');
    const error = await client.run({ file, secrets: {} }, () => undefined).done.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunWorkerError);
    expect((error as RunWorkerError).code).toBe('invalid-flow');
    expect((error as RunWorkerError).diagnostics?.length).toBeGreaterThan(0);
  });

  it('cancel stops a node spinning in a .flow.ts function (its process is ended), and the next run works', async () => {
    const file = join(dir, 'spin.flow.ts');
    writeFileSync(
      file,
      "import { flow } from 'weft';\nexport default flow({ version: 1, id: 'spin', nodes: [{ id: 'spin', type: 'code', config: { code: () => { for (;;) {} } } }] });\n",
    );
    const { requestId, done } = client.run({ file, secrets: {} }, () => undefined);
    const outcome = done.then(
      () => 'completed',
      (e: RunWorkerError) => e.code,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const stoppedInTime = await client.cancel(requestId);
    expect(stoppedInTime).toBe(false);
    expect(await outcome).toBe('cancelled');

    const next = await client.run({ file: join(SAMPLES, 'order-intake.flow.json'), input: { orderId: 'W-2', total: 900 }, secrets: {} }, () => undefined).done;
    expect(next.output).toMatchObject({ queue: 'manual-review' });
  });

  it('cancel of a cooperative run ends it as cancelled without killing the worker', async () => {
    const pid = client.pid;
    const { requestId, done } = client.run({ file: join(SAMPLES, 'follow-up.flow.json'), input: { email: 'a@b.test', delayMs: 30_000 }, secrets: {} }, () => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await client.cancel(requestId)).toBe(true);
    expect((await done).status).toBe('cancelled');
    expect(client.pid).toBe(pid);
  });

  it('runs a flow\'s tests and reports each', async () => {
    const results = await client.test({ file: join(SAMPLES, 'order-intake.flow.json') }).done;
    expect(results.map((r) => [r.name, r.passed])).toEqual([
      ['small German orders are taxed and queued automatically', true],
      ['French orders use the French rate', true],
      ['large orders go to manual review', true],
    ]);
  });

  it('compiles a .flow.ts in the worker, so its code never runs in the extension host', async () => {
    const compiled = await client.compile(join(SAMPLES, 'score-lead.flow.ts'));
    expect(compiled.flowId).toBe('score-lead');
    expect(compiled.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(compiled.testNames).toHaveLength(3);
    // The input form offers each test's input, .flow.ts tests included.
    expect(compiled.testInputs?.map((test) => test.name)).toEqual(compiled.testNames);
    expect(compiled.testInputs?.every((test) => test.input !== null && typeof test.input === 'object')).toBe(true);
  });
});
