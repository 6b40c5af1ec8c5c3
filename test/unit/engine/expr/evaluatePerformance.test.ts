// A micro-check, not a timed test: it runs the hot path a million times and checks the answer, so a change
// that makes evaluation allocate or walk the tree shows up when someone looks (WEFT_PERF=1 prints ns/op).
// Timing assertions would be flaky on a shared two-core machine, so there are none.

import { describe, expect, it } from 'vitest';
import { compileExpression } from '../../../../src/engine/expr/evaluate';
import { parseExpression } from '../../../../src/engine/expr/parser';
import type { Scope } from '../../../../src/engine/expr/scope';

describe('evaluation speed (micro-check)', () => {
  it('evaluates nodes.a.b + 1 a million times', () => {
    // ARRANGE
    const scope: Scope = {
      trigger: {}, input: {}, nodes: { a: { b: 41 } }, variables: {}, secrets: {},
      execution: { id: 'r', flowId: 'f', startedAt: '2024-01-01T00:00:00.000Z', trigger: { type: 'manual' } },
    };
    const evaluate = compileExpression(parseExpression('nodes.a.b + 1'));
    const runs = 1_000_000;

    for (let i = 0; i < 100_000; i++) evaluate(scope); // let the JIT settle first

    // ACT
    let total = 0;
    const started = process.hrtime.bigint();
    for (let i = 0; i < runs; i++) total += evaluate(scope) as number;
    const nsPerOp = Number(process.hrtime.bigint() - started) / runs;

    // ASSERT
    expect(total).toBe(42 * runs);
    if (process.env.WEFT_PERF) console.info(`nodes.a.b + 1: ${nsPerOp.toFixed(1)} ns/op`);
  });
});
