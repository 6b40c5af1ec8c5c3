// The two light readers of `.flow.ts` text (locateFlowSource, rewriteImportMeta) share one lexer, so they agree on
// what is code: before it, `return /x/` was a regular expression to one and a division to the other.

import { describe, expect, it } from 'vitest';
import { findNodeRanges } from '../../../../src/engine/load/locateFlowSource';
import { rewriteImportMeta } from '../../../../src/engine/load/rewriteImportMeta';
import { regexEnd, slashStartsRegex, templateTextEnd } from '../../../../src/engine/load/scanJavaScript';

// A code function whose regular expression after `return` holds a backquote: read as a division, the backquote
// opens a template literal that swallows the rest of the file.
const FLOW_WITH_REGEX_AFTER_RETURN = [
  "import { flow } from 'weft';",
  'export default flow({',
  "  version: 1, id: 'ticks', nodes: [",
  "    { id: 'strip', type: 'code', config: { code: ({ input }) => { return /`/.test(String(input)) ? import.meta.url : ''; } } },",
  "    { id: 'after', type: 'log', config: { message: 'done' } },",
  '  ],',
  '});',
].join('\n');

describe('slashStartsRegex', () => {
  it('reads a slash after a keyword that takes an expression as a regular expression', () => {
    for (const keyword of ['return', 'typeof', 'throw', 'case', 'yield', 'await', 'in', 'of']) expect(slashStartsRegex(keyword), keyword).toBe(true);
  });

  it('reads a slash after an operand as a division, even a word that ends like a keyword', () => {
    for (const operand of ['x', 'total', 'areturn', '3', ')', ']']) expect(slashStartsRegex(operand), operand).toBe(false);
    for (const punctuator of ['', '(', '=', ',', '{', ';', '?', ':']) expect(slashStartsRegex(punctuator), punctuator).toBe(true);
  });

  it('ends a regular expression past its flags and a character class holding a slash', () => {
    const text = 'a = /[/]x/gi.test(b)';
    expect(text.slice(regexEnd(text, 4))).toBe('.test(b)');
  });

  it('stops template text at a substitution or at the closing backquote', () => {
    const text = '`a ${b} c`;';
    expect(templateTextEnd(text, 1)).toBe(5);
    expect(templateTextEnd(text, 7)).toBe(10);
  });
});

describe('the .flow.ts readers agree on `return /x/`', () => {
  it('locateFlowSource finds the node after a code function that returns a regular expression test', () => {
    // ACT
    const ranges = findNodeRanges(FLOW_WITH_REGEX_AFTER_RETURN);
    // ASSERT: both nodes, the second on its own line
    expect([...ranges.keys()]).toEqual(['strip', 'after']);
    expect(ranges.get('after')?.start.line).toBe(4);
  });

  it('rewriteImportMeta rewrites the import.meta after that regular expression', () => {
    const rewritten = rewriteImportMeta(FLOW_WITH_REGEX_AFTER_RETURN);
    expect(rewritten.split('\n')[3]).toContain('? _weftMeta().url :');
  });
});
