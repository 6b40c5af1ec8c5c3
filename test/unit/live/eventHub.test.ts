import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/run/events';
import { RunEventHub, type HubEntry } from '../../../src/live/eventHub';

function event(executionId: string, seq: number, type: EngineEvent['type'] = 'node.log'): EngineEvent {
  return { type, executionId, seq, ts: '2026-01-01T00:00:00.000Z', nodeId: 'a', level: 'info', message: `m${seq}` } as EngineEvent;
}

describe('RunEventHub', () => {
  it('gives each event a rising cursor of its stream and the flow id, serialized once', () => {
    const hub = new RunEventHub({ streamId: 's1' });
    const first = hub.publish(event('r1', 1), 'f');
    const second = hub.publish(event('r1', 2), 'f');
    expect([first.cursor, second.cursor]).toEqual(['s1.1', 's1.2']);
    expect(JSON.parse(second.json)).toMatchObject({ type: 'node.log', executionId: 'r1', seq: 2, flowId: 'f', cursor: 's1.2' });
  });

  it('delivers to the subscribers whose filter matches: one run, one flow, or all', () => {
    const hub = new RunEventHub();
    const got: Record<string, string[]> = { run: [], flow: [], all: [] };
    hub.subscribe({ filter: { executionId: 'r1' }, from: { kind: 'now' }, onEntry: (e) => got.run.push(e.executionId) });
    hub.subscribe({ filter: { flowId: 'g' }, from: { kind: 'now' }, onEntry: (e) => got.flow.push(e.executionId) });
    hub.subscribe({ filter: {}, from: { kind: 'now' }, onEntry: (e) => got.all.push(e.executionId) });
    hub.publish(event('r1', 1), 'f');
    hub.publish(event('r2', 1), 'g');
    expect(got).toEqual({ run: ['r1'], flow: ['r2'], all: ['r1', 'r2'] });
  });

  it('replays what came after `since`, then goes on live, without a gap or a repeat', () => {
    const hub = new RunEventHub({ streamId: 's' });
    for (let i = 1; i <= 5; i++) hub.publish(event('r', i), 'f');
    const seen: number[] = [];
    const subscription = hub.subscribe({ filter: {}, from: { kind: 'since', cursor: 's.3' }, onEntry: (e: HubEntry) => seen.push(e.n) });
    hub.publish(event('r', 6), 'f');
    expect(subscription.reset).toBeUndefined();
    expect(seen).toEqual([4, 5, 6]);
  });

  it('answers a reset, replaying nothing, for a cursor older than the buffer or of another stream', () => {
    const hub = new RunEventHub({ streamId: 's', bufferEvents: 3 });
    for (let i = 1; i <= 10; i++) hub.publish(event('r', i), 'f');
    const seen: number[] = [];
    const old = hub.subscribe({ filter: {}, from: { kind: 'since', cursor: 's.2' }, onEntry: (e) => seen.push(e.n) });
    expect(old.reset).toMatchObject({ type: 'stream.reset', reason: 'too-old', cursor: 's.10' });
    const foreign = hub.subscribe({ filter: {}, from: { kind: 'since', cursor: 'other.9' }, onEntry: (e) => seen.push(e.n) });
    expect(foreign.reset).toMatchObject({ reason: 'other-stream' });
    const future = hub.subscribe({ filter: {}, from: { kind: 'since', cursor: 's.11' }, onEntry: (e) => seen.push(e.n) });
    expect(future.reset).toMatchObject({ reason: 'other-stream' });
    const edge = hub.subscribe({ filter: {}, from: { kind: 'since', cursor: 's.7' }, onEntry: (e) => seen.push(e.n) });
    expect(edge.reset).toBeUndefined();
    expect(seen).toEqual([8, 9, 10]);
  });

  it('keeps the buffer within its event and byte bounds', () => {
    const hub = new RunEventHub({ bufferEvents: 100, bufferBytes: 10_000 });
    for (let i = 1; i <= 5000; i++) hub.publish(event('r', i), 'f');
    const stats = hub.stats();
    expect(stats.bufferedEvents).toBeLessThanOrEqual(100);
    expect(stats.bufferedBytes).toBeLessThanOrEqual(10_000);
    expect(stats.published).toBe(5000);
    expect(hub.bufferedOf('r').at(-1)?.n).toBe(5000);
  });

  it('stops delivering to a closed subscription and counts the dropped ones', () => {
    const hub = new RunEventHub();
    const seen: number[] = [];
    const subscription = hub.subscribe({ filter: { executionId: 'r' }, from: { kind: 'now' }, onEntry: (e) => seen.push(e.n) });
    hub.publish(event('r', 1), 'f');
    subscription.close(true);
    hub.publish(event('r', 2), 'f');
    expect(seen).toEqual([1]);
    expect(hub.stats()).toMatchObject({ subscribers: 0, dropped: 1 });
  });

  it('publishes an event JSON cannot take as it is (a BigInt, a cycle) rather than losing it', () => {
    // ARRANGE
    const hub = new RunEventHub();
    const output: Record<string, unknown> = { big: BigInt(7) };
    output.self = output;
    const event = { type: 'node.completed', executionId: 'r', seq: 1, ts: '', nodeId: 'a', output, durationMs: 1, ports: ['out'] } as EngineEvent;
    // ACT
    const entry = hub.publish(event, 'f');
    // ASSERT
    expect(JSON.parse(entry.json)).toMatchObject({ type: 'node.completed', output: { big: '7', self: '[Circular]' } });
  });
});
