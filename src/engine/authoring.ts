// The `.flow.ts` authoring helpers (spec sections 1, 10 and 13). A `.flow.ts` module imports them from 'weft';
// the loader makes that import resolve to this very module of the running engine, so `flow` here and the `flow`
// a workspace module calls are the same function.

import type { InputTypeOf } from './authoringInputType';
import type { FlowDefinition, NodeDefinition } from './model/flowSchema';

export { defineNodeType } from './nodes/nodeType';

/**
 * Marks an object made by `flow()`. `Symbol.for` so that a flow made by another copy of the engine (a second
 * bundle in the same process) is still recognised.
 */
export const FLOW_MARKER: unique symbol = Symbol.for('weft.flow') as never;

/** A node as written in a `.flow.ts`: the JSON model, with a config that may hold functions (`code`). */
export type FlowNodeLike = Omit<NodeDefinition, 'config'> & { config?: Record<string, unknown> };

/** A flow as written in a `.flow.ts`: the JSON model (spec sections 2 to 4), with code nodes as functions. */
export type FlowDefinitionLike = Omit<FlowDefinition, 'nodes'> & { nodes: FlowNodeLike[] };

/**
 * What a `code` node's function receives in a `.flow.ts` (spec section 7), for authors who want to type it:
 * `code: ({ input }: FlowCodeContext<{ email: string }>) => ...`. `Nodes` types `nodes.<id>`: `weft export`
 * writes it from the types Weft infers for the graph, so a misspelled property is a `tsc` error.
 */
export interface FlowCodeContext<Input = unknown, Trigger = unknown, Nodes = Record<string, unknown>> {
  input: Input;
  trigger: Trigger;
  nodes: Nodes;
  variables: Record<string, unknown>;
  item?: unknown;
  index?: number;
  execution: { id: string; flowId: string; startedAt: string; trigger?: unknown };
  /** A line in the node's log; values that are not strings are written as JSON. */
  log(...values: unknown[]): void;
  /** Fires when the node is cancelled or times out. */
  signal: AbortSignal;
}

/**
 * A node as `flow()` types it: `Ids` are the ids of the flow's nodes, inferred from the literal, so an unannotated
 * code function gets `nodes` with exactly those keys (`({ nodes }) => nodes.shape`, and `nodes.shap` is a tsc
 * error), and `input` typed from the flow's `inputs` schema (authoringInputType.ts). The values of `nodes.<id>`
 * are `any`: TypeScript cannot infer them from the same literal (a code node's output would depend on its own
 * parameter's type), so their types are the exported file's `Nodes` (see `weft export`) or a `FlowCodeContext`
 * the author writes.
 */
export type FlowNodeOf<Ids extends string, Input = unknown> = Omit<FlowNodeLike, 'id' | 'config'> & {
  id: Ids;
  config?: {
    [key: string]: unknown;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- unknown here would forbid every read in user code
    code?: string | CodeFunction<FlowCodeContext<Input, any, { [Id in Ids]: any }>>;
  };
};

/**
 * A code function, checked both ways (a method's parameter is bivariant): an unannotated one gets the context
 * above, and one annotated with its own, narrower types (`({ trigger }: { trigger: Lead })`, an exported file's
 * `FlowCodeContext<Input, Trigger, Nodes>`) is accepted as long as the two types are related.
 */
type CodeFunction<Context> = { bivariant(ctx: Context): unknown }['bivariant'];

/** What a flow with no `inputs` gives its code as `input`: anything, as before the schema existed. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- unknown here would forbid every read in user code
type InputOfSchema<Inputs> = [Inputs] extends [never] ? any : InputTypeOf<Inputs>;

/** The definition `flow()` takes and gives back. */
export type FlowDefinitionOf<Ids extends string, Inputs = never> = Omit<FlowDefinitionLike, 'nodes' | 'inputs'> & {
  inputs?: Inputs;
  nodes: FlowNodeOf<Ids, InputOfSchema<Inputs>>[];
};

/**
 * Declares a flow: `export default flow({ version: 1, id, nodes, ... })`. Returns its argument unchanged, marked
 * so the loader can tell a flow from any other default export. `Ids` and `Inputs` are inferred from the literal
 * (see FlowNodeOf); no build step.
 */
export function flow<const Ids extends string, const Inputs extends Record<string, unknown> = never>(
  definition: FlowDefinitionOf<Ids, Inputs>,
): FlowDefinitionOf<Ids, Inputs> {
  // A frozen or sealed definition cannot take the mark; the loader also accepts an unmarked flow-shaped object.
  if (definition !== null && typeof definition === 'object' && Object.isExtensible(definition)) {
    Object.defineProperty(definition, FLOW_MARKER, { value: true, enumerable: false });
  }
  return definition;
}

/** True for an object made by `flow()`. */
export function isMarkedFlow(value: unknown): boolean {
  return value !== null && typeof value === 'object' && (value as Record<symbol, unknown>)[FLOW_MARKER] === true;
}
