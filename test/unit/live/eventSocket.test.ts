import { describe, expect, it } from 'vitest';
import { parseSubscribe } from '../../../src/live/eventSocket';

describe('parseSubscribe', () => {
  it('reads one run, one flow or everything, from now or after a cursor', () => {
    // ACT / ASSERT
    expect(parseSubscribe('')).toEqual({ ok: true, filter: {}, from: { kind: 'now' } });
    expect(parseSubscribe('executionId=abc-1')).toEqual({ ok: true, filter: { executionId: 'abc-1' }, from: { kind: 'now' } });
    expect(parseSubscribe('flow=orders&since=9f3a1c2b.42')).toEqual({ ok: true, filter: { flowId: 'orders' }, from: { kind: 'since', cursor: '9f3a1c2b.42' } });
  });

  it('refuses both a run and a flow, a malformed cursor, unknown or repeated parameters', () => {
    // ARRANGE
    const bad = ['executionId=a&flow=b', 'since=42', 'since=yesterday', 'since=', 'run=1', 'flow=a&flow=b', 'executionId=a%20b'];
    // ACT
    const results = bad.map((query) => parseSubscribe(query));
    // ASSERT
    expect(results.map((result) => result.ok)).toEqual(bad.map(() => false));
  });
});
