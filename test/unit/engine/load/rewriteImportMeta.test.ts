import { describe, expect, it } from 'vitest';
import { rewriteImportMeta } from '../../../../src/engine/load/rewriteImportMeta';

/** The code before the helper appended after the last line. */
function body(code: string): string {
  return code.split('\nfunction _weftMeta()')[0];
}

describe('rewriteImportMeta', () => {
  it('rewrites import.meta in code to a call of the same length, and appends the function after the last line', () => {
    // ARRANGE
    const code = 'const a = import.meta.url;\nconst b = `${import.meta.dirname}/x`;';
    // ACT
    const rewritten = rewriteImportMeta(code);
    // ASSERT
    expect(body(rewritten)).toBe('const a = _weftMeta().url;\nconst b = `${_weftMeta().dirname}/x`;');
    expect(rewritten.split('\n')).toHaveLength(3);
    expect(rewritten).toMatch(/\nfunction _weftMeta\(\) \{[^\n]*\}[^\n]*$/);
  });

  it('leaves import.meta alone in strings, comments, template text and regular expressions', () => {
    // ARRANGE
    const code = [
      "const s = 'import.meta' + \"import.meta\";",
      '// import.meta in a comment',
      '/* import.meta */ const t = `import.meta ${`import.meta`}`;',
      'const r = /import.meta/.test(s) ? 1 / 2 : 3;',
      'const u = x.import.meta;',
    ].join('\n');
    // ACT
    const rewritten = rewriteImportMeta(code);
    // ASSERT
    expect(rewritten).toBe(code);
  });

  it('finds import.meta after a template literal, a regular expression with a quote, and a division', () => {
    // ARRANGE
    const code = "const a = `${1}`; const q = /[\"']/g; const d = 4 / 2; const m = import.meta.filename;";
    // ACT
    const rewritten = rewriteImportMeta(code);
    // ASSERT
    expect(body(rewritten)).toBe("const a = `${1}`; const q = /[\"']/g; const d = 4 / 2; const m = _weftMeta().filename;");
  });
});
