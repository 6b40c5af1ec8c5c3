import { describe, expect, it } from 'vitest';
import { collectTemplateReferences } from '../../../../src/engine/expr/references';
import { forEachTemplateReference } from '../../../../src/engine/model/templateReferences';

function collect(value: unknown): unknown[] {
  const found: unknown[] = [];
  forEachTemplateReference(value, (reference, path) => found.push({ path: [...path], reference }));
  return found;
}

describe('forEachTemplateReference', () => {
  it('finds references with offsets into their string, like collectTemplateReferences', () => {
    const value = {
      url: 'https://x.test/{{ nodes.fetch.body.id }}?q={{ trigger.q }}',
      list: ['plain', '\\{{ not.a.template }}', { deep: '{{ variables["limit"] + len(input) }}' }],
      broken: '{{ 1 + }}',
    };
    const found = collect(value);
    expect(found).toEqual(collectTemplateReferences(value));
    expect(found).toEqual([
      { path: ['url'], reference: { root: 'nodes', path: ['fetch', 'body', 'id'], start: 18, end: 37 } },
      { path: ['url'], reference: { root: 'trigger', path: ['q'], start: 46, end: 55 } },
      { path: ['list', 2, 'deep'], reference: { root: 'variables', path: ['limit'], start: 3, end: 21 } },
      { path: ['list', 2, 'deep'], reference: { root: 'input', path: [], start: 28, end: 33 } },
    ]);
  });

  it('stops at cycles in object values', () => {
    const cyclic: Record<string, unknown> = { a: '{{ input }}' };
    cyclic.self = cyclic;
    expect(collect(cyclic)).toHaveLength(1);
  });
});
