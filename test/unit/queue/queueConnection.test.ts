// The queue URL a user types (`--queue`, WEFT_REDIS_URL): what it connects to, what a mistake says, and that its
// password is never printed.

import { describe, expect, it } from 'vitest';
import { parseRedisUrl, shownRedisUrl } from '../../../src/queue/queueConnection';

describe('parseRedisUrl', () => {
  it('reads host, port and database, with Redis defaults', () => {
    expect(parseRedisUrl('redis://10.0.0.5:6380/2')).toEqual({ host: '10.0.0.5', port: 6380, db: 2, tls: false });
    expect(parseRedisUrl('redis://localhost')).toEqual({ host: 'localhost', port: 6379, db: 0, tls: false });
    expect(parseRedisUrl('rediss://user:p%40ss@cache.example:6390')).toEqual({ host: 'cache.example', port: 6390, db: 0, username: 'user', password: 'p@ss', tls: true });
  });

  it('refuses what is not a Redis URL, saying what it takes', () => {
    expect(() => parseRedisUrl('127.0.0.1:6379')).toThrow(/redis:\/\//);
    expect(() => parseRedisUrl('http://127.0.0.1:6379')).toThrow(/redis:\/\/ or rediss:\/\//);
    expect(() => parseRedisUrl('redis://127.0.0.1/zero')).toThrow(/database .* must be a number/);
  });
});

describe('shownRedisUrl', () => {
  it('hides the password', () => {
    expect(shownRedisUrl('redis://user:secret@127.0.0.1:6379/1')).toBe('redis://user:***@127.0.0.1:6379/1');
    expect(shownRedisUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');
  });
});
