import { describe, expect, it } from 'vitest';
import { selectRuns } from '../../../../src/engine/history/historyFilter';
import { MAX_SEARCH_TEXT_CHARS, describeInput, searchTextOf } from '../../../../src/engine/history/runSearchText';
import { indexedRun, summarize } from '../../../../src/engine/history/runSummary';
import type { RunRecord } from '../../../../src/engine/run/runRecord';

function record(id: string, input: unknown, output?: unknown): RunRecord {
  return { id, flowId: 'order-intake', flowHash: 'h', status: 'completed', mode: 'run', trigger: { type: 'manual' }, input, output, startedAt: '2025-06-01T10:00:00.000Z', nodes: {} };
}

describe('describeInput', () => {
  it('puts the top-level keys and values on one line', () => {
    expect(describeInput({ orderId: 'A-42', total: 120, items: [1, 2], customer: { name: 'x' }, gift: null })).toBe(
      'orderId A-42, total 120, items [2], customer {…}, gift null',
    );
  });

  it('says nothing for no input, and cuts a long one', () => {
    expect(describeInput(undefined)).toBe('');
    expect(describeInput({})).toBe('');
    expect(describeInput('a\n  multi line text')).toBe('a multi line text');
    const long = describeInput(Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`, 'value'])));
    expect(long.length).toBeLessThanOrEqual(120);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('searchTextOf', () => {
  it('holds the values of input and output, nested ones too, lower case', () => {
    const text = searchTextOf({ orderId: 'A-42' }, { order: { status: 'Accepted', lines: [{ sku: 'SKU-7' }] } });
    for (const word of ['a-42', 'accepted', 'sku-7', 'orderid']) expect(text).toContain(word);
  });

  it('stays within its cap whatever the output', () => {
    const huge = { rows: Array.from({ length: 10_000 }, (_, i) => ({ id: i, name: `row ${i}` })) };
    expect(searchTextOf({ orderId: 'A-42' }, huge).length).toBeLessThanOrEqual(MAX_SEARCH_TEXT_CHARS);
    expect(searchTextOf({ orderId: 'A-42' }, huge)).toContain('a-42');
  });
});

describe('history search (weft history --search, the panel)', () => {
  it('finds the run whose input has orderId "A-42", and only it', () => {
    const runs = [record('r3', { orderId: 'A-43' }), record('r2', { orderId: 'A-42' }), record('r1', { orderId: 'A-41' }, { note: 'see A-42' })];
    const index = runs.map((r, i) => indexedRun(summarize(r), i));
    expect(selectRuns(index, { search: 'A-42' }).map((r) => r.id)).toEqual(['r2', 'r1']);
    expect(summarize(runs[1]).inputSummary).toBe('orderId A-42');
  });
});
