import { afterEach, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import { CircuitRegistry } from '../../../../src/engine/circuit/circuitRegistry';
import type { EngineEvent } from '../../../../src/engine/run/events';
import { formatClock } from '../../../../webview/timeline/format';
import { createRunView, reduceRun, type RunView } from '../../../../webview/timeline/runState';
import { appendStreamed, MAX_STREAMED_CHARS } from '../../../../webview/timeline/streamedText';
import { answer, startFakeOpenAi, type FakeOpenAi } from '../../../support/fakeOpenAi';
import { StreamedRun } from '../../../support/streamEvents';

let fake: FakeOpenAi | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function viewOf(events: readonly EngineEvent[], batch = 1): RunView {
  let view = reduceRun(createRunView(), { kind: 'snapshot', events: [] });
  for (let i = 0; i < events.length; i += batch) view = reduceRun(view, { kind: 'events', events: events.slice(i, i + batch) });
  return view;
}

describe('runState: streamed text of an ai node', () => {
  it('keeps the answer streamed so far in order, the reasoning apart, while the node runs', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    run.reasoning('Fire is ', 'dangerous.');
    run.answer('Urg', 'ent', ': fi');

    // ACT
    const view = viewOf(run.events);

    // ASSERT
    const ask = view.byId.get('ask')!;
    expect(ask.status).toBe('running');
    expect(ask.streamedAnswer).toBe('Urgent: fi');
    expect(ask.streamedReasoning).toBe('Fire is dangerous.');
    expect(view.logs).toEqual([]);
  });

  it('drops the streamed answer for the node’s output when it completes, and keeps the reasoning', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    run.reasoning('Fire is dangerous.');
    run.answer('Urgent', ': fire');
    run.completed('Urgent: fire');

    // ACT
    const view = viewOf(run.events, 2);

    // ASSERT
    const ask = view.byId.get('ask')!;
    expect(ask.streamedAnswer).toBeUndefined();
    expect(ask.output).toEqual({ text: 'Urgent: fire', model: 'gpt-fast' });
    expect(ask.streamedReasoning).toBe('Fire is dangerous.');
  });

  it('starts the text over on a new attempt and when a fallback takes over', () => {
    // ARRANGE: attempt 1 streams, fails and is retried; attempt 2 streams, its model fails, a fallback answers.
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    run.reasoning('first thoughts');
    run.answer('Half an ans');
    run.add({ type: 'node.retrying', nodeId: 'ask', attempt: 2, delayMs: 10, error: { message: 'socket hang up' } });
    run.nodeStarted('ask', 2);
    const afterRetry = viewOf(run.events).byId.get('ask')!;
    run.answer('Another half');
    run.add({ type: 'node.progress', nodeId: 'ask', message: 'gpt-fast did not answer (timeout); trying gpt-slow.' });
    const afterFallback = viewOf(run.events).byId.get('ask')!;
    run.answer('Urgent');

    // ACT
    const view = viewOf(run.events);

    // ASSERT
    expect(afterRetry.streamedAnswer).toBeUndefined();
    expect(afterRetry.streamedReasoning).toBeUndefined();
    expect(afterFallback.streamedAnswer).toBeUndefined();
    expect(view.byId.get('ask')!.streamedAnswer).toBe('Urgent');
  });

  it('keeps what a failed node streamed, and ignores pieces that arrive after it ended', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    run.answer('Urgent: the prin');
    run.add({ type: 'node.failed', nodeId: 'ask', error: { message: 'timed out', code: 'timeout' }, errorHandled: false, durationMs: 5 });
    run.answer('ter');

    // ACT
    const view = viewOf(run.events);

    // ASSERT
    expect(view.byId.get('ask')!.streamedAnswer).toBe('Urgent: the prin');
  });

  it('applies each delta once when a snapshot and a batch overlap', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    run.answer('a', 'b', 'c');

    // ACT
    let view = reduceRun(createRunView(), { kind: 'snapshot', events: run.events.slice(0, 4) });
    view = reduceRun(view, { kind: 'events', events: run.events.slice(2) });

    // ASSERT
    expect(view.byId.get('ask')!.streamedAnswer).toBe('abc');
  });

  it('bounds the kept text: past the limit the oldest text goes and "…" says so', () => {
    // ARRANGE: 100 KiB of answer in 1,000 deltas, the last one marked.
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    const piece = 'x'.repeat(102) + '\n';
    for (let i = 0; i < 999; i++) run.answer(piece);
    run.answer('THE END');

    // ACT
    const view = viewOf(run.events, 50);

    // ASSERT
    const text = view.byId.get('ask')!.streamedAnswer!;
    expect(text.length).toBeLessThanOrEqual(MAX_STREAMED_CHARS);
    expect(text.length).toBeGreaterThan(MAX_STREAMED_CHARS / 2);
    expect(text.startsWith('…')).toBe(true);
    expect(text.endsWith(piece + 'THE END')).toBe(true);
  });

  it('never cuts a character in two', () => {
    // ACT: emoji are two UTF-16 units each; cut at every possible position.
    const cuts = [0, 1, 2, 3].map((extra) => appendStreamed('😀'.repeat(10), 'a'.repeat(extra), 16));

    // ASSERT
    for (const text of cuts) {
      expect(text.length).toBeLessThanOrEqual(16);
      expect(text.startsWith('…')).toBe(true);
      expect(text.slice(1).charCodeAt(0) >= 0xdc00 && text.slice(1).charCodeAt(0) <= 0xdfff).toBe(false);
    }
  });

  it('folds a real streamed answer from an OpenAI-compatible server: its text as the record’s, the reasoning apart', async () => {
    // ARRANGE
    fake = await startFakeOpenAi();
    fake.script('gpt-fast', answer('Urgent: fire', { chunks: ['Urg', 'ent', ': fi', 're'], reasoningChunks: ['Fire is ', 'dangerous.'] }));
    const events: EngineEvent[] = [];
    const flow = { version: 1, id: 'ask-model', nodes: [{ id: 'ask', type: 'ai', config: { prompt: 'Triage', baseUrl: fake.baseUrl, model: 'gpt-fast' } }] };
    const record = await runFlow(flow, {
      history: false,
      secrets: { OPENAI_API_KEY: 'sk-fake-4c1d9e0b7a2f' },
      services: { circuits: new CircuitRegistry() },
      onEvent: (event) => events.push(event),
    });
    const beforeCompletion = events.findIndex((event) => event.type === 'node.completed');

    // ACT
    const streaming = viewOf(events.slice(0, beforeCompletion)).byId.get('ask')!;
    const done = viewOf(events).byId.get('ask')!;

    // ASSERT
    expect(record.status).toBe('completed');
    expect(streaming.streamedAnswer).toBe('Urgent: fire');
    expect(streaming.streamedReasoning).toBe('Fire is dangerous.');
    expect(done.streamedAnswer).toBeUndefined();
    expect(done.output).toMatchObject({ text: 'Urgent: fire' });
    expect(done.streamedReasoning).toBe('Fire is dangerous.');
  });
});

describe('runState: circuit breakers in the log', () => {
  it('logs a circuit opening as a warning and its closing as info, naming the target, on the node and the run', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    run.circuit('opened');
    run.circuit('closed');

    // ACT
    const view = viewOf(run.events);

    // ASSERT
    const lines = view.logs.map(({ level, nodeId, message }) => ({ level, nodeId, message }));
    expect(lines).toEqual([
      {
        level: 'warn',
        nodeId: 'ask',
        message: `Circuit opened for ai http://127.0.0.1:9/v1 gpt-fast after 2 failures: calls to it fail fast until a probe at ${formatClock(Date.parse('2026-03-01T12:00:30.000Z'))}.`,
      },
      { level: 'info', nodeId: 'ask', message: 'Circuit closed for ai http://127.0.0.1:9/v1 gpt-fast: a probe call succeeded, calls go through again.' },
    ]);
    expect(view.byId.get('ask')!.logs).toHaveLength(2);
  });

  it('logs the circuit of a node inside a loop under its loop, saying where it came from', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started(['each']);
    run.add({ type: 'node.started', nodeId: 'each', attempt: 1, input: {} });
    run.add({ type: 'node.started', nodeId: 'ask', attempt: 1, input: {}, loop: { loopNodeId: 'each', iteration: 0 } });
    const [opened] = run.circuit('opened');
    (opened as { loop?: unknown }).loop = { loopNodeId: 'each', iteration: 0 };

    // ACT
    const view = viewOf(run.events);

    // ASSERT
    expect(view.logs).toEqual([expect.objectContaining({ level: 'warn', nodeId: 'ask', loop: { loopNodeId: 'each', iteration: 0 } })]);
    expect(view.byId.get('each')!.logs).toHaveLength(1);
    expect(view.byId.has('ask')).toBe(false);
  });
});
