import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isMarkedFlow } from '../../../../src/engine/authoring';
import { loadFlowModule } from '../../../../src/engine/load/loadFlowModule';

const FIXTURES = join(__dirname, '../../../fixtures/flowts');

const scratch = mkdtempSync(join(tmpdir(), 'weft-loadflow-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes a module into a scratch folder beside nothing else. */
function writeModule(name: string, text: string): string {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

/** Zero-based line of the first line holding `text`. */
function lineOf(file: string, text: string): number {
  return readFileSync(file, 'utf8').split('\n').findIndex((line) => line.includes(text));
}

describe('loadFlowModule', () => {
  it('loads the default export of flow({...}) with its code functions, and locates paths in the text', () => {
    // ARRANGE
    const file = join(FIXTURES, 'score-lead.flow.ts');
    // ACT
    const loaded = loadFlowModule(file);
    // ASSERT
    expect(loaded.diagnostics).toEqual([]);
    expect(isMarkedFlow(loaded.definition)).toBe(true);
    const definition = loaded.definition as { id: string; nodes: { config: { code?: (ctx: unknown) => unknown } }[] };
    expect(definition.id).toBe('score-lead');
    expect(definition.nodes[0].config.code?.({ trigger: { employees: 3, visits: 2 } })).toEqual({ value: 20 });
    expect(loaded.sourceText).toBe(readFileSync(file, 'utf8'));
    expect(loaded.inputs).toContain(join(FIXTURES, 'scoring.ts'));
    const hot = lineOf(file, "id: 'hot'");
    expect(loaded.locate(['nodes', 1])?.start.line).toBe(hot);
    expect(loaded.locate(['edges', 0])?.start.line).toBe(lineOf(file, "{ from: 'score', to: 'hot' }"));
  });

  it('accepts a flow-shaped object exported without the flow() helper', () => {
    // ARRANGE
    const file = writeModule('plain.flow.ts', "export default { version: 1, id: 'plain', nodes: [{ id: 'a', type: 'log', config: { message: 'hi' } }] };\n");
    // ACT
    const loaded = loadFlowModule(file);
    // ASSERT
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.definition).toMatchObject({ id: 'plain' });
  });

  it('reports a module with no default export at its flow() call', () => {
    // ARRANGE
    const file = join(FIXTURES, 'no-default.flow.ts');
    // ACT
    const loaded = loadFlowModule(file);
    // ASSERT
    expect(loaded.definition).toBeUndefined();
    expect(loaded.diagnostics).toEqual([
      expect.objectContaining({ code: 'load-error', severity: 'error', file, message: 'A .flow.ts module must `export default flow({...})`.' }),
    ]);
    expect(loaded.diagnostics[0].range?.start.line).toBe(lineOf(file, 'export const notTheDefault = flow({'));
  });

  it('reports a default export that is not a flow at the export', () => {
    // ARRANGE
    const file = writeModule('number.flow.ts', "// not a flow\nexport default 42;\n");
    // ACT
    const loaded = loadFlowModule(file);
    // ASSERT
    expect(loaded.definition).toBeUndefined();
    expect(loaded.diagnostics).toEqual([
      expect.objectContaining({ code: 'load-error', range: { start: { line: 1, character: 0 }, end: { line: 1, character: 14 } } }),
    ]);
  });

  it('passes on the bundler’s load-errors and still locates in the text', () => {
    // ARRANGE
    const file = join(FIXTURES, 'syntax-error.flow.ts');
    // ACT
    const loaded = loadFlowModule(file);
    // ASSERT
    expect(loaded.definition).toBeUndefined();
    expect(loaded.diagnostics).toEqual([expect.objectContaining({ code: 'load-error', file })]);
    expect(loaded.diagnostics[0].range?.start.line).toBe(lineOf(file, "{ id: 'a' type"));
    expect(loaded.locate([])?.start.line).toBe(lineOf(file, 'export default flow({'));
  });

  it('reports a file that cannot be read', () => {
    // ACT
    const loaded = loadFlowModule(join(scratch, 'missing.flow.ts'));
    // ASSERT
    expect(loaded.definition).toBeUndefined();
    expect(loaded.diagnostics).toEqual([expect.objectContaining({ code: 'load-error', message: expect.stringContaining('Cannot read') })]);
  });
});
