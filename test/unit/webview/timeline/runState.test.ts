import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import type { EngineEvent } from '../../../../src/engine/run/events';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import { triageTicketRun } from '../../../support/triageTicketRun';
import { createRunView, progressText, reduceRun, runDuration, runUsage, type RunView } from '../../../../webview/timeline/runState';

const samples = resolve(__dirname, '../../../../samples');

/** Runs a sample with the engine and keeps its events. */
async function record(sample: string, options: Parameters<typeof runFlow>[1] = {}): Promise<{ events: EngineEvent[]; record: RunRecord }> {
  const events: EngineEvent[] = [];
  const result = await runFlow(resolve(samples, sample), { history: false, ...options, onEvent: (e) => events.push(e) });
  return { events, record: result };
}

/** A rates service that answers 503 `failures` times, then the rates. */
function flakyFetch(failures: number): typeof fetch {
  let calls = 0;
  return (async () => {
    calls++;
    if (calls <= failures) return new Response('busy', { status: 503, statusText: 'Service Unavailable' });
    return new Response(JSON.stringify({ base: 'EUR', rates: { USD: 1.1 } }), { headers: { 'content-type': 'application/json' } });
  }) as unknown as typeof fetch;
}

function fromEvents(events: readonly EngineEvent[], batch = events.length): RunView {
  let view = reduceRun(createRunView(), { kind: 'snapshot', events: [] });
  for (let i = 0; i < events.length; i += batch) view = reduceRun(view, { kind: 'events', events: events.slice(i, i + batch) });
  return view;
}

describe('runState: a run from its events', () => {
  it('shows a retried node as one segment per attempt, with the retry delays between them', async () => {
    // ARRANGE: rates fails twice (503), then answers; convert runs; unavailable (the error path) is skipped.
    const { events } = await record('flaky-endpoint.flow.json', { input: { amount: 10 }, services: { fetch: flakyFetch(2) } });

    // ACT
    const view = fromEvents(events, 1);

    // ASSERT
    const rates = view.byId.get('rates')!;
    expect(rates.status).toBe('completed');
    expect(rates.attemptCount).toBe(3);
    expect(rates.attempts.map((a) => [a.attempt, a.status])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'completed'],
    ]);
    expect(rates.attempts.map((a) => a.retryDelayMs)).toEqual([50, 100, undefined]);
    expect(rates.attempts[0].error?.message).toMatch(/503/);
    // The wait is a gap: the next attempt starts after the previous one ended.
    expect(rates.attempts[1].start).toBeGreaterThanOrEqual(rates.attempts[0].end!);
    expect(rates.output).toMatchObject({ status: 200, body: { rates: { USD: 1.1 } } });
    expect(view.byId.get('unavailable')!.status).toBe('skipped');
    expect(view.byId.get('convert')!.output).toEqual({ amount: 10, currency: 'USD', converted: 11 });
    expect(view.status).toBe('completed');
    expect(progressText(view)).toBe('3 of 3 nodes');
    expect(view.logs.filter((l) => l.nodeId === 'rates').map((l) => l.message)).toEqual([
      expect.stringMatching(/503/),
      expect.stringMatching(/503/),
      expect.stringMatching(/200/),
    ]);
  });

  it('counts progress as nodes end, out of the nodes the run announced', async () => {
    // ARRANGE
    const { events } = await record('order-intake.flow.json', { input: { orderId: 'A-1', total: 100, country: 'DE' } });
    const started = events.findIndex((e) => e.type === 'execution.started');
    const firstDone = events.findIndex((e) => e.type === 'node.completed');

    // ACT
    const atStart = fromEvents(events.slice(0, started + 1));
    const afterFirst = fromEvents(events.slice(0, firstDone + 1));
    const atEnd = fromEvents(events);

    // ASSERT
    expect(atStart.status).toBe('running');
    expect(progressText(atStart)).toBe('0 of 5 nodes');
    expect(atStart.nodes.map((n) => n.status)).toEqual(['pending', 'pending', 'pending', 'pending', 'pending']);
    expect(progressText(afterFirst)).toBe('1 of 5 nodes');
    expect(progressText(atEnd)).toBe('5 of 5 nodes');
    expect(atEnd.byId.get('review')!.status).toBe('skipped');
    expect(atEnd.byId.get('note')!.logs.map((l) => l.message)).toEqual(['Order A-1 queued for auto']);
  });

  it('keeps a handled failure: the node failed with every attempt, the run completed', async () => {
    // ARRANGE: the service never answers; rates gives up after 4 attempts and its error port runs `unavailable`.
    const { events } = await record('flaky-endpoint.flow.json', { input: { amount: 10 }, services: { fetch: flakyFetch(99) } });

    // ACT
    const view = fromEvents(events);

    // ASSERT
    const rates = view.byId.get('rates')!;
    expect(rates.status).toBe('failed');
    expect(rates.errorHandled).toBe(true);
    expect(rates.attempts).toHaveLength(4);
    expect(rates.attempts.every((a) => a.status === 'failed')).toBe(true);
    expect(rates.error?.code).toBe('http-status');
    expect(view.byId.get('unavailable')!.status).toBe('completed');
    expect(view.status).toBe('completed');
  });

  it('folds a loop body into its loop node: iterations, not extra nodes', async () => {
    // ARRANGE: two overdue invoices, so the loop `remind` runs its body twice.
    const invoices = [
      { id: 'I-1', email: 'a@x.test', paid: false, daysLate: 30 },
      { id: 'I-4', email: 'd@x.test', paid: false, daysLate: 75 },
    ];
    const { events } = await record('overdue-invoices.flow.json', { input: { invoices } });

    // ACT
    const view = fromEvents(events);

    // ASSERT
    expect(view.nodes.map((n) => n.id)).toEqual(['overdue', 'remind', 'summary']);
    const remind = view.byId.get('remind')!;
    expect(remind.iterationCount).toBe(2);
    expect(remind.iterations.map((i) => [i.index, i.failed])).toEqual([
      [0, false],
      [1, false],
    ]);
    expect(progressText(view)).toBe('3 of 3 nodes');
  });

  it('attributes the events of nested loop bodies to the top-level loop', () => {
    // ARRANGE: batches (loop) › items (loop) › ask (an AI call that logs).
    const base = { executionId: 'r3', ts: '2026-01-01T00:00:00.000Z' };
    const inner = { loopNodeId: 'batches', iteration: 0 };
    const innermost = { loopNodeId: 'items', iteration: 0 };
    const events: EngineEvent[] = [
      { ...base, seq: 1, type: 'execution.started', flowId: 'f', mode: 'run', trigger: { type: 'manual' }, input: {}, nodeIds: ['batches'] },
      { ...base, seq: 2, type: 'node.started', nodeId: 'batches', attempt: 1, input: [[1]] },
      { ...base, seq: 3, type: 'node.started', nodeId: 'items', attempt: 1, input: [1], loop: inner },
      { ...base, seq: 4, type: 'node.started', nodeId: 'ask', attempt: 1, input: 1, loop: innermost },
      { ...base, seq: 5, type: 'node.log', nodeId: 'ask', level: 'info', message: 'asked', loop: innermost },
      { ...base, seq: 6, type: 'node.completed', nodeId: 'ask', output: { text: 'a' }, ports: ['out'], usage: { model: 'm', inputTokens: 5, outputTokens: 2 }, durationMs: 1, loop: innermost },
      { ...base, seq: 7, type: 'node.completed', nodeId: 'items', output: [{}], ports: ['out'], durationMs: 1, loop: inner },
      { ...base, seq: 8, type: 'node.completed', nodeId: 'batches', output: [[{}]], ports: ['out'], durationMs: 2 },
    ];

    // ACT
    const view = fromEvents(events, 2);

    // ASSERT
    expect(view.nodes.map((n) => n.id)).toEqual(['batches']);
    const batches = view.byId.get('batches')!;
    expect(batches.iterationCount).toBe(1);
    expect(batches.usage).toEqual({ model: 'm', inputTokens: 5, outputTokens: 2 });
    expect(batches.logs.map((l) => [l.nodeId, l.message])).toEqual([['ask', 'asked']]);
  });

  it('ignores events it already has, so a snapshot and an overlapping batch apply once', async () => {
    // ARRANGE
    const { events } = await record('order-intake.flow.json', { input: { orderId: 'A-1', total: 100, country: 'DE' } });
    const snapshot = reduceRun(createRunView(), { kind: 'snapshot', events: events.slice(0, 8) });

    // ACT
    const view = reduceRun(snapshot, { kind: 'events', events: events.slice(5) });

    // ASSERT
    expect(view.logs).toHaveLength(1);
    expect(view.settledNodes).toBe(5);
    expect(view.byId.get('tax')!.attempts).toHaveLength(1);
  });

  it('adds up AI usage per node and for the run, with the cost when the model is known', async () => {
    // ARRANGE: the model answers with 1000 tokens in and 500 out.
    const { events } = await record('triage-ticket.flow.json', triageTicketRun());

    // ACT
    const view = fromEvents(events);

    // ASSERT
    const classify = view.byId.get('classify')!;
    expect(classify.usage).toMatchObject({ model: 'gpt-4o-mini', inputTokens: 1000, outputTokens: 500 });
    expect(classify.usage!.costUsd).toBeGreaterThan(0);
    expect(runUsage(view)).toMatchObject({ inputTokens: 1000, outputTokens: 500 });
    expect(view.byId.get('route')!.usage).toBeUndefined();
  });

  it('ends a cancelled run with its running and pending nodes cancelled', () => {
    // ARRANGE: a started, b never started; the run is cancelled while a runs.
    const base = { executionId: 'r1', ts: '2026-01-01T00:00:00.000Z' };
    const events: EngineEvent[] = [
      { ...base, seq: 1, type: 'execution.started', flowId: 'f', mode: 'run', trigger: { type: 'manual' }, input: {}, nodeIds: ['a', 'b'] },
      { ...base, seq: 2, type: 'node.started', nodeId: 'a', attempt: 1, input: {} },
      { ...base, seq: 3, ts: '2026-01-01T00:00:01.000Z', type: 'execution.cancelled', status: 'cancelled', durationMs: 1000 },
    ];

    // ACT
    const view = fromEvents(events);

    // ASSERT
    expect(view.status).toBe('cancelled');
    expect(view.nodes.map((n) => n.status)).toEqual(['cancelled', 'cancelled']);
    expect(view.byId.get('a')!.attempts[0]).toMatchObject({ status: 'cancelled', end: Date.parse('2026-01-01T00:00:01.000Z') });
    expect(runDuration(view, Date.now())).toBe(1000);
  });

  // Its cost per event at 10,000 nodes against 1,000 is measured by `npm run bench` (dist/benchExtension.js).
  it('applies a 10,000-node run delivered in 10,000 small batches', () => {
    // ARRANGE: 10,000 nodes, 3 events each, delivered 3 events per batch (10,000 reductions).
    const ids = Array.from({ length: 10_000 }, (_, i) => `n${i}`);
    const events: EngineEvent[] = [
      { type: 'execution.started', executionId: 'big', seq: 1, ts: '2026-01-01T00:00:00.000Z', flowId: 'big', mode: 'run', trigger: { type: 'manual' }, input: {}, nodeIds: ids },
    ];
    let seq = 2;
    ids.forEach((nodeId, i) => {
      const ts = new Date(Date.UTC(2026, 0, 1) + i).toISOString();
      events.push({ type: 'node.started', executionId: 'big', seq: seq++, ts, nodeId, attempt: 1, input: i });
      events.push({ type: 'node.log', executionId: 'big', seq: seq++, ts, nodeId, level: 'info', message: `hello ${i}` });
      events.push({ type: 'node.completed', executionId: 'big', seq: seq++, ts, nodeId, output: i, durationMs: 0.5, ports: ['out'] });
    });

    // ACT
    const view = fromEvents(events, 3);

    // ASSERT
    expect(progressText(view)).toBe('10000 of 10000 nodes');
    expect(view.logs).toHaveLength(10_000);
    expect(view.nodes.every((node) => node.status === 'completed')).toBe(true);
  });
});

describe('runState: a run from its record', () => {
  it('rebuilds the same statuses, outputs, logs and progress from the record alone', async () => {
    // ARRANGE
    const { events, record: rec } = await record('flaky-endpoint.flow.json', { input: { amount: 10 }, services: { fetch: flakyFetch(2) } });
    const live = fromEvents(events);

    // ACT
    const recorded = reduceRun(createRunView(), { kind: 'record', record: rec });

    // ASSERT
    expect(recorded.status).toBe(live.status);
    expect(progressText(recorded)).toBe(progressText(live));
    for (const node of live.nodes) {
      const again = recorded.byId.get(node.id)!;
      expect([node.id, again.status, again.output, again.attemptCount]).toEqual([node.id, node.status, node.output, node.attemptCount]);
    }
    expect(recorded.logs.map((l) => [l.nodeId, l.message])).toEqual(live.logs.map((l) => [l.nodeId, l.message]));
    // No per-attempt times in a record: one segment spanning the node, labelled with the attempt count.
    expect(recorded.byId.get('rates')!.attempts).toEqual([expect.objectContaining({ attempt: 3, status: 'completed' })]);
    expect(recorded.runId).toBe(rec.id);
  });

  it('keeps the exact attempt segments of the events when the record arrives at the end', async () => {
    // ARRANGE
    const { events, record: rec } = await record('flaky-endpoint.flow.json', { input: { amount: 10 }, services: { fetch: flakyFetch(2) } });
    const live = fromEvents(events.slice(0, -1));

    // ACT
    const ended = reduceRun(live, { kind: 'record', record: rec });

    // ASSERT
    expect(ended.byId.get('rates')!.attempts).toHaveLength(3);
    expect(ended.status).toBe('completed');
    expect(ended.logs).toHaveLength(3);
  });

  it('counts a loop node’s iterations and AI usage from the record', async () => {
    // ARRANGE
    const invoices = [{ id: 'I-1', email: 'a@x.test', paid: false, daysLate: 30 }];
    const { record: rec } = await record('overdue-invoices.flow.json', { input: { invoices } });
    rec.nodes.remind.usage = { model: 'gpt-4o-mini', inputTokens: 7, outputTokens: 3, costUsd: 0.5 };

    // ACT
    const view = reduceRun(createRunView(), { kind: 'record', record: rec });

    // ASSERT
    expect(view.byId.get('remind')!.iterationCount).toBe(1);
    expect(runUsage(view)).toEqual({ model: 'gpt-4o-mini', inputTokens: 7, outputTokens: 3, costUsd: 0.5 });
  });

  it('no longer takes an output that merely looks like usage for a model call', async () => {
    // ARRANGE: a transform whose output has the shape of an AI answer is not a call.
    const invoices = [{ id: 'I-1', email: 'a@x.test', paid: false, daysLate: 30 }];
    const { record: rec } = await record('overdue-invoices.flow.json', { input: { invoices } });
    rec.nodes.overdue.output = { text: 'x', usage: { inputTokens: 7, outputTokens: 3 }, costUsd: 0.5 };

    // ACT
    const view = reduceRun(createRunView(), { kind: 'record', record: rec });

    // ASSERT
    expect(runUsage(view)).toBeUndefined();
  });

  it('settles a live view whose run stopped without a record', () => {
    // ARRANGE
    const base = { executionId: 'r2', ts: '2026-01-01T00:00:00.000Z' };
    const view = fromEvents([
      { ...base, seq: 1, type: 'execution.started', flowId: 'f', mode: 'run', trigger: { type: 'manual' }, input: {}, nodeIds: ['a'] },
      { ...base, seq: 2, type: 'node.started', nodeId: 'a', attempt: 1, input: {} },
    ]);

    // ACT
    const ended = reduceRun(view, { kind: 'ended', message: 'The run stopped before it finished.' });

    // ASSERT
    expect(ended.status).toBe('failed');
    expect(ended.error?.message).toBe('The run stopped before it finished.');
    expect(ended.byId.get('a')!.status).toBe('cancelled');
  });
});
