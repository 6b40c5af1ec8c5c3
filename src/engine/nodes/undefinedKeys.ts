// The places in a node's output that hold `undefined`: JSON has no such value, so each of those keys vanishes
// from the run record, the history and the panel. A transform reports them in its log, so a key is never
// dropped without a trace (docs/decisions.md, "No silent wrong results"). The walk is bounded: outputs are
// built by templates from small config objects, but a template may splice in a large value.

import type { JsonPath } from '../../shared/jsonPath';
import { isPlainObject } from '../../shared/isPlainObject';

/** How many values the walk looks at before it stops: enough for any config-shaped output. */
const MAX_VISITED = 2000;

/** The paths (from `value`) of object keys and array elements whose value is undefined, in document order. */
export function findUndefinedKeys(value: unknown, maxVisited = MAX_VISITED): JsonPath[] {
  const found: JsonPath[] = [];
  let visited = 0;
  const walk = (current: unknown, path: JsonPath, depth: number): void => {
    if (++visited > maxVisited || depth > 100) return;
    if (Array.isArray(current)) {
      for (let i = 0; i < current.length && visited <= maxVisited; i++) {
        if (current[i] === undefined) found.push([...path, i]);
        else walk(current[i], [...path, i], depth + 1);
      }
    } else if (isPlainObject(current)) {
      for (const key of Object.keys(current)) {
        if (visited > maxVisited) return;
        const child = current[key];
        if (child === undefined) found.push([...path, key]);
        else walk(child, [...path, key], depth + 1);
      }
    }
  };
  walk(value, [], 0);
  return found;
}

/** The log line for one such key of a transform's `output`. */
export function undefinedKeyMessage(path: JsonPath): string {
  const where = path.reduce<string>(
    (text, step) => (typeof step === 'number' ? `${text}[${step}]` : /^[A-Za-z_$][\w$]*$/.test(step) ? `${text}.${step}` : `${text}[${JSON.stringify(step)}]`),
    'output',
  );
  return `${where} has no value (its template gave undefined), so it is left out of the output. Give a fallback with ?? or default() to keep the key.`;
}
