import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import { reportDuplicateFlowIds, type CheckedFile } from '../../../../src/engine/model/duplicateFlowIds';

/** A compiled file; `indent` moves its `id` so positions differ between files. */
function checked(file: string, id: string, indent = 0): CheckedFile {
  const text = `{ "version": 1,\n${' '.repeat(indent)}"id": "${id}",\n "nodes": [{ "id": "a", "type": "transform", "config": { "output": 1 } }] }`;
  const { flow, diagnostics } = compileFlow(text, { file });
  expect(flow).toBeDefined();
  return { file, flow, diagnostics };
}

describe('reportDuplicateFlowIds', () => {
  it('gives each file of a shared id an error at its own id, naming the other file and its position', () => {
    const original = checked('/w/orders.flow.json', 'order-intake', 2);
    const copy = checked('/w/copy/orders.flow.json', 'order-intake', 6);
    const other = checked('/w/other.flow.json', 'other');
    reportDuplicateFlowIds([original, copy, other], (file) => file.slice(3));
    expect(other.diagnostics).toEqual([]);
    expect(original.diagnostics).toEqual([
      expect.objectContaining({
        code: 'duplicate-flow-id',
        severity: 'error',
        file: '/w/orders.flow.json',
        message: "Flow id 'order-intake' is also the id of copy/orders.flow.json:2:13: a flow id is unique in the workspace",
        range: { start: { line: 1, character: 8 }, end: { line: 1, character: 22 } },
      }),
    ]);
    expect(copy.diagnostics).toEqual([
      expect.objectContaining({
        message: "Flow id 'order-intake' is also the id of orders.flow.json:2:9: a flow id is unique in the workspace",
        range: { start: { line: 1, character: 12 }, end: { line: 1, character: 26 } },
      }),
    ]);
  });

  it('ignores files that did not compile', () => {
    const good = checked('/w/a.flow.json', 'same');
    const broken: CheckedFile = { file: '/w/b.flow.json', diagnostics: [] };
    reportDuplicateFlowIds([good, broken]);
    expect(good.diagnostics).toEqual([]);
  });
});
