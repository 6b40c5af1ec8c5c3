import Module from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadModule, resolveWorkspaceFile } from '../../../../src/engine/load/moduleLoader';

const IMPORTS = join(__dirname, '../../../fixtures/flowts/imports');
const HELPERS = join(IMPORTS, 'helpers');
const API = Object.freeze({ flow: () => 'the engine’s flow' });

/** Loads a fixture module and hands back its exports, failing the test with the loader's error if it did not load. */
function load(name: string): { exports: Record<string, unknown>; inputs: string[] } {
  const outcome = loadModule(join(IMPORTS, name), API);
  if (!outcome.ok) throw outcome.error;
  return { exports: outcome.exports as Record<string, unknown>, inputs: outcome.inputs };
}

describe('loadModule', () => {
  it('loads a TypeScript helper imported by the name of its compiled file (./x.js means ./x.ts)', () => {
    // ACT
    const { exports, inputs } = load('js-extension.ts');
    // ASSERT
    expect(exports.result).toBe('HI!');
    expect(inputs).toEqual([join(IMPORTS, 'js-extension.ts'), join(HELPERS, 'format.ts')]);
  });

  it('loads a folder’s index file', () => {
    // ACT
    const { exports, inputs } = load('folder-index.ts');
    // ASSERT
    expect(exports.result).toBe('INDEX!');
    expect(inputs).toContain(join(HELPERS, 'index.ts'));
  });

  it('loads two helpers that import each other, each once', () => {
    // ACT
    const { exports, inputs } = load('cycle.ts');
    // ASSERT
    expect(exports.results).toEqual([true, false]);
    expect(inputs).toEqual([join(IMPORTS, 'cycle.ts'), join(HELPERS, 'even.ts'), join(HELPERS, 'odd.ts')]);
  });

  it('loads a JSON file as a default import and by name', () => {
    // ACT
    const { exports, inputs } = load('json.ts');
    // ASSERT
    expect(exports.limits).toEqual({ max: 10, label: 'per order' });
    expect(exports.max).toBe(10);
    // Imported twice, read once; and an input, so that editing it reloads the module.
    expect(inputs).toEqual([join(IMPORTS, 'json.ts'), join(HELPERS, 'limits.json')]);
  });

  it('requires a package imported by a helper from the workspace’s node_modules, with Node’s own require', () => {
    // ACT
    const { exports, inputs } = load('helper-package.ts');
    // ASSERT
    expect((exports.welcome as (name: string) => string)('Ada')).toBe('Welcome! Hello, Ada!');
    // The package is Node's module, not one of the workspace files this loader read.
    expect(inputs).toEqual([join(IMPORTS, 'helper-package.ts'), join(HELPERS, 'greeting.ts')]);
  });

  it('gives `import.meta` the module’s own url and filename, and leaves the words in a string alone', () => {
    // ARRANGE
    const file = join(IMPORTS, 'import-meta.ts');
    // ACT
    const { exports } = load('import-meta.ts');
    // ASSERT
    expect(exports.url).toBe(pathToFileURL(file).href);
    expect(exports.filename).toBe(file);
    expect(exports.text).toBe('import.meta.url stays as written in a string');
  });

  it('evaluates the modules afresh on the next load', () => {
    // ACT
    const first = load('js-extension.ts');
    const second = load('js-extension.ts');
    // ASSERT
    expect(second.exports).not.toBe(first.exports);
    expect(second.exports.result).toBe(first.exports.result);
  });

  it('leaves Node’s global require as it was: no extension registered, no module in its cache', () => {
    // ARRANGE
    const internals = Module as unknown as { _extensions: Record<string, unknown>; _cache: Record<string, unknown> };
    const extensions = Object.keys(internals._extensions);
    // ACT
    const { inputs } = load('cycle.ts');
    // ASSERT
    expect(Object.keys(internals._extensions)).toEqual(extensions);
    for (const input of inputs) expect(internals._cache[input]).toBeUndefined();
  });
});

describe('resolveWorkspaceFile', () => {
  it('resolves a path as written, with an extension added, as TypeScript source, or as a folder', () => {
    // ASSERT
    expect(resolveWorkspaceFile(join(HELPERS, 'format.ts'))).toBe(join(HELPERS, 'format.ts'));
    expect(resolveWorkspaceFile(join(HELPERS, 'format'))).toBe(join(HELPERS, 'format.ts'));
    expect(resolveWorkspaceFile(join(HELPERS, 'format.js'))).toBe(join(HELPERS, 'format.ts'));
    expect(resolveWorkspaceFile(join(HELPERS, 'limits'))).toBe(join(HELPERS, 'limits.json'));
    expect(resolveWorkspaceFile(HELPERS)).toBe(join(HELPERS, 'index.ts'));
    expect(resolveWorkspaceFile(join(HELPERS, 'nowhere'))).toBeUndefined();
  });
});
