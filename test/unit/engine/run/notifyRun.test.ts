import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import { HistoryStore } from '../../../../src/engine/history/historyStore';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import type { NotifyOutcome } from '../../../../src/engine/run/notifyRun';

const scratch = mkdtempSync(join(tmpdir(), 'weft-notify-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server;
let url: string;
let received: Received[];
let answer = 204;

beforeEach(async () => {
  received = [];
  answer = 204;
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString('utf8') });
      response.writeHead(answer).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/alerts`;
});
afterEach(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function flowFile(name: string, notify: object, failing = true): string {
  const file = join(scratch, name);
  const nodes = failing
    ? [{ id: 'charge', type: 'fail', config: { message: 'card declined' } }]
    : [{ id: 'charge', type: 'transform', config: { output: { ok: true } } }];
  writeFileSync(file, JSON.stringify({ version: 1, id: name.replace('.flow.json', ''), settings: { notify }, nodes }));
  return file;
}

describe('settings.notify', () => {
  it('posts a JSON summary of a failed run, signed with the secret, to a real server', async () => {
    // ARRANGE
    const file = flowFile('billing.flow.json', { on: 'failure', url: 'PLACEHOLDER', secret: '{{secrets.ALERT_KEY}}' });
    writeFileSync(file, (await import('node:fs')).readFileSync(file, 'utf8').replace('PLACEHOLDER', url));
    const outcomes: NotifyOutcome[] = [];

    // ACT
    const record = await runFlow(file, { history: false, secrets: { ALERT_KEY: 's3cret-value' }, onNotified: (o) => outcomes.push(o) });

    // ASSERT
    expect(record.status).toBe('failed');
    expect(received).toHaveLength(1);
    const [post] = received;
    const expected = `sha256=${createHmac('sha256', 's3cret-value').update(post.body).digest('hex')}`;
    expect(post.headers['x-weft-signature-256']).toBe(expected);
    expect(post.headers['content-type']).toBe('application/json');
    expect(JSON.parse(post.body)).toMatchObject({
      event: 'run.failed',
      executionId: record.id,
      flowId: 'billing',
      status: 'failed',
      error: { message: expect.stringContaining('card declined'), nodeId: 'charge' },
      failedNodes: ['charge'],
    });
    expect(post.body).not.toContain('s3cret-value');
    expect(outcomes).toEqual([{ posted: { status: 204 }, errors: [] }]);
  });

  it('posts nothing for a completed run when it asks for failures only, and posts it with on: completion', async () => {
    const quiet = flowFile('quiet.flow.json', { on: 'failure', url: 'http://127.0.0.1:9/never' }, false);
    expect((await runFlow(quiet, { history: false })).status).toBe('completed');
    expect(received).toHaveLength(0);

    const loud = join(scratch, 'loud.flow.json');
    writeFileSync(loud, JSON.stringify({ version: 1, id: 'loud', settings: { notify: { on: 'completion', url } }, nodes: [{ id: 'a', type: 'transform', config: { output: 1 } }] }));
    await runFlow(loud, { history: false });
    expect(received).toHaveLength(1);
    expect(received[0].headers['x-weft-signature-256']).toBeUndefined();
    expect(JSON.parse(received[0].body)).toMatchObject({ event: 'run.completed', flowId: 'loud' });
  });

  it('says when the receiver refuses, and never puts the secret in the outcome', async () => {
    answer = 500;
    const file = join(scratch, 'refused.flow.json');
    writeFileSync(file, JSON.stringify({ version: 1, id: 'refused', settings: { notify: { on: 'always', url, secret: '{{secrets.K}}' } }, nodes: [{ id: 'a', type: 'transform', config: { output: 1 } }] }));
    const outcomes: NotifyOutcome[] = [];
    await runFlow(file, { history: false, secrets: { K: 'top-secret' }, onNotified: (o) => outcomes.push(o) });
    expect(outcomes[0].errors).toEqual([`POST ${url} answered 500`]);
    expect(JSON.stringify(outcomes)).not.toContain('top-secret');
  });

  it('runs the notify subflow with the summary as its input, recorded as a child run', async () => {
    // ARRANGE: the subflow posts what it got, so the test sees its input
    const alert = join(scratch, 'alert.flow.json');
    writeFileSync(
      alert,
      JSON.stringify({ version: 1, id: 'alert', nodes: [{ id: 'post', type: 'http', config: { url, method: 'POST', body: { text: 'Run {{ input.executionId }} of {{ input.flowId }}: {{ input.status }}' } } }] }),
    );
    const file = flowFile('orders.flow.json', { on: 'failure', subflow: './alert.flow.json' });
    const dir = mkdtempSync(join(scratch, 'history-'));
    const history = HistoryStore.open({ dir });

    // ACT
    const record = await runFlow(file, { history });
    await history.flush();

    // ASSERT
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0].body)).toEqual({ text: `Run ${record.id} of orders: failed` });
    const runs = await history.list();
    const child = runs.find((r) => r.flowId === 'alert');
    expect(child).toMatchObject({ parentExecutionId: record.id, triggerType: 'notify', status: 'completed' });
    await history.close();
  });

  it('is checked by the compiler: a target is needed, the URL is http(s), and a secret needs a URL', () => {
    const codes = (notify: object) =>
      compileFlow({ version: 1, id: 'x', settings: { notify }, nodes: [{ id: 'a', type: 'transform', config: { output: 1 } }] }).diagnostics.map((d) => [d.code, d.message]);
    expect(codes({ on: 'failure' })).toEqual([['invalid-notify', 'settings.notify needs a "url" to post the run summary to, or a "subflow" to run with it.']]);
    expect(codes({ on: 'failure', url: 'ftp://example.test/x' })).toEqual([['invalid-notify', 'settings.notify.url "ftp://example.test/x" is not an http or https URL.']]);
    expect(codes({ on: 'failure', subflow: './a.flow.json', secret: '{{secrets.K}}' })[0][0]).toBe('invalid-notify');
    expect(codes({ on: 'sometimes', url: 'https://example.test' })[0][0]).toBe('invalid-schema');
    expect(compileFlow({ version: 1, id: 'x', settings: { notify: { on: 'always', url: 'https://example.test', secret: '{{secrets.HOOK_KEY}}' } }, nodes: [{ id: 'a', type: 'transform', config: { output: 1 } }] }).flow?.secretNames).toContain('HOOK_KEY');
  });
});
