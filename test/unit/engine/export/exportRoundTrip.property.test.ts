// The export round trip on generated flows (issue 14; the samples are in exportRoundTrip.test.ts): the `.flow.ts` that `weft export`
// writes loads through the real .flow.ts loader to the same definition (ids, edges, settings, triggers, tests,
// layout; code nodes as functions instead of strings) and passes the same in-file tests.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
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

// ---------------------------------------------------------------------------------------------------------
// Generated flows: a random DAG of transform, if, code and log nodes, with awkward strings and keys, triggers,
// settings, layout and tests; the exported module must load to the same definition and give the same runs.

const awkwardText = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.constantFrom("it's", 'say "hi"', 'back\\slash', 'line\nbreak', '{{ trigger.n }}', 'tab\there', '${not} a template', '\u2028', 'é ✓ 🎉'),
);
const key = fc.oneof(fc.constantFrom('a', 'b_c', 'kebab-key', '1st', 'with space', '$dollar', 'constructor'), fc.string({ minLength: 1, maxLength: 6 }));
const jsonValue: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, awkwardText, fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 3 }), fc.dictionary(key, tie('value'), { maxKeys: 3 })),
})).value;

const CODE_BODIES = [
  'return input;',
  'return { seen: trigger, n: 1 };',
  "const value = await Promise.resolve(2);\nlog('value', value);\nreturn { value };",
  "// a comment line\nreturn { list: [1, 2, 3].map((x) => x * 2), text: `a ${'b'}` };",
  'const input2 = input;\nreturn { input2, index: index ?? null };',
];

interface GeneratedNode {
  kind: 'transform' | 'if' | 'code' | 'log';
  value: unknown;
  condition: boolean;
  body: number;
}

const flowArbitrary = fc.integer({ min: 1, max: 8 }).chain((n) =>
  fc.record({
    nodes: fc.array(
      fc.record({ kind: fc.constantFrom<GeneratedNode['kind']>('transform', 'if', 'code', 'log'), value: jsonValue, condition: fc.boolean(), body: fc.nat(CODE_BODIES.length - 1) }),
      { minLength: n, maxLength: n },
    ),
    // A single node has no edge to draw (a filter on a < b would never pass).
    edges:
      n === 1
        ? fc.constant<[number, number][]>([])
        : fc.uniqueArray(
            fc.tuple(fc.nat(n - 2), fc.nat(n - 2)).map(([a, b]): [number, number] => (a < b ? [a, b + 1] : [b, a + 1])),
            { maxLength: n * 2, selector: ([a, b]) => `${a}-${b}` },
          ),
    name: awkwardText,
    variables: fc.dictionary(key, jsonValue, { maxKeys: 3 }),
    webhook: fc.boolean(),
    concurrency: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    inputs: fc.array(fc.dictionary(key, jsonValue, { maxKeys: 3 }), { minLength: 1, maxLength: 2 }),
  }),
);


describe('weft export round trip, generated flows', () => {
  it('loads to the same definition and gives the same test runs', async () => {
    let count = 0;
    await fc.assert(
      fc.asyncProperty(flowArbitrary, async (g) => {
        const ids = g.nodes.map((_n, i) => `n${i}_${['x', 'y-z', 'w'][i % 3]}`);
        const definition = {
          version: 1,
          id: `generated-${count}`,
          name: g.name,
          variables: g.variables,
          triggers: g.webhook ? [{ type: 'manual' }, { type: 'webhook', path: `gen-${count}` }] : undefined,
          settings: g.concurrency === undefined ? undefined : { concurrency: g.concurrency, timeoutMs: 60000 },
          nodes: g.nodes.map((node, i) => ({
            id: ids[i],
            type: node.kind,
            ...(i % 2 === 0 ? { name: `Node ${i}` } : {}),
            config:
              node.kind === 'transform'
                ? { output: { value: node.value, from: '{{ input }}' } }
                : node.kind === 'if'
                  ? { condition: node.condition ? '{{ true }}' : '{{ 1 > 2 }}' }
                  : node.kind === 'code'
                    ? { code: CODE_BODIES[node.body] }
                    : { message: 'at {{ execution.flowId }}' },
          })),
          edges: g.edges.map(([a, b]) => ({ from: ids[a], to: ids[b], ...(g.nodes[a].kind === 'if' ? { port: 'true' } : {}) })),
          layout: Object.fromEntries(ids.map((id, i) => [id, { x: i * 200, y: 40 }])),
          tests: g.inputs.map((input, i) => ({ name: `case ${i}`, input, expect: { status: 'completed' } })),
        };
        const file = join(scratch, `generated-${count++}.flow.json`);
        writeFileSync(file, JSON.stringify(definition, null, 2));
        const { json, ts } = roundTrip(file);
        expect(comparable(ts)).toEqual(comparable(json));
        const before = await testOutcomes(json);
        const after = await testOutcomes(ts);
        expect(after).toEqual(before);
      }),
      { numRuns: 40 },
    );
  }, 120_000);
});
