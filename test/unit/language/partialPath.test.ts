import { describe, expect, it } from 'vitest';
import { partialPathBefore } from '../../../src/language/partialPath';

describe('partialPathBefore', () => {
  it('reads a root being typed', () => {
    expect(partialPathBefore(' len(no')).toEqual({ steps: [], partial: 'no', partialStart: 5 });
    expect(partialPathBefore(' ')).toEqual({ steps: [], partial: '', partialStart: 1 });
  });

  it('reads the root and steps before the name being typed', () => {
    expect(partialPathBefore(' nodes.fetch.body.it')).toEqual({ root: 'nodes', steps: ['fetch', 'body'], partial: 'it', partialStart: 18, dotStart: 17 });
    expect(partialPathBefore(' nodes.')).toMatchObject({ root: 'nodes', steps: [], partial: '' });
    expect(partialPathBefore('a + nodes?.x . ')).toMatchObject({ root: 'nodes', steps: ['x'], partial: '', dotStart: 13 });
  });

  it('reads literal bracket steps, and a name typed in brackets', () => {
    expect(partialPathBefore(`nodes["my-node"].body[0].`)).toMatchObject({ root: 'nodes', steps: ['my-node', 'body', 0], partial: '' });
    expect(partialPathBefore(`nodes['my-`)).toEqual({ root: 'nodes', steps: [], partial: 'my-', partialStart: 7, quote: "'" });
  });

  it('gives up on what is no plain path', () => {
    expect(partialPathBefore(`'a string.`)).toBeUndefined();
    expect(partialPathBefore(`x == 'a`)).toBeUndefined();
    expect(partialPathBefore('1.')).toBeUndefined();
    expect(partialPathBefore('f(x).')).toBeUndefined();
    expect(partialPathBefore('nodes[i].')).toBeUndefined();
  });
});
