// One walker maps between a JSON string's value and its raw text, for compile diagnostics and the language service.

import fc from 'fast-check';
import { parseTree } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';
import { stringContent, stringIndexAt, stringOffsetAt } from '../../../../src/engine/model/jsonStringOffsets';
import { parseJsonSource } from '../../../../src/engine/model/jsonSource';

/** A document `{"k": <literal>}` where the literal writes `value` with escapes of every kind. */
function documentOf(value: string, escapeAll: boolean): { text: string; start: number } {
  const literal = escapeAll ? `"${Array.from({ length: value.length }, (_, i) => `\\u${value.charCodeAt(i).toString(16).padStart(4, '0')}`).join('')}"` : JSON.stringify(value);
  const prefix = '{ "k": ';
  return { text: `${prefix}${literal} }`, start: prefix.length };
}

describe('jsonStringOffsets', () => {
  it('maps each character of the value to where its escape starts, and back', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xd7ff }).map((c) => String.fromCharCode(c)), maxLength: 20 }), fc.boolean(), (value, escapeAll) => {
        const { text, start } = documentOf(value, escapeAll);
        const node = parseTree(text)!.children![0]!.children![1]!;
        // The raw text of the value's first i characters, written the same way, ends where character i starts
        // (characters outside the surrogate range: half a pair is written as an escape of its own).
        for (let i = 0; i <= value.length; i++) {
          const before = documentOf(value.slice(0, i), escapeAll).text.length - documentOf('', escapeAll).text.length;
          const offset = stringOffsetAt(text, node, i);
          expect(offset).toBe(start + 1 + before);
          expect(stringIndexAt(text, node, offset)).toBe(i);
        }
        expect(stringContent(text, node)).toEqual({ start: start + 1, end: start + node.length - 1 });
      }),
    );
  });

  it('is what compile diagnostics use: a span inside an escaped template lands on its characters', () => {
    const text = '{ "k": "caf\\u00e9 {{ x }}" }';
    const span = parseJsonSource(text).locateInString(['k'], 5, 12);
    expect(text.slice(span!.offset, span!.offset! + span!.length!)).toBe('{{ x }}');
  });
});
