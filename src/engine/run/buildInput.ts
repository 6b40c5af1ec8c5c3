// A node's input from its active incoming edges (spec section 4): each contributes its source's value, or
// with `map` the object of mapped fields. All objects merge (later keys win); any non-object makes an array
// in edge order; a single contribution is used as it is.

import { isPlainObject } from '../../shared/isPlainObject';
import type { Scope } from '../expr/scope';
import type { CompiledNode } from '../model/compiledFlow';
import type { InputContribution } from '../nodes/nodeType';

export const EDGE_UNSETTLED = 0;
export const EDGE_ACTIVE = 1;
export const EDGE_INACTIVE = 2;

export function collectContributions(
  node: CompiledNode,
  edgeState: Uint8Array,
  valueOf: (sourceIndex: number) => unknown,
  scope: Scope,
): InputContribution[] {
  const contributions: InputContribution[] = [];
  for (const edge of node.incoming) {
    if (edgeState[edge.index] !== EDGE_ACTIVE) continue;
    let value = valueOf(edge.from.index);
    if (edge.map) value = edge.map.evaluate({ ...scope, input: value });
    contributions.push({ from: edge.from.id, port: edge.port, value });
  }
  return contributions;
}

export function combineContributions(contributions: readonly InputContribution[]): unknown {
  if (contributions.length === 0) return undefined;
  if (contributions.length === 1) return contributions[0].value;
  let allObjects = true;
  for (const c of contributions) {
    if (!isPlainObject(c.value)) {
      allObjects = false;
      break;
    }
  }
  if (allObjects) {
    const merged: Record<string, unknown> = {};
    for (const c of contributions) Object.assign(merged, c.value);
    return merged;
  }
  return contributions.map((c) => c.value);
}
