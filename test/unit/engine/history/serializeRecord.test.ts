import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import { serializeRecord } from '../../../../src/engine/history/serializeRecord';

function record(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    id: 'run1',
    flowId: 'orders',
    flowHash: 'h',
    status: 'completed',
    mode: 'run',
    trigger: { type: 'manual' },
    input: { a: 1 },
    output: { ok: true },
    startedAt: '2025-01-01T00:00:00.000Z',
    nodes: {
      fetch: { status: 'completed', attempts: 1, input: { q: 'x' }, output: { items: [1, 2, 3] } },
    },
    ...overrides,
  };
}

describe('serializeRecord', () => {
  it('writes a record of small values exactly as JSON.stringify would read back', () => {
    // ARRANGE
    const run = record({ output: undefined, error: { message: 'boom', code: 'flow-error' } });
    // ACT
    const { json, truncated } = serializeRecord(run, 1024);
    // ASSERT
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(run)));
    expect(truncated).toEqual([]);
    expect(JSON.parse(json)).not.toHaveProperty('truncated');
  });

  it('replaces each value over the limit by a marker and lists its path, leaving the caller\'s record alone', () => {
    // ARRANGE
    const big = 'x'.repeat(5000);
    const run = record({ input: { big } });
    run.nodes.fetch.output = { body: big };
    run.nodes.fetch.state = { small: 1 };
    const before = JSON.stringify(run);
    // ACT
    const { json, truncated } = serializeRecord(run, 1024);
    // ASSERT
    const stored = JSON.parse(json) as RunRecord;
    const bigJson = JSON.stringify({ body: big });
    expect(stored.nodes.fetch.output).toEqual({
      $truncated: true,
      bytes: Buffer.byteLength(bigJson),
      preview: bigJson.slice(0, 1024),
    });
    expect((stored.input as { $truncated: boolean }).$truncated).toBe(true);
    expect(stored.nodes.fetch.input).toEqual({ q: 'x' });
    expect(stored.nodes.fetch.state).toEqual({ small: 1 });
    expect(stored.output).toEqual({ ok: true });
    expect(truncated.sort()).toEqual(['input', 'nodes.fetch.output']);
    expect(stored.truncated?.sort()).toEqual(['input', 'nodes.fetch.output']);
    expect(JSON.stringify(run)).toBe(before);
    expect(run.truncated).toBeUndefined();
  });

  it('measures UTF-8 bytes, not characters', () => {
    // ARRANGE: 400 characters of 'é' are 402 characters of JSON but 802 bytes
    const run = record({ output: 'é'.repeat(400) });
    // ACT
    const under = serializeRecord(run, 900);
    const over = serializeRecord(run, 800);
    // ASSERT
    expect(under.truncated).toEqual([]);
    expect(over.truncated).toEqual(['output']);
    expect((JSON.parse(over.json) as RunRecord).output).toMatchObject({ $truncated: true, bytes: 802 });
  });

  it('keeps log messages and error texts as strings, cut with a note', () => {
    // ARRANGE
    const long = 'y'.repeat(3000);
    const run = record({ error: { message: long, name: 'Error' } });
    run.nodes.fetch.logs = [
      { ts: '2025-01-01T00:00:00.000Z', level: 'info', message: 'short' },
      { ts: '2025-01-01T00:00:01.000Z', level: 'warn', message: long },
    ];
    // ACT
    const { json, truncated } = serializeRecord(run, 1024);
    // ASSERT
    const stored = JSON.parse(json) as RunRecord;
    expect(stored.nodes.fetch.logs?.[0].message).toBe('short');
    expect(typeof stored.nodes.fetch.logs?.[1].message).toBe('string');
    expect(stored.nodes.fetch.logs?.[1].message).toMatch(/^y{1024}… \[truncated: 3002 bytes\]$/);
    expect(stored.error?.message.startsWith('yyyy')).toBe(true);
    expect(stored.error?.message.length).toBeLessThan(1100);
    expect(truncated.sort()).toEqual(['error.message', 'nodes.fetch.logs.1.message']);
  });

  it('merges the paths the record already lists as truncated', () => {
    // ARRANGE
    const run = record({ truncated: ['nodes.old.output'], output: 'z'.repeat(2000) });
    // ACT
    const stored = JSON.parse(serializeRecord(run, 1024).json) as RunRecord;
    // ASSERT
    expect(stored.truncated).toEqual(['nodes.old.output', 'output']);
  });

  it('does not split a surrogate pair in the preview', () => {
    // ARRANGE: the JSON opens with a quote, so the 1024th character is the first half of an emoji
    const run = record({ output: 'a'.repeat(1022) + '😀'.repeat(600) });
    // ACT
    const stored = JSON.parse(serializeRecord(run, 1024).json) as { output: { preview: string } };
    // ASSERT
    expect(stored.output.preview).toBe(`"${'a'.repeat(1022)}`);
  });

  it('stores a value JSON cannot hold as a note instead of failing the save', () => {
    // ARRANGE
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const run = record({ output: cyclic });
    // ACT
    const stored = JSON.parse(serializeRecord(run, 1024).json) as { output: { $unserializable: string } };
    // ASSERT
    expect(stored.output.$unserializable).toMatch(/circular/i);
  });
});
