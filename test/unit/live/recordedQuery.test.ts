import { describe, expect, it } from 'vitest';
import { recordedQuery } from '../../../src/live/recordedQuery';

describe('recordedQuery', () => {
  it('redacts the values of credential-named parameters and of any holding a secret, keeping their names', () => {
    // ACT
    const recorded = recordedQuery('token=t1&api_key=k1&apiKey=k2&key=k3&sig=s1&X-Signature=s2&password=p&access_token=a&auth=x&page=2&q=has-s3cret-in-it&tag=a&tag=b', ['s3cret']);
    // ASSERT
    expect(recorded).toEqual({
      token: '***',
      api_key: '***',
      apiKey: '***',
      key: '***',
      sig: '***',
      'X-Signature': '***',
      password: '***',
      access_token: '***',
      auth: '***',
      page: '2',
      q: '***',
      tag: ['a', 'b'],
    });
  });

  it('keeps ordinary parameters whose names only contain "key" or "sig" as part of a word', () => {
    expect(recordedQuery('monkey=1&design=2&keyword=3', [])).toEqual({ monkey: '1', design: '2', keyword: '3' });
  });
});
