import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../src/api/runFlow';
import type { Range } from '../../../src/engine/model/diagnostics';
import { compileFlow } from '../../../src/engine/model/compileFlow';
import { createDefaultRegistry } from '../../../src/engine/nodes/builtins';
import type { RunRecord } from '../../../src/engine/run/runRecord';
import { runFailureDiagnostics } from '../../../src/language/runFailureDiagnostics';

const FILE = '/w/order-intake.flow.json';
const FLOW = `{
  "version": 1,
  "id": "order-intake",
  "nodes": [
    { "id": "tax", "type": "transform", "config": { "output": { "tax": "{{ round(input.total / input.orderId, 2) }}" } } },
    { "id": "stop", "type": "fail", "config": { "message": "no" } }
  ],
  "edges": [{ "from": "tax", "to": "stop" }]
}`;

function textAt(text: string, range: Range): string {
  return text.split('\n')[range.start.line].slice(range.start.character, range.end.character);
}

async function run(text: string, input: unknown): Promise<RunRecord> {
  const { flow } = compileFlow(text, { registry: createDefaultRegistry(), file: FILE });
  return runFlow(flow!, { history: false, secrets: {}, input });
}

describe('runFailureDiagnostics', () => {
  it('puts an expression failure on the failing part of the template, with the way out', async () => {
    // ARRANGE
    const record = await run(FLOW, { total: 120, orderId: 'A-42' });

    // ACT
    const diagnostics = runFailureDiagnostics(record, FLOW, FILE);

    // ASSERT
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ nodeId: 'tax', code: 'expression-error' });
    expect(textAt(FLOW, diagnostics[0].range)).toBe('input.total / input.orderId');
    expect(diagnostics[0].message).toBe(
      "Run failed at node 'tax': `input.total / input.orderId`: cannot divide number by string\n" +
        'If it may have no value, give a fallback: {{ input.total / input.orderId ?? 0 }} or {{ default(input.total / input.orderId, 0) }}.',
    );
  });

  it('puts a failure with no template position on the node id', async () => {
    const record = await run(FLOW, { total: 120, orderId: 4 });
    const diagnostics = runFailureDiagnostics(record, FLOW, FILE);
    expect(diagnostics.map((d) => [d.nodeId, textAt(FLOW, d.range)])).toEqual([['stop', '"stop"']]);
  });

  it('leaves a location in another file (a subflow) to the node', async () => {
    const record = await run(FLOW, { total: 120, orderId: 'A-42' });
    record.nodes.tax.error!.location!.file = '/w/child.flow.json';
    const diagnostics = runFailureDiagnostics(record, FLOW, FILE);
    expect(textAt(FLOW, diagnostics[0].range)).toBe('"tax"');
  });

  it("puts a failure of the run's output template on it", async () => {
    const text = `{
  "version": 1,
  "id": "order-intake",
  "nodes": [{ "id": "tax", "type": "transform", "config": { "output": { "tax": "{{ input.orderId }}" } } }],
  "edges": [],
  "output": "{{ nodes.tax.tax * 2 }}"
}`;
    const record = await run(text, { total: 120, orderId: 'A-42' });
    const diagnostics = runFailureDiagnostics(record, text, FILE).filter((d) => d.nodeId === '');
    expect(diagnostics).toHaveLength(1);
    expect(textAt(text, diagnostics[0].range)).toBe('nodes.tax.tax * 2');
    expect(diagnostics[0].message).toContain('Run failed at its output: `nodes.tax.tax * 2`: cannot multiply string by number');
  });
});
