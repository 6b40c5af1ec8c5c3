import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadNodeTypeModules } from '../../../../src/engine/load/loadNodeTypeModules';
import { makeNodeContext } from '../../../support/nodeContext';

const FIXTURES = join(__dirname, '../../../fixtures/flowts');
/** The flow that lists the imports; only its folder matters. */
const FLOW_FILE = join(FIXTURES, 'crm.flow.json');

const scratch = mkdtempSync(join(tmpdir(), 'weft-nodetypes-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('loadNodeTypeModules', () => {
  it('loads a workspace node type module whose run works', async () => {
    // ACT
    const loaded = loadNodeTypeModules(['./nodes/crm.node.ts'], FLOW_FILE);
    // ASSERT
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.types.map((t) => t.type)).toEqual(['crm.addContact']);
    const [crm] = loaded.types;
    expect(crm.configSchema.safeParse({ list: 'leads' }).success).toBe(true);
    expect(crm.configSchema.safeParse({}).success).toBe(false);
    const outcome = await crm.run(makeNodeContext({ input: { email: 'ada@acme.test' }, config: { list: 'leads' } }));
    expect(outcome).toEqual({ output: { list: 'leads', email: 'ada@acme.test', added: true } });
  });

  it('gives the same type object when nothing changed (the module is not evaluated again)', () => {
    // ACT
    const first = loadNodeTypeModules(['./nodes/crm.node.ts'], FLOW_FILE);
    const second = loadNodeTypeModules(['./nodes/crm.node.ts'], FLOW_FILE);
    // ASSERT
    expect(second.types[0]).toBe(first.types[0]);
  });

  it('reports a module whose default export is not a node type at its imports entry', () => {
    // ACT
    const loaded = loadNodeTypeModules(['./nodes/crm.node.ts', './nodes/not-a-node.ts'], FLOW_FILE);
    // ASSERT
    expect(loaded.types.map((t) => t.type)).toEqual(['crm.addContact']);
    expect(loaded.diagnostics).toEqual([
      expect.objectContaining({
        code: 'load-error',
        file: FLOW_FILE,
        path: ['imports', 1],
        message: expect.stringContaining("'./nodes/not-a-node.ts' must `export default defineNodeType"),
        data: expect.objectContaining({ specifier: './nodes/not-a-node.ts' }),
      }),
    ]);
  });

  it('reports a module that cannot be found', () => {
    // ACT
    const loaded = loadNodeTypeModules(['./nodes/nowhere.node.ts', 'no-such-package'], FLOW_FILE);
    // ASSERT
    expect(loaded.types).toEqual([]);
    expect(loaded.diagnostics.map((d) => [d.path, d.message])).toEqual([
      [['imports', 0], "Cannot find the node type module './nodes/nowhere.node.ts'."],
      [['imports', 1], "Cannot find the node type module 'no-such-package'."],
    ]);
  });

  it('reports an error inside a module with the module’s position', () => {
    // ARRANGE
    const flowFile = join(scratch, 'broken.flow.json');
    writeFileSync(join(scratch, 'broken.node.ts'), "import { defineNodeType } from 'weft';\nexport default defineNodeType({ type: 'x' run: () => ({ output: 1 }) });\n");
    // ACT
    const loaded = loadNodeTypeModules(['./broken.node.ts'], flowFile);
    // ASSERT
    expect(loaded.diagnostics).toHaveLength(1);
    expect(loaded.diagnostics[0]).toMatchObject({ file: flowFile, path: ['imports', 0], data: { file: join(scratch, 'broken.node.ts'), range: { start: { line: 1 } } } });
    expect(loaded.diagnostics[0].message).toContain('broken.node.ts:2:');
  });

  it('fills in the fields the spec does not name, and refuses a second type of the same name', () => {
    // ARRANGE
    const flowFile = join(scratch, 'minimal.flow.json');
    // No `weft` helper and no zod: any object with safeParse will do as a schema.
    const minimal = "export default { type: 'acme.ping', configSchema: { safeParse: (v: unknown) => ({ success: true, data: v }) }, run: () => ({ output: 'pong' }) };\n";
    writeFileSync(join(scratch, 'ping.node.ts'), minimal);
    writeFileSync(join(scratch, 'ping-again.node.ts'), minimal);
    // ACT
    const loaded = loadNodeTypeModules(['./ping.node.ts', './ping-again.node.ts'], flowFile);
    // ASSERT
    expect(loaded.types).toHaveLength(1);
    expect(loaded.types[0]).toMatchObject({ type: 'acme.ping', title: 'acme.ping', description: '', ports: ['out'] });
    expect(loaded.diagnostics).toEqual([
      expect.objectContaining({ path: ['imports', 1], message: "The node type 'acme.ping' is already defined by './ping.node.ts'." }),
    ]);
  });
});
