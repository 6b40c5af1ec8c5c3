// Why a path gave no value, when the reason is a read through null or undefined (`input.customer.name` with
// `input.customer` null). A path alone never throws (spec section 6: a missing step is undefined), but a
// template whose whole value is such a path demands a value there, and "nothing" would be a silent wrong
// result: the template layer asks this, only once the value came out undefined, and fails with the answer.
// A missing last step (`input.tax` where input has no `tax`) is not a read through null: it is not reported.

import type { ExprNode } from './exprTypes';
import type { Scope } from './scope';
import { SCOPE_ROOTS } from './scope';
import { readMember } from './member';
import { typeName } from './expressionEvaluationError';

export interface BrokenRead {
  /** "cannot read name of null (input.customer is null)" */
  reason: string;
  /** Offsets into the expression source of the read that failed (`input.customer.name`). */
  start: number;
  end: number;
}

type MemberNode = Extract<ExprNode, { kind: 'member' }>;

const ROOTS: ReadonlySet<string> = new Set(SCOPE_ROOTS);

/** The first step of the path `node` that reads a property of null or undefined; undefined when there is none. */
export function readThroughMissing(node: ExprNode, scope: Scope, source: string): BrokenRead | undefined {
  const chain: MemberNode[] = [];
  let current = node;
  while (current.kind === 'member') {
    // Only paths with literal steps: re-reading them costs nothing and has no effects.
    if (current.property.kind !== 'literal') return undefined;
    chain.unshift(current);
    current = current.object;
  }
  if (current.kind !== 'identifier' || !ROOTS.has(current.name) || chain.length === 0) return undefined;
  let value: unknown = scope[current.name as keyof Scope];
  for (const step of chain) {
    const key = (step.property as Extract<ExprNode, { kind: 'literal' }>).value;
    if (value === null || value === undefined) {
      const holder = source.slice(step.object.start, step.object.end);
      const type = typeName(value);
      return { reason: `cannot read ${String(key)} of ${type} (${holder} is ${type})`, start: step.start, end: step.end };
    }
    value = readMember(value, key);
  }
  return undefined;
}
