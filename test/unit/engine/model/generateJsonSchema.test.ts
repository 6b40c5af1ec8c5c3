import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv from 'ajv';
import { parse as parseJsonc } from 'jsonc-parser';
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { generateFlowJsonSchema } from '../../../../src/engine/model/generateJsonSchema';
import { createDefaultRegistry } from '../../../../src/engine/nodes/builtins';
import { defineNodeType } from '../../../../src/engine/nodes/nodeType';
import { NodeRegistry } from '../../../../src/engine/nodes/registry';

// The spec's examples, copied into the repository so these tests always run.
const EXAMPLES = resolve(__dirname, '../../../fixtures/spec-examples');

function validator(registry: NodeRegistry): (value: unknown) => boolean {
  const schema = generateFlowJsonSchema(registry);
  const ajv = new Ajv({ strict: false, allErrors: true });
  return ajv.compile(schema);
}

function flowWith(node: object): object {
  return { version: 1, id: 'f', nodes: [node] };
}

describe('generateFlowJsonSchema', () => {
  const registry = createDefaultRegistry();
  const schema = generateFlowJsonSchema(registry) as Record<string, any>;
  const validate = validator(registry);

  it('is draft-07', () => {
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
  });

  it('accepts the spec examples', () => {
    const files = readdirSync(EXAMPLES).filter((f) => f.endsWith('.flow.json'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const value = parseJsonc(readFileSync(join(EXAMPLES, file), 'utf8'), [], { allowTrailingComma: true });
      expect(validate(value), file).toBe(true);
    }
  });

  it('checks a node config against its type', () => {
    expect(validate(flowWith({ id: 'a', type: 'http', config: { url: 'https://x.test' } }))).toBe(true);
    expect(validate(flowWith({ id: 'a', type: 'http', config: { method: 'GET' } }))).toBe(false);
    expect(validate(flowWith({ id: 'a', type: 'http', config: { url: 'https://x.test', nope: 1 } }))).toBe(false);
  });

  it('lists the registered types with their titles, and still allows custom ones', () => {
    const typeSchema = schema.properties.nodes.items.properties.type;
    const consts = typeSchema.anyOf.filter((s: { const?: string }) => s.const !== undefined);
    expect(consts.map((s: { const: string }) => s.const).sort()).toEqual(registry.names().sort());
    expect(consts.find((s: { const: string }) => s.const === 'http').description).toBe(registry.get('http')!.title);
    expect(validate(flowWith({ id: 'a', type: 'crm', config: { anything: true } }))).toBe(true);
  });

  it('rejects what the format rejects', () => {
    expect(validate({ version: 1, id: 'f', nodes: [] })).toBe(false);
    expect(validate({ version: 1, id: 'f', nodez: [], nodes: [{ id: 'a', type: 'transform' }] })).toBe(false);
  });

  it('falls back to a plain object for a config schema it cannot convert', () => {
    // ARRANGE: a schema whose internals throw when read, and one with a function in it
    const exotic = new Proxy(z.object({}), {
      get(target, property, receiver) {
        if (property === '_zod') throw new Error('not convertible');
        return Reflect.get(target, property, receiver);
      },
    });
    const weird = defineNodeType({ type: 'weird', title: 'Weird', description: '', configSchema: exotic, ports: ['out'], run: () => ({ output: 1 }) });
    const code = defineNodeType({
      type: 'fn',
      title: 'Fn',
      description: '',
      configSchema: z.object({ code: z.union([z.string(), z.custom<() => unknown>((v) => typeof v === 'function')]) }),
      ports: ['out'],
      run: () => ({ output: 1 }),
    });

    // ACT
    const generated = generateFlowJsonSchema(new NodeRegistry([weird, code])) as Record<string, any>;

    // ASSERT
    const [weirdRule, codeRule] = generated.properties.nodes.items.allOf;
    expect(weirdRule.then.properties.config).toEqual({ type: 'object' });
    expect(codeRule.then.properties.config.properties.code).toBeDefined();
  });
});
