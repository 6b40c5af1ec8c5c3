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
    expect(parseRequestTarget('/_weft').kind).toBe('not-found');
  });
});

describe('parseRequestTarget under /_weft/', () => {
  it('names the run API routes and the event stream', () => {
    // ACT / ASSERT
    expect(parseRequestTarget('/_weft/runs?flow=a&limit=2')).toEqual({ kind: 'api', route: { name: 'runs' }, query: 'flow=a&limit=2' });
    expect(parseRequestTarget('/_weft/runs/r_1-x')).toEqual({ kind: 'api', route: { name: 'run', executionId: 'r_1-x' }, query: '' });
    expect(parseRequestTarget('/_weft/runs/r1/cancel')).toMatchObject({ route: { name: 'cancel', executionId: 'r1' } });
    expect(parseRequestTarget('/_weft/runs/r1/resume')).toMatchObject({ route: { name: 'resume', executionId: 'r1' } });
    expect(parseRequestTarget('/_weft/runs/r1/events')).toMatchObject({ route: { name: 'run-events', executionId: 'r1' } });
    expect(parseRequestTarget('/_weft/events?since=s.1')).toEqual({ kind: 'api', route: { name: 'events' }, query: 'since=s.1' });
  });

  it('names no route for other paths under /_weft/, odd run ids included', () => {
    // ARRANGE
    const other = ['/_weft/other', '/_weft/runs/', '/_weft/runs/a%2Fb', '/_weft/runs/../x', '/_weft/runs/r1/other', '/_weft/runs/r1/cancel/', '/_weft/events/x'];
    // ACT
    const routes = other.map((url) => parseRequestTarget(url));
    // ASSERT
    expect(routes).toEqual(other.map(() => ({ kind: 'api', route: { name: 'unknown' }, query: '' })));
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
