// The `weft` package as a user's project sees it: `import { flow } from 'weft'` resolved through package.json's
// "exports" (its "types" condition) to the declarations scripts/emitTypes.mjs writes, with no `paths` and no
// build step of theirs, checked with skipLibCheck off so the declarations themselves must be sound. A hand-written .flow.ts then gets the same checks as in this repository: a misspelled
// node id or input property is a tsc error, the clean file compiles.

import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tscReport } from '../support/tscReport';

const ROOT = join(__dirname, '../..');
const scratch = mkdtempSync(join(tmpdir(), 'weft-package-types-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const FLOW = `import { flow, type FlowCodeContext } from 'weft';

export default flow({
  version: 1,
  id: 'greet',
  inputs: { type: 'object', properties: { name: { type: 'string' }, visits: { type: 'number' } }, required: ['name'] },
  nodes: [
    { id: 'shape', type: 'transform', config: { output: { greeting: 'Hello {{ input.name }}' } } },
    { id: 'count', type: 'code', config: { code: ({ input, nodes }) => ({ text: nodes.shape.greeting, next: (input.visits ?? 0) + 1, who: input.name.trim() }) } },
    { id: 'typed', type: 'code', config: { code: (ctx: FlowCodeContext<{ name: string }>) => ctx.input.name.length } },
  ],
  edges: [{ from: 'shape', to: 'count' }, { from: 'count', to: 'typed' }],
});
`;

/** tsc over one .flow.ts in a project that depends on the package; its report ('' when clean). */
function tscInProject(project: string, flowText: string, moduleResolution: 'Bundler' | 'NodeNext'): string {
  writeFileSync(join(project, 'greet.flow.ts'), flowText);
  return tscReport(
    project,
    { strict: true, noEmit: true, target: 'ES2022', module: moduleResolution === 'Bundler' ? 'ESNext' : 'NodeNext', moduleResolution, skipLibCheck: false, types: ['node'] },
    ['greet.flow.ts'],
  );
}

describe('the weft package types', () => {
  let project: string;

  beforeAll(() => {
    // ARRANGE: the package as `npm pack` would lay it out (its package.json, the emitted declarations; its own
    // dependencies, zod and the rest, from this repository's node_modules), installed in a user's project.
    const packageDir = join(scratch, 'weft-package');
    mkdirSync(packageDir, { recursive: true });
    copyFileSync(join(ROOT, 'package.json'), join(packageDir, 'package.json'));
    execFileSync(process.execPath, [join(ROOT, 'scripts/emitTypes.mjs'), '--out', join(packageDir, 'dist/types')], { cwd: ROOT, stdio: 'pipe' });
    symlinkSync(join(ROOT, 'node_modules'), join(packageDir, 'node_modules'), 'dir');
    project = join(scratch, 'user-project');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true, type: 'module' }));
    symlinkSync(packageDir, join(project, 'node_modules/weft'), 'dir');
    // A Node project: it has @types/node (the package's declarations use node:fs types, as its API takes paths).
    symlinkSync(join(ROOT, 'node_modules/@types'), join(project, 'node_modules/@types'), 'dir');
  }, 120_000);

  it.each(['Bundler', 'NodeNext'] as const)('types a hand-written .flow.ts through package.json (moduleResolution %s)', (moduleResolution) => {
    // ACT
    const clean = tscInProject(project, FLOW, moduleResolution);
    const typos = tscInProject(project, FLOW.replace('nodes.shape.greeting', 'nodes.shap.greeting').replace('input.name.trim()', 'input.nmae.trim()'), moduleResolution);
    // ASSERT
    expect(clean).toBe('');
    expect(typos).toMatch(/greet\.flow\.ts\(\d+,\d+\): error TS2\d+: Property 'shap' does not exist/);
    expect(typos).toMatch(/greet\.flow\.ts\(\d+,\d+\): error TS2\d+: Property 'nmae' does not exist/);
  }, 120_000);
});
