import { describe, expect, it } from 'vitest';
import { parseExpression } from '../../../../src/engine/expr/parser';
import { collectConditionReferences, collectReferences, collectTemplateReferences } from '../../../../src/engine/expr/references';

describe('collectReferences', () => {
  it('finds each maximal name path with its offsets', () => {
    // ARRANGE
    const source = 'nodes.fetch.body.items[0].id + len(nodes["my-node"].list)';

    // ACT
    const references = collectReferences(parseExpression(source));

    // ASSERT
    expect(references).toEqual([
      { root: 'nodes', path: ['fetch', 'body', 'items', 0, 'id'], start: 0, end: 28 },
      { root: 'nodes', path: ['my-node', 'list'], start: 35, end: 56 },
    ]);
    expect(source.slice(35, 56)).toBe('nodes["my-node"].list');
  });

  it('ends a path at a computed step and collects what the step reads', () => {
    // ACT
    const references = collectReferences(parseExpression('nodes.a.list[index].name'));

    // ASSERT
    expect(references).toEqual([
      { root: 'nodes', path: ['a', 'list'], start: 0, end: 12 },
      { root: 'index', path: [], start: 13, end: 18 },
    ]);
  });

  it('looks inside every kind of expression', () => {
    // ARRANGE
    const source = '!a ? [b.x, { k: c }] : (d ?? e.y) in f';

    // ACT
    const roots = collectReferences(parseExpression(source)).map((r) => [r.root, ...r.path].join('.'));

    // ASSERT
    expect(roots).toEqual(['a', 'b.x', 'c', 'd', 'e.y', 'f']);
  });

  it('includes unknown roots for the compiler to report, and not members of call results', () => {
    expect(collectReferences(parseExpression('foo.bar + len(x).y'))).toEqual([
      { root: 'foo', path: ['bar'], start: 0, end: 7 },
      { root: 'x', path: [], start: 14, end: 15 },
    ]);
  });
});

describe('collectTemplateReferences', () => {
  it('finds references in every string of a value, with offsets into that string', () => {
    // ARRANGE
    const value = { url: 'https://x.test/{{ nodes.a.id }}', body: [{ q: '{{ trigger.q }}' }], n: 1, broken: '{{ nodes.b + }}' };

    // ACT
    const references = collectTemplateReferences(value);

    // ASSERT
    expect(references).toEqual([
      { path: ['url'], reference: { root: 'nodes', path: ['a', 'id'], start: 18, end: 28 } },
      { path: ['body', 0, 'q'], reference: { root: 'trigger', path: ['q'], start: 3, end: 12 } },
    ]);
    expect(value.url.slice(18, 28)).toBe('nodes.a.id');
  });

  it('ignores escaped templates', () => {
    expect(collectTemplateReferences('\\{{ nodes.a }}')).toEqual([]);
  });
});

describe('collectConditionReferences', () => {
  it('finds references in an expression string with or without braces', () => {
    expect(collectConditionReferences('nodes.score.value >= 80')).toEqual([
      { path: [], reference: { root: 'nodes', path: ['score', 'value'], start: 0, end: 17 } },
    ]);
    expect(collectConditionReferences('{{ nodes.score.value >= 80 }}')).toEqual([
      { path: [], reference: { root: 'nodes', path: ['score', 'value'], start: 3, end: 20 } },
    ]);
  });

  it('reports var paths of a JSON Logic rule, numbers as numbers', () => {
    // ARRANGE
    const rule = { and: [{ '==': [{ var: 'item.paid' }, false] }, { '>': [{ var: ['nodes.list.0.n', 0] }, '{{ variables.min }}'] }] };

    // ACT
    const references = collectConditionReferences(rule);

    // ASSERT
    expect(references).toEqual([
      { path: ['and', 0, '==', 0, 'var'], reference: { root: 'item', path: ['paid'], start: 0, end: 9 } },
      { path: ['and', 1, '>', 0, 'var', 0], reference: { root: 'nodes', path: ['list', 0, 'n'], start: 0, end: 14 } },
      { path: ['and', 1, '>', 1], reference: { root: 'variables', path: ['min'], start: 3, end: 16 } },
    ]);
  });

  it('leaves out var paths that read the element inside map, filter and friends', () => {
    // ARRANGE
    const rule = { some: [{ var: 'input.tags' }, { '==': [{ var: 'name' }, 'vip'] }] };

    // ACT + ASSERT
    expect(collectConditionReferences(rule).map((r) => r.reference.root)).toEqual(['input']);
  });
});
