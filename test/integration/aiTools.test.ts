// The ai node's tools against the fake OpenAI-compatible server on 127.0.0.1: a tool call runs the subflow as a
// child run (parentExecutionId) and its result goes back to the model; arguments are checked against the
// subflow's inputs; maxToolCalls stops a model that keeps calling; streamed tool calls are assembled; the
// compiler finds a tool whose flow does not exist.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runFlow } from '../../src/api/runFlow';
import { loadFlow } from '../../src/api/loadFlow';
import { CircuitRegistry } from '../../src/engine/circuit/circuitRegistry';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { EngineEvent } from '../../src/engine/run/events';
import type { RunRecord } from '../../src/engine/run/runRecord';
import { answer, callTools, startFakeOpenAi } from '../support/fakeOpenAi';
import type { FakeOpenAi } from '../support/fakeOpenAi';

const API_KEY = 'sk-fake-77aa01';
let dir: string;
let fake: FakeOpenAi;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-ai-tools-'));
  fake = await startFakeOpenAi();
  // The tool: looks an order up; its inputs are the function's parameters.
  await writeFile(
    join(dir, 'lookup.flow.json'),
    JSON.stringify({
      version: 1,
      id: 'lookup-order',
      description: 'Finds an order by its id.',
      inputs: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'], additionalProperties: false },
      nodes: [{ id: 'find', type: 'transform', config: { output: { orderId: '{{ input.orderId }}', status: 'shipped' } } }],
    }),
  );
});

afterEach(async () => {
  await fake.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeMainFlow(config: Record<string, unknown> = {}): Promise<string> {
  const file = join(dir, 'support.flow.json');
  const flow = {
    version: 1,
    id: 'support',
    nodes: [
      {
        id: 'agent',
        type: 'ai',
        config: { baseUrl: fake.baseUrl, model: 'gpt-tools', prompt: 'Where is order {{ input.orderId }}?', tools: [{ flow: './lookup.flow.json' }], ...config },
      },
    ],
  };
  await writeFile(file, JSON.stringify(flow, null, 2));
  return file;
}

async function run(file: string): Promise<{ record: RunRecord; events: EngineEvent[] }> {
  const events: EngineEvent[] = [];
  const record = await runFlow(file, {
    input: { orderId: 'A-17' },
    history: join(dir, '.weft'),
    secrets: { OPENAI_API_KEY: API_KEY },
    onEvent: (event) => events.push(event),
    services: { circuits: new CircuitRegistry() },
  });
  return { record, events };
}

describe('ai node tools', () => {
  it.each([
    ['streamed', true],
    ['not streamed', false],
  ])('runs the subflow the model calls as a child run and sends its result back (%s)', async (_name, stream) => {
    // ARRANGE
    fake.script('gpt-tools', callTools({ id: 'call_a', name: 'lookup-order', arguments: { orderId: 'A-17' } }), answer('Order A-17 has shipped.'));
    const file = await writeMainFlow({ stream });

    // ACT
    const { record, events } = await run(file);

    // ASSERT
    expect(record.error).toBeUndefined();
    expect(record.status).toBe('completed');
    const output = record.nodes.agent.output as { text: string; toolCalls: { executionId: string }[]; usage: { inputTokens: number } };
    expect(output.text).toBe('Order A-17 has shipped.');
    expect(output.toolCalls).toEqual([
      expect.objectContaining({ id: 'call_a', name: 'lookup-order', flow: './lookup.flow.json', arguments: { orderId: 'A-17' }, output: { orderId: 'A-17', status: 'shipped' } }),
    ]);
    // Both turns' tokens are the node's usage.
    expect(output.usage.inputTokens).toBe(20);
    // The model was offered the subflow with its inputs as the parameters.
    expect(fake.requests[0].body.tools).toEqual([
      {
        type: 'function',
        function: {
          name: 'lookup-order',
          description: 'Finds an order by its id.',
          parameters: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'], additionalProperties: false },
        },
      },
    ]);
    // The second turn carries the assistant's call and the tool's result.
    const messages = fake.requests[1].body.messages as Record<string, unknown>[];
    expect(messages.slice(-2)).toEqual([
      { role: 'assistant', content: null, tool_calls: [{ id: 'call_a', type: 'function', function: { name: 'lookup-order', arguments: '{"orderId":"A-17"}' } }] },
      { role: 'tool', tool_call_id: 'call_a', content: '{"orderId":"A-17","status":"shipped"}' },
    ]);
    // The child run is recorded with the parent's id.
    const history = HistoryStore.open({ dir: join(dir, '.weft') });
    const child = await history.get(output.toolCalls[0].executionId);
    expect(child).toMatchObject({ flowId: 'lookup-order', parentExecutionId: record.id, status: 'completed' });
    // The events show the call starting and completing, with its arguments and result.
    const calls = events.flatMap((event) => (event.type === 'node.progress' && event.toolCall ? [event.toolCall] : []));
    expect(calls.map((call) => call.status)).toEqual(['started', 'completed']);
    expect(calls[1]).toMatchObject({ name: 'lookup-order', arguments: { orderId: 'A-17' }, output: { status: 'shipped' }, executionId: child!.id });
  });

  it("sends arguments that do not fit the subflow's inputs back to the model as the tool's error, without running it", async () => {
    // ARRANGE
    fake.script('gpt-tools', callTools({ name: 'lookup-order', arguments: { order: 17 } }), answer('I could not look it up.'));
    const file = await writeMainFlow();

    // ACT
    const { record } = await run(file);

    // ASSERT
    expect(record.status).toBe('completed');
    const call = (record.nodes.agent.output as { toolCalls: Record<string, unknown>[] }).toolCalls[0];
    expect(call.error).toMatch(/do not match the parameters/);
    expect(call.executionId).toBeUndefined();
    const toolMessage = (fake.requests[1].body.messages as Record<string, unknown>[]).at(-1)!;
    expect(toolMessage.role).toBe('tool');
    expect(JSON.parse(toolMessage.content as string).error).toMatch(/orderId/);
    const history = HistoryStore.open({ dir: join(dir, '.weft') });
    expect((await history.list()).map((run) => run.flowId)).toEqual(['support']);
  });

  it('fails with tool-call-limit when the model asks for more calls than maxToolCalls', async () => {
    // ARRANGE: a model that never stops calling.
    fake.script('gpt-tools', callTools({ name: 'lookup-order', arguments: { orderId: 'A-17' } }));
    const file = await writeMainFlow({ maxToolCalls: 2 });

    // ACT
    const { record } = await run(file);

    // ASSERT
    expect(record.status).toBe('failed');
    expect(record.nodes.agent.error).toMatchObject({ code: 'tool-call-limit' });
    expect(record.nodes.agent.error?.message).toMatch(/more than 2 tool calls/);
    expect(fake.requests).toHaveLength(3);
  });

  it('in a test run, the ai node’s mock stands in for the whole answer, tool calls included: no model, no subflow', async () => {
    // ARRANGE
    const file = await writeMainFlow();
    const mocked = { text: 'Shipped.', model: 'gpt-tools', usage: { inputTokens: 0, outputTokens: 0 }, toolCalls: [{ id: 'c1', name: 'lookup-order', flow: './lookup.flow.json', arguments: { orderId: 'A-17' }, output: { status: 'shipped' }, durationMs: 1 }] };

    // ACT
    const record = await runFlow(file, { input: { orderId: 'A-17' }, history: join(dir, '.weft'), mode: 'test', mocks: { agent: { output: mocked } } });

    // ASSERT
    expect(record.status).toBe('completed');
    expect(record.nodes.agent.output).toEqual(mocked);
    expect(fake.requests).toHaveLength(0);
    const history = HistoryStore.open({ dir: join(dir, '.weft') });
    expect((await history.list()).map((run) => run.flowId)).toEqual(['support']);
  });

  it('reports a tool whose flow file does not exist as unknown-tool-flow at its position', async () => {
    // ARRANGE
    const file = await writeMainFlow({ tools: [{ flow: './missing.flow.json' }] });

    // ACT
    const { diagnostics } = loadFlow(file);

    // ASSERT
    const problem = diagnostics.find((d) => d.code === 'unknown-tool-flow');
    expect(problem).toMatchObject({ severity: 'error', path: ['nodes', 0, 'config', 'tools', 0, 'flow'] });
    expect(problem?.range?.start.line).toBeGreaterThan(0);
  });
});
