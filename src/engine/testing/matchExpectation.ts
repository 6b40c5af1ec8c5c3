// In-file test expectations match as a subset (spec section 9): every key given must match deeply; arrays
// must have the same length and match element by element.

import { isPlainObject } from '../../shared/isPlainObject';
import type { JsonPath } from '../../shared/jsonPath';

export interface Mismatch {
  /** Where, as a path like `output.items[2].id`. */
  path: string;
  /**
   * The JSON path of the expected value that differs, inside the test case's `expect` (e.g. ["output", "tax"]):
   * where an editor anchors the failure, rather than on the test as a whole.
   */
  expectPath?: JsonPath;
  expected: unknown;
  actual: unknown;
}

/** `expectPath` is the JSON path of `expected` inside the test case's `expect` object. */
export function matchSubset(expected: unknown, actual: unknown, path: string, out: Mismatch[], expectPath: JsonPath = []): void {
  if (expected === null || typeof expected !== 'object') {
    if (!Object.is(expected, actual) && !(typeof expected === 'number' && expected === actual)) out.push({ path, expectPath, expected, actual });
    return;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) || actual.length !== expected.length) {
      out.push({ path, expectPath, expected, actual });
      return;
    }
    for (let i = 0; i < expected.length; i++) matchSubset(expected[i], actual[i], `${path}[${i}]`, out, [...expectPath, i]);
    return;
  }
  if (!isPlainObject(actual)) {
    out.push({ path, expectPath, expected, actual });
    return;
  }
  for (const [key, value] of Object.entries(expected)) {
    matchSubset(value, (actual as Record<string, unknown>)[key], path ? `${path}.${key}` : key, out, [...expectPath, key]);
  }
}
