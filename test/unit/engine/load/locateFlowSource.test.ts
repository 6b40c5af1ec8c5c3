import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Range } from '../../../../src/engine/model/diagnostics';
import { createFlowSourceLocator, findFlowCallRange, findNodeRanges } from '../../../../src/engine/load/locateFlowSource';

const SCORE_LEAD = readFileSync(join(__dirname, '../../../fixtures/flowts/score-lead.flow.ts'), 'utf8');

/** The range of the `occurrence`-th (0-based) appearance of `snippet` in `text`. */
function rangeOf(text: string, snippet: string, occurrence = 0): Range {
  let offset = -1;
  for (let i = 0; i <= occurrence; i += 1) offset = text.indexOf(snippet, offset + 1);
  if (offset === -1) throw new Error(`"${snippet}" is not in the text`);
  const at = (o: number): { line: number; character: number } => {
    const before = text.slice(0, o);
    return { line: before.split('\n').length - 1, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: at(offset), end: at(offset + snippet.length) };
}

describe('findFlowCallRange', () => {
  it('finds the flow call of `export default flow({...})`', () => {
    // ACT
    const range = findFlowCallRange(SCORE_LEAD);
    // ASSERT
    const start = rangeOf(SCORE_LEAD, 'export default ').end;
    expect(range).toEqual({ start, end: { line: start.line, character: start.character + 'flow'.length } });
  });

  it('ignores calls in comments and strings, and prefers the one after export default', () => {
    // ARRANGE
    const text = [
      "// flow({ version: 1 }) is how a flow starts",
      "const help = 'flow({})';",
      "const draft = flow({ version: 1, id: 'draft', nodes: [] });",
      "export default weft.flow<Flow>({ version: 1, id: 'real', nodes: [] });",
    ].join('\n');
    // ACT
    const range = findFlowCallRange(text);
    // ASSERT
    expect(range).toEqual({ start: { line: 3, character: 20 }, end: { line: 3, character: 24 } });
  });

  it('finds none in a module without a flow call', () => {
    expect(findFlowCallRange("export default { version: 1, nodes: [] };\n")).toBeUndefined();
  });
});

describe('findNodeRanges', () => {
  it('maps each node id to its id literal', () => {
    // ACT
    const ranges = findNodeRanges(SCORE_LEAD);
    // ASSERT
    expect([...ranges.keys()]).toEqual(['score', 'hot', 'notify', 'nurture']);
    expect(ranges.get('score')).toEqual(rangeOf(SCORE_LEAD, "'score'"));
    expect(ranges.get('nurture')).toEqual(rangeOf(SCORE_LEAD, "'nurture'"));
  });

  it('includes the nodes of a loop body, after the outer ones', () => {
    // ARRANGE
    const text = `export default flow({
  version: 1, id: 'loops',
  nodes: [
    { id: "each", type: 'loop', config: { items: '{{ trigger.items }}', body: { nodes: [{ id: 'double', type: 'transform', config: {} }] } } },
    { id: 'done', type: 'log', config: { message: 'ok' } },
  ],
});`;
    // ACT
    const ranges = findNodeRanges(text);
    // ASSERT
    expect([...ranges.keys()]).toEqual(['each', 'done', 'double']);
    expect(ranges.get('double')).toEqual(rangeOf(text, "'double'"));
  });
});

describe('createFlowSourceLocator.locate', () => {
  const locator = createFlowSourceLocator(SCORE_LEAD);

  it('locates a node at its id and a node’s config at the config literal', () => {
    expect(locator.locate(['nodes', 2])).toEqual(rangeOf(SCORE_LEAD, "'notify'"));
    expect(locator.locate(['nodes', 1, 'config'])).toEqual(rangeOf(SCORE_LEAD, "{ condition: '{{ nodes.score.value >= 80 }}' }"));
    expect(locator.locate(['nodes', 1, 'config', 'condition'])).toEqual(rangeOf(SCORE_LEAD, "'{{ nodes.score.value >= 80 }}'"));
  });

  it('locates a code function, and an edge and its fields', () => {
    expect(locator.locate(['nodes', 0, 'config', 'code'])).toEqual(
      rangeOf(SCORE_LEAD, '({ trigger }: { trigger: Lead }) => ({ value: scoreLead(trigger) })'),
    );
    expect(locator.locate(['edges', 1])).toEqual(rangeOf(SCORE_LEAD, "{ from: 'hot', port: 'true', to: 'notify' }"));
    expect(locator.locate(['edges', 2, 'port'])).toEqual(rangeOf(SCORE_LEAD, "'false'"));
  });

  it('falls back to the deepest part of the path written literally', () => {
    // A path into a function, and an index past the end.
    expect(locator.locate(['nodes', 0, 'config', 'code', 'body'])).toEqual(locator.locate(['nodes', 0, 'config', 'code']));
    expect(locator.locate(['edges', 9, 'from'])).toEqual(locator.locate(['edges']));
  });

  it('locates a value that is an identifier at the identifier, and no deeper', () => {
    // ARRANGE
    const text = "const shared = [{ id: 'a', type: 'log' }];\nexport default flow({ version: 1, id: 'x', nodes: shared, edges });\n";
    const locate = createFlowSourceLocator(text).locate;
    // ACT + ASSERT
    expect(locate(['nodes', 0, 'config'])).toEqual(rangeOf(text, 'shared', 1));
    expect(locate(['edges', 0])).toEqual(rangeOf(text, 'edges'));
  });

  it('is not misled by brackets inside strings, templates, regular expressions and comments', () => {
    // ARRANGE
    const text = `export default flow({
  version: 1, id: 'tricky', // a comment with a } and a ]
  variables: { a: '}', b: "]", c: \`\${ { x: '}' }.x } }\`, d: /[}\\]]/g, e: 1 / 2 /* } */ },
  nodes: [
    { id: 'first', type: 'code', config: { async code({ input }) { return \`}\${input}\`; } } },
    { id: 'second', type: 'code', config: { code(ctx) { if (/}/.test(String(ctx))) return [1, 2]; return {}; } } },
    { id: 'third', type: 'log', config: { message: 'x' } } as const,
  ],
});`;
    // ACT
    const found = createFlowSourceLocator(text);
    // ASSERT
    expect([...found.nodeRanges.keys()]).toEqual(['first', 'second', 'third']);
    expect(found.locate(['nodes', 2])).toEqual(rangeOf(text, "'third'"));
    expect(found.locate(['variables', 'e'])).toEqual(rangeOf(text, '1 / 2'));
    expect(found.locate(['nodes', 0, 'config', 'code'])).toEqual(rangeOf(text, 'async code({ input }) { return `}${input}`; }'));
  });

  it('stops counting array indices at a spread', () => {
    // ARRANGE
    const text = "export default flow({ version: 1, id: 's', nodes: [{ id: 'a' }, ...more, { id: 'b' }] });";
    const locate = createFlowSourceLocator(text).locate;
    // ACT + ASSERT
    expect(locate(['nodes', 0])).toEqual(rangeOf(text, "'a'"));
    expect(locate(['nodes', 2])).toEqual(locate(['nodes']));
  });

  it('without a flow call, locates nothing', () => {
    expect(createFlowSourceLocator('export default 42;').locate(['nodes', 0])).toBeUndefined();
  });

  it('terminates on every prefix of a real flow (text being typed)', () => {
    // ACT + ASSERT: no throw, no hang
    for (let end = 0; end <= SCORE_LEAD.length; end += 1) {
      const partial = createFlowSourceLocator(SCORE_LEAD.slice(0, end));
      partial.locate(['nodes', 3, 'config']);
    }
    // And a stray closing bracket inside the literal.
    expect(createFlowSourceLocator("export default flow({ version: 1, ) ] nodes: [{ id: 'a' }] });").nodeRanges.has('a')).toBe(true);
  });
});
