// The ai node against a fake OpenAI-compatible server on 127.0.0.1 (test/support/fakeOpenAi.ts), through
// runFlow: streamed answers reach node.progress events in order, fallbacks are tried in order with their
// reasons recorded, 429s are retried as Retry-After asks, and circuits open, probe and close on a fake clock.

import { afterEach, describe, expect, it } from 'vitest';
import { runFlow } from '../../src/api/runFlow';
import { CircuitRegistry } from '../../src/engine/circuit/circuitRegistry';
import type { EngineEvent } from '../../src/engine/run/events';
import type { RunRecord } from '../../src/engine/run/runRecord';
import { answer, fail, hang, rateLimit, startFakeOpenAi } from '../support/fakeOpenAi';
import type { FakeOpenAi } from '../support/fakeOpenAi';
import { sendJson, startLocalServer } from '../support/localServer';
import type { LocalServer } from '../support/localServer';

const API_KEY = 'sk-fake-4c1d9e0b7a2f';

let fake: FakeOpenAi | undefined;
let other: LocalServer | undefined;

afterEach(async () => {
  await fake?.close();
  await other?.close();
  fake = other = undefined;
});

async function startFake(): Promise<FakeOpenAi> {
  fake = await startFakeOpenAi();
  return fake;
}

/** A clock the test moves by hand. */
function fakeClock(): { now: () => number; advance(ms: number): void } {
  let time = Date.parse('2026-03-01T12:00:00.000Z');
  return { now: () => time, advance: (ms) => (time += ms) };
}

/** A one-node flow: `ask`, an ai node with `config`. */
function aiFlow(config: Record<string, unknown>, node: Record<string, unknown> = {}): object {
  return { version: 1, id: 'ask-model', nodes: [{ id: 'ask', type: 'ai', config: { prompt: 'Triage: {{ input.text }}', ...config }, ...node }] };
}

async function run(
  flow: object,
  options: { circuits?: CircuitRegistry; mocks?: Record<string, { output: unknown }>; mode?: 'run' | 'test' } = {},
): Promise<{ record: RunRecord; events: EngineEvent[] }> {
  const events: EngineEvent[] = [];
  const record = await runFlow(flow, {
    input: { text: 'the printer is on fire' },
    history: false,
    secrets: { OPENAI_API_KEY: API_KEY },
    onEvent: (event) => events.push(event),
    services: { circuits: options.circuits ?? new CircuitRegistry() },
    mocks: options.mocks,
    mode: options.mode,
  });
  return { record, events };
}

function ofType<T extends EngineEvent['type']>(events: EngineEvent[], type: T): Extract<EngineEvent, { type: T }>[] {
  return events.filter((event): event is Extract<EngineEvent, { type: T }> => event.type === type);
}

describe('ai node streaming', () => {
  it('sends node.progress deltas in the order the server streamed them, reasoning apart, and records only the final text', async () => {
    // ARRANGE
    const api = await startFake();
    api.script('gpt-fast', answer('Urgent: fire', { chunks: ['Urg', 'ent', ': fi', 're'], reasoningChunks: ['Fire is ', 'dangerous.'] }));

    // ACT
    const { record, events } = await run(aiFlow({ baseUrl: api.baseUrl, model: 'gpt-fast' }));

    // ASSERT
    expect(record.status).toBe('completed');
    expect(api.requests[0].body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    // Deltas of one read of the body are joined, so how many events depends on the network: their text and
    // order do not. All the reasoning (streamed first) comes before the answer.
    const progress = ofType(events, 'node.progress');
    const channels = progress.map((event) => event.channel ?? 'answer');
    expect(channels).toEqual([...channels].sort((a, b) => (a === b ? 0 : a === 'reasoning' ? -1 : 1)));
    expect(progress.filter((event) => event.channel === 'reasoning').map((event) => event.delta).join('')).toBe('Fire is dangerous.');
    expect(progress.filter((event) => event.channel === undefined).map((event) => event.delta).join('')).toBe('Urgent: fire');
    const completed = ofType(events, 'node.completed')[0];
    expect(Math.max(...ofType(events, 'node.progress').map((event) => event.seq))).toBeLessThan(completed.seq);
    expect(record.nodes.ask.output).toEqual({ text: 'Urgent: fire', model: 'gpt-fast', usage: { inputTokens: 10, outputTokens: 5 } });
    expect(JSON.stringify(record)).not.toContain('dangerous');
  });

  it('with stream: false asks for one JSON answer and sends no progress', async () => {
    // ARRANGE
    const api = await startFake();
    api.script('gpt-fast', answer('Not urgent'));

    // ACT
    const { record, events } = await run(aiFlow({ baseUrl: api.baseUrl, model: 'gpt-fast', stream: false }));

    // ASSERT
    expect(record.nodes.ask.output).toMatchObject({ text: 'Not urgent' });
    expect(api.requests[0].body.stream).toBeUndefined();
    expect(ofType(events, 'node.progress')).toEqual([]);
  });

  it('in a test, a mock stands in for the streamed answer (no server is called)', async () => {
    // ARRANGE
    const api = await startFake();

    // ACT
    const { record, events } = await run(aiFlow({ baseUrl: api.baseUrl, model: 'gpt-fast' }), {
      mode: 'test',
      mocks: { ask: { output: { text: 'mocked', model: 'gpt-fast', usage: { inputTokens: 0, outputTokens: 0 } } } },
    });

    // ASSERT
    expect(record.status).toBe('completed');
    expect(record.nodes.ask.output).toMatchObject({ text: 'mocked' });
    expect(api.requests).toHaveLength(0);
    expect(ofType(events, 'node.progress')).toEqual([]);
  });

  it('never lets the API key reach a progress event or the record, even when the model streams it back', async () => {
    // ARRANGE
    const api = await startFake();
    api.script('gpt-fast', answer(`your key is ${API_KEY}`, { chunks: ['your key is ', API_KEY] }));

    // ACT
    const { record, events } = await run(aiFlow({ baseUrl: api.baseUrl, model: 'gpt-fast' }));

    // ASSERT
    expect(ofType(events, 'node.progress').map((event) => event.delta).join('')).toBe('your key is ***');
    expect(JSON.stringify(events)).not.toContain(API_KEY);
    expect(JSON.stringify(record)).not.toContain(API_KEY);
  });

  it('never lets the API key reach a progress event when it is streamed in two pieces', async () => {
    // ARRANGE
    const api = await startFake();
    api.script('gpt-fast', answer(`key: ${API_KEY}.`, { chunks: ['key: sk-fake', API_KEY.slice('sk-fake'.length), '.'] }));

    // ACT
    const { record, events } = await run(aiFlow({ baseUrl: api.baseUrl, model: 'gpt-fast' }));

    // ASSERT
    const deltas = ofType(events, 'node.progress').map((event) => event.delta);
    expect(deltas.join('')).toBe('key: ***.');
    expect(JSON.stringify(events)).not.toContain('sk-fake');
    expect(record.nodes.ask.output).toMatchObject({ text: 'key: ***.' });
  });
});

describe('ai node streaming, stopped', () => {
  it('times out a stream that stalls mid-answer, and sends no progress after the node failed', async () => {
    // ARRANGE: the role chunk and two answer chunks arrive, then nothing
    const api = await startFake();
    api.script('gpt-fast', answer('one two three', { chunks: ['one ', 'two ', 'three'], stallAfter: 3 }));

    // ACT
    const { record, events } = await run(aiFlow({ baseUrl: api.baseUrl, model: 'gpt-fast' }, { timeoutMs: 400 }));

    // ASSERT
    expect(record.nodes.ask.error?.code).toBe('timeout');
    const failed = ofType(events, 'node.failed')[0];
    const progress = ofType(events, 'node.progress');
    expect(progress.map((event) => event.delta).join('')).toBe('one two ');
    expect(progress.every((event) => event.seq < failed.seq)).toBe(true);
  });
});

describe('ai node fallbacks', () => {
  it('tries the fallbacks in order and records which answered and why the others did not', async () => {
    // ARRANGE: the primary fails with a 500, the first fallback never answers, the second answers
    const api = await startFake();
    api.script('primary', fail(500));
    api.script('second', hang());
    api.script('third', answer('from the third'));

    // ACT
    const { record, events } = await run(
      aiFlow({ baseUrl: api.baseUrl, model: 'primary', timeoutMs: 300, fallback: [{ model: 'second' }, { model: 'third' }] }),
    );

    // ASSERT
    expect(record.status).toBe('completed');
    expect(api.requests.map((request) => request.model)).toEqual(['primary', 'second', 'third']);
    const output = record.nodes.ask.output as { text: string; model: string; skipped: { model: string; code: string; reason: string }[] };
    expect(output.text).toBe('from the third');
    expect(output.model).toBe('third');
    expect(output.skipped.map(({ model, code }) => ({ model, code }))).toEqual([
      { model: 'primary', code: 'http-status' },
      { model: 'second', code: 'timeout' },
    ]);
    expect(output.skipped[0].reason).toContain('500');
    // A view showing the streamed answer learns when to start over with the next model.
    expect(ofType(events, 'node.progress').filter((event) => event.message !== undefined).map((event) => event.message)).toEqual([
      expect.stringMatching(/^primary did not answer .*; trying second\.$/),
      expect.stringMatching(/^second did not answer .*; trying third\.$/),
    ]);
    expect(record.nodes.ask.usage).toMatchObject({ model: 'third' });
  });

  it('does not fall back on a user error (a 400 would fail the same on every model)', async () => {
    // ARRANGE
    const api = await startFake();
    api.script('primary', fail(400, 'Invalid schema for response_format'));

    // ACT
    const { record } = await run(aiFlow({ baseUrl: api.baseUrl, model: 'primary', fallback: [{ model: 'second' }] }));

    // ASSERT
    expect(record.status).toBe('failed');
    expect(record.nodes.ask.error?.code).toBe('http-status');
    expect(api.requestsFor('second')).toHaveLength(0);
  });

  it('fails with every model and reason listed when none answers, without any API key in it', async () => {
    // ARRANGE: the second model's server echoes the key it was given
    const api = await startFake();
    api.script('primary', fail(503, 'overloaded'));
    api.script('second', fail(502, `bad gateway for key ${API_KEY}`));

    // ACT
    const { record, events } = await run(aiFlow({ baseUrl: api.baseUrl, model: 'primary', fallback: [{ model: 'second' }] }));

    // ASSERT
    expect(record.status).toBe('failed');
    expect(record.nodes.ask.error?.message).toMatch(/No model answered \(2 tried\): primary: .*503.*; second: .*502/);
    expect(JSON.stringify(record)).not.toContain(API_KEY);
    expect(JSON.stringify(events)).not.toContain(API_KEY);
  });

  it('gives the primary its retries on a 429, waiting as Retry-After asks, before the fallback', async () => {
    // ARRANGE
    const api = await startFake();
    api.script('primary', rateLimit(1));
    api.script('second', answer('from the fallback'));

    // ACT
    const { record, events } = await run(
      aiFlow({ baseUrl: api.baseUrl, model: 'primary', fallback: [{ model: 'second' }] }, { retry: { maxAttempts: 2, delayMs: 10 } }),
    );

    // ASSERT
    expect(api.requests.map((request) => request.model)).toEqual(['primary', 'primary', 'second']);
    expect(ofType(events, 'node.retrying').map((event) => event.delayMs)).toEqual([1000]);
    const output = record.nodes.ask.output as { model: string; skipped: { model: string; code: string; reason: string }[] };
    expect(output.model).toBe('second');
    expect(output.skipped).toEqual([{ model: 'primary', code: 'http-status', reason: expect.stringContaining('429') }]);
  });
});

describe('ai node circuit breaker', () => {
  it('opens after the failures, fails fast without calling, lets one probe through after the cooldown, and closes', async () => {
    // ARRANGE
    const api = await startFake();
    const clock = fakeClock();
    const circuits = new CircuitRegistry(clock.now);
    const flow = aiFlow({ baseUrl: api.baseUrl, model: 'primary', circuitBreaker: { failures: 2, windowMs: 60_000, cooldownMs: 30_000 } });
    api.script('primary', fail(500));

    // ACT + ASSERT: two failures open it
    const first = await run(flow, { circuits });
    expect(ofType(first.events, 'circuit.opened')).toEqual([]);
    const second = await run(flow, { circuits });
    expect(ofType(second.events, 'circuit.opened')).toEqual([
      expect.objectContaining({ nodeId: 'ask', circuit: expect.objectContaining({ target: `ai ${api.baseUrl} primary`, state: 'open', failures: 2 }) }),
    ]);

    // open: fails fast, the server is not called
    const refused = await run(flow, { circuits });
    expect(refused.record.nodes.ask.error?.code).toBe('circuit-open');
    expect(refused.record.nodes.ask.error?.message).toContain('2026-03-01T12:00:30.000Z');
    expect(api.requests).toHaveLength(2);

    // after the cooldown the probe goes through and its success closes the circuit
    clock.advance(30_000);
    api.script('primary', answer('back'));
    const probe = await run(flow, { circuits });
    expect(probe.record.nodes.ask.output).toMatchObject({ text: 'back' });
    expect(ofType(probe.events, 'circuit.closed')).toEqual([expect.objectContaining({ nodeId: 'ask', circuit: expect.objectContaining({ state: 'closed' }) })]);
    expect(circuits.snapshots()).toEqual([expect.objectContaining({ target: `ai ${api.baseUrl} primary`, state: 'closed', failures: 0 })]);
  });

  it('goes straight to the fallback while the primary circuit is open, saying so', async () => {
    // ARRANGE: the circuit of the primary opened on an earlier run
    const api = await startFake();
    const circuits = new CircuitRegistry(fakeClock().now);
    api.script('primary', fail(500));
    api.script('second', answer('fallback answer'));
    const flow = aiFlow({ baseUrl: api.baseUrl, model: 'primary', circuitBreaker: { failures: 1 }, fallback: [{ model: 'second' }] });
    await run(flow, { circuits });
    const callsBefore = api.requestsFor('primary').length;

    // ACT
    const { record } = await run(flow, { circuits });

    // ASSERT
    expect(api.requestsFor('primary')).toHaveLength(callsBefore);
    const output = record.nodes.ask.output as { model: string; skipped: { code: string }[] };
    expect(output.model).toBe('second');
    expect(output.skipped).toEqual([expect.objectContaining({ model: 'primary', code: 'circuit-open' })]);
  });

  it('keeps one circuit per base URL and model: another model of the same API is still called', async () => {
    // ARRANGE
    const api = await startFake();
    const circuits = new CircuitRegistry(fakeClock().now);
    api.script('primary', fail(500));
    await run(aiFlow({ baseUrl: api.baseUrl, model: 'primary', circuitBreaker: { failures: 1 } }), { circuits });

    // ACT
    const { record } = await run(aiFlow({ baseUrl: api.baseUrl, model: 'other', circuitBreaker: { failures: 1 } }), { circuits });

    // ASSERT
    expect(record.status).toBe('completed');
    expect(circuits.snapshots().map(({ target, state }) => ({ target, state }))).toEqual([
      { target: `ai ${api.baseUrl} primary`, state: 'open' },
      { target: `ai ${api.baseUrl} other`, state: 'closed' },
    ]);
  });
});

describe('http node circuit breaker', () => {
  it('opens per host after 5xx answers and fails fast with circuit-open', async () => {
    // ARRANGE
    other = await startLocalServer((_request, response) => sendJson(response, 503, { error: 'down' }));
    const circuits = new CircuitRegistry(fakeClock().now);
    const flow = {
      version: 1,
      id: 'call-api',
      nodes: [{ id: 'call', type: 'http', config: { url: `${other.url}/orders`, circuitBreaker: { failures: 2 } } }],
    };

    // ACT
    const runs = [];
    for (let i = 0; i < 3; i++) runs.push(await run(flow, { circuits }));

    // ASSERT
    expect(runs.map((r) => r.record.nodes.call.error?.code)).toEqual(['http-status', 'http-status', 'circuit-open']);
    expect(other.requests).toHaveLength(2);
    expect(ofType(runs[1].events, 'circuit.opened')[0].circuit.target).toBe(`http ${new URL(other.url).host}`);
  });

  it('counts a 5xx as a failure even when failOnStatus is off', async () => {
    // ARRANGE
    other = await startLocalServer((_request, response) => sendJson(response, 500, { error: 'down' }));
    const circuits = new CircuitRegistry(fakeClock().now);
    const flow = {
      version: 1,
      id: 'call-api',
      nodes: [{ id: 'call', type: 'http', config: { url: other.url, failOnStatus: false, circuitBreaker: { failures: 1 } } }],
    };

    // ACT
    const first = await run(flow, { circuits });
    const second = await run(flow, { circuits });

    // ASSERT
    expect(first.record.nodes.call.status).toBe('completed');
    expect(second.record.nodes.call.error?.code).toBe('circuit-open');
  });

  it('waits as a 429 Retry-After asks before its retry, at most retry.maxDelayMs', async () => {
    // ARRANGE: the first answer asks for 0.05 s, the second for an hour, the third is fine
    const asked = ['0.05', '3600'];
    other = await startLocalServer((_request, response) => {
      const wait = asked.shift();
      if (wait === undefined) sendJson(response, 200, { ok: true });
      else sendJson(response, 429, { error: 'slow down' }, { 'retry-after': wait });
    });
    const flow = {
      version: 1,
      id: 'call-api',
      nodes: [{ id: 'call', type: 'http', config: { url: other.url }, retry: { maxAttempts: 3, delayMs: 1, backoff: 'fixed', maxDelayMs: 80 } }],
    };

    // ACT
    const { record, events } = await run(flow);

    // ASSERT
    expect(record.nodes.call.output).toMatchObject({ status: 200 });
    expect(ofType(events, 'node.retrying').map((event) => event.delayMs)).toEqual([50, 80]);
  });
});
