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
 * Declares a flow: `export default flow({ version: 1, id, nodes, ... })`. Returns its argument unchanged (so the
 * literal's types flow through), marked so the loader can tell a flow from any other default export.
 */
export function flow<T extends FlowDefinitionLike>(definition: T): T {
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
