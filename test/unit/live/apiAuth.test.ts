import { describe, expect, it } from 'vitest';
import { ApiAuth } from '../../../src/live/apiAuth';

describe('ApiAuth', () => {
  it('with a token: the right bearer token passes, a missing or wrong one is a 401 with WWW-Authenticate', () => {
    // ARRANGE
    const auth = new ApiAuth('s3cret', true);
    // ACT / ASSERT
    expect(auth.checkApi({ authorization: 'Bearer s3cret' })).toEqual({ ok: true });
    expect(auth.checkApi({ authorization: 'bearer   s3cret ' })).toEqual({ ok: true });
    for (const headers of [{}, { authorization: 'Bearer s3cre' }, { authorization: 'Bearer s3crett' }, { authorization: 'Basic s3cret' }, { authorization: 's3cret' }]) {
      expect(auth.checkApi(headers)).toMatchObject({ ok: false, status: 401, headers: { 'www-authenticate': expect.stringMatching(/^Bearer/) } });
    }
  });

  it('without a token: open on loopback, refused (403) to everyone when bound beyond it', () => {
    // ACT / ASSERT
    expect(new ApiAuth(undefined, true).checkApi({})).toEqual({ ok: true });
    expect(new ApiAuth('', true).checkApi({})).toEqual({ ok: true });
    expect(new ApiAuth(undefined, false).checkApi({ authorization: 'Bearer anything' })).toMatchObject({ ok: false, status: 403, code: 'api-disabled' });
    expect(new ApiAuth('t', false).checkApi({ authorization: 'Bearer t' })).toEqual({ ok: true });
  });

  it('refuses a request from a web page of another origin, token or not; its own origin passes', () => {
    // ARRANGE
    const open = new ApiAuth(undefined, true);
    const secured = new ApiAuth('t', true);
    for (const auth of [open, secured]) auth.allowOrigin('http://127.0.0.1:8787');
    // ACT / ASSERT
    expect(open.checkApi({ origin: 'https://evil.example' })).toMatchObject({ ok: false, status: 403, code: 'cross-origin' });
    expect(secured.checkApi({ origin: 'http://localhost:9999', authorization: 'Bearer t' })).toMatchObject({ ok: false, code: 'cross-origin' });
    expect(open.checkApi({ origin: 'http://127.0.0.1:8787' })).toEqual({ ok: true });
    expect(secured.checkApi({ origin: 'HTTP://127.0.0.1:8787', authorization: 'Bearer t' })).toEqual({ ok: true });
  });

  it('the status: this machine without a token, another one only with the token', () => {
    // ARRANGE
    const withToken = new ApiAuth('t', false);
    const without = new ApiAuth(undefined, false);
    // ACT / ASSERT
    expect(withToken.checkStatus({}, true).ok).toBe(true);
    expect(withToken.checkStatus({ authorization: 'Bearer t' }, false).ok).toBe(true);
    expect(withToken.checkStatus({ authorization: 'Bearer x' }, false)).toMatchObject({ ok: false, status: 404 });
    expect(without.checkStatus({ authorization: 'Bearer ' }, false)).toMatchObject({ ok: false, status: 404 });
  });
});
