import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import { findUnboundedRef } from '../../../../src/engine/model/unboundedSchemaRef';

describe('findUnboundedRef', () => {
  it('finds a schema that is a reference to itself', () => {
    expect(findUnboundedRef({ $ref: '#' })).toEqual(['$ref']);
  });

  it('finds a cycle through definitions and same-value applicators', () => {
    const schema = {
      $defs: { a: { anyOf: [{ type: 'string' }, { allOf: [{ $ref: '#/$defs/b' }] }] }, b: { not: { $ref: '#/$defs/a' } } },
      type: 'object',
      properties: { x: { $ref: '#/$defs/a' } },
    };
    expect(findUnboundedRef(schema)).toEqual(['$defs', 'a', 'anyOf', 1, 'allOf', 0, '$ref']);
  });

  it('accepts a recursive tree: each reference goes one level into the value', () => {
    const tree = { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#' } } } };
    expect(findUnboundedRef(tree)).toBeUndefined();
    expect(findUnboundedRef({ definitions: { n: { properties: { next: { $ref: '#/definitions/n' } } } }, $ref: '#/definitions/n' })).toBeUndefined();
  });

  it('ignores a cycle no path from the root reaches, and references it does not follow', () => {
    expect(findUnboundedRef({ $defs: { loop: { $ref: '#/$defs/loop' } }, type: 'object' })).toBeUndefined();
    expect(findUnboundedRef({ allOf: [{ $ref: 'other.json#' }, { $ref: '#anchor' }] })).toBeUndefined();
  });

  it('decodes JSON pointer escapes', () => {
    expect(findUnboundedRef({ $defs: { 'a/b': { $ref: '#/$defs/a~1b' } }, $ref: '#/$defs/a~1b' })).toEqual(['$defs', 'a/b', '$ref']);
  });
});

describe('compileFlow: an inputs schema that refers to itself without bound', () => {
  it('is an invalid-schema error on the $ref, and no flow', () => {
    const text = ['{ "version": 1, "id": "f",', '  "inputs": { "$ref": "#" },', '  "nodes": [{ "id": "a", "type": "transform", "config": { "output": 1 } }] }'].join('\n');
    const result = compileFlow(text);
    expect(result.flow).toBeUndefined();
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]).toMatchObject({ code: 'invalid-schema', severity: 'error', path: ['inputs', '$ref'] });
    expect(result.diagnostics[0].range?.start).toEqual({ line: 1, character: text.split('\n')[1].indexOf('"#"') });
  });

  it('still compiles and validates with a recursive tree schema', () => {
    const tree = { type: 'object', properties: { children: { type: 'array', items: { $ref: '#' } } } };
    const result = compileFlow({ version: 1, id: 'f', inputs: tree, nodes: [{ id: 'a', type: 'transform', config: { output: 1 } }] });
    expect(result.diagnostics).toEqual([]);
    expect(result.flow!.validateInput({ children: [{ children: [] }] }).ok).toBe(true);
    expect(result.flow!.validateInput({ children: [{ children: 3 }] }).ok).toBe(false);
  });
});
