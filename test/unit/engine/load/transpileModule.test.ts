import { describe, expect, it } from 'vitest';
import { ModuleLoadError } from '../../../../src/engine/load/loadErrors';
import { transpileModule } from '../../../../src/engine/load/transpileModule';

function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected the action to throw');
}

describe('transpileModule', () => {
  it('turns TypeScript into CommonJS on the same lines, with an inline source map of the file', () => {
    // ARRANGE
    const source = "import { a } from './a';\n\nexport const b: number = a + 1;\nexport default b;\n";
    // ACT
    const { code, map } = transpileModule('/work/m.ts', source);
    // ASSERT
    const lines = code.split('\n');
    expect(lines).toHaveLength(source.split('\n').length + 1);
    expect(lines[0]).toContain("require('./a')");
    expect(lines[2]).toContain('const b = _a.a + 1;');
    expect(lines[3]).toMatch(/exports\.\s*default = /);
    expect(lines[lines.length - 1]).toMatch(/^\/\/# sourceMappingURL=data:application\/json;base64,/);
    expect(map?.sources).toEqual(['m.ts']);
  });

  it('leaves CommonJS JavaScript as written (not made strict), and transpiles ES module JavaScript', () => {
    // ARRANGE
    const commonjs = "const fs = require('fs');\nmodule.exports = { fs };\n";
    const esm = "import fs from 'fs';\nexport { fs };\n";
    // ACT
    const asWritten = transpileModule('/work/c.js', commonjs);
    const cjsFile = transpileModule('/work/e.cjs', esm);
    const transpiled = transpileModule('/work/e.js', esm);
    // ASSERT
    expect(asWritten).toEqual({ code: commonjs });
    expect(cjsFile).toEqual({ code: esm });
    expect(transpiled.code).toContain("require('fs')");
  });

  it('throws a ModuleLoadError at the token a syntax error is at', () => {
    // ARRANGE
    const source = "const a = 1;\nconst b = { x: 1 y: 2 };\n";
    // ACT
    const error = thrownBy(() => transpileModule('/work/bad.ts', source));
    // ASSERT
    expect(error).toBeInstanceOf(ModuleLoadError);
    expect((error as ModuleLoadError).diagnostic).toEqual({
      code: 'load-error',
      severity: 'error',
      message: 'Unexpected token, expected ","',
      file: '/work/bad.ts',
      range: { start: { line: 1, character: 17 }, end: { line: 1, character: 18 } },
      offset: 30,
      length: 1,
    });
  });
});
