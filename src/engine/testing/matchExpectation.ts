// In-file test expectations match as a subset (spec section 9): every key given must match deeply; arrays
// must have the same length and match element by element.

import { isPlainObject } from '../../shared/isPlainObject';

export interface Mismatch {
  /** Where, as a path like `output.items[2].id`. */
  path: string;
  expected: unknown;
  actual: unknown;
}

export function matchSubset(expected: unknown, actual: unknown, path: string, out: Mismatch[]): void {
  if (expected === null || typeof expected !== 'object') {
    if (!Object.is(expected, actual) && !(typeof expected === 'number' && expected === actual)) out.push({ path, expected, actual });
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push({ path, expected, actual });
      return;
    }
    for (let i = 0; i < expected.length; i++) matchSubset(expected[i], actual[i], `${path}[${i}]`, out);
    return;
  }
  if (!isPlainObject(actual)) {
    out.push({ path, expected, actual });
    return;
  }
  for (const [key, value] of Object.entries(expected)) {
    matchSubset(value, (actual as Record<string, unknown>)[key], path ? `${path}.${key}` : key, out);
  }
}
