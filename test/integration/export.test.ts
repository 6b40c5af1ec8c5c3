// `weft export` (spec section 12): writes the typed .flow.ts beside the .flow.json (exit 0), which `weft test`
// then passes; refuses to overwrite without --force; a flow that does not compile exits 2 and writes nothing.

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertCliBuilt, copyInto, makeWorkspace, runCli, SAMPLES_DIR } from './runCli';

let dir: string;
let remove: () => Promise<void>;

beforeAll(async () => {
  assertCliBuilt();
  ({ dir, remove } = await makeWorkspace('export'));
  await copyInto(dir, SAMPLES_DIR, ['normalize-signup.flow.json']);
});

afterAll(async () => {
  await remove?.();
});

describe('weft export', () => {
  it('writes the .flow.ts, whose tests pass, and will not overwrite it without --force', async () => {
    // ACT
    const first = await runCli(['export', 'normalize-signup.flow.json'], { cwd: dir });
    const again = await runCli(['export', 'normalize-signup.flow.json'], { cwd: dir });
    const forced = await runCli(['export', 'normalize-signup.flow.json', '-o', 'normalize-signup.flow.ts', '--force'], { cwd: dir });
    const tested = await runCli(['test', 'normalize-signup.flow.ts'], { cwd: dir });
    // ASSERT
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Wrote normalize-signup.flow.ts');
    expect(readFileSync(join(dir, 'normalize-signup.flow.ts'), 'utf8')).toContain("import { flow, type FlowCodeContext } from 'weft';");
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--force');
    expect(forced.code).toBe(0);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toContain('2 passed, 0 failed');
  });

  it('exits 2 on a flow that does not compile, writing nothing', async () => {
    // ARRANGE
    writeFileSync(join(dir, 'broken.flow.json'), JSON.stringify({ version: 1, id: 'broken', nodes: [{ id: 'a', type: 'no-such-type' }] }));
    // ACT
    const result = await runCli(['export', 'broken.flow.json'], { cwd: dir });
    // ASSERT
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('does not compile');
    expect(existsSync(join(dir, 'broken.flow.ts'))).toBe(false);
  });
});
