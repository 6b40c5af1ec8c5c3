// docs/decisions.md, "No silent wrong results": a template whose operation has no meaningful result fails its
// node with `expression-error`, the template's text, the operand types and where it is in the flow file; a
// template that gives a fallback (`??`, `default()`) stays silent; a key that a template leaves undefined is
// never dropped without a trace.

import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import { createDefaultRegistry } from '../../../../src/engine/nodes/builtins';
import type { RunRecord } from '../../../../src/engine/run/runRecord';

/** The flow: `tax` divides a number by a string. */
function orderFlow(tax: string): string {
  return `{
  "version": 1,
  "id": "order-intake",
  "nodes": [
    { "id": "tax", "type": "transform", "config": { "output": { "total": "{{ input.total }}", "tax": "${tax}" } } }
  ],
  "edges": []
}`;
}

async function runText(text: string, input: unknown): Promise<RunRecord> {
  const { flow, diagnostics } = compileFlow(text, { registry: createDefaultRegistry(), file: '/w/order-intake.flow.json' });
  if (!flow) throw new Error(diagnostics.map((d) => d.message).join('\n'));
  return runFlow(flow, { history: false, secrets: {}, input });
}

describe('expression failures in a run', () => {
  it('fails the node on number / string, naming the template and the operand types, placed on the failing part', async () => {
    // ARRANGE
    const text = orderFlow('{{ round(input.total / input.orderId, 2) }}');

    // ACT
    const record = await runText(text, { total: 120, orderId: 'A-42' });

    // ASSERT
    expect(record.status).toBe('failed');
    const error = record.nodes.tax.error!;
    expect(error).toMatchObject({
      code: 'expression-error',
      message: '`input.total / input.orderId`: cannot divide number by string',
      nodeId: 'tax',
    });
    expect(error.location).toMatchObject({ path: ['nodes', 0, 'config', 'output', 'tax'], file: '/w/order-intake.flow.json' });
    const { start, end, range } = error.location!;
    expect('{{ round(input.total / input.orderId, 2) }}'.slice(start, end)).toBe('input.total / input.orderId');
    // The range is the same part in the file: line 4 (zero-based), at the division.
    const line = text.split('\n')[range!.start.line];
    expect(line.slice(range!.start.character, range!.end.character)).toBe('input.total / input.orderId');
    expect(error.hint).toContain('default(input.total / input.orderId, 0)');
    expect(record.error).toMatchObject({ code: 'expression-error', nodeId: 'tax' });
  });

  it('fails on a value demanded through null, and names what was null', async () => {
    const record = await runText(orderFlow('{{ input.customer.rate }}'), { total: 1, customer: null });
    expect(record.nodes.tax.error).toMatchObject({
      code: 'expression-error',
      message: '`input.customer.rate`: cannot read rate of null (input.customer is null)',
    });
  });

  it.each([
    ['{{ round(input.total / input.orderId, 2) ?? 0 }}', 0],
    ['{{ default(round(input.total / input.orderId, 2), 0) }}', 0],
    ['{{ input.customer.rate ?? 0.2 }}', 0.2],
    ['{{ default(input.customer.rate, 0.2) }}', 0.2],
  ])('stays silent where the template gives a fallback: %s', async (tax, expected) => {
    const record = await runText(orderFlow(tax), { total: 120, orderId: 'A-42', customer: null });
    expect(record.status).toBe('completed');
    expect(record.output).toEqual({ total: 120, tax: expected });
  });

  it('keeps a trace in the log of a key that a template leaves undefined', async () => {
    // ARRANGE: `input.tax` is simply missing (not a read through null), so the value is undefined
    const record = await runText(orderFlow('{{ input.tax }}'), { total: 120 });

    // ASSERT
    expect(record.status).toBe('completed');
    expect(JSON.parse(JSON.stringify(record.output))).toEqual({ total: 120 });
    expect(record.nodes.tax.logs).toEqual([
      expect.objectContaining({ level: 'warn', message: expect.stringContaining('output.tax has no value (its template gave undefined), so it is left out of the output') }),
    ]);
  });

  it('fails an if node whose condition divides by a string, placed in the condition', async () => {
    const text = `{ "version": 1, "id": "f", "nodes": [ { "id": "check", "type": "if", "config": { "condition": "{{ input.total / input.orderId > 1 }}" } } ], "edges": [] }`;
    const record = await runText(text, { total: 120, orderId: 'A-42' });
    expect(record.nodes.check.error).toMatchObject({
      code: 'expression-error',
      message: '`input.total / input.orderId`: cannot divide number by string',
      location: { path: ['nodes', 0, 'config', 'condition'], start: 3, end: 30 },
    });
  });
});
