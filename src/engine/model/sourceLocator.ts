// Where a JSON path is in the source a flow came from. Diagnostics are found on the parsed value by path; a
// locator turns the path into a range. A `.flow.json` text is located exactly (jsonSource.ts); an object (a
// `.flow.ts` default export) is located by the caller's `locate` function, if it gave one, with no offsets.

import type { Range } from './diagnostics';
import type { JsonPath } from '../../shared/jsonPath';


export interface SourceSpan {
  range: Range;
  /** Offsets into the source text; only when the source is text. */
  offset?: number;
  length?: number;
}

export interface SourceLocator {
  /**
   * The value at `path`. When there is no value there (a missing key), the nearest existing ancestor's anchor:
   * its key when it is a property, else its opening bracket.
   */
  locate(path: JsonPath): SourceSpan | undefined;
  /** The key of the property at `path`; the value itself for an array element or a missing key. */
  locateKey(path: JsonPath): SourceSpan | undefined;
  /** Offsets `start..end` into the string value at `path` (value offsets, before JSON escapes); the whole value when inexact. */
  locateInString(path: JsonPath, start: number, end: number): SourceSpan | undefined;
}

/** A locator for an object source: asks `locate` for the path, then for each shorter path until one answers. */
export function objectLocator(locate?: (path: JsonPath) => Range | undefined): SourceLocator {
  const find = (path: JsonPath): SourceSpan | undefined => {
    if (!locate) return undefined;
    for (let n = path.length; n >= 0; n--) {
      let range: Range | undefined;
      try {
        range = locate(n === path.length ? path : path.slice(0, n));
      } catch {
        // A locator that throws only costs the position, never the compile.
        range = undefined;
      }
      if (range) return { range };
    }
    return undefined;
  };
  return {
    locate: find,
    locateKey: find,
    locateInString: (path) => find(path),
  };
}
