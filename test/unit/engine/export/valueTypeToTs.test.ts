// Weft's value types as TypeScript types for the exported module: exact where Weft knows the shape (so a typo is
// a tsc error), `any` where it does not (so tsc is as silent as `weft validate`).

import { describe, expect, it } from 'vitest';
import { valueTypeToTs } from '../../../../src/engine/export/valueTypeToTs';
import { arrayOf, closedObject, NUMBER, objectOf, OPEN_OBJECT, STRING, UNKNOWN, unionOf, NULL } from '../../../../src/engine/types/valueType';

describe('valueTypeToTs', () => {
  it('writes closed objects exactly, optional keys with ?', () => {
    expect(valueTypeToTs(closedObject({ total: NUMBER, 'kebab-key': STRING }, ['kebab-key']))).toBe("{ total: number; 'kebab-key'?: string }");
  });

  it('keeps what is not known silent', () => {
    expect(valueTypeToTs(UNKNOWN)).toBe('any');
    expect(valueTypeToTs(OPEN_OBJECT)).toBe('{ [key: string]: any }');
    expect(valueTypeToTs(objectOf([], { index: NUMBER }))).toBe('Record<string, number>');
  });

  it('writes arrays and unions', () => {
    expect(valueTypeToTs(arrayOf(STRING))).toBe('string[]');
    expect(valueTypeToTs(arrayOf(unionOf([STRING, NULL])))).toBe('Array<string | null>');
  });
});
