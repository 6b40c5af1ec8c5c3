// `.flow.ts` typing (issue 14): a code function's `input` and `nodes.<id>` are typed from the graph in the
// exported module, with no build step. Checked by running the real `tsc` on exported samples: the clean module
// compiles, and the same module with a seeded typo in its code is reported at that property.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exportFlowSource } from '../../../../src/engine/export/exportFlowSource';
import { tscReport } from '../../../support/tscReport';

const ROOT = join(__dirname, '../../../..');
const scratch = mkdtempSync(join(tmpdir(), 'weft-flowts-types-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A flow whose code node reads the output of a transform: `nodes.shape` has a known, closed type. */
const READS_A_NODE = JSON.stringify({
  version: 1,
  id: 'reads-a-node',
  inputs: { type: 'object', properties: { total: { type: 'number' }, email: { type: 'string' } }, required: ['total', 'email'] },
  nodes: [
    { id: 'shape', type: 'transform', config: { output: { total: '{{ trigger.total }}', email: '{{ trigger.email }}' } } },
    { id: 'double', type: 'code', config: { code: 'return { doubled: nodes.shape.total * 2, to: input.email };' } },
  ],
  edges: [{ from: 'shape', to: 'double' }],
});

/**
 * Written by hand, no types declared: `flow()` infers the node ids, so `nodes.<id>` is checked, and types `input`
 * from the `inputs` schema (required, defaulted, optional and nullable properties, arrays, enums).
 */
const HAND_WRITTEN = `import { flow } from 'weft';

export default flow({
  version: 1,
  id: 'hand-written',
  inputs: {
    type: 'object',
    properties: {
      email: { type: 'string' },
      employees: { type: 'integer', default: 1 },
      tags: { type: 'array', items: { type: 'string' } },
      plan: { enum: ['free', 'team'] },
      note: { type: ['string', 'null'] },
    },
    required: ['email'],
  },
  nodes: [
    { id: 'score', type: 'transform', config: { output: { value: 80 } } },
    {
      id: 'label',
      type: 'code',
      config: {
        code: ({ input, nodes }) => {
          const domain: string = input.email.split('@')[1];
          const size: number = input.employees;
          const tags: string[] = input.tags ?? [];
          const plan: 'free' | 'team' | undefined = input.plan;
          const note: string | null | undefined = input.note;
          return { hot: nodes.score.value >= 80, domain, size, tags, plan, note };
        },
      },
    },
  ],
  edges: [{ from: 'score', to: 'label' }],
});
`;

/** Without `inputs`, `input` stays open (any), as before: no error for code that reads what it likes. */
const NO_INPUTS = `import { flow } from 'weft';

export default flow({
  version: 1,
  id: 'no-inputs',
  nodes: [{ id: 'read', type: 'code', config: { code: ({ input }) => input.anything.goes } }],
});
`;

function exported(name: string, text: string): string {
  const result = exportFlowSource(text, join(scratch, `${name}.flow.json`));
  if (!result.ok) throw new Error(JSON.stringify(result.diagnostics));
  return result.text;
}

/** Runs tsc (strict, `weft` resolved to this package's entry) on the modules; returns its report. */
function tsc(files: Record<string, string>): string {
  for (const [name, text] of Object.entries(files)) writeFileSync(join(scratch, name), text);
  return tscReport(
    scratch,
    {
      strict: true,
      noEmit: true,
      target: 'ES2022',
      module: 'ESNext',
      moduleResolution: 'Bundler',
      skipLibCheck: true,
      types: ['node'],
      typeRoots: [join(ROOT, 'node_modules/@types')],
      paths: { weft: [join(ROOT, 'src/weft.ts')] },
    },
    Object.keys(files),
  );
}

describe('.flow.ts typing from the graph', () => {
  it('tsc passes the clean modules and reports a seeded typo in input and nodes.<id> (exported) and in a node id (hand-written)', () => {
    // ARRANGE
    const signup = exported('normalize-signup', readFileSync(join(ROOT, 'samples/normalize-signup.flow.json'), 'utf8'));
    const reads = exported('reads-a-node', READS_A_NODE);
    const signupTypo = signup.replace('input.email.trim()', 'input.emial.trim()');
    const readsTypo = reads.replace('nodes.shape.total', 'nodes.shape.totl');
    const handTypo = HAND_WRITTEN.replace('nodes.score.value', 'nodes.scroe.value').replace('input.email.split', 'input.emial.split');
    const handMisuse = HAND_WRITTEN.replace('const size: number = input.employees', 'const size: string = input.employees');
    expect(signupTypo).not.toBe(signup);
    expect(readsTypo).not.toBe(reads);
    // ACT
    const clean = tsc({ 'normalize-signup.flow.ts': signup, 'reads-a-node.flow.ts': reads, 'hand-written.flow.ts': HAND_WRITTEN, 'no-inputs.flow.ts': NO_INPUTS });
    const typos = tsc({ 'normalize-signup.flow.ts': signupTypo, 'reads-a-node.flow.ts': readsTypo, 'hand-written.flow.ts': handTypo });
    const misuse = tsc({ 'hand-written.flow.ts': handMisuse });
    // ASSERT
    expect(clean).toBe('');
    expect(typos).toMatch(/normalize-signup\.flow\.ts\(\d+,\d+\): error TS2\d+: Property 'emial' does not exist/);
    expect(typos).toMatch(/reads-a-node\.flow\.ts\(\d+,\d+\): error TS2\d+: Property 'totl' does not exist/);
    expect(typos).toMatch(/hand-written\.flow\.ts\(\d+,\d+\): error TS2\d+: Property 'scroe' does not exist/);
    expect(typos).toMatch(/hand-written\.flow\.ts\(\d+,\d+\): error TS2\d+: Property 'emial' does not exist/);
    expect(misuse).toMatch(/hand-written\.flow\.ts\(\d+,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  }, 120_000);
});
