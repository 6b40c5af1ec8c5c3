import { describe, expect, it } from 'vitest';
import { parseJsonSource } from '../../../../src/engine/model/jsonSource';

describe('parseJsonSource', () => {
  it('parses JSONC: comments and trailing commas are fine', () => {
    // ARRANGE
    const text = ['{', '  // a comment', '  "a": [1, 2,], /* another */', '  "b": { "c": true, },', '}'].join('\n');

    // ACT
    const source = parseJsonSource(text);

    // ASSERT
    expect(source.errors).toEqual([]);
    expect(source.value).toEqual({ a: [1, 2], b: { c: true } });
  });

  it('leaves comment and comma lookalikes inside strings alone', () => {
    const text = '{ /* c */ "url": "https://x.test/a//b/*c*/", "s": "a,]", "t": "\\\\", "u": [1,], }';
    expect(parseJsonSource(text).value).toEqual({ url: 'https://x.test/a//b/*c*/', s: 'a,]', t: '\\', u: [1] });
  });

  it('rejects what JSONC rejects: a lone comma, an unterminated comment', () => {
    expect(parseJsonSource('[,]').errors[0]).toMatchObject({ message: 'Value expected' });
    expect(parseJsonSource('{ "a": 1 } /* open').errors[0]).toMatchObject({ message: 'Unexpected end of comment' });
  });

  it('accepts a byte order mark and keeps offsets', () => {
    const source = parseJsonSource('\ufeff{ "a": true }');
    expect(source.value).toEqual({ a: true });
    expect(source.locate(['a'])).toMatchObject({ offset: 8, length: 4 });
  });

  it('reports a syntax error with its position and a readable message', () => {
    const text = ['{', '  "a": 1', '  "b": 2', '}'].join('\n');
    const source = parseJsonSource(text, '/tmp/x.flow.json');
    expect(source.errors).toHaveLength(1);
    expect(source.errors[0]).toMatchObject({
      code: 'invalid-json',
      severity: 'error',
      message: 'Comma expected',
      file: '/tmp/x.flow.json',
      range: { start: { line: 2, character: 2 } },
    });
  });

  it('reports empty text', () => {
    expect(parseJsonSource('').errors[0]).toMatchObject({ code: 'invalid-json', message: 'Value expected' });
  });

  it('keeps a __proto__ key as a key', () => {
    const source = parseJsonSource('{ "__proto__": { "x": 1 } }');
    const value = source.value as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(['__proto__']);
  });

  it('gives value and key ranges by JSON path; the last duplicate key wins, as in the value', () => {
    // ARRANGE
    const lines = ['{', '  "nodes": [', '    { "id": "a", "id": "b" }', '  ]', '}'];
    const source = parseJsonSource(lines.join('\n'));

    // ACT
    const value = source.rangeOf(['nodes', 0, 'id']);
    const key = source.keyRangeOf(['nodes', 0, 'id']);

    // ASSERT
    expect((source.value as { nodes: { id: string }[] }).nodes[0].id).toBe('b');
    expect(value).toEqual({ start: { line: 2, character: 23 }, end: { line: 2, character: 26 } });
    expect(key).toEqual({ start: { line: 2, character: 17 }, end: { line: 2, character: 21 } });
    expect(source.rangeOf(['nodes', 5])).toBeUndefined();
  });

  it('locates a missing key at the nearest ancestor: its key, or the opening brace of an array element', () => {
    const lines = ['{', '  "config": {},', '  "nodes": [', '    { "id": "a" }', '  ]', '}'];
    const source = parseJsonSource(lines.join('\n'));

    expect(source.locate(['config', 'url'])?.range.start).toEqual({ line: 1, character: 2 });
    expect(source.locate(['nodes', 0, 'type'])).toMatchObject({ range: { start: { line: 3, character: 4 }, end: { line: 3, character: 5 } }, length: 1 });
    expect(source.locate(['missing', 'deeper'])?.range.start).toEqual({ line: 0, character: 0 });
  });

  it('maps offsets inside a string value past escapes to document offsets', () => {
    // ARRANGE: the value is `a"\é{{ x }}`; raw, `a\"\\\u00e9{{ x }}`
    const text = '{ "s": "a\\"\\\\\\u00e9{{ x }}" }';
    const source = parseJsonSource(text);
    const value = (source.value as { s: string }).s;
    const open = value.indexOf('{{');

    // ACT
    const offset = source.stringOffsetAt(['s'], open);
    const span = source.locateInString(['s'], open, open + 7);

    // ASSERT
    expect(value).toBe('a"\\é{{ x }}');
    expect(offset).toBe(text.indexOf('{{'));
    expect(span).toMatchObject({ offset: text.indexOf('{{'), length: 7 });
    expect(source.stringOffsetAt(['s'], value.length)).toBe(text.lastIndexOf('"'));
  });

  it('locates a string range in a file with CRLF line ends', () => {
    const text = '{\r\n  "a": 1,\r\n  "s": "xx{{ y }}"\r\n}';
    const source = parseJsonSource(text);
    expect(source.locateInString(['s'], 2, 9)?.range).toEqual({ start: { line: 2, character: 10 }, end: { line: 2, character: 17 } });
  });
});
