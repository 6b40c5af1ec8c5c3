import { describe, expect, it } from 'vitest';
import { parseSubscribe, textFrame } from '../../../src/live/eventSocket';

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

describe('textFrame', () => {
  it('makes a final unmasked text frame with the length in 7, 16 or 64 bits (RFC 6455 5.2)', () => {
    // ACT
    const frames = [125, 126, 65_535, 65_536].map((length) => textFrame('x'.repeat(length)));
    // ASSERT
    expect(frames.map((frame) => [frame[0], frame[1]])).toEqual([[0x81, 125], [0x81, 126], [0x81, 126], [0x81, 127]]);
    expect(frames[1].readUInt16BE(2)).toBe(126);
    expect(frames[2].readUInt16BE(2)).toBe(65_535);
    expect(frames[3].readBigUInt64BE(2)).toBe(65_536n);
    expect(frames.map((frame) => frame.length)).toEqual([127, 130, 65_539, 65_546]);
    expect(textFrame('é').subarray(2).toString('utf8')).toBe('é');
  });
});
