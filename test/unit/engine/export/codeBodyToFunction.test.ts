// A sandboxed code body as a .flow.ts function: the names it uses become the destructured parameter, `await`
// makes it async, and a body that would not compile as such a function stays a string.

import { describe, expect, it } from 'vitest';
import { codeBodyToFunction } from '../../../../src/engine/export/codeBodyToFunction';

describe('codeBodyToFunction', () => {
  it('destructures only the names the body uses and indents it', () => {
    expect(codeBodyToFunction('log(input.a);\nreturn nodes.b;', 'Ctx')).toEqual({ ok: true, text: '({ input, nodes, log }: Ctx) => {\n  log(input.a);\n  return nodes.b;\n}' });
  });

  it('is async when the body awaits, and takes an unused context when it reads nothing', () => {
    expect(codeBodyToFunction('return await Promise.resolve(1);', 'Ctx')).toEqual({ ok: true, text: 'async (_ctx: Ctx) => {\n  return await Promise.resolve(1);\n}' });
  });

  it('does not count a property or a longer name as a use', () => {
    const result = codeBodyToFunction('const inputs = {}; return inputs.index;', 'Ctx');
    expect(result).toEqual({ ok: true, text: '(_ctx: Ctx) => {\n  const inputs = {}; return inputs.index;\n}' });
  });

  it('keeps a body that redeclares a name it reads as a string, saying why', () => {
    expect(codeBodyToFunction('const input = 1;\nreturn input;', 'Ctx')).toEqual({ ok: false, reason: "it declares its own 'input'" });
    expect(codeBodyToFunction('let { item } = trigger;\nreturn item;', 'Ctx')).toMatchObject({ ok: false });
  });

  it('leaves the lines of a multi-line template literal as they are', () => {
    const body = 'return `a\nb`;';
    expect(codeBodyToFunction(body, 'Ctx')).toEqual({ ok: true, text: '(_ctx: Ctx) => {\nreturn `a\nb`;\n}' });
  });
});
