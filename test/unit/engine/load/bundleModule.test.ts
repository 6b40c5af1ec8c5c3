import { cpSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defineNodeType, flow } from '../../../../src/engine/authoring';
import { bundleBuildCount, bundleModule } from '../../../../src/engine/load/bundleModule';

const FIXTURES = join(__dirname, '../../../fixtures/flowts');

type FlowExports = { default: { nodes: { id: string; config: { code: (ctx: unknown) => unknown } }[] } };

function codeOf(exports: unknown, index = 0): (ctx: unknown) => unknown {
  return (exports as FlowExports).default.nodes[index].config.code;
}

/** Zero-based line of the first line of `file` holding `text`, and the column where it starts. */
function positionOf(file: string, text: string): { line: number; character: number } {
  const lines = readFileSync(file, 'utf8').split('\n');
  const line = lines.findIndex((l) => l.includes(text));
  return { line, character: lines[line].indexOf(text) };
}

const workspaces: string[] = [];
/** A copy of the fixture workspace that a test may edit. */
function scratchWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'weft-flowts-'));
  cpSync(FIXTURES, dir, { recursive: true });
  workspaces.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of workspaces) rmSync(dir, { recursive: true, force: true });
});

describe('bundleModule', () => {
  it('loads a .flow.ts whose code function uses a workspace module it imports', () => {
    // ARRANGE
    const file = join(FIXTURES, 'score-lead.flow.ts');
    // ACT
    const result = bundleModule(file);
    // ASSERT
    expect(result.diagnostics).toEqual([]);
    expect(result.inputs).toEqual(expect.arrayContaining([file, join(FIXTURES, 'scoring.ts')]));
    const code = codeOf(result.exports);
    expect(typeof code).toBe('function');
    expect(code({ trigger: { email: 'ada@acme.test', employees: 400, visits: 7 } })).toEqual({ value: 85 });
  });

  it('resolves packages from the node_modules of the module’s workspace', () => {
    // ARRANGE
    const file = join(FIXTURES, 'uses-package.flow.ts');
    // ACT
    const result = bundleModule(file);
    // ASSERT
    expect(result.diagnostics).toEqual([]);
    expect(codeOf(result.exports)({ input: { name: 'Ada' } })).toBe('Hello, Ada!');
    // The package is required at run time, not bundled: it is not one of the inputs.
    expect(result.inputs).toEqual([file]);
  });

  it('gives `import ... from "weft"` the running engine’s own authoring API', () => {
    // ARRANGE
    const file = join(FIXTURES, 'weft-identity.ts');
    const extra = { runFlow: () => 'the engine’s runFlow' };
    // ACT
    const plain = bundleModule(file).exports as { flow: unknown; weft: Record<string, unknown> };
    const withExtra = bundleModule(file, { api: extra }).exports as { weft: Record<string, unknown> };
    // ASSERT
    expect(plain.flow).toBe(flow);
    expect(plain.weft.defineNodeType).toBe(defineNodeType);
    expect(withExtra.weft.runFlow).toBe(extra.runFlow);
    expect(withExtra.weft.flow).toBe(flow);
  });

  it('maps the stack of an error thrown in a .flow.ts function to the .flow.ts line', () => {
    // ARRANGE
    const file = join(FIXTURES, 'throws.flow.ts');
    const throwLine = positionOf(file, "throw new Error('an order needs").line + 1;
    const code = codeOf(bundleModule(file).exports);
    // ACT
    const stack = stackOf(() => code({ input: { items: [] } }));
    // ASSERT
    expect(stack).toContain('an order needs at least one item');
    expect(stack).toMatch(new RegExp(`throws\\.flow\\.ts:${throwLine}:\\d+`));
  });

  it('maps the stack through Node’s own source maps when no one overrides prepareStackTrace', () => {
    // ARRANGE: vitest formats stacks itself; step aside so Node's built-in mapping is what runs.
    const file = join(FIXTURES, 'throws.flow.ts');
    const throwLine = positionOf(file, "throw new Error('an order needs").line + 1;
    const code = codeOf(bundleModule(file).exports);
    const saved = Error.prepareStackTrace;
    let stack: string;
    // ACT
    try {
      (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
      stack = stackOf(() => code({ input: { items: [] } }));
    } finally {
      Error.prepareStackTrace = saved;
    }
    // ASSERT
    expect(stack).toContain(`${file}:${throwLine}:`);
  });

  it('maps the stack of an error thrown in an imported helper to the helper’s line', () => {
    // ARRANGE
    const file = join(FIXTURES, 'imports/helper-throws.flow.ts');
    const helper = join(FIXTURES, 'imports/helpers/validate.ts');
    const thrown = positionOf(helper, "new Error('an order holds");
    const code = codeOf(bundleModule(file).exports);
    // ACT: with vitest's prepareStackTrace (our wrapper maps), then without (Node maps)
    const wrapped = stackOf(() => code({ input: { items: [1, 2, 3, 4] } }));
    const saved = Error.prepareStackTrace;
    let plain: string;
    try {
      (Error as { prepareStackTrace?: unknown }).prepareStackTrace = undefined;
      plain = stackOf(() => code({ input: { items: [1, 2, 3, 4] } }));
    } finally {
      Error.prepareStackTrace = saved;
    }
    // ASSERT: the helper's line and column first, then the flow's line that called it
    const callLine = positionOf(file, 'checkOrder(input)').line + 1;
    for (const stack of [wrapped, plain]) {
      expect(stack).toContain(`${helper}:${thrown.line + 1}:${thrown.character + 1}`);
      expect(stack).toMatch(new RegExp(`validate\\.ts:[\\s\\S]*helper-throws\\.flow\\.ts:${callLine}:\\d+`));
    }
  });

  it('reports a syntax error as a load-error at its line and column', () => {
    // ARRANGE
    const file = join(FIXTURES, 'syntax-error.flow.ts');
    const expected = positionOf(file, "type: 'transform'");
    // ACT
    const result = bundleModule(file);
    // ASSERT
    expect(result.exports).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'load-error', severity: 'error', file, range: { start: expected } });
    expect(expected.line).toBe(6);
  });

  it('reports a syntax error in an imported helper at the helper’s line and column', () => {
    // ARRANGE
    const dir = scratchWorkspace();
    const file = join(dir, 'uses-broken.flow.ts');
    const helper = join(dir, 'broken.ts');
    writeFileSync(helper, '// a helper\nexport function f(): number {\n  return 1 +;\n}\n');
    writeFileSync(file, "import { flow } from 'weft';\nimport { f } from './broken';\nexport default flow({ version: 1, id: 'b', nodes: [{ id: 'a', type: 'transform', config: { output: f() } }] });\n");
    // ACT
    const result = bundleModule(file);
    // ASSERT
    expect(result.exports).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'load-error', file: helper, range: { start: { line: 2, character: 12 }, end: { line: 2, character: 13 } } }),
    ]);
    expect(result.diagnostics[0].offset).toBe(readFileSync(helper, 'utf8').indexOf('+;') + 1);
    expect(result.inputs).toEqual([file, helper]);
  });

  it('reports a syntax error only V8 finds (a name declared twice) at its line', () => {
    // ARRANGE
    const dir = scratchWorkspace();
    const file = join(dir, 'twice.flow.ts');
    writeFileSync(file, "import { flow } from 'weft';\nconst id = 'a';\n  const id = 'b';\nexport default flow({ version: 1, id, nodes: [] });\n");
    // ACT
    const result = bundleModule(file);
    // ASSERT
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'load-error', file, message: expect.stringContaining("'id' has already been declared") }),
    ]);
    expect(result.diagnostics[0].range?.start).toEqual({ line: 2, character: 8 });
  });

  it('reports an import in a helper that names no file at the helper’s import', () => {
    // ARRANGE
    const dir = scratchWorkspace();
    const file = join(dir, 'uses-lost.flow.ts');
    const helper = join(dir, 'lost.ts');
    writeFileSync(helper, "// a helper\nexport { x } from './gone';\n");
    writeFileSync(file, "import { flow } from 'weft';\nimport { x } from './lost';\nexport default flow({ version: 1, id: 'l', nodes: [{ id: 'a', type: x }] });\n");
    // ACT
    const result = bundleModule(file);
    // ASSERT
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'load-error', file: helper, range: { start: { line: 1, character: 18 }, end: { line: 1, character: 26 } } }),
    ]);
    expect(result.diagnostics[0].message).toContain("'./gone'");
  });

  it('reports a module that throws while it is evaluated at the line that threw', () => {
    // ARRANGE
    const file = join(FIXTURES, 'throws-on-load.flow.ts');
    const throwLine = positionOf(file, 'throw new Error').line;
    // ACT
    const result = bundleModule(file);
    // ASSERT
    expect(result.exports).toBeUndefined();
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'load-error', file, message: expect.stringContaining('settings.retries is not set') }),
    ]);
    expect(result.diagnostics[0].range?.start.line).toBe(throwLine);
  });

  it('reports an import that cannot be resolved at the import', () => {
    // ARRANGE
    const dir = scratchWorkspace();
    const file = join(dir, 'missing.flow.ts');
    writeFileSync(file, "import { flow } from 'weft';\nimport { nothing } from './nowhere';\nexport default flow({ version: 1, id: 'm', nodes: [{ id: 'a', type: nothing }] });\n");
    // ACT
    const result = bundleModule(file);
    // ASSERT
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'load-error', file, range: expect.objectContaining({ start: { line: 1, character: 24 } }) }),
    ]);
    expect(result.diagnostics[0].message).toContain('./nowhere');
  });

  it('reports a package that is not installed at the import', () => {
    // ARRANGE
    const dir = scratchWorkspace();
    const file = join(dir, 'no-package.flow.ts');
    writeFileSync(file, "import { flow } from 'weft';\nimport { x } from 'not-installed-anywhere';\nexport default flow({ version: 1, id: 'm', nodes: [{ id: 'a', type: x }] });\n");
    // ACT
    const result = bundleModule(file);
    // ASSERT
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'load-error', file, message: expect.stringContaining("'not-installed-anywhere'") }),
    ]);
    expect(result.diagnostics[0].range?.start.line).toBe(1);
  });

  it('returns the cached module while no input changed, and reloads when one does', () => {
    // ARRANGE
    const dir = scratchWorkspace();
    const file = join(dir, 'score-lead.flow.ts');
    const first = bundleModule(file);
    const buildsAfterFirst = bundleBuildCount();
    // ACT
    const again = bundleModule(file);
    // ASSERT: nothing rebuilt, the very same exports
    expect(bundleBuildCount()).toBe(buildsAfterFirst);
    expect(again.exports).toBe(first.exports);

    // ACT: the imported helper changes (new content, newer mtime)
    const helper = join(dir, 'scoring.ts');
    writeFileSync(helper, readFileSync(helper, 'utf8').replace('size + Math.min', '1 + size + Math.min'));
    const later = new Date(Date.now() + 5_000);
    utimesSync(helper, later, later);
    const reloaded = bundleModule(file);
    // ASSERT
    expect(bundleBuildCount()).toBe(buildsAfterFirst + 1);
    expect(reloaded.exports).not.toBe(first.exports);
    expect(codeOf(reloaded.exports)({ trigger: { employees: 400, visits: 7 } })).toEqual({ value: 86 });
  });
});

function stackOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    return String((error as Error).stack);
  }
  throw new Error('expected the action to throw');
}
