import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import { re2Pattern } from '../../../../src/engine/model/re2Pattern';

describe('re2Pattern', () => {
  it('turns ECMA-262 code-unit escapes into RE2 code-point escapes', () => {
    expect(re2Pattern('^[\\u0041-\\u005A]+\\u00e9$')).toBe('^[\\x{41}-\\x{5a}]+\\x{e9}$');
    expect(re2Pattern('\\u{1F600}')).toBe('\\x{1F600}');
    expect(re2Pattern('\\uD83D\\uDE00')).toBe('\\x{1f600}');
    expect(re2Pattern('\\cJ')).toBe('\\x{a}');
  });

  it('leaves escaped backslashes and every other escape as they are', () => {
    expect(re2Pattern('\\\\u0041')).toBe('\\\\u0041');
    expect(re2Pattern('\\d+\\.\\w\\/')).toBe('\\d+\\.\\w\\/');
    expect(re2Pattern('trailing\\')).toBe('trailing\\');
  });

  it('gives patterns that match in RE2 what they match in JavaScript', () => {
    for (const [pattern, text] of [
      ['^\\u00e9t\\u00e9$', 'été'],
      ['^[\\u0041-\\u005A]{2}$', 'AZ'],
      ['^\\uD83D\\uDE00$', '😀'],
    ]) {
      expect(RE2JS.compile(re2Pattern(pattern)).test(text)).toBe(new RegExp(pattern, 'u').test(text));
      expect(RE2JS.compile(re2Pattern(pattern)).test(text)).toBe(true);
    }
  });
});
