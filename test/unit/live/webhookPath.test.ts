import { describe, expect, it } from 'vitest';
import { hookPathProblem } from '../../../src/engine/model/compileTriggers';
import { parseRequestTarget, queryObject } from '../../../src/live/webhookPath';

describe('parseRequestTarget', () => {
  it('finds the webhook path and the query, undecoded', () => {
    // ACT / ASSERT
    expect(parseRequestTarget('/hooks/orders')).toEqual({ kind: 'hook', path: 'orders', query: '' });
    expect(parseRequestTarget('/hooks/github/push?x=1')).toEqual({ kind: 'hook', path: 'github/push', query: 'x=1' });
    expect(parseRequestTarget('/_weft/status')).toEqual({ kind: 'status', query: '' });
  });

  it('refuses odd paths that could name a flow by another spelling', () => {
    // ARRANGE
    const odd = ['/hooks/../x', '/hooks/a%2Fb', '/hooks//x', '/hooks/x/', '/hooks/./x', '/hooks/', '/hooks/x%00', '/hooks/a b', 'http://evil/hooks/x'];
    // ACT
    const kinds = odd.map((url) => parseRequestTarget(url).kind);
    // ASSERT
    expect(kinds).toEqual(odd.map(() => 'bad-path'));
  });

  it('says not found for paths outside /hooks/', () => {
    // ACT / ASSERT
    expect(parseRequestTarget('/').kind).toBe('not-found');
    expect(parseRequestTarget('/hooks').kind).toBe('not-found');
    expect(parseRequestTarget('/_weft/other').kind).toBe('not-found');
  });
});

describe('hookPathProblem', () => {
  it('accepts unreserved segments and refuses the rest', () => {
    // ACT / ASSERT
    expect(hookPathProblem('orders')).toBeUndefined();
    expect(hookPathProblem('v1/github.push~x_y-z')).toBeUndefined();
    expect(hookPathProblem('a//b')).toMatch(/empty segments/);
    expect(hookPathProblem('a/../b')).toMatch(/"\.\."/);
    expect(hookPathProblem('/a')).toMatch(/empty segments/);
    expect(hookPathProblem('a?b')).toMatch(/encode/);
    expect(hookPathProblem('x'.repeat(300))).toMatch(/at most/);
  });
});

describe('queryObject', () => {
  it('makes an object of the query, repeated keys as arrays', () => {
    // ACT
    const query = queryObject('a=1&b=two%20words&a=3&c=');
    // ASSERT
    expect(query).toEqual({ a: ['1', '3'], b: 'two words', c: '' });
    expect(Object.getPrototypeOf(query)).toBe(Object.prototype);
  });
});
