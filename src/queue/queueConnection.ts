// The Redis connections of queue mode (spec section 15), from one URL: `redis://[user:password@]host[:port][/db]`
// (also `rediss://` for TLS). Two kinds, because BullMQ's parts want different failure behaviour:
// - workers and the serve's relay block on Redis (BRPOPLPUSH, XREAD BLOCK) and must ride out an outage: every
//   command waits for the reconnection (`maxRetriesPerRequest: null`, the offline queue on), as BullMQ requires;
// - the serve's producer must fail fast when Redis is down (`enableOfflineQueue: false`, one try per command), so a
//   webhook is answered 503 at once instead of a 202 it cannot keep, or a request hanging until Redis is back.

import { Redis, type RedisOptions } from 'ioredis';
import { WeftError } from '../engine/errors';

export const DEFAULT_REDIS_PORT = 6379;

export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

/** Parses a queue URL; a usage error names what is wrong. */
export function parseRedisUrl(text: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new WeftError('usage', `--queue takes a Redis URL like redis://127.0.0.1:6379/0, not "${text}".`, { kind: 'user' });
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new WeftError('usage', `--queue takes a redis:// or rediss:// URL, not "${url.protocol}//…".`, { kind: 'user' });
  }
  const path = url.pathname.replace(/^\//, '');
  const db = path === '' ? 0 : Number(path);
  if (!Number.isInteger(db) || db < 0) throw new WeftError('usage', `The Redis database in the URL must be a number, not "${path}".`, { kind: 'user' });
  const port = url.port === '' ? DEFAULT_REDIS_PORT : Number(url.port);
  return {
    host: url.hostname.replace(/^\[|\]$/g, '') || '127.0.0.1',
    port,
    db,
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    tls: url.protocol === 'rediss:',
  };
}

/** The URL as it may be printed: without its password. */
export function shownRedisUrl(text: string): string {
  try {
    const url = new URL(text);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return text;
  }
}

function baseOptions(target: RedisTarget): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username ? { username: target.username } : {}),
    ...(target.password ? { password: target.password } : {}),
    ...(target.tls ? { tls: {} } : {}),
    // Reconnect forever, backing off to 2 s: a restarted Redis is found again.
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 6), 2000),
    lazyConnect: false,
  };
}

/** A connection that waits out outages (workers, the relay, BullMQ's blocking reads). */
export function durableConnection(target: RedisTarget, name: string): Redis {
  const redis = new Redis({ ...baseOptions(target), maxRetriesPerRequest: null, connectionName: name });
  // ioredis reports every failed reconnection as an `error` event; without a listener node would crash on it.
  redis.on('error', () => undefined);
  return redis;
}

/** A connection whose commands fail at once while Redis cannot be reached (the serve's producer). */
export function failFastConnection(target: RedisTarget, name: string): Redis {
  const redis = new Redis({ ...baseOptions(target), maxRetriesPerRequest: 1, enableOfflineQueue: false, connectionName: name });
  redis.on('error', () => undefined);
  return redis;
}

/** Waits until the connection is ready, or rejects with queue-unavailable after `timeoutMs`. */
export async function connected(redis: Redis, timeoutMs: number, what: string): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      redis.off('ready', onReady);
      reject(new WeftError('queue-unavailable', `Redis at ${what} cannot be reached (tried for ${Math.round(timeoutMs / 1000)} s).`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    redis.once('ready', onReady);
  });
}
