// Where a run's failure is in the text of its flow file, for the editor: the failing part of a template (an
// `expression-error`'s location: a JSON path and offsets inside that string's value), and the expected value
// of an in-file test that differs (its path inside the test case's `expect`). Pure: text in, range out.

import { createFlowSourceLocator } from '../engine/load/locateFlowSource';
import type { Range } from '../engine/model/diagnostics';
import { parseJsonSource } from '../engine/model/jsonSource';
import type { ErrorLocation } from '../engine/errors';
import type { JsonPath } from '../shared/jsonPath';

/**
 * The range of the failing template part in `text` as it is now. In JSON the offsets are mapped through the
 * string's escapes; if the string is gone or shorter than the offsets (the file changed since the run), the
 * whole value, or the nearest thing still there. A `.flow.ts` is not located by offsets: the run's own range.
 */
export function errorLocationRange(text: string, isJson: boolean, location: ErrorLocation): Range | undefined {
  if (!isJson) return location.range ?? createFlowSourceLocator(text).locate(location.path);
  const source = parseJsonSource(text);
  const value = valueAt(source.value, location.path);
  if (typeof value === 'string' && location.end <= value.length) {
    return source.locateInString(location.path, location.start, location.end)?.range;
  }
  return source.locate(location.path)?.range;
}

/**
 * The range of the expected value that differs: `tests[testIndex].expect` then `expectPath`; where that value is
 * not written (an implied `"status": "completed"`), the nearest part of it that is.
 */
export function expectedValueRange(text: string, isJson: boolean, testIndex: number, expectPath: JsonPath): Range | undefined {
  const path: JsonPath = ['tests', testIndex, 'expect', ...expectPath];
  if (!isJson) return createFlowSourceLocator(text).locate(path);
  return parseJsonSource(text).locate(path)?.range;
}

function valueAt(root: unknown, path: JsonPath): unknown {
  let current = root;
  for (const step of path) {
    if (typeof current !== 'object' || current === null || !Object.hasOwn(current, step)) return undefined;
    current = (current as Record<string | number, unknown>)[step];
  }
  return current;
}
