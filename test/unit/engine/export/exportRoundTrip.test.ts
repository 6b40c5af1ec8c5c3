// The export round trip (issue 14): for every sample and for generated flows, the `.flow.ts` that `weft export`
// writes loads through the real .flow.ts loader to the same definition (ids, edges, settings, triggers, tests,
// layout; code nodes as functions instead of strings) and passes the same in-file tests.

import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../../../src/api/loadFlow';
import { closeSharedCodeSandbox } from '../../../../src/api/sharedSandbox';
import { runFlowTests } from '../../../../src/api/runTests';
import { defaultExportPath, exportFlowSource } from '../../../../src/engine/export/exportFlowSource';
import type { CompiledFlow } from '../../../../src/engine/model/compiledFlow';

const SAMPLES = join(__dirname, '../../../../samples');
// A copy of the samples, so the exported modules sit beside the files their subflows and imports name.
const scratch = mkdtempSync(join(tmpdir(), 'weft-export-'));
cpSync(SAMPLES, scratch, { recursive: true });
afterAll(async () => {
  rmSync(scratch, { recursive: true, force: true });
  await closeSharedCodeSandbox();
});

const sampleFiles = [
  ...readdirSync(scratch).filter((f) => f.endsWith('.flow.json')).map((f) => join(scratch, f)),
  ...readdirSync(join(scratch, 'flows')).filter((f) => f.endsWith('.flow.json')).map((f) => join(scratch, 'flows', f)),
];

/** The definition as data: code (a string or a function) becomes a marker, so the two kinds compare equal. */
function comparable(flow: CompiledFlow): unknown {
  const { $schema: _schema, ...definition } = flow.definition as typeof flow.definition & { $schema?: string };
  return JSON.parse(
    JSON.stringify({ ...definition, nodes: definition.nodes.map((n) => (n.type === 'code' ? { ...n, config: { ...n.config, code: '<code>' } } : n)) }),
  );
}

/** Exports `file`, writes the .flow.ts beside it and loads both. */
function roundTrip(file: string): { json: CompiledFlow; ts: CompiledFlow; text: string } {
  const exported = exportFlowSource(readFileSync(file, 'utf8'), file);
  if (!exported.ok) throw new Error(`export failed: ${JSON.stringify(exported.diagnostics)}`);
  const target = defaultExportPath(file);
  writeFileSync(target, exported.text);
  const json = loadFlow(file);
  const ts = loadFlow(target);
  expect(ts.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { json: json.flow!, ts: ts.flow!, text: exported.text };
}

async function testOutcomes(flow: CompiledFlow): Promise<{ name: string; passed: boolean; output: unknown }[]> {
  const results = await runFlowTests(flow, { history: false });
  return results.map((r) => ({ name: r.name, passed: r.passed, output: r.record?.output }));
}

describe('weft export round trip', () => {
  it.each(sampleFiles.map((f) => [f.slice(scratch.length + 1), f]))('%s compiles back to the same flow and passes the same tests', async (_name, file) => {
    // ARRANGE + ACT
    const { json, ts } = roundTrip(file);
    // ASSERT
    expect(comparable(ts)).toEqual(comparable(json));
    const before = await testOutcomes(json);
    const after = await testOutcomes(ts);
    expect(after).toEqual(before);
    expect(after.every((t) => t.passed)).toBe(true);
  });

  it('writes a code node as a typed function of the names its body uses', () => {
    // ARRANGE
    const file = sampleFiles.find((f) => f.endsWith('normalize-signup.flow.json'))!;
    // ACT
    const { text } = roundTrip(file);
    // ASSERT
    expect(text).toContain("code: ({ input, log }: FlowCodeContext<Inputs['normalize'], Trigger, Nodes>) => {");
    expect(text).toContain('type Trigger = { name: string; email: string; tags: string };');
    expect(text).not.toContain('$schema');
  });
});
