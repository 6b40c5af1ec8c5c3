import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import { compareRuns } from '../../../../webview/history/compareRuns';
import { deepEqual } from '../../../../src/shared/deepEqual';

// samples/order-intake.flow.json:
//   check ─true→ review ─┐
//         └false→ tax ───┴→ done → note
const SAMPLE = resolve(__dirname, '../../../../samples/order-intake.flow.json');

describe('compareRuns', () => {
  let small: RunRecord; // total 100, DE: taxed
  let large: RunRecord; // total 900: manual review
  let french: RunRecord; // total 250, FR: taxed at another rate

  beforeAll(async () => {
    small = await runFlow(SAMPLE, { history: false, input: { orderId: 'A-1', total: 100 } });
    large = await runFlow(SAMPLE, { history: false, input: { orderId: 'A-2', total: 900 } });
    french = await runFlow(SAMPLE, { history: false, input: { orderId: 'A-1', total: 250, country: 'FR' } });
  });

  it('lists every node once, in flow order, with both statuses', () => {
    // ACT
    const comparison = compareRuns(small, large, ['check', 'review', 'tax', 'done', 'note']);
    // ASSERT
    expect(comparison.nodes.map((n) => n.nodeId)).toEqual(['check', 'review', 'tax', 'done', 'note']);
    const byId = Object.fromEntries(comparison.nodes.map((n) => [n.nodeId, n]));
    expect([byId.review.statusA, byId.review.statusB]).toEqual(['skipped', 'completed']);
    expect([byId.tax.statusA, byId.tax.statusB]).toEqual(['completed', 'skipped']);
    expect(byId.review.differs && byId.tax.differs && byId.done.differs).toBe(true);
    expect(comparison.a.id).toBe(small.id);
    expect(comparison.b.id).toBe(large.id);
  });

  it('tells equal outputs from different ones, and gives both outputs', () => {
    // ACT: same order id, same path, another country
    const comparison = compareRuns(small, french);
    const byId = Object.fromEntries(comparison.nodes.map((n) => [n.nodeId, n]));
    // ASSERT: the branch decision is the same; the tax differs.
    expect(byId.check.statusA).toBe('completed');
    expect(byId.review).toMatchObject({ statusA: 'skipped', statusB: 'skipped', outputEqual: true, differs: false });
    expect(byId.tax.outputEqual).toBe(false);
    expect(byId.tax.outputA).toMatchObject({ rate: 0.19, tax: 19 });
    expect(byId.tax.outputB).toMatchObject({ rate: 0.2, tax: 50 });
    expect(comparison.differingNodes).toBe(comparison.nodes.filter((n) => n.differs).length);
    expect(comparison.differingNodes).toBeGreaterThanOrEqual(2); // tax, done (and note's output, if it has one)
  });

  it('gives durations and their difference, B minus A', () => {
    const comparison = compareRuns(small, large);
    for (const node of comparison.nodes) {
      if (node.durationA !== undefined && node.durationB !== undefined) {
        expect(node.durationDelta).toBe(node.durationB - node.durationA);
      } else {
        expect(node.durationDelta).toBeUndefined();
      }
    }
    const duration = comparison.run.find((r) => r.field === 'duration')!;
    expect(duration.delta).toBe(large.durationMs! - small.durationMs!);
  });

  it('compares the runs themselves: status, input, output', () => {
    const same = compareRuns(small, small);
    const other = compareRuns(small, large);
    const field = (c: ReturnType<typeof compareRuns>, name: string) => c.run.find((r) => r.field === name)!;
    expect(field(same, 'input').equal).toBe(true);
    expect(field(same, 'output').equal).toBe(true);
    expect(same.differingNodes).toBe(0);
    expect(field(other, 'status')).toMatchObject({ a: 'completed', b: 'completed', equal: true });
    expect(field(other, 'input')).toMatchObject({ equal: false, a: small.input, b: large.input });
    expect(field(other, 'output').equal).toBe(false);
  });

  it('keeps nodes only one run has, after the flow order, and marks them as differing', () => {
    // ARRANGE: run B of a later version of the flow, with a node `audit` added and `note` removed.
    const later: RunRecord = structuredClone(small);
    later.nodes.audit = { status: 'completed', attempts: 1, output: { ok: true } };
    delete later.nodes.note;
    // ACT: the flow file now lists audit first.
    const comparison = compareRuns(small, later, ['audit', 'check', 'review', 'tax', 'done']);
    // ASSERT
    expect(comparison.nodes.map((n) => n.nodeId)).toEqual(['audit', 'check', 'review', 'tax', 'done', 'note']);
    const audit = comparison.nodes[0];
    expect(audit).toMatchObject({ statusA: undefined, statusB: 'completed', differs: true, outputEqual: false });
    const note = comparison.nodes[5];
    expect(note).toMatchObject({ statusB: undefined, differs: true });
    expect(comparison.differingNodes).toBe(2);
  });

  it('marks outputs cut to the history size limit', () => {
    const cut: RunRecord = { ...structuredClone(small), truncated: ['nodes.tax.output'] };
    const comparison = compareRuns(small, cut);
    expect(comparison.nodes.find((n) => n.nodeId === 'tax')!.truncated).toBe(true);
    expect(comparison.nodes.find((n) => n.nodeId === 'check')!.truncated).toBe(false);
  });
});

describe('deepEqual', () => {
  it('ignores key order, not array order', () => {
    expect(deepEqual({ a: 1, b: [1, { c: 2 }] }, { b: [1, { c: 2 }], a: 1 })).toBe(true);
    expect(deepEqual([1, 2], [2, 1])).toBe(false);
    expect(deepEqual({ a: 1 }, { a: 1, b: undefined })).toBe(false);
    expect(deepEqual({ a: 1 }, [1])).toBe(false);
    expect(deepEqual(null, {})).toBe(false);
    expect(deepEqual(undefined, undefined)).toBe(true);
    expect(deepEqual('1', 1)).toBe(false);
  });
});
