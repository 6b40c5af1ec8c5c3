import { parse } from 'jsonc-parser';
import { describe, expect, it, vi } from 'vitest';
import type { RunRecord } from '../../../src/engine/run/runRecord';

// A stand-in for the parts of the VS Code API Save Run as Test uses: the prompts answer as the user would (the
// proposed name, the keys ticked by default), and the edit is applied to an in-memory text.
const fake = vi.hoisted(() => ({
  text: '',
  prompts: [] as { kind: string; value?: string; items?: { label: string; picked?: boolean }[] }[],
  messages: [] as string[],
}));

vi.mock('vscode', async () => {
  const { FakeFileUri: Uri } = await import('../../support/fakeFileUri');
  class Range {
    constructor(
      readonly start: number,
      readonly end: number,
    ) {}
  }
  class WorkspaceEdit {
    readonly edits: { range: Range; text: string }[] = [];
    replace(_uri: unknown, range: Range, text: string): void {
      this.edits.push({ range, text });
    }
  }
  return {
    Uri,
    Range,
    WorkspaceEdit,
    window: {
      showInputBox: async (options: { value?: string }) => {
        fake.prompts.push({ kind: 'name', value: options.value });
        return options.value;
      },
      showQuickPick: async (items: { label: string; picked?: boolean }[]) => {
        fake.prompts.push({ kind: 'keys', items });
        return items.filter((item) => item.picked);
      },
      showInformationMessage: async (message: string) => {
        fake.messages.push(message);
        return undefined;
      },
    },
    workspace: {
      // Offsets stand for positions: the edit below is applied by offset.
      openTextDocument: async () => ({ getText: () => fake.text, positionAt: (offset: number) => offset }),
      applyEdit: async (edit: WorkspaceEdit) => {
        for (const e of [...edit.edits].sort((a, b) => b.range.start - a.range.start)) {
          fake.text = fake.text.slice(0, e.range.start as unknown as number) + e.text + fake.text.slice(e.range.end as unknown as number);
        }
        return true;
      },
    },
  };
});

const vscode = await import('vscode');
const { commandHandlers } = await import('../../../src/extension/commands');

const FLOW = [
  '{',
  '  "id": "order-intake",',
  '  "nodes": [ { "id": "tax", "type": "transform" } ],',
  '  "tests": [',
  '    {',
  '      "name": "small German orders",',
  '      "input": { "orderId": "A-1", "total": 100 },',
  '      "expect": { "output": { "tax": 19 } }',
  '    }',
  '  ]',
  '}',
  '',
].join('\n');

const RECORD: RunRecord = {
  id: '0mx5abcde-12345678',
  flowId: 'order-intake',
  flowHash: 'h',
  status: 'completed',
  mode: 'run',
  trigger: { type: 'manual' },
  input: { orderId: 'A-42', total: 120 },
  output: { orderId: 'A-42', queue: 'auto', tax: 22.8, processedAt: '2025-06-01T10:00:00.000Z' },
  startedAt: '2025-06-01T10:00:00.000Z',
  nodes: {},
};

describe('Save Run as Test', () => {
  it('proposes a name from the input, asserts the keys that are not timestamps or ids, and writes like the tests there', async () => {
    // ARRANGE
    fake.text = FLOW;
    const runs = { history: () => ({ get: async () => RECORD }) };
    const handlers = commandHandlers({ runs, secrets: {}, tests: {}, history: {}, execution: {} } as never);
    // ACT
    await handlers['weft.saveRunAsTest'](vscode.Uri.file('/w/order-intake.flow.json'), RECORD.id);
    // ASSERT: what the user was asked
    expect(fake.prompts[0]).toEqual({ kind: 'name', value: 'orderId A-42' });
    expect(fake.prompts[1].items?.map((i) => [i.label, i.picked])).toEqual([
      ['orderId', false],
      ['queue', true],
      ['tax', true],
      ['processedAt', false],
    ]);
    // …and what was written: only the picked keys, objects on one line like the test above it
    const tests = parse(fake.text).tests;
    expect(tests[1]).toEqual({ name: 'orderId A-42', input: { orderId: 'A-42', total: 120 }, expect: { status: 'completed', output: { queue: 'auto', tax: 22.8 } } });
    expect(fake.text).toContain('\n      "input": { "orderId": "A-42", "total": 120 },\n');
    expect(fake.text.startsWith(FLOW.slice(0, FLOW.indexOf('    }\n  ]')))).toBe(true);
  });
});
