// One answer to "is this file a flow?" (spec section 1: *.flow.json and *.flow.ts), asked by `weft run` (through
// loadFlow), by the directory walk of `weft validate`/`weft test`/`weft serve`, and by the editor.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadFlow } from '../../../src/api/loadFlow';
import { findFlowFiles } from '../../../src/engine/load/findFlowFiles';
import { flowFileKind, isFlowFile } from '../../../src/shared/flowFiles';

const MODULE_FLOW = "import { flow } from 'weft';\nexport default flow({ version: 1, id: 'm', nodes: [{ id: 'a', type: 'log', config: { message: 'hi' } }] });\n";

describe('flowFileKind', () => {
  it('knows exactly the two kinds of flow file', () => {
    expect(flowFileKind('/w/orders.flow.json')).toBe('json');
    expect(flowFileKind('/w/orders.flow.ts')).toBe('ts');
    for (const other of ['a.flow.mjs', 'a.flow.js', 'a.flow.cts', 'a.flow.mts', 'a.json', 'a.ts', 'flow.json', 'a.flow.json.bak']) {
      expect(isFlowFile(other), other).toBe(false);
    }
  });
});

describe('every entry point uses the same rule', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'weft-flowfiles-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a .flow.mjs is neither found in a directory nor loaded when named', () => {
    // ARRANGE: the same flow module under a flow name and a non-flow name
    writeFileSync(join(dir, 'a.flow.mjs'), MODULE_FLOW);
    writeFileSync(join(dir, 'b.flow.ts'), MODULE_FLOW);

    // ACT
    const found = findFlowFiles([dir]).files;
    const named = loadFlow(join(dir, 'a.flow.mjs'));

    // ASSERT: `weft validate .` skips it, and `weft run a.flow.mjs` refuses it with a reason instead of running it
    expect(found).toEqual([join(dir, 'b.flow.ts')]);
    expect(named.flow).toBeUndefined();
    expect(named.diagnostics.map((d) => [d.code, d.message])).toEqual([
      ['load-error', `${join(dir, 'a.flow.mjs')} is not a flow file: a flow is a *.flow.json or a *.flow.ts file.`],
    ]);
    expect(loadFlow(join(dir, 'b.flow.ts')).flow?.id).toBe('m');
  });
});
