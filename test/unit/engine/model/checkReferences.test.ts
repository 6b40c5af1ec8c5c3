import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import type { CompileResult } from '../../../../src/engine/model/compileFlow';
import { createTestRegistry } from '../../../support/testNodeTypes';

const registry = createTestRegistry();

function compileObject(flow: object): CompileResult {
  return compileFlow(JSON.stringify({ version: 1, id: 'f', ...flow }, null, 2), { registry });
}

function summary(result: CompileResult): string[][] {
  return result.diagnostics.map((d) => [d.code, d.severity, d.message]);
}

describe('checkReferences', () => {
  it('accepts reads of upstream nodes, by dot or by quoted name', () => {
    // first -> my-node -> last
    const result = compileObject({
      nodes: [
        { id: 'first', type: 'transform', config: { output: 1 } },
        { id: 'my-node', type: 'transform', config: { output: '{{ nodes.first + 1 }}' } },
        { id: 'last', type: 'transform', config: { output: '{{ nodes["my-node"] + nodes.first }}' } },
      ],
      edges: [
        { from: 'first', to: 'my-node' },
        { from: 'my-node', to: 'last' },
      ],
    });
    expect(result.diagnostics).toEqual([]);
  });

  it('warns when a node reads its own output', () => {
    const result = compileObject({ nodes: [{ id: 'a', type: 'transform', config: { output: '{{ nodes.a }}' } }] });
    expect(summary(result)).toEqual([['not-upstream', 'warning', "Node 'a' reads its own output, which is not set while it runs"]]);
  });

  it('lets the flow output read any node', () => {
    const result = compileObject({
      nodes: [
        { id: 'a', type: 'transform', config: { output: 1 } },
        { id: 'b', type: 'transform', config: { output: 2 } },
      ],
      output: { a: '{{ nodes.a }}', b: '{{ nodes.b }}' },
    });
    expect(result.diagnostics).toEqual([]);
  });

  it('warns about item and index outside a loop body or filter condition, and not inside', () => {
    const result = compileObject({
      nodes: [
        { id: 'keep', type: 'filter', config: { items: '{{ trigger.list }}', condition: '{{ item.ok && index < 3 }}' } },
        { id: 'stray', type: 'transform', config: { output: '{{ item.name }}' } },
      ],
      edges: [{ from: 'keep', to: 'stray' }],
    });
    expect(summary(result)).toEqual([
      ['unknown-reference', 'warning', "'item' is only set in a loop body or a filter condition; here it is undefined"],
    ]);
  });

  it('checks var paths of JSON Logic conditions', () => {
    const result = compileObject({
      nodes: [
        { id: 'check', type: 'if', config: { condition: { and: [{ '==': [{ var: 'nodes.nope.x' }, 1] }, { var: ['trigger.ok', false] }] } } },
      ],
    });
    expect(summary(result)).toEqual([['unknown-reference', 'error', "Unknown node 'nope'"]]);
    expect(result.diagnostics[0].path).toEqual(['nodes', 0, 'config', 'condition', 'and', 0, '==', 0, 'var']);
  });

  it('collects secret names from templates, webhook secrets and node types, once each', () => {
    const result = compileObject({
      triggers: [{ type: 'webhook', secret: '{{ secrets.HOOK }}' }],
      nodes: [
        { id: 'call', type: 'http', config: { url: 'https://x.test/?t={{ secrets.TOKEN }}&u={{ secrets.TOKEN }}' } },
        { id: 'ask', type: 'ai', config: { prompt: '{{ secrets["OTHER"] }}' } },
      ],
      edges: [{ from: 'call', to: 'ask' }],
    });
    expect(result.diagnostics).toEqual([]);
    expect(result.flow?.secretNames.sort()).toEqual(['HOOK', 'OPENAI_API_KEY', 'OTHER', 'TOKEN']);
  });

  it('counts variables read by code (a string without templates, or a function) as used', () => {
    const code = 'return variables.inCode + variables["bracketed"]';
    const fromText = compileObject({
      variables: { inCode: 1, bracketed: 2, unused: 3 },
      nodes: [{ id: 'run', type: 'transform', config: { output: code } }],
    });
    expect(summary(fromText)).toEqual([['unused-variable', 'warning', "Variable 'unused' is never used"]]);

    const fromFunction = compileFlow(
      {
        version: 1,
        id: 'f',
        variables: { inCode: 1, unused: 3 },
        nodes: [{ id: 'run', type: 'transform', config: { output: (ctx: { variables: { inCode: number } }) => ctx.variables.inCode } }],
      },
      { registry },
    );
    expect(summary(fromFunction)).toEqual([['unused-variable', 'warning', "Variable 'unused' is never used"]]);
  });

  it('counts every variable as used when a template reads variables as a whole', () => {
    const result = compileObject({
      variables: { a: 1, b: 2 },
      nodes: [{ id: 'all', type: 'transform', config: { output: '{{ keys(variables) }}' } }],
    });
    expect(result.diagnostics).toEqual([]);
  });

  it('suggests a close name for an unknown root', () => {
    const result = compileObject({ nodes: [{ id: 'a', type: 'transform', config: { output: '{{ tigger.x }}' } }] });
    expect(summary(result)).toEqual([['unknown-reference', 'error', "Unknown name 'tigger'. Did you mean 'trigger'?"]]);
    expect(result.diagnostics[0].data).toEqual({ name: 'tigger', suggestion: 'trigger' });
  });

  it('warns about a read of a node inside a loop body from outside it', () => {
    const result = compileObject({
      nodes: [
        { id: 'each', type: 'loop', config: { items: '{{ trigger }}', body: { nodes: [{ id: 'inner', type: 'transform', config: { output: 1 } }] } } },
        { id: 'after', type: 'transform', config: { output: '{{ nodes.inner }}' } },
      ],
      edges: [{ from: 'each', to: 'after' }],
    });
    expect(summary(result)).toEqual([
      ['not-upstream', 'warning', "Node 'inner' is inside a loop body: its output is only visible in that body, so this reads undefined"],
    ]);
  });

  it('reads of outer nodes from a body are upstream through the loop node', () => {
    // before -> each[ a -> b ]    (b reads before and a)
    const result = compileObject({
      nodes: [
        { id: 'before', type: 'transform', config: { output: 1 } },
        {
          id: 'each',
          type: 'loop',
          config: {
            items: '{{ nodes.before }}',
            body: {
              nodes: [
                { id: 'a', type: 'transform', config: { output: '{{ item }}' } },
                { id: 'b', type: 'transform', config: { output: '{{ nodes.before }} {{ nodes.a }} {{ nodes.each }}' } },
              ],
              edges: [{ from: 'a', to: 'b' }],
            },
          },
        },
      ],
      edges: [{ from: 'before', to: 'each' }],
    });
    expect(summary(result)).toEqual([['not-upstream', 'warning', "Loop 'each' has no output while its body runs, so nodes.each is undefined here"]]);
  });
});
