import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../../../src/engine/model/closestName';

describe('closestName', () => {
  it('suggests the closest candidate for a typo, a swap counting as one edit', () => {
    expect(closestName('htpp', ['transform', 'http', 'if'])).toBe('http');
    expect(closestName('trasnform', ['transform', 'http'])).toBe('transform');
    expect(closestName('HTTP', ['http'])).toBe('http');
  });

  it('suggests nothing when nothing is close', () => {
    expect(closestName('database', ['http', 'if', 'loop'])).toBeUndefined();
    expect(closestName('xy', ['if'])).toBeUndefined();
    expect(closestName('b', ['a'])).toBeUndefined();
    expect(closestName('aa', ['a'])).toBe('a');
  });

  it('counts edits', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('ab', 'ba')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('abcdef', 'uvwxyz', 2)).toBe(3);
  });
});
