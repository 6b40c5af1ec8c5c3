// The JSON Schema of a `.flow.json` file (`weft schema`, language/flow.schema.json), generated from the zod
// schema of the format and the node registry, so the editor's JSON validation and completion agree with the
// compiler. Draft-07: the dialect VS Code's JSON language service handles best.
//
// Per node type, the node's `config` gets that type's config schema through
// `allOf: [{ if: { type is "http" }, then: { config: <http config> } }, ...]`, and `type` lists the registered
// types (with their titles) while still allowing any string, for a workspace's own types.

import { z } from 'zod';
import { isPlainObject } from '../../shared/isPlainObject';
import type { NodeRegistry } from '../nodes/registry';
import { flowSchema } from './flowSchema';

type JsonSchema = Record<string, unknown>;

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#';

export function generateFlowJsonSchema(registry: NodeRegistry): object {
  const schema = toJsonSchema(flowSchema) ?? { type: 'object' };
  schema.$schema = DRAFT_07;
  schema.title = 'Weft flow';
  const node = nodeItemSchema(schema);
  if (!node) return schema;

  const types = registry.list();
  const properties = (node.properties ?? {}) as Record<string, JsonSchema>;
  const typeProperty = properties.type ?? { type: 'string' };
  properties.type = {
    ...typeProperty,
    // A completion list of the registered types; the last branch keeps custom types valid.
    anyOf: [
      ...types.map((t) => ({ const: t.type, description: t.title, markdownDescription: `**${t.title}**\n\n${t.description}` })),
      { type: 'string' },
    ],
  };
  node.properties = properties;

  const perType = types.map((t) => ({
    if: { properties: { type: { const: t.type } }, required: ['type'] },
    then: { properties: { config: configJsonSchema(t.configSchema, t.description) } },
  }));
  if (perType.length > 0) node.allOf = [...((node.allOf as unknown[]) ?? []), ...perType];
  return schema;
}

/** The item schema of `nodes`, where per-type config schemas go. */
function nodeItemSchema(schema: JsonSchema): JsonSchema | undefined {
  const nodes = (schema.properties as Record<string, JsonSchema> | undefined)?.nodes;
  const items = nodes?.items;
  return isPlainObject(items) ? (items as JsonSchema) : undefined;
}

/**
 * A type's config schema as JSON Schema. Some zod types have no JSON Schema (a `code` config may hold a function
 * in a .flow.ts): those parts allow anything, and a schema that cannot be converted at all becomes a plain object.
 */
function configJsonSchema(configSchema: z.ZodType, description: string): JsonSchema {
  const converted = toJsonSchema(configSchema) ?? { type: 'object' };
  delete converted.$schema;
  if (converted.markdownDescription === undefined && description) converted.markdownDescription = description;
  return converted;
}

function toJsonSchema(schema: z.ZodType): JsonSchema | undefined {
  try {
    // `input`: what a person writes (fields with defaults are optional), not what parsing gives back.
    return z.toJSONSchema(schema, { target: 'draft-7', io: 'input', unrepresentable: 'any' }) as JsonSchema;
  } catch {
    return undefined;
  }
}
