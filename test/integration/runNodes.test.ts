// `weft run` of the sample flows whose nodes reach out: http with retries, subflows, and the ai node against a
// fake OpenAI-compatible server. All servers are real, on 127.0.0.1.

import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sendJson, startLocalServer, type LocalServer } from '../support/localServer';
import { assertCliBuilt, copyInto, filesContaining, makeWorkspace, parseJsonOutput, runCli, SAMPLES_DIR } from './runCli';

interface NodeJson {
  status: string;
  attempts: number;
  errorHandled?: boolean;
  output?: unknown;
}

interface RunRecordJson {
  id: string;
  flowId: string;
  status: string;
  output?: Record<string, unknown>;
  parentExecutionId?: string;
  nodes: Record<string, NodeJson>;
}

interface SummaryJson {
  id: string;
  flowId: string;
  status: string;
  parentExecutionId?: string;
}

let dir: string;
let remove: () => Promise<void>;
const servers: LocalServer[] = [];

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('nodes'));
  await copyInto(dir, SAMPLES_DIR, ['flaky-endpoint.flow.json', 'notify-customer.flow.json', 'flows', 'triage-ticket.flow.json']);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

afterAll(async () => {
  await remove?.();
});

async function serve(handler: Parameters<typeof startLocalServer>[0]): Promise<LocalServer> {
  const server = await startLocalServer(handler);
  servers.push(server);
  return server;
}

describe('weft run: http retries (samples/flaky-endpoint)', () => {
  it('retries a 503 twice, then converts with the rate of the third answer', async () => {
    // ARRANGE
    let answered = 0;
    const server = await serve((_request, response) => {
      answered += 1;
      if (answered <= 2) sendJson(response, 503, { error: 'busy' });
      else sendJson(response, 200, { base: 'EUR', rates: { USD: 1.1 } });
    });
    const input = JSON.stringify({ amount: 10, currency: 'USD', ratesUrl: `${server.url}/latest` });

    // ACT
    const run = await runCli(['run', 'flaky-endpoint.flow.json', '--json', '--input', input], { cwd: dir });

    // ASSERT
    expect(run.code, run.stderr).toBe(0);
    const record = parseJsonOutput<RunRecordJson>(run);
    expect(record.status).toBe('completed');
    expect(record.output).toEqual({ amount: 10, currency: 'USD', converted: 11 });
    expect(record.nodes.rates).toMatchObject({ status: 'completed', attempts: 3 });
    expect(record.nodes.unavailable.status).toBe('skipped');
    expect(server.requests).toHaveLength(3);
    for (const request of server.requests) {
      expect(request.path).toBe('/latest');
      expect(Object.fromEntries(request.query)).toEqual({ base: 'EUR', symbols: 'USD' });
    }
  });

  it('takes the error path after the last attempt when the service stays down, and the run completes', async () => {
    // ARRANGE
    const server = await serve((_request, response) => sendJson(response, 503, { error: 'down' }));
    const input = JSON.stringify({ amount: 10, currency: 'USD', ratesUrl: `${server.url}/latest` });

    // ACT
    const run = await runCli(['run', 'flaky-endpoint.flow.json', '--json', '--input', input], { cwd: dir });

    // ASSERT
    expect(run.code, run.stderr).toBe(0);
    const record = parseJsonOutput<RunRecordJson>(run);
    expect(record.status).toBe('completed');
    expect(record.output?.amount).toBe(10);
    expect(String(record.output?.error)).toMatch(/^rates unavailable: .*503/);
    expect(record.nodes.rates).toMatchObject({ status: 'failed', errorHandled: true, attempts: 4 });
    expect(record.nodes.convert.status).toBe('skipped');
    expect(server.requests).toHaveLength(4);
  });
});

describe('weft run: subflow (samples/notify-customer)', () => {
  it('runs the child flow and records it with the parent run as parentExecutionId', async () => {
    // ARRANGE
    const input = JSON.stringify({ customer: { name: 'Lena', channel: 'email', locale: 'de' }, event: 'booking' });

    // ACT
    const run = await runCli(['run', 'notify-customer.flow.json', '--json', '--input', input], { cwd: dir });
    const history = await runCli(['history', '--json'], { cwd: dir });

    // ASSERT
    expect(run.code, run.stderr).toBe(0);
    const parent = parseJsonOutput<RunRecordJson>(run);
    expect(parent.output).toEqual({ channel: 'email', subject: 'BOOKING', body: 'Hallo Lena, your booking is confirmed.' });
    const runs = parseJsonOutput<SummaryJson[]>(history).filter((r) => r.flowId === 'notify-customer' || r.flowId === 'format-message');
    expect(runs).toHaveLength(2);
    const child = runs.find((r) => r.flowId === 'format-message');
    expect(child).toBeDefined();
    expect(runs.find((r) => r.flowId === 'notify-customer')?.id).toBe(parent.id);

    const show = await runCli(['show', child!.id, '--json'], { cwd: dir });
    const childRecord = parseJsonOutput<RunRecordJson>(show);
    expect(childRecord).toMatchObject({
      flowId: 'format-message',
      status: 'completed',
      parentExecutionId: parent.id,
      output: { subject: 'BOOKING', body: 'Hallo Lena, your booking is confirmed.' },
    });
  });
});

describe('weft run: ai node (samples/triage-ticket) against a fake OpenAI-compatible server', () => {
  it('sends the chat completion with the key and a json_schema response format, routes on the answer, and records no key', async () => {
    // ARRANGE
    const apiKey = 'sk-test-123';
    const server = await serve((_request, response) =>
      sendJson(response, 200, {
        id: 'chatcmpl-1',
        object: 'chat.completion',
        created: 1_700_000_000,
        model: 'gpt-4o-mini',
        choices: [
          { index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"category":"billing","urgent":false}' } },
        ],
        usage: { prompt_tokens: 58, completion_tokens: 9, total_tokens: 67 },
      }),
    );
    const input = JSON.stringify({ subject: 'Invoice address', body: 'Can you change the address on my invoice?' });

    // ACT
    const run = await runCli(['run', 'triage-ticket.flow.json', '--json', '--input', input], {
      cwd: dir,
      env: { WEFT_AI_BASE_URL: `${server.url}/v1`, OPENAI_API_KEY: apiKey },
    });

    // ASSERT: the request
    expect(run.code, run.stderr).toBe(0);
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.method).toBe('POST');
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${apiKey}`);
    const body = JSON.parse(request.body) as {
      model: string;
      messages: { role: string; content: string }[];
      response_format: { type: string; json_schema: { schema: unknown } };
    };
    expect(body.model).toBe('gpt-4o-mini');
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.schema).toMatchObject({
      type: 'object',
      required: ['category', 'urgent'],
      properties: { category: { enum: ['billing', 'bug', 'question'] } },
    });
    expect(body.messages.at(-1)).toEqual({
      role: 'user',
      content: 'Subject: Invoice address\n\nCan you change the address on my invoice?',
    });

    // ASSERT: the run
    const record = parseJsonOutput<RunRecordJson>(run);
    expect(record.status).toBe('completed');
    expect(record.output).toEqual({ action: 'queue', queue: 'billing' });
    expect(record.nodes.classify.output).toMatchObject({ json: { category: 'billing', urgent: false }, usage: { inputTokens: 58, outputTokens: 9 } });
    expect(run.stdout + run.stderr).not.toContain(apiKey);
    expect(await filesContaining(join(dir, '.weft'), apiKey)).toEqual([]);
  });
});
