// The `.flow.ts` authoring helpers (spec sections 1, 10 and 13). A `.flow.ts` module imports them from 'weft';
// the loader makes that import resolve to this very module of the running engine, so `flow` here and the `flow`
// a workspace module calls are the same function.

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
 * error). Their values are `any`: the types of outputs are the exported file's `Nodes` (see `weft export`).
 */
export type FlowNodeOf<Ids extends string> = Omit<FlowNodeLike, 'id' | 'config'> & {
  id: Ids;
  config?: {
    [key: string]: unknown;
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- unknown here would forbid every read in user code
    code?: string | ((ctx: FlowCodeContext<any, any, { [Id in Ids]: any }>) => unknown);
  };
};

/** The definition `flow()` takes and gives back. */
export type FlowDefinitionOf<Ids extends string> = Omit<FlowDefinitionLike, 'nodes'> & { nodes: FlowNodeOf<Ids>[] };

/**
 * Declares a flow: `export default flow({ version: 1, id, nodes, ... })`. Returns its argument unchanged, marked
 * so the loader can tell a flow from any other default export. `Ids` is inferred (see FlowNodeOf); no build step.
 */
export function flow<const Ids extends string>(definition: FlowDefinitionOf<Ids>): FlowDefinitionOf<Ids> {
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
