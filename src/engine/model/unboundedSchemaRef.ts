// Finds a `$ref` in a JSON Schema that can send validation round in a circle without ever going deeper into the
// value: `{ "$ref": "#" }`, or `#/$defs/a` -> `allOf` -> `#/$defs/a`. ajv compiles such a schema, then overflows
// the stack on the first input (a RangeError per request). A reference back up the schema under `properties` or
// `items` is fine (a tree): each round goes one level into the value, which is finite.
//
// The schema is a graph: an edge per local `$ref` (to the schema its JSON pointer names) and per subschema
// applied to the same value (allOf, anyOf, oneOf, not, if, then, else, dependentSchemas, dependencies). A cycle
// in it is an unbounded recursion. Only schemas reachable from the root (through any keyword) count; the walks
// are iterative, so a deeply nested schema cannot overflow the stack here either.

import type { JsonPath } from '../../shared/jsonPath';
import { isPlainObject } from '../../shared/isPlainObject';

const SAME_VALUE_LISTS = ['allOf', 'anyOf', 'oneOf'];
const SAME_VALUE_SCHEMAS = ['not', 'if', 'then', 'else'];
const SAME_VALUE_MAPS = ['dependentSchemas', 'dependencies'];
// Subschemas applied to a part of the value: not part of a cycle's danger, but where more schemas are found.
const DEEPER_SCHEMAS = ['items', 'additionalItems', 'additionalProperties', 'contains', 'propertyNames', 'unevaluatedItems', 'unevaluatedProperties'];
const DEEPER_LISTS = ['items', 'prefixItems'];
const DEEPER_MAPS = ['properties', 'patternProperties'];

interface Edge {
  to: JsonPath;
  /** Path of the `$ref` string, for a reference edge. */
  ref?: JsonPath;
}

/** Path (inside `schema`) of a `$ref` on a cycle that never descends into the value; undefined if there is none. */
export function findUnboundedRef(schema: unknown): JsonPath | undefined {
  const state = new Map<string, 'open' | 'done'>();
  for (const start of reachableSchemas(schema)) {
    if (state.has(keyOf(start))) continue;
    const ref = findCycleFrom(schema, start, state);
    if (ref !== undefined) return ref;
  }
  return undefined;
}

/** Depth-first over same-value edges from `start`; `state` is shared across starts, so each schema is walked once. */
function findCycleFrom(schema: unknown, start: JsonPath, state: Map<string, 'open' | 'done'>): JsonPath | undefined {
  // The DFS stack: each frame is a node with the edges still to follow, and the edge that led to it.
  const stack: { key: string; edges: Edge[]; via?: Edge }[] = [];
  const enter = (path: JsonPath, via?: Edge): void => {
    const key = keyOf(path);
    state.set(key, 'open');
    stack.push({ key, edges: edgesOf(valueAt(schema, path), path), via });
  };
  enter(start);
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    const edge = frame.edges.shift();
    if (edge === undefined) {
      state.set(frame.key, 'done');
      stack.pop();
      continue;
    }
    const key = keyOf(edge.to);
    const seen = state.get(key);
    if (seen === 'done') continue;
    if (seen === undefined) {
      enter(edge.to, edge);
      continue;
    }
    // Back to a schema still being walked: the edges from it to here, plus this one, make the cycle.
    const cycle = [edge];
    for (let i = stack.length - 1; i >= 0 && stack[i].key !== key; i--) if (stack[i].via) cycle.push(stack[i].via!);
    const ref = cycle.reverse().find((e) => e.ref !== undefined)?.ref;
    if (ref !== undefined) return ref;
  }
  return undefined;
}

/** Every subschema reachable from the root, by any keyword or local reference, in breadth-first order. */
function reachableSchemas(schema: unknown): JsonPath[] {
  const found: JsonPath[] = [[]];
  const seen = new Set([keyOf([])]);
  for (let i = 0; i < found.length; i++) {
    const path = found[i];
    for (const next of [...edgesOf(valueAt(schema, path), path).map((e) => e.to), ...deeperOf(valueAt(schema, path), path)]) {
      const key = keyOf(next);
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(next);
    }
  }
  return found;
}

function deeperOf(node: unknown, path: JsonPath): JsonPath[] {
  if (!isPlainObject(node)) return [];
  const paths: JsonPath[] = [];
  for (const keyword of DEEPER_SCHEMAS) if (isPlainObject(node[keyword])) paths.push([...path, keyword]);
  for (const keyword of DEEPER_LISTS) {
    const list = node[keyword];
    if (Array.isArray(list)) list.forEach((_sub, i) => paths.push([...path, keyword, i]));
  }
  for (const keyword of DEEPER_MAPS) {
    const map = node[keyword];
    if (isPlainObject(map)) for (const name of Object.keys(map)) paths.push([...path, keyword, name]);
  }
  return paths;
}

/** `["allOf", 0]` and `["allOf", "0"]` (from a pointer) are the same schema. */
function keyOf(path: JsonPath): string {
  return JSON.stringify(path.map(String));
}

function edgesOf(node: unknown, path: JsonPath): Edge[] {
  if (!isPlainObject(node)) return [];
  const edges: Edge[] = [];
  if (typeof node.$ref === 'string') {
    const target = localPointer(node.$ref);
    if (target !== undefined) edges.push({ to: target, ref: [...path, '$ref'] });
  }
  for (const keyword of SAME_VALUE_LISTS) {
    const list = node[keyword];
    if (Array.isArray(list)) list.forEach((_sub, i) => edges.push({ to: [...path, keyword, i] }));
  }
  for (const keyword of SAME_VALUE_SCHEMAS) {
    if (isPlainObject(node[keyword])) edges.push({ to: [...path, keyword] });
  }
  for (const keyword of SAME_VALUE_MAPS) {
    const map = node[keyword];
    if (!isPlainObject(map)) continue;
    // `dependencies` may also hold lists of property names: only its schemas apply to the value.
    for (const [name, sub] of Object.entries(map)) if (isPlainObject(sub)) edges.push({ to: [...path, keyword, name] });
  }
  return edges;
}

/** The path a same-document reference (`#`, `#/definitions/x`) names; undefined for any other reference. */
function localPointer(ref: string): JsonPath | undefined {
  if (!ref.startsWith('#')) return undefined;
  let pointer: string;
  try {
    pointer = decodeURIComponent(ref.slice(1));
  } catch {
    return undefined;
  }
  if (pointer === '') return [];
  if (!pointer.startsWith('/')) return undefined; // an anchor (`#name`): not followed
  return pointer
    .slice(1)
    .split('/')
    .map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let value = root;
  for (const key of path) {
    if (Array.isArray(value)) value = value[Number(key)];
    else if (isPlainObject(value) && Object.prototype.hasOwnProperty.call(value, key)) value = value[key];
    else return undefined;
  }
  return value;
}
