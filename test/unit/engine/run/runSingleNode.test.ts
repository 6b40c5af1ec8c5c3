// Test this node: one node run alone with the engine's semantics (templates against the given scope, retries,
// per-attempt timeout, mocks of the http and ai calls), its output, logs and error given back.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineNodeType } from '../../../../src/engine/nodes/nodeType';
import { WeftError } from '../../../../src/engine/errors';
import type { NodeServices } from '../../../../src/engine/nodes/nodeType';
import type { EngineEvent } from '../../../../src/engine/run/events';
import { runSingleNode } from '../../../../src/engine/run/runSingleNode';
import { singleNodeScopeFromRun } from '../../../../src/engine/run/singleNodeScope';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import { compileOrThrow, flowOf, transform } from '../../../support/runHelpers';

const noNetwork: typeof fetch = () => Promise.reject(new Error('no network in this test'));
const services: Omit<NodeServices, 'runGraph'> = {
  fetch: noNetwork,
  runCode: () => Promise.reject(new Error('no sandbox in this test')),
  runSubflow: () => Promise.reject(new Error('no subflows in this test')),
};

/** Fails its first `failures` attempts operationally, then outputs the attempt number. */
function flakyType(failures: number) {
  return defineNodeType<Record<string, never>>({
    type: 'test.flaky',
    title: 'Flaky',
    description: 'fails, then succeeds',
    configSchema: z.object({}).strict(),
    ports: ['out'],
    run: (ctx) => {
      ctx.log('info', `attempt ${ctx.attempt}`);
      if (ctx.attempt <= failures) throw new WeftError('network', `down at attempt ${ctx.attempt}`, { kind: 'operational' });
      return { output: { attempt: ctx.attempt } };
    },
  });
}

/** Waits until its signal aborts (a call that never answers). */
const hangType = defineNodeType<Record<string, never>>({
  type: 'test.hang',
  title: 'Hang',
  description: 'never answers',
  configSchema: z.object({}).strict(),
  ports: ['out'],
  run: (ctx) =>
    new Promise((_, reject) => {
      if (ctx.signal.aborted) reject(ctx.signal.reason as Error);
      ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason as Error), { once: true });
    }),
});

describe('runSingleNode', () => {
  it('resolves the node config templates against the given input, trigger and upstream outputs', async () => {
    // trigger -> lookup -> greet
    const flow = compileOrThrow(
      flowOf(
        [transform('lookup', { city: 'Lyon', name: 'Eve' }), transform('greet', '{{ "Hello " + input.name + " from " + nodes.lookup.city + " for " + trigger.who }}')],
        [{ from: 'lookup', to: 'greet' }],
      ),
    );

    const result = await runSingleNode(flow, {
      nodeId: 'greet',
      input: { name: 'Ada' },
      trigger: { who: 'Bob' },
      nodes: { lookup: { city: 'Paris' } },
      services,
    });

    expect(result).toMatchObject({ nodeId: 'greet', status: 'completed', output: 'Hello Ada from Paris for Bob', attempts: 1 });
    expect(result.error).toBeUndefined();
  });

  it('retries an operational failure as the node says, keeping each attempt’s logs', async () => {
    const flow = compileOrThrow(flowOf([{ id: 'flaky', type: 'test.flaky', config: {}, retry: { maxAttempts: 3, delayMs: 1 } }]), [flakyType(2)]);
    const events: EngineEvent[] = [];

    const result = await runSingleNode(flow, { nodeId: 'flaky', input: {}, services, onEvent: (e) => events.push(e) });

    expect(result.status).toBe('completed');
    expect(result.output).toEqual({ attempt: 3 });
    expect(result.attempts).toBe(3);
    expect(result.logs.map((l) => l.message)).toEqual(['attempt 1', 'attempt 2', 'attempt 3']);
    expect(events.filter((e) => e.type === 'node.retrying').length).toBe(2);
  });

  it('fails with the last error once the retries are spent', async () => {
    const flow = compileOrThrow(flowOf([{ id: 'flaky', type: 'test.flaky', config: {}, retry: { maxAttempts: 2, delayMs: 1 } }]), [flakyType(5)]);

    const result = await runSingleNode(flow, { nodeId: 'flaky', input: {}, services });

    expect(result.status).toBe('failed');
    expect(result.attempts).toBe(2);
    expect(result.error).toMatchObject({ code: 'network', message: 'down at attempt 2', nodeId: 'flaky' });
  });

  it('stops an attempt at the node timeout', async () => {
    const flow = compileOrThrow(flowOf([{ id: 'slow', type: 'test.hang', config: {}, timeoutMs: 20 }]), [hangType]);

    const result = await runSingleNode(flow, { nodeId: 'slow', input: {}, services });

    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'timeout', message: "Node 'slow' timed out after 20 ms" });
  });

  it('is cancelled by its signal', async () => {
    const flow = compileOrThrow(flowOf([{ id: 'slow', type: 'test.hang', config: {} }]), [hangType]);
    const controller = new AbortController();

    const pending = runSingleNode(flow, { nodeId: 'slow', input: {}, services, signal: controller.signal, onEvent: (e) => e.type === 'node.started' && controller.abort() });

    await expect(pending).resolves.toMatchObject({ status: 'cancelled', error: { code: 'cancelled' } });
  });

  it('answers an http node from the http mock: the node builds its request and parses the answer', async () => {
    const flow = compileOrThrow(flowOf([{ id: 'rates', type: 'http', config: { url: '{{ trigger.url }}', query: { base: '{{ input.base }}' } } }]));
    const requested: string[] = [];
    const spy: typeof fetch = (resource) => {
      requested.push(String(resource));
      return Promise.reject(new Error('unreachable'));
    };

    const result = await runSingleNode(flow, {
      nodeId: 'rates',
      input: { base: 'EUR' },
      trigger: { url: 'https://rates.example.test/latest' },
      mocks: { http: { status: 200, body: { rates: { USD: 1.08 } } } },
      services: { ...services, fetch: spy },
    });

    expect(requested).toEqual([]);
    expect(result.status).toBe('completed');
    expect(result.output).toMatchObject({ status: 200, body: { rates: { USD: 1.08 } } });
  });

  it('fails an http node on a mocked error status as the engine would', async () => {
    const flow = compileOrThrow(flowOf([{ id: 'rates', type: 'http', config: { url: 'https://rates.example.test/latest' } }]));

    const result = await runSingleNode(flow, { nodeId: 'rates', input: {}, mocks: { http: { status: 404, body: 'nope' } }, services });

    expect(result.status).toBe('failed');
    expect(result.error?.code).toBe('http-status');
  });

  it('answers an ai node from the ai mock, streamed or not', async () => {
    const flow = compileOrThrow(
      flowOf([
        { id: 'streamed', type: 'ai', config: { model: 'gpt-test', prompt: 'Summarise {{ input.text }}' } },
        { id: 'whole', type: 'ai', config: { model: 'gpt-test', prompt: 'Summarise {{ input.text }}', stream: false } },
      ]),
    );
    const secrets = { OPENAI_API_KEY: 'sk-test' };

    const streamed = await runSingleNode(flow, { nodeId: 'streamed', input: { text: 'a' }, mocks: { ai: { text: 'short' } }, secrets, services });
    const whole = await runSingleNode(flow, { nodeId: 'whole', input: { text: 'a' }, mocks: { ai: { text: 'short' } }, secrets, services });

    expect(streamed).toMatchObject({ status: 'completed', output: { text: 'short' } });
    expect(whole).toMatchObject({ status: 'completed', output: { text: 'short' } });
  });

  it('reports a template error with its code and the node', async () => {
    const flow = compileOrThrow(flowOf([transform('calc', '{{ input.total.amount * 2 }}')]));

    const result = await runSingleNode(flow, { nodeId: 'calc', input: { total: null }, services });

    expect(result.status).toBe('failed');
    expect(result.error).toMatchObject({ code: 'expression-error', nodeId: 'calc' });
  });

  it('refuses a node the flow does not have', async () => {
    const flow = compileOrThrow(flowOf([transform('a', 1)]));

    await expect(runSingleNode(flow, { nodeId: 'nope', input: {}, services })).rejects.toMatchObject({ code: 'not-found' });
  });
});

describe('singleNodeScopeFromRun', () => {
  it('takes the node’s input, the run’s input and the outputs of the other completed nodes', () => {
    const record = {
      id: 'r1', flowId: 'f', flowHash: 'h', status: 'completed', mode: 'run', trigger: { type: 'manual' }, input: { amount: 10 }, startedAt: '2026-01-01T00:00:00.000Z',
      nodes: {
        rates: { status: 'completed', attempts: 1, output: { body: { USD: 1.1 } } },
        convert: { status: 'completed', attempts: 1, input: { body: { USD: 1.1 } }, output: { converted: 11 } },
        unavailable: { status: 'skipped', attempts: 0 },
      },
    } as RunRecord;

    expect(singleNodeScopeFromRun(record, 'convert')).toEqual({ input: { body: { USD: 1.1 } }, trigger: { amount: 10 }, nodes: { rates: { body: { USD: 1.1 } } } });
    expect(singleNodeScopeFromRun(record, 'unavailable').input).toEqual({ amount: 10 });
    expect(() => singleNodeScopeFromRun(record, 'nope')).toThrow(/no node 'nope'/);
  });
});
