import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import type { CompileOptions, CompileResult } from '../../../../src/engine/model/compileFlow';
import type { Diagnostic, DiagnosticCode, Position } from '../../../../src/engine/model/diagnostics';
import { defineNodeType } from '../../../../src/engine/nodes/nodeType';
import type { NodeRegistry } from '../../../../src/engine/nodes/registry';
import { createTestRegistry } from '../../../support/testNodeTypes';

const registry = createTestRegistry();

function compile(lines: string[], options: CompileOptions = {}): CompileResult {
  return compileFlow(lines.join('\n'), { registry, ...options });
}

/** The one diagnostic with `code`. */
function one(result: CompileResult, code: DiagnosticCode): Diagnostic {
  const found = result.diagnostics.filter((d) => d.code === code);
  expect(found, JSON.stringify(result.diagnostics, null, 1)).toHaveLength(1);
  return found[0];
}

/** Zero-based position of the `nth` occurrence of `needle` on line `line`. */
function at(lines: string[], line: number, needle: string, nth = 0): Position {
  let character = -1;
  for (let i = 0; i <= nth; i++) character = lines[line].indexOf(needle, character + 1);
  if (character < 0) throw new Error(`'${needle}' is not on line ${line}`);
  return { line, character };
}

function rangeOf(lines: string[], line: number, needle: string, nth = 0): { start: Position; end: Position } {
  const start = at(lines, line, needle, nth);
  return { start, end: { line, character: start.character + needle.length } };
}

describe('compileFlow: diagnostics of spec section 7, positioned', () => {
  it('invalid-json: a missing comma, after a comment', () => {
    const lines = ['{', '  // the flow', '  "version": 1,', '  "id": "f"', '  "nodes": []', '}'];
    const result = compile(lines);
    expect(result.flow).toBeUndefined();
    expect(one(result, 'invalid-json')).toMatchObject({ severity: 'error', message: 'Comma expected', range: { start: at(lines, 4, '"nodes"') } });
  });

  it('invalid-schema: unknown key at the key, wrong type at the value, missing key at the object', () => {
    // ARRANGE
    const lines = [
      '{',
      '  "version": 1,',
      '  "id": "f",',
      '  "nodez": [],',
      '  "nodes": [',
      '    { "id": "a", "type": "transform", "timeoutMs": "5", },',
      '    { "id": "b" },',
      '  ],',
      '}',
    ];

    // ACT
    const result = compile(lines);

    // ASSERT
    expect(result.flow).toBeUndefined();
    expect(result.diagnostics.map((d) => ({ code: d.code, message: d.message, range: d.range, data: d.data }))).toEqual([
      {
        code: 'invalid-schema',
        message: "Unknown key 'nodez'. Did you mean 'nodes'?",
        range: rangeOf(lines, 3, '"nodez"'),
        data: { key: 'nodez', suggestion: 'nodes' },
      },
      { code: 'invalid-schema', message: 'Expected number, got string', range: rangeOf(lines, 5, '"5"'), data: undefined },
      { code: 'invalid-schema', message: "Missing required key 'type'", range: rangeOf(lines, 6, '{'), data: { missingKey: 'type' } },
    ]);
  });

  it('duplicate-node-id: at the second id', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "a", "type": "transform", "config": { "output": 1 } },',
      '    { "id": "a", "type": "transform", "config": { "output": 2 } }',
      '  ]',
      '}',
    ];
    const d = one(compile(lines), 'duplicate-node-id');
    expect(d.message).toBe("Duplicate node id 'a': already used on line 3");
    expect(d.range).toEqual(rangeOf(lines, 3, '"a"'));
  });

  it('invalid-schema: a node id that names an object prototype member (__proto__, constructor, prototype)', () => {
    for (const id of ['__proto__', 'constructor', 'prototype']) {
      const lines = [
        '{ "version": 1, "id": "f",',
        '  "nodes": [',
        `    { "id": "${id}", "type": "transform", "config": { "output": 1 } }`,
        '  ]',
        '}',
      ];
      const d = one(compile(lines), 'invalid-schema');
      expect(d.message).toContain('is not __proto__, constructor or prototype');
      expect(d.range).toEqual(rangeOf(lines, 2, `"${id}"`));
    }
    // Names that only contain them stay valid.
    expect(compile(['{ "version": 1, "id": "f", "nodes": [ { "id": "__proto__x", "type": "transform", "config": { "output": 1 } } ] }']).diagnostics).toEqual([]);
  });

  it('unknown-node-type: with the closest registered type as a suggestion', () => {
    const lines = ['{ "version": 1, "id": "f",', '  "nodes": [', '    { "id": "a", "type": "htpp", "config": { "url": "x" } }', '  ]', '}'];
    const d = one(compile(lines), 'unknown-node-type');
    expect(d).toMatchObject({
      severity: 'error',
      message: "Unknown node type 'htpp'. Did you mean 'http'?",
      data: { type: 'htpp', suggestion: 'http' },
      range: rangeOf(lines, 2, '"htpp"'),
    });
  });

  it('invalid-config: missing key at the config key (with the key for a quick fix), wrong value at the value', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "a", "type": "http", "config": { "method": "PUT" } },',
      '    { "id": "b", "type": "http" }',
      '  ],',
      '  "edges": [{ "from": "a", "to": "b" }]',
      '}',
    ];
    const result = compile(lines);
    const configErrors = result.diagnostics.filter((d) => d.code === 'invalid-config');
    expect(configErrors.map((d) => ({ message: d.message, range: d.range, data: d.data }))).toEqual([
      { message: "Missing required key 'url'", range: rangeOf(lines, 2, '"config"'), data: { missingKey: 'url' } },
      { message: 'Expected one of "GET", "POST", got "PUT"', range: rangeOf(lines, 2, '"PUT"'), data: undefined },
      { message: "Missing required key 'url'", range: rangeOf(lines, 3, '{'), data: { missingKey: 'url' } },
    ]);
  });

  it('invalid-config: from a type\'s prepare, reported with tools.error or thrown', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "a", "type": "picky", "config": { "n": 3 } },',
      '    { "id": "b", "type": "picky", "config": { "boom": true } }',
      '  ],',
      '  "edges": [{ "from": "a", "to": "b" }]',
      '}',
    ];
    const result = compile(lines);
    expect(result.diagnostics.map((d) => [d.code, d.message, d.range?.start])).toEqual([
      ['invalid-config', 'n must be even', at(lines, 2, '3')],
      ['invalid-config', 'The picky node could not prepare its config: kaboom', at(lines, 3, '{ "boom"')],
    ]);
  });

  it('unknown-node: an edge end that names no node', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [{ "id": "fetch", "type": "transform", "config": { "output": 1 } }],',
      '  "edges": [',
      '    { "from": "fetch", "to": "fecth" }',
      '  ]',
      '}',
    ];
    const d = one(compile(lines), 'unknown-node');
    expect(d).toMatchObject({ message: "Unknown node 'fecth'. Did you mean 'fetch'?", range: rangeOf(lines, 3, '"fecth"') });
  });

  it('unknown-port: a misspelt port, and a default port the node does not have', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "check", "type": "if", "config": { "condition": "trigger.ok" } },',
      '    { "id": "yes", "type": "transform", "config": { "output": 1 } },',
      '    { "id": "no", "type": "transform", "config": { "output": 2 } }',
      '  ],',
      '  "edges": [',
      '    { "from": "check", "port": "ture", "to": "yes" },',
      '    { "from": "check", "to": "no" }',
      '  ]',
      '}',
    ];
    const result = compile(lines);
    const ports = result.diagnostics.filter((d) => d.code === 'unknown-port');
    expect(ports.map((d) => ({ message: d.message, start: d.range?.start }))).toEqual([
      { message: "Node 'check' (if) has no port 'ture'. Its ports: true, false, error. Did you mean 'true'?", start: at(lines, 7, '"ture"') },
      { message: "Node 'check' (if) has no port 'out'. Its ports: true, false, error.", start: at(lines, 8, '{') },
    ]);
    expect(ports[0].data).toMatchObject({ suggestion: 'true', ports: ['true', 'false', 'error'] });
  });

  it('cycle: the cycle\'s nodes in order, at the edge that closes it', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "start", "type": "transform", "config": { "output": 0 } },',
      '    { "id": "a", "type": "transform", "config": { "output": 1 } },',
      '    { "id": "b", "type": "transform", "config": { "output": 2 } },',
      '    { "id": "c", "type": "transform", "config": { "output": 3 } }',
      '  ],',
      '  "edges": [',
      '    { "from": "start", "to": "a" },',
      '    { "from": "a", "to": "b" },',
      '    { "from": "b", "to": "c" },',
      '    { "from": "c", "to": "a" }',
      '  ]',
      '}',
    ];
    const d = one(compile(lines), 'cycle');
    expect(d.message).toMatch(/^Cycle: a → b → c → a\./);
    expect(d.data).toEqual({ cycle: ['a', 'b', 'c'] });
    expect(d.range).toEqual(rangeOf(lines, 11, '{ "from": "c", "to": "a" }'));
  });

  it('invalid-expression: at the exact characters, string escapes before the template accounted for', () => {
    // ARRANGE: `\"` and `\u00e9` are two and six characters in the file but one in the value.
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "a", "type": "transform", "config": { "output": "say \\"h\\u00e9\\" {{ a = 1 }}" } }',
      '  ]',
      '}',
    ];

    // ACT
    const d = one(compile(lines), 'invalid-expression');

    // ASSERT
    expect(d.message).toBe("Unexpected '='; use '==' to compare");
    expect(d.range).toEqual(rangeOf(lines, 2, '='));
    expect(d.path).toEqual(['nodes', 0, 'config', 'output']);
  });

  it('invalid-expression: in a condition without braces, an edge map and the flow output', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "check", "type": "if", "config": { "condition": "trigger.a >" } },',
      '    { "id": "b", "type": "transform", "config": { "output": 1 } }',
      '  ],',
      '  "edges": [{ "from": "check", "port": "true", "to": "b", "map": { "x": "{{ (input }}" } }],',
      '  "output": "{{ nodes.b + }}"',
      '}',
    ];
    const result = compile(lines);
    const lines_ = result.diagnostics.filter((d) => d.code === 'invalid-expression').map((d) => d.range?.start.line);
    expect(lines_).toEqual([2, 5, 6]);
  });

  it('unknown-reference: a node, a variable and a name that do not exist', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "variables": { "limit": 5 },',
      '  "nodes": [',
      '    { "id": "fetch", "type": "transform", "config": { "output": "{{ nodes.fecth.body }}" } },',
      '    { "id": "b", "type": "transform", "config": { "output": "{{ variables.limt }} {{ foo.bar }}" } }',
      '  ],',
      '  "edges": [{ "from": "fetch", "to": "b" }]',
      '}',
    ];
    const result = compile(lines);
    const refs = result.diagnostics.filter((d) => d.code === 'unknown-reference');
    expect(refs.map((d) => ({ severity: d.severity, message: d.message, range: d.range }))).toEqual([
      { severity: 'error', message: "Unknown node 'fecth'. Did you mean 'fetch'?", range: rangeOf(lines, 3, 'nodes.fecth.body') },
      { severity: 'error', message: "Unknown variable 'limt'. Did you mean 'limit'?", range: rangeOf(lines, 4, 'variables.limt') },
      {
        severity: 'error',
        message: "Unknown name 'foo': a template reads trigger, input, nodes, variables, secrets, execution, item, index",
        range: rangeOf(lines, 4, 'foo.bar'),
      },
    ]);
    expect(result.flow).toBeUndefined();
  });

  it('unknown-reference: tests that mock or expect unknown nodes (errors), layout of unknown nodes (warning)', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [{ "id": "a", "type": "transform", "config": { "output": 1 } }],',
      '  "tests": [{ "name": "t", "mocks": { "b": { "output": 1 } }, "expect": { "nodes": { "aa": { "status": "completed" } } } }],',
      '  "layout": { "gone": { "x": 0, "y": 0 } }',
      '}',
    ];
    const result = compile(lines);
    expect(result.diagnostics.map((d) => [d.severity, d.message, d.range])).toEqual([
      ['error', "Test 't' mocks unknown node 'b'", rangeOf(lines, 2, '"b"')],
      ['error', "Test 't' expects unknown node 'aa'. Did you mean 'a'?", rangeOf(lines, 2, '"aa"')],
      ['warning', "Layout position for unknown node 'gone'", rangeOf(lines, 3, '"gone"')],
    ]);
  });

  it('not-upstream: a warning where the node read may not have run yet', () => {
    // a   b      (two roots; b reads a)
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "a", "type": "transform", "config": { "output": 1 } },',
      '    { "id": "b", "type": "transform", "config": { "output": "{{ nodes.a }}" } }',
      '  ]',
      '}',
    ];
    const result = compile(lines);
    const d = one(result, 'not-upstream');
    expect(d).toMatchObject({
      severity: 'warning',
      message: "Node 'a' is not upstream of 'b', so nodes.a may be undefined when 'b' runs",
      range: rangeOf(lines, 3, 'nodes.a'),
    });
    expect(result.flow).toBeDefined();
    expect(result.flow?.diagnostics).toEqual(result.diagnostics);
  });

  it('unreachable-node: downstream only of a fail node, and of a disabled branch', () => {
    // boom (fail) --out--> after        check (if, disabled) --true--> yes
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "boom", "type": "fail", "config": { "message": "no" } },',
      '    { "id": "after", "type": "transform", "config": { "output": 1 } },',
      '    { "id": "check", "type": "if", "disabled": true, "config": { "condition": true } },',
      '    { "id": "yes", "type": "transform", "config": { "output": 2 } }',
      '  ],',
      '  "edges": [',
      '    { "from": "boom", "to": "after" },',
      '    { "from": "check", "port": "true", "to": "yes" }',
      '  ]',
      '}',
    ];
    const result = compile(lines);
    expect(one(result, 'unknown-port').range?.start).toEqual(at(lines, 8, '{'));
    const unreachable = result.diagnostics.filter((d) => d.code === 'unreachable-node');
    expect(unreachable.map((d) => [d.severity, d.range])).toEqual([
      ['warning', rangeOf(lines, 3, '"after"')],
      ['warning', rangeOf(lines, 5, '"yes"')],
    ]);
    expect(unreachable[0].message).toMatch(/^Node 'after' can never run/);
  });

  it('unreachable-node: not for a node fed by an error edge of a fail node', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "boom", "type": "fail", "config": { "message": "no" } },',
      '    { "id": "recover", "type": "transform", "config": { "output": 1 } }',
      '  ],',
      '  "edges": [{ "from": "boom", "port": "error", "to": "recover" }]',
      '}',
    ];
    const result = compile(lines);
    expect(result.diagnostics).toEqual([]);
    expect(result.flow?.graph.byId.get('boom')?.handlesErrors).toBe(true);
  });

  it('unused-variable: at the key of a variable nothing reads', () => {
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "variables": { "used": 1, "unused": 2 },',
      '  "nodes": [{ "id": "a", "type": "transform", "config": { "output": "{{ variables.used }}" } }]',
      '}',
    ];
    const result = compile(lines);
    expect(one(result, 'unused-variable')).toMatchObject({
      severity: 'warning',
      message: "Variable 'unused' is never used",
      range: rangeOf(lines, 1, '"unused"'),
    });
  });

  it('load-error: a loader diagnostic points at its imports entry; loaded types are usable', () => {
    // ARRANGE
    const crm = defineNodeType({
      type: 'crm',
      title: 'CRM',
      description: '',
      configSchema: z.object({}).strict(),
      ports: ['out'],
      run: () => ({ output: 1 }),
    });
    const lines = [
      '{ "version": 1, "id": "f",',
      '  "imports": ["./nodes/crm.node.ts", "./nodes/broken.node.ts"],',
      '  "nodes": [{ "id": "a", "type": "crm", "config": {} }]',
      '}',
    ];
    const calls: unknown[] = [];

    // ACT
    const result = compile(lines, {
      file: '/w/f.flow.json',
      loadImports: (specifiers, fromFile) => {
        calls.push([specifiers, fromFile]);
        return {
          types: [crm],
          diagnostics: [{ code: 'load-error', severity: 'error', message: 'Cannot load ./nodes/broken.node.ts: syntax error', data: { specifier: './nodes/broken.node.ts' } }],
        };
      },
    });

    // ASSERT
    expect(calls).toEqual([[['./nodes/crm.node.ts', './nodes/broken.node.ts'], '/w/f.flow.json']]);
    expect(result.diagnostics).toEqual([
      expect.objectContaining({ code: 'load-error', file: '/w/f.flow.json', range: rangeOf(lines, 1, '"./nodes/broken.node.ts"') }),
    ]);
  });

  it('load-error: a loader that throws', () => {
    const lines = ['{ "version": 1, "id": "f", "imports": ["./x.ts"],', '  "nodes": [{ "id": "a", "type": "transform", "config": {} }] }'];
    const result = compile(lines, {
      loadImports: () => {
        throw new Error('disk on fire');
      },
    });
    expect(one(result, 'load-error')).toMatchObject({ message: 'The imported node types could not be loaded: disk on fire', range: { start: at(lines, 0, '[') } });
  });

  it('internal: a bug becomes a diagnostic, never a throw', () => {
    const broken = {
      get: () => {
        throw new Error('registry exploded');
      },
      names: () => [],
      has: () => false,
      list: () => [],
    } as unknown as NodeRegistry;
    const result = compileFlow('{ "version": 1, "id": "f", "nodes": [{ "id": "a", "type": "x" }] }', { registry: broken });
    expect(result.flow).toBeUndefined();
    expect(one(result, 'internal').message).toMatch(/registry exploded/);
  });

  it('positions are right in a file with CRLF line ends', () => {
    const lines = [
      '{',
      '  "version": 1, "id": "f",',
      '  "nodes": [',
      '    { "id": "a", "type": "transform", "config": { "output": "{{ nodes.zz }}" } },',
      '    { "id": "a", "type": "transform" }',
      '  ]',
      '}',
    ];
    const result = compileFlow(lines.join('\r\n'), { registry });
    expect(result.diagnostics.map((d) => [d.code, d.range?.start])).toEqual([
      ['unknown-reference', at(lines, 3, 'nodes.zz')],
      ['invalid-config', at(lines, 4, '{')],
      ['duplicate-node-id', at(lines, 4, '"a"')],
    ]);
    const text = lines.join('\r\n');
    const dup = result.diagnostics[2];
    expect(text.slice(dup.offset, dup.offset! + dup.length!)).toBe('"a"');
  });
});

describe('compileFlow: the compiled flow', () => {
  const lines = [
    '{',
    '  "version": 1,',
    '  "id": "orders",',
    '  "inputs": { "type": "object", "properties": { "total": { "type": "number" }, "country": { "type": "string", "default": "DE" } }, "required": ["total"] },',
    '  "variables": { "limit": 500 },',
    '  "settings": { "concurrency": 4 },',
    '  "nodes": [',
    '    { "id": "check", "type": "if", "config": { "condition": "{{ trigger.total > variables.limit }}" } },',
    '    { "id": "call", "type": "http", "config": { "url": "https://x.test/{{ secrets.TOKEN }}" } },',
    '    { "id": "ask", "type": "ai", "config": { "prompt": "hi", "apiKeySecret": "AI_KEY" } }',
    '  ],',
    '  "edges": [{ "from": "check", "port": "true", "to": "call" }, { "from": "call", "to": "ask" }],',
    '  "output": "{{ nodes.ask }}",',
    '  "tests": [{ "name": "t", "input": { "total": 1 }, "expect": { "status": "completed" } }]',
    '}',
  ];
  const text = lines.join('\n');

  it('has the settings, variables, tests, secrets, hash and file', () => {
    const { flow, diagnostics } = compileFlow(text, { registry, file: '/w/orders.flow.json' });
    expect(diagnostics).toEqual([]);
    expect(flow).toMatchObject({
      id: 'orders',
      file: '/w/orders.flow.json',
      hash: createHash('sha256').update(text).digest('hex'),
      settings: { timeoutMs: 300_000, concurrency: 4 },
      variables: { limit: 500 },
      tests: [{ name: 't' }],
    });
    expect(flow?.secretNames.sort()).toEqual(['AI_KEY', 'TOKEN']);
    expect(flow?.graph.output).toBeDefined();
    expect(flow?.graph.order.map((i) => flow.graph.nodes[i].id)).toEqual(['check', 'call', 'ask']);
  });

  it('validates input against `inputs`, applying defaults', () => {
    const { flow } = compileFlow(text, { registry });
    expect(flow?.validateInput({ total: 3 })).toEqual({ ok: true, value: { total: 3, country: 'DE' }, errors: [] });
    expect(flow?.validateInput({ total: 'x' })).toEqual({ ok: false, value: { total: 'x', country: 'DE' }, errors: [{ path: '/total', message: 'must be number' }] });
  });

  it('accepts any input without `inputs`', () => {
    const { flow } = compileFlow('{ "version": 1, "id": "f", "nodes": [{ "id": "a", "type": "transform", "config": { "output": 1 } }] }', { registry });
    expect(flow?.validateInput(undefined)).toEqual({ ok: true, value: {}, errors: [] });
  });

  it('reports an `inputs` schema ajv cannot compile', () => {
    const bad = ['{ "version": 1, "id": "f",', '  "inputs": { "type": "whatever" },', '  "nodes": [{ "id": "a", "type": "transform", "config": {} }] }'];
    const d = one(compile(bad), 'invalid-schema');
    expect(d.message).toMatch(/^The inputs schema is not a valid JSON Schema/);
    expect(d.range).toEqual(rangeOf(bad, 1, '"inputs"'));
  });

  it('compiles an object source, hashing its JSON and locating through `locate`', () => {
    // ARRANGE
    const source = { version: 1, id: 'obj', nodes: [{ id: 'a', type: 'transform', config: { output: '{{ nodes.nope }}' } }] };
    const located: unknown[] = [];
    const range = { start: { line: 7, character: 1 }, end: { line: 7, character: 9 } };

    // ACT
    const result = compileFlow(source, {
      registry,
      locate: (path) => {
        located.push(path);
        return path.length === 4 ? range : undefined;
      },
    });

    // ASSERT
    expect(one(result, 'unknown-reference')).toMatchObject({ range, path: ['nodes', 0, 'config', 'output'] });
    expect(one(result, 'unknown-reference').offset).toBeUndefined();
    const fine = compileFlow({ ...source, nodes: [{ id: 'a', type: 'transform', config: { output: 1 } }] }, { registry });
    expect(fine.flow?.hash).toBe(createHash('sha256').update(JSON.stringify({ ...source, nodes: [{ id: 'a', type: 'transform', config: { output: 1 } }] })).digest('hex'));
  });

  it('accepts functions in an object source (code in a .flow.ts) and hashes their text', () => {
    const code = defineNodeType({ type: 'code', title: '', description: '', configSchema: z.object({ code: z.unknown() }), ports: ['out'], run: () => ({ output: 1 }) });
    const make = (fn: () => number): object => ({ version: 1, id: 'f', nodes: [{ id: 'a', type: 'code', config: { code: fn } }] });
    const first = compileFlow(make(() => 1), { registry: registry.extend([code]) });
    const second = compileFlow(make(() => 2), { registry: registry.extend([code]) });
    expect(first.flow).toBeDefined();
    expect(first.flow?.hash).not.toBe(second.flow?.hash);
  });
});

describe('compileFlow: never throws', () => {
  it('for any string', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const result = compileFlow(text, { registry });
        expect(Array.isArray(result.diagnostics)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('for any JSON value, as text and as an object', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const asText = compileFlow(JSON.stringify(value) ?? '', { registry });
        const asObject = compileFlow(value as object, { registry });
        expect(asText.diagnostics.some((d) => d.code === 'internal')).toBe(false);
        expect(asObject.diagnostics.some((d) => d.code === 'internal')).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('for flow-shaped values with arbitrary nodes, edges and templates', () => {
    const id = fc.constantFrom('a', 'b', 'c', 'd', 'x-1', '__proto__', 'constructor');
    const text = fc.oneof(fc.string(), fc.constantFrom('{{ nodes.a }}', '{{', '{{ item }}', '{{ variables.v }}', '\\{{ x }}', '{{ foo( }}'));
    const node = fc.record({
      id,
      type: fc.constantFrom('transform', 'if', 'switch', 'loop', 'filter', 'fail', 'merge', 'http', 'nope'),
      config: fc.dictionary(fc.constantFrom('output', 'condition', 'cases', 'items', 'body', 'url'), fc.oneof(text, fc.jsonValue())),
      disabled: fc.boolean(),
      onError: fc.constantFrom('fail', 'skip'),
    });
    const edge = fc.record({ from: id, to: id, port: fc.constantFrom('out', 'true', 'false', 'error', 'zz'), map: fc.option(fc.dictionary(fc.string(), text), { nil: undefined }) });
    const flow = fc.record({
      version: fc.constant(1),
      id: fc.constant('f'),
      variables: fc.dictionary(fc.constantFrom('v', 'w'), fc.jsonValue()),
      nodes: fc.array(node, { minLength: 1, maxLength: 6 }),
      edges: fc.array(edge, { maxLength: 8 }),
      output: fc.option(text, { nil: undefined }),
    });
    fc.assert(
      fc.property(flow, (value) => {
        const clean = JSON.parse(JSON.stringify(value)) as object;
        const result = compileFlow(JSON.stringify(clean, null, 2), { registry });
        expect(result.diagnostics.filter((d) => d.code === 'internal')).toEqual([]);
        expect(result.flow === undefined).toBe(result.diagnostics.some((d) => d.severity === 'error'));
      }),
      { numRuns: 300 },
    );
  });
});

describe('compileFlow: size', () => {
  it('compiles a 10,000-node chain (no stack overflow)', () => {
    // n0 -> n1 -> ... -> n9999, each reading the one before
    const n = 10_000;
    const nodes = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, type: 'transform', config: { output: i === 0 ? 0 : `{{ nodes.n${i - 1} }}` } }));
    const edges = Array.from({ length: n - 1 }, (_, i) => ({ from: `n${i}`, to: `n${i + 1}` }));
    const text = JSON.stringify({ version: 1, id: 'chain', nodes, edges });

    const started = performance.now();
    const result = compileFlow(text, { registry });
    const ms = performance.now() - started;

    expect(result.diagnostics).toEqual([]);
    expect(result.flow?.graph.order).toHaveLength(n);
    console.log(`10,000-node chain compiled in ${ms.toFixed(1)} ms`);
  });

  it('compiles a 2,000-node layered DAG whose nodes read nodes of earlier layers', () => {
    // 40 layers of 50 nodes; node k of a layer has edges from nodes k and k+1 of the layer before, reads
    // them, and reads node k+2 two layers back (upstream through k+1).
    const width = 50;
    const layers = 40;
    const id = (layer: number, k: number): string => `l${layer}_${k}`;
    const nodes: object[] = [];
    const edges: object[] = [];
    for (let layer = 0; layer < layers; layer++) {
      for (let k = 0; k < width; k++) {
        const back = layer >= 2 ? ` + nodes.${id(layer - 2, (k + 2) % width)}.v` : '';
        const reads = layer === 0 ? '{{ trigger.x }}' : `{{ nodes.${id(layer - 1, k)}.v + nodes.${id(layer - 1, (k + 1) % width)}.v${back} }}`;
        nodes.push({ id: id(layer, k), type: 'transform', config: { output: { v: reads } } });
        if (layer > 0) {
          edges.push({ from: id(layer - 1, k), to: id(layer, k) }, { from: id(layer - 1, (k + 1) % width), to: id(layer, k) });
        }
      }
    }
    const text = JSON.stringify({ version: 1, id: 'dag', nodes, edges }, null, 2);

    // The first compiles warm up the JIT and the expression cache: time a few after that, report the median.
    const times: number[] = [];
    let result: CompileResult = { diagnostics: [] };
    for (let run = 0; run < 8; run++) {
      const started = performance.now();
      result = compileFlow(text, { registry });
      times.push(performance.now() - started);
    }

    expect(result.diagnostics).toEqual([]);
    expect(result.flow?.graph.nodes).toHaveLength(width * layers);
    const warm = times.slice(3).sort((a, b) => a - b);
    console.log(`2,000-node layered DAG: first compile ${times[0].toFixed(1)} ms, then median ${warm[2].toFixed(1)} ms`);
  });
});

// The spec's examples, copied into the repository so these tests always run.
const EXAMPLES = resolve(__dirname, '../../../fixtures/spec-examples');

describe('compileFlow: the spec examples, with the real registry', () => {
  const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.flow.json'));
  it.each(files)('%s compiles without diagnostics', (file) => {
    const result = compileFlow(readFileSync(join(EXAMPLES, file), 'utf8'), { file: join(EXAMPLES, file) });
    expect(result.diagnostics).toEqual([]);
    expect(result.flow).toBeDefined();
  });
});
