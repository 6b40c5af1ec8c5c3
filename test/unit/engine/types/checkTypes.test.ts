// The type checks as a compile runs them: node output rules, the three codes, and their positions in the file.

import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import type { CompileResult } from '../../../../src/engine/model/compileFlow';
import { createDefaultRegistry } from '../../../../src/engine/nodes/builtins';
import { defineNodeType } from '../../../../src/engine/nodes/nodeType';

const TYPE_CODES = new Set(['unknown-property', 'type-mismatch', 'maybe-skipped', 'internal']);

function compile(flow: object, options: { registry?: ReturnType<typeof createDefaultRegistry> } = {}): { result: CompileResult; text: string } {
  const text = JSON.stringify({ version: 1, id: 'f', ...flow }, null, 2);
  return { result: compileFlow(text, options), text };
}

/** The type diagnostics as [code, the text they cover]. */
function typeProblems(flow: object, options: { registry?: ReturnType<typeof createDefaultRegistry> } = {}): [string, string][] {
  const { result, text } = compile(flow, options);
  return result.diagnostics
    .filter((d) => TYPE_CODES.has(d.code))
    .map((d) => [d.code, d.offset === undefined ? '' : text.slice(d.offset, d.offset + (d.length ?? 0))]);
}

const lookupInputs = {
  type: 'object',
  properties: { email: { type: 'string' }, total: { type: 'number' }, items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } } } } },
  required: ['email'],
};

describe('checkTypes: sources of types', () => {
  it('reads the trigger from inputs and a transform from its template', () => {
    const problems = typeProblems({
      inputs: lookupInputs,
      nodes: [
        { id: 'lookup', type: 'transform', config: { output: { name: '{{ trigger.email }}', count: '{{ len(trigger.items) }}', note: 'n: {{ trigger.total }}' } } },
        { id: 'use', type: 'transform', config: { output: '{{ nodes.lookup.nmae }} {{ trigger.totl }} {{ nodes.lookup.count * 2 }} {{ nodes.lookup.note * 2 }}' } },
      ],
      edges: [{ from: 'lookup', to: 'use' }],
    });
    expect(problems).toEqual([
      ['unknown-property', 'nmae'],
      ['unknown-property', 'totl'],
      ['type-mismatch', 'nodes.lookup.note'],
    ]);
  });

  it('types http by its responseSchema (status, headers and body otherwise unknown), ai by its schema, code by its outputSchema', () => {
    const problems = typeProblems({
      nodes: [
        { id: 'api', type: 'http', config: { url: 'https://example.com', responseSchema: { type: 'object', properties: { id: { type: 'string' } } } } },
        { id: 'raw', type: 'http', config: { url: 'https://example.com' } },
        { id: 'ask', type: 'ai', config: { model: 'm', prompt: 'p', schema: { type: 'object', properties: { urgent: { type: 'boolean' } } } } },
        { id: 'calc', type: 'code', config: { code: 'return { n: 1 }', outputSchema: { type: 'object', properties: { n: { type: 'number' } } } } },
        {
          id: 'use',
          type: 'transform',
          config: {
            output: [
              '{{ nodes.api.body.idd }}', '{{ nodes.api.stauts }}', '{{ nodes.raw.body.anything }}', '{{ nodes.raw.headers["x-any"] }}',
              '{{ nodes.ask.json.urgnet }}', '{{ nodes.ask.usage.inputTokens + nodes.ask.costUsd }}', '{{ nodes.ask.txt }}', '{{ nodes.calc.m }}',
            ],
          },
        },
      ],
      edges: [
        { from: 'api', to: 'use' },
        { from: 'raw', to: 'use' },
        { from: 'ask', to: 'use' },
        { from: 'calc', to: 'use' },
      ],
    });
    expect(problems).toEqual([
      ['unknown-property', 'idd'],
      ['unknown-property', 'stauts'],
      ['unknown-property', 'urgnet'],
      ['unknown-property', 'txt'],
      ['unknown-property', 'm'],
    ]);
  });

  it("types a custom node type by its zod outputSchema, and says nothing of a code node's output without one", () => {
    const registry = createDefaultRegistry().extend([
      defineNodeType({
        type: 'crm-lookup',
        title: 'CRM',
        description: '',
        configSchema: z.object({}),
        ports: ['out'],
        outputSchema: z.object({ company: z.string(), employees: z.number() }),
        run: () => ({ output: { company: 'x', employees: 1 } }),
      }),
    ]);
    const problems = typeProblems(
      {
        nodes: [
          { id: 'crm', type: 'crm-lookup', config: {} },
          { id: 'js', type: 'code', config: { code: 'return 1' } },
          { id: 'use', type: 'transform', config: { output: '{{ nodes.crm.employes }} {{ nodes.js.whatever.deep * 2 }}' } },
        ],
        edges: [
          { from: 'crm', to: 'use' },
          { from: 'js', to: 'use' },
        ],
      },
      { registry },
    );
    expect(problems).toEqual([['unknown-property', 'employes']]);
  });

  it('passes the input through if and log, builds merge outputs by source id, and loop and filter outputs as arrays', () => {
    const problems = typeProblems({
      inputs: lookupInputs,
      nodes: [
        { id: 'start', type: 'log', config: { message: 'go' } },
        { id: 'gate', type: 'if', config: { condition: '{{ input.total > 10 }}' } },
        { id: 'big', type: 'transform', config: { output: { size: 'big' } } },
        { id: 'small', type: 'transform', config: { output: { size: 'small' } } },
        { id: 'join', type: 'merge', config: {} },
        { id: 'each', type: 'loop', config: { items: '{{ trigger.items }}', body: { nodes: [{ id: 'line', type: 'transform', config: { output: { sku: '{{ item.sku }}', qty: '{{ item.qtty }}' } } }] } } },
        { id: 'paid', type: 'filter', config: { items: '{{ trigger.items }}', condition: '{{ item.qty > 0 && item.skuu }}' } },
        { id: 'use', type: 'transform', config: { output: '{{ nodes.join.big.size ?? nodes.join.smal }} {{ nodes.each[0].sku }} {{ nodes.each[0].qt }} {{ nodes.paid[0].sku }} {{ nodes.paid.first }} {{ nodes.gate.emial }}' } },
      ],
      edges: [
        { from: 'start', to: 'gate' },
        { from: 'gate', port: 'true', to: 'big' },
        { from: 'gate', port: 'false', to: 'small' },
        { from: 'big', to: 'join' },
        { from: 'small', to: 'join' },
        { from: 'join', to: 'each' },
        { from: 'each', to: 'paid' },
        { from: 'paid', to: 'use' },
      ],
    });
    expect(problems).toEqual([
      ['unknown-property', 'qtty'],
      ['unknown-property', 'skuu'],
      ['unknown-property', 'smal'],
      ['unknown-property', 'qt'],
      ['unknown-property', 'first'],
      ['unknown-property', 'emial'],
    ]);
  });

  it('types an error edge, onError skip, a disabled node and an edge map', () => {
    const problems = typeProblems({
      inputs: lookupInputs,
      nodes: [
        { id: 'risky', type: 'transform', config: { output: { ok: true } } },
        { id: 'handler', type: 'transform', config: { output: '{{ input.error.message }} {{ input.input.email }} {{ input.eror }}' } },
        { id: 'soft', type: 'transform', onError: 'skip', config: { output: { v: 1 } } },
        { id: 'off', type: 'transform', disabled: true, config: { output: { never: 1 } } },
        { id: 'mapped', type: 'transform', config: { output: '{{ input.renamed }} {{ input.email }}' } },
        { id: 'use', type: 'transform', config: { output: '{{ nodes.soft.v ?? nodes.soft.error.message }} {{ nodes.soft.w }} {{ nodes.off.v }} {{ nodes.off.never }}' } },
      ],
      edges: [
        { from: 'risky', port: 'error', to: 'handler' },
        { from: 'risky', to: 'soft' },
        { from: 'soft', to: 'off' },
        { from: 'off', to: 'mapped', map: { renamed: '{{ input.emial }}' } },
        { from: 'mapped', to: 'use' },
      ],
    });
    expect(problems).toEqual([
      ['unknown-property', 'eror'],
      // mapped's input is the map's object: { renamed }.
      ['unknown-property', 'email'],
      ['unknown-property', 'w'],
      ['unknown-property', 'never'],
      ['unknown-property', 'emial'],
    ]);
  });

  it('checks JSON Logic var paths, pointing at the misspelt step', () => {
    const problems = typeProblems({
      inputs: lookupInputs,
      nodes: [
        { id: 'gate', type: 'if', config: { condition: { and: [{ var: 'trigger.total' }, { '==': [{ var: 'trigger.emial' }, 'x'] }] } } },
      ],
    });
    expect(problems).toEqual([['unknown-property', 'emial']]);
  });
});

describe('checkTypes: silence where nothing is known', () => {
  it('says nothing about subflow outputs, open inputs, no inputs, or properties of unknown values', () => {
    const problems = typeProblems({
      inputs: { type: 'object', properties: { a: { type: 'string' } }, additionalProperties: true },
      nodes: [
        { id: 'child', type: 'subflow', config: { flow: './x.flow.json' } },
        { id: 'use', type: 'transform', config: { output: '{{ nodes.child.any.thing }} {{ trigger.b.c }} {{ input.x * 2 }} {{ execution.trigger.type }} {{ secrets.TOKEN }}' } },
      ],
      edges: [{ from: 'child', to: 'use' }],
    });
    expect(problems).toEqual([]);
    expect(typeProblems({ nodes: [{ id: 'a', type: 'transform', config: { output: '{{ trigger.x.y * 2 }} {{ input.x }}' } }] })).toEqual([]);
  });

  it('leaves unknown nodes and variables to unknown-reference', () => {
    const { result } = compile({ variables: { v: { a: 1 } }, nodes: [{ id: 'a', type: 'transform', config: { output: '{{ nodes.nope.x }} {{ variables.w.x }} {{ variables.v.b }}' } }] });
    expect(result.diagnostics.map((d) => d.code)).toEqual(['unknown-reference', 'unknown-reference', 'unknown-property']);
  });
});

describe('checkTypes: maybe-skipped', () => {
  //   gate --true--> big ----\
  //        --false-> small --> join --> use
  const branches = (useOutput: unknown): object => ({
    nodes: [
      { id: 'gate', type: 'if', config: { condition: '{{ trigger.x > 1 }}' } },
      { id: 'big', type: 'transform', config: { output: { size: 'big' } } },
      { id: 'small', type: 'transform', config: { output: { size: 'small' } } },
      { id: 'join', type: 'merge', config: {} },
      { id: 'use', type: 'transform', config: { output: useOutput } },
    ],
    edges: [
      { from: 'gate', port: 'true', to: 'big' },
      { from: 'gate', port: 'false', to: 'small' },
      { from: 'big', to: 'join' },
      { from: 'small', to: 'join' },
      { from: 'join', to: 'use' },
    ],
  });

  it('warns at a read, after the merge, of a node on one branch', () => {
    const { result, text } = compile(branches('{{ nodes.big.size }}'));
    const warning = result.diagnostics.find((d) => d.code === 'maybe-skipped');
    expect(warning?.severity).toBe('warning');
    expect(text.slice(warning!.offset!, warning!.offset! + warning!.length!)).toBe('nodes.big');
    expect(warning?.message).toContain("Node 'big' is on a branch that may not run before 'use' runs");
    // A warning does not stop the flow from compiling.
    expect(result.flow).toBeDefined();
  });

  it('is silent with a fallback, for nodes that dominate the reader, for nodes that always run, and in the flow output', () => {
    expect(typeProblems(branches('{{ nodes.big.size ?? nodes.small.size }}'))).toEqual([]);
    expect(typeProblems(branches('{{ nodes.big ? 1 : 2 }}'))).toEqual([]);
    expect(typeProblems(branches('{{ nodes.gate }} {{ nodes.join.big }}'))).toEqual([]);
    expect(typeProblems({ ...branches('x'), output: '{{ nodes.big.size }}' })).toEqual([]);
    // a -> c, b -> c: both always run, though neither is on every path into c.
    const parallel = {
      nodes: [
        { id: 'a', type: 'transform', config: { output: 1 } },
        { id: 'b', type: 'transform', config: { output: 2 } },
        { id: 'c', type: 'transform', config: { output: '{{ nodes.a + nodes.b }}' } },
      ],
      edges: [
        { from: 'a', to: 'c' },
        { from: 'b', to: 'c' },
      ],
    };
    expect(typeProblems(parallel)).toEqual([]);
  });

  it('is silent on the branch itself, and leaves nodes that are not upstream to not-upstream', () => {
    const flow = branches('x') as { nodes: { id: string; config: object }[] };
    flow.nodes[2].config = { output: '{{ nodes.big.size }}' };
    const { result } = compile(flow);
    expect(result.diagnostics.map((d) => d.code)).toEqual(['not-upstream']);
  });
});

describe('checkTypes: declared outputs follow the node types', () => {
  it("an ai node's output has what its outputSchema declares (skipped, when a fallback answered)", () => {
    const problems = typeProblems({
      nodes: [
        { id: 'ask', type: 'ai', config: { model: 'm', prompt: 'p' } },
        { id: 'use', type: 'transform', config: { output: '{{ nodes.ask.skipped[0].reason }} {{ nodes.ask.skiped }} {{ nodes.ask.json.anything }}' } },
      ],
      edges: [{ from: 'ask', to: 'use' }],
    });
    expect(problems).toEqual([['unknown-property', 'skiped']]);
  });
});
