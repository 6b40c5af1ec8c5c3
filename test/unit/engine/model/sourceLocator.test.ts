import { describe, expect, it } from 'vitest';
import { objectLocator } from '../../../../src/engine/model/sourceLocator';

describe('objectLocator', () => {
  const nodeRange = { start: { line: 3, character: 4 }, end: { line: 3, character: 9 } };

  it('asks for the path, then for shorter paths until one is located', () => {
    const asked: unknown[] = [];
    const locator = objectLocator((path) => {
      asked.push(path);
      return path.length === 2 ? nodeRange : undefined;
    });
    expect(locator.locate(['nodes', 0, 'config', 'url'])).toEqual({ range: nodeRange });
    expect(asked).toEqual([['nodes', 0, 'config', 'url'], ['nodes', 0, 'config'], ['nodes', 0]]);
    expect(locator.locateInString(['nodes', 0], 3, 5)).toEqual({ range: nodeRange });
  });

  it('locates nothing without a locate function, and survives one that throws', () => {
    expect(objectLocator().locate(['nodes'])).toBeUndefined();
    const throwing = objectLocator(() => {
      throw new Error('no source map');
    });
    expect(throwing.locateKey(['nodes', 0])).toBeUndefined();
  });
});
