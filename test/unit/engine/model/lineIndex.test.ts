import { describe, expect, it } from 'vitest';
import { LineIndex } from '../../../../src/engine/model/lineIndex';

describe('LineIndex', () => {
  it('maps offsets to zero-based line and character with \\n, \\r\\n and lone \\r line ends', () => {
    // ARRANGE: line 0 "ab", line 1 "cd", line 2 "ef", line 3 "g"
    const index = new LineIndex('ab\ncd\r\nef\rg');

    // ACT / ASSERT
    expect(index.lineCount).toBe(4);
    expect(index.positionAt(0)).toEqual({ line: 0, character: 0 });
    expect(index.positionAt(2)).toEqual({ line: 0, character: 2 });
    expect(index.positionAt(3)).toEqual({ line: 1, character: 0 });
    expect(index.positionAt(7)).toEqual({ line: 2, character: 0 });
    expect(index.positionAt(10)).toEqual({ line: 3, character: 0 });
    expect(index.positionAt(11)).toEqual({ line: 3, character: 1 });
  });

  it('clamps offsets outside the text', () => {
    const index = new LineIndex('ab\ncd');
    expect(index.positionAt(-5)).toEqual({ line: 0, character: 0 });
    expect(index.positionAt(99)).toEqual({ line: 1, character: 2 });
  });

  it('maps positions back to offsets, stopping a long character at the line end', () => {
    const index = new LineIndex('ab\r\ncd\nef');
    expect(index.offsetAt({ line: 1, character: 1 })).toBe(5);
    expect(index.offsetAt({ line: 0, character: 50 })).toBe(2);
    expect(index.offsetAt({ line: 9, character: 0 })).toBe(9);
  });

  it('round-trips every offset of a mixed text', () => {
    const text = 'a\r\n\r\nbc\rd\n\nxyz';
    const index = new LineIndex(text);
    for (let offset = 0; offset <= text.length; offset++) {
      const position = index.positionAt(offset);
      // Offsets inside a \r\n pair have no position of their own.
      if (text[offset - 1] === '\r' && text[offset] === '\n') continue;
      expect(index.offsetAt(position)).toBe(offset);
    }
  });
});
