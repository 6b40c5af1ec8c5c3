// Waits, timeouts and backoffs longer than setTimeout's limit (2^31-1 ms, 24.8 days) must take as long as asked,
// never fire at once. Fake timers and a fake clock stand in for the days.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { sendRequest } from '../../../../src/engine/nodes/httpRequest';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import { flowOf, runDefinition, transform, type TestRun } from '../../../support/runHelpers';
import { flakyType, hangType } from '../../../support/runTestTypes';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** A run timeout long enough for every wait here. */
const LONG_RUN = { settings: { timeoutMs: 400 * DAY } };

/** Never ends by itself; rejects when its signal aborts. */
const hang = hangType();

/** Starts a run and tells whether it has ended, without awaiting it. */
function start(run: Promise<TestRun>): { ended: () => boolean; result: Promise<RunRecord> } {
  let ended = false;
  const result = run.then(({ record }) => {
    ended = true;
    return record;
  });
  return { ended: () => ended, result };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: Date.parse('2026-01-01T00:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('delays longer than 24.8 days', () => {
  it('a 30-day wait does not end before its due time, and ends then', async () => {
    const run = start(runDefinition(flowOf([{ id: 'w', type: 'wait', config: { ms: 30 * DAY } }], [], LONG_RUN), { input: { a: 1 } }));
    await vi.advanceTimersByTimeAsync(30 * DAY - 1000);
    expect(run.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    const record = await run.result;
    expect(record.status).toBe('completed');
    expect(record.output).toEqual({ a: 1 });
  });

  it('a wait until a moment 60 days ahead ends at that moment', async () => {
    const until = new Date(Date.now() + 60 * DAY).toISOString();
    const run = start(runDefinition(flowOf([{ id: 'w', type: 'wait', config: { until } }], [], LONG_RUN)));
    await vi.advanceTimersByTimeAsync(60 * DAY - 1000);
    expect(run.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect((await run.result).status).toBe('completed');
    expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(until));
  });

  it('a wait resumed after a restart waits only what is left of it, and never less', async () => {
    const definition = flowOf([{ id: 'w', type: 'wait', config: { ms: 30 * DAY } }, transform('after', 'woke')], [{ from: 'w', to: 'after' }], LONG_RUN);
    // The run was checkpointed waiting, 26 days before its due time, then its process stopped.
    const due = Date.now() + 26 * DAY;
    const interrupted = (await runDefinition(flowOf([transform('w', 1), transform('after', 1)], [{ from: 'w', to: 'after' }]))).record;
    interrupted.status = 'interrupted';
    interrupted.nodes = {
      w: { status: 'running', attempts: 1, state: { until: new Date(due).toISOString() } },
      after: { status: 'pending', attempts: 0 },
    };
    const run = start(runDefinition(definition, { resumeFrom: interrupted }));
    await vi.advanceTimersByTimeAsync(26 * DAY - 1000);
    expect(run.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    const record = await run.result;
    expect(record.output).toBe('woke');
    expect(Date.now()).toBe(due);
    // The resumed run's own record keeps the due time, for when it is interrupted and resumed in turn.
    expect(record.nodes.w.state).toEqual({ until: new Date(due).toISOString() });
  });

  it('a wait does not end early when the wall clock is set back while it waits', async () => {
    const until = Date.now() + 30 * DAY;
    const run = start(runDefinition(flowOf([{ id: 'w', type: 'wait', config: { until: new Date(until).toISOString() } }], [], LONG_RUN)));
    await vi.advanceTimersByTimeAsync(DAY);
    vi.setSystemTime(Date.now() - 2 * DAY); // the clock goes back two days; the timers do not notice
    await vi.advanceTimersByTimeAsync(29 * DAY);
    expect(run.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(2 * DAY);
    expect((await run.result).status).toBe('completed');
    expect(Date.now()).toBeGreaterThanOrEqual(until);
  });

  it('a 30-day node timeout does not fail the run at once, and fails it after 30 days', async () => {
    const run = start(runDefinition(flowOf([{ id: 'h', type: 'hang', timeoutMs: 30 * DAY }], [], LONG_RUN), { types: [hang] }));
    await vi.advanceTimersByTimeAsync(30 * DAY - 1000);
    expect(run.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    const record = await run.result;
    expect(record.status).toBe('failed');
    expect(record.nodes.h.error).toMatchObject({ code: 'timeout' });
  });

  it('a 30-day run timeout does not fail the run at once, and fails it after 30 days', async () => {
    const run = start(runDefinition(flowOf([{ id: 'h', type: 'hang' }], [], { settings: { timeoutMs: 30 * DAY } }), { types: [hang] }));
    await vi.advanceTimersByTimeAsync(30 * DAY - 1000);
    expect(run.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await run.result).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
  });

  it('a 30-day retry backoff does not retry at once, and retries after 30 days', async () => {
    const type = flakyType(1);
    const retry = { maxAttempts: 2, delayMs: 30 * DAY, maxDelayMs: 30 * DAY, backoff: 'fixed' };
    const run = start(runDefinition(flowOf([{ id: 'f', type: 'flaky', retry }], [], LONG_RUN), { types: [type] }));
    await vi.advanceTimersByTimeAsync(30 * DAY - 1000);
    expect(type.calls).toBe(1);
    expect(run.ended()).toBe(false);
    await vi.advanceTimersByTimeAsync(1000);
    const record = await run.result;
    expect(type.calls).toBe(2);
    expect(record).toMatchObject({ status: 'completed', output: { attempt: 2 } });
  });
});

describe('an http request with a time limit longer than 24.8 days', () => {
  it('is not stopped before its limit, and is stopped as a timeout at it', async () => {
    // A server that never answers: the request ends only through its signal.
    const neverAnswers = ((_url: URL, init: RequestInit) =>
      new Promise<Response>((_, reject) => init.signal!.addEventListener('abort', () => reject(init.signal!.reason)))) as unknown as typeof fetch;
    let outcome: unknown;
    const request = sendRequest(neverAnswers, { method: 'GET', url: new URL('http://127.0.0.1:9/'), headers: new Headers(), signal: new AbortController().signal, timeoutMs: 60 * DAY }).then(
      () => (outcome = 'answered'),
      (error: unknown) => (outcome = error),
    );
    await vi.advanceTimersByTimeAsync(60 * DAY - 1000);
    expect(outcome).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1000);
    await request;
    expect(outcome).toMatchObject({ code: 'timeout' });
  });
});
