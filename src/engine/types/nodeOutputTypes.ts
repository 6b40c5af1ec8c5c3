// What each node outputs, as a type (spec section 7's table): declared by a schema (`http`'s responseSchema,
// `ai`'s schema, `code`'s outputSchema, a custom type's zod outputSchema), built from a `transform`'s template,
// or by the node's rule (if, switch, split, wait and log pass their input on; merge, loop and filter build
// theirs). A `subflow`'s output is its child flow's (subflowOutputType.ts, asked through `subflowOutput`).

import type { CompiledNode } from '../model/compiledFlow';
import { isPlainObject } from '../../shared/isPlainObject';
import {
  arrayOf,
  closedObject,
  elementOf,
  fromJsonSchema,
  fromZodSchema,
  NUMBER,
  objectOf,
  STRING,
  typeOfLiteral,
  UNKNOWN,
  unionOf,
} from './valueType';
import type { PropertyType, ValueType } from './valueType';

export interface OutputTypeFacts {
  node: CompiledNode;
  /** The node's input (from its incoming edges, or the trigger's or the item's for a root). */
  input: ValueType;
  /** One per incoming edge, in edge order: what that edge contributes (its map's, or its source's output). */
  contributions: readonly { from: string; type: ValueType }[];
  /** The type of the templated config value at `key` (e.g. `output`, `items`), when it was compiled. */
  configValue(key: string): ValueType | undefined;
  /** A loop's body output per iteration. */
  bodyOutput?: ValueType | undefined;
  /** The output type of the flow at a subflow's `flow` path; absent when the flow has no file to resolve it from. */
  subflowOutput?: ((flowPath: string) => ValueType) | undefined;
}

/** `{ error: { message, ... } }`: what `out` carries when a node with onError "skip" failed. */
const SKIPPED_ERROR = closedObject({ error: objectOf([['message', { type: STRING, optional: false }]], { open: true }) });

/** What an `error` port edge carries: `{ error: { message, name, ... }, input }`. */
export function errorPortType(input: ValueType): ValueType {
  const error = objectOf(
    [
      ['message', { type: STRING, optional: false }],
      ['name', { type: STRING, optional: false }],
    ],
    { open: true },
  );
  return closedObject({ error, input });
}

type Rule = (facts: OutputTypeFacts, config: Record<string, unknown>) => ValueType;

const passInput: Rule = (facts) => facts.input;

const HTTP_HEADERS = objectOf([], { index: STRING });
const HTTP_FALLBACK = closedObject({ status: NUMBER, headers: HTTP_HEADERS, body: UNKNOWN });
const AI_FALLBACK = closedObject(
  { text: STRING, json: UNKNOWN, model: STRING, usage: closedObject({ inputTokens: NUMBER, outputTokens: NUMBER }), costUsd: NUMBER },
  ['json', 'costUsd'],
);

/** The node type's declared output (its zod outputSchema) when it is an object, else `fallback`. */
function declared(facts: OutputTypeFacts, fallback: ValueType): ValueType {
  const schema = facts.node.type.outputSchema;
  const type = schema ? fromZodSchema(schema) : undefined;
  return type?.kind === 'object' ? type : fallback;
}

/** The object type with `key` of type `type` (kept optional when it was). */
function withProperty(object: ValueType, key: string, type: ValueType): ValueType {
  if (object.kind !== 'object') return object;
  const props = new Map(object.props);
  props.set(key, { type, optional: object.props.get(key)?.optional ?? false });
  return objectOf(props, { open: object.open, ...(object.index ? { index: object.index } : {}) });
}

const RULES: Readonly<Record<string, Rule>> = {
  transform: (facts, config) => facts.configValue('output') ?? typeOfLiteral(config.output),
  code: (_facts, config) => (isPlainObject(config.outputSchema) ? fromJsonSchema(config.outputSchema) : UNKNOWN),
  if: passInput,
  switch: passInput,
  split: passInput,
  wait: passInput,
  log: passInput,
  merge: (facts, config) => mergeOutput(facts, config),
  loop: (facts) => arrayOf(facts.bodyOutput ?? UNKNOWN),
  filter: (facts) => {
    const items = facts.configValue('items');
    return arrayOf(items === undefined ? UNKNOWN : elementOf(items));
  },
  // http and ai declare their output with a zod outputSchema (kept beside their code); the config's schemas
  // say what the body and the answer's json are.
  http: (facts, config) =>
    withProperty(
      declared(facts, HTTP_FALLBACK),
      'body',
      isPlainObject(config.responseSchema) ? fromJsonSchema(config.responseSchema) : UNKNOWN,
    ),
  ai: (facts, config) => withProperty(declared(facts, AI_FALLBACK), 'json', isPlainObject(config.schema) ? fromJsonSchema(config.schema) : UNKNOWN),
  subflow: (facts, config) => (typeof config.flow === 'string' && facts.subflowOutput ? facts.subflowOutput(config.flow) : UNKNOWN),
  fail: () => UNKNOWN,
};

/** The type of the node's output when it completes (its `out` port and the branch ports alike). */
export function outputTypeOf(facts: OutputTypeFacts): ValueType {
  const { node } = facts;
  // A disabled node passes its input on unchanged.
  if (node.disabled) return facts.input;
  const rule = Object.hasOwn(RULES, node.type.type) ? RULES[node.type.type] : undefined;
  let type: ValueType;
  if (rule) type = rule(facts, node.rawConfig);
  else type = node.type.outputSchema ? fromZodSchema(node.type.outputSchema) : UNKNOWN;
  // A failure skipped with onError "skip" fires `out` with the error instead.
  return node.onError === 'skip' ? unionOf([type, SKIPPED_ERROR]) : type;
}

function mergeOutput(facts: OutputTypeFacts, config: Record<string, unknown>): ValueType {
  const combine = config.combine ?? 'object';
  if (combine === 'array') return arrayOf(unionOf(facts.contributions.map((c) => c.type)));
  if (combine === 'assign') return assignObjects(facts.contributions.map((c) => c.type));
  // `{ sourceId: output }` of the active edges: any of them may be missing.
  const props = new Map<string, PropertyType>();
  for (const c of facts.contributions) {
    const before = props.get(c.from);
    props.set(c.from, { type: before ? unionOf([before.type, c.type]) : c.type, optional: true });
  }
  return objectOf(props);
}

/**
 * Objects merged, later keys winning, as a node's input from several edges and a merge with `assign` build
 * them. Every key may be missing (its edge may not fire); closed only when every part is a closed object.
 */
export function assignObjects(parts: readonly ValueType[]): ValueType {
  const props = new Map<string, PropertyType>();
  let open = false;
  for (const part of parts) {
    if (part.kind !== 'object') {
      open = true;
      continue;
    }
    for (const [key, prop] of part.props) {
      const before = props.get(key);
      props.set(key, { type: before ? unionOf([before.type, prop.type]) : prop.type, optional: true });
    }
    if (part.open || part.index) open = true;
  }
  return objectOf(props, { open });
}
