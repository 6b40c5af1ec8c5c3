// The circuit breakers of queue mode's workers, shared through Redis (spec section 7: "shared through Redis in
// queue mode"). The same state machine as CircuitBreaker (src/engine/circuit/circuitBreaker.ts), each step one Lua
// script so two workers can never both open a circuit, both take the probe, or both close it: the one whose
// script changed the state is told, and only its run emits `circuit.opened` / `circuit.closed`.
//
// Keys (queueKeys.ts) live under `weft:` beside the queue's, each with a TTL so nothing leaks: a closed circuit's
// failures live `windowMs`; an open circuit `cooldownMs` + OPEN_CIRCUIT_KEEP_MS (nobody called it for a day: it is
// closed again). A probe holds a lease of `cooldownMs`: a worker that died during its probe does not keep the
// circuit half-open for ever; after the lease another call probes.
//
// Time is the calling worker's clock (injected, so a test drives it): a skew between workers only moves a
// cooldown's end by that skew.

import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { CircuitSettings, CircuitSnapshot, CircuitState, CircuitTransition } from '../engine/circuit/circuitBreaker';
import type { CircuitOutcome, CircuitSettled, CircuitStore, StoreAdmission } from '../engine/circuit/circuitStore';
import { CIRCUITS_INDEX, OPEN_CIRCUIT_KEEP_MS, circuitFailuresKey, circuitKey } from './queueKeys';

// Shared by both scripts: remember the settings, list the target in the index until `ttl` from now.
const REMEMBER = `
local function remember(key, index, target, settings, now, ttl)
  redis.call('HSET', key, 'settings', settings)
  local expiry = now + ttl
  local listed = tonumber(redis.call('ZSCORE', index, target) or '0')
  if expiry > listed then redis.call('ZADD', index, expiry, target) end
  if redis.call('PTTL', index) < ttl then redis.call('PEXPIRE', index, ttl) end
end
`;

/**
 * KEYS: circuit, failures, index. ARGV: now, target, settings JSON, cooldownMs, probe token.
 * Returns {1, probe(0|1)} when admitted; {0, retryAt, state, failuresWhenOpened, openedAt} when refused.
 */
const ADMIT = `${REMEMBER}
local now = tonumber(ARGV[1])
local cooldown = tonumber(ARGV[4])
local state = redis.call('HGET', KEYS[1], 'state')
if not state then return {1, 0} end
local openedAt = tonumber(redis.call('HGET', KEYS[1], 'openedAt'))
local opened = redis.call('HGET', KEYS[1], 'failuresWhenOpened')
if state == 'open' then
  local retryAt = openedAt + cooldown
  if now < retryAt then return {0, retryAt, 'open', opened, openedAt} end
  state = 'half-open'
  redis.call('HSET', KEYS[1], 'state', state)
end
local leaseUntil = tonumber(redis.call('HGET', KEYS[1], 'probeUntil') or '0')
if leaseUntil > now then return {0, now, state, opened, openedAt} end
redis.call('HSET', KEYS[1], 'probeToken', ARGV[5], 'probeUntil', now + cooldown)
remember(KEYS[1], KEYS[3], ARGV[2], ARGV[3], now, cooldown + ${OPEN_CIRCUIT_KEEP_MS})
redis.call('PEXPIRE', KEYS[1], cooldown + ${OPEN_CIRCUIT_KEEP_MS})
return {1, 1}
`;

/**
 * KEYS: circuit, failures, index. ARGV: now, target, settings JSON, failures, windowMs, cooldownMs, outcome,
 * probe (0|1), probe token, a unique member for the failure.
 * Returns {transition ('opened' | 'closed' | ''), state, failures counted or that opened it, openedAt}.
 */
const SETTLE = `${REMEMBER}
local now = tonumber(ARGV[1])
local threshold = tonumber(ARGV[4])
local window = tonumber(ARGV[5])
local cooldown = tonumber(ARGV[6])
local outcome = ARGV[7]
local probe = ARGV[8] == '1'
local state = redis.call('HGET', KEYS[1], 'state')
local ownProbe = probe and state == 'half-open' and redis.call('HGET', KEYS[1], 'probeToken') == ARGV[9]
local function current()
  if not state then
    redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
    return {'', 'closed', redis.call('ZCARD', KEYS[2]), 0}
  end
  return {'', state, tonumber(redis.call('HGET', KEYS[1], 'failuresWhenOpened')), tonumber(redis.call('HGET', KEYS[1], 'openedAt'))}
end
local function open(count)
  redis.call('DEL', KEYS[2])
  redis.call('HDEL', KEYS[1], 'probeToken', 'probeUntil')
  redis.call('HSET', KEYS[1], 'state', 'open', 'openedAt', now, 'failuresWhenOpened', count)
  redis.call('PEXPIRE', KEYS[1], cooldown + ${OPEN_CIRCUIT_KEEP_MS})
  remember(KEYS[1], KEYS[3], ARGV[2], ARGV[3], now, cooldown + ${OPEN_CIRCUIT_KEEP_MS})
  return {'opened', 'open', count, now}
end
if outcome == 'released' then
  if ownProbe then redis.call('HDEL', KEYS[1], 'probeToken', 'probeUntil') end
  return current()
end
if outcome == 'succeeded' then
  -- Only a probe closes: a call admitted while closed proves nothing about the target now.
  if probe and state then
    redis.call('HDEL', KEYS[1], 'state', 'openedAt', 'failuresWhenOpened', 'probeToken', 'probeUntil')
    redis.call('DEL', KEYS[2])
    redis.call('PEXPIRE', KEYS[1], window)
    remember(KEYS[1], KEYS[3], ARGV[2], ARGV[3], now, window)
    return {'closed', 'closed', 0, 0}
  end
  return current()
end
if ownProbe then return open(tonumber(redis.call('HGET', KEYS[1], 'failuresWhenOpened'))) end
-- Open already (a call admitted before it opened, or a probe whose lease passed): nothing to add.
if state then return current() end
redis.call('ZADD', KEYS[2], now, ARGV[10])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
redis.call('PEXPIRE', KEYS[2], window)
local count = redis.call('ZCARD', KEYS[2])
if count < threshold then
  remember(KEYS[1], KEYS[3], ARGV[2], ARGV[3], now, window)
  if redis.call('PTTL', KEYS[1]) < window then redis.call('PEXPIRE', KEYS[1], window) end
  return {'', 'closed', count, 0}
end
return open(count)
`;

type Reply = Array<string | number | null>;

interface CircuitScripts {
  weftCircuitAdmit(circuit: string, failures: string, index: string, ...args: Array<string | number>): Promise<Reply>;
  weftCircuitSettle(circuit: string, failures: string, index: string, ...args: Array<string | number>): Promise<Reply>;
}

export class RedisCircuitStore implements CircuitStore {
  private readonly scripts: CircuitScripts;

  /** `now` is injected so tests drive cooldowns and windows without waiting. */
  constructor(
    private readonly redis: Redis,
    private readonly now: () => number = Date.now,
  ) {
    if (!('weftCircuitAdmit' in redis)) {
      redis.defineCommand('weftCircuitAdmit', { numberOfKeys: 3, lua: ADMIT });
      redis.defineCommand('weftCircuitSettle', { numberOfKeys: 3, lua: SETTLE });
    }
    this.scripts = redis as unknown as CircuitScripts;
  }

  async admit(target: string, settings: CircuitSettings): Promise<StoreAdmission> {
    const token = randomUUID();
    const reply = await this.scripts.weftCircuitAdmit(
      circuitKey(target),
      circuitFailuresKey(target),
      CIRCUITS_INDEX,
      this.now(),
      target,
      JSON.stringify(settings),
      settings.cooldownMs,
      token,
    );
    if (Number(reply[0]) === 1) return Number(reply[1]) === 1 ? { admitted: true, probe: true, token } : { admitted: true, probe: false };
    const retryAt = Number(reply[1]);
    const openedAt = Number(reply[4]);
    const circuit = snapshot(target, settings, String(reply[2]) as CircuitState, Number(reply[3]), openedAt);
    return { admitted: false, retryAt, circuit };
  }

  async settle(target: string, settings: CircuitSettings, admission: StoreAdmission, outcome: CircuitOutcome): Promise<CircuitSettled> {
    const probe = admission.admitted && admission.probe;
    // A success (or a release) of a call admitted while closed changes nothing, only a probe's does: no round
    // trip. This is the common case, so a healthy target costs one round trip per call (admit), not two.
    if (outcome !== 'failed' && !probe) return { transition: undefined };
    const reply = await this.scripts.weftCircuitSettle(
      circuitKey(target),
      circuitFailuresKey(target),
      CIRCUITS_INDEX,
      this.now(),
      target,
      JSON.stringify(settings),
      settings.failures,
      settings.windowMs,
      settings.cooldownMs,
      outcome,
      probe ? 1 : 0,
      (admission.admitted && admission.token) || '',
      `${this.now()}-${randomUUID()}`,
    );
    const transition = (reply[0] || undefined) as CircuitTransition;
    if (transition === undefined) return { transition };
    return { transition, circuit: snapshot(target, settings, String(reply[1]) as CircuitState, Number(reply[2]), Number(reply[3])) };
  }

  /** Every target a worker called through a breaker whose keys have not expired, by target. */
  async circuits(): Promise<CircuitSnapshot[]> {
    const now = this.now();
    const targets = await this.redis.zrangebyscore(CIRCUITS_INDEX, now, '+inf');
    if (targets.length === 0) return [];
    targets.sort();
    const pipeline = this.redis.pipeline();
    for (const target of targets) {
      pipeline.hgetall(circuitKey(target));
      pipeline.zrangebyscore(circuitFailuresKey(target), '-inf', '+inf', 'WITHSCORES');
    }
    const replies = (await pipeline.exec()) ?? [];
    const found: CircuitSnapshot[] = [];
    targets.forEach((target, index) => {
      const hash = (replies[index * 2]?.[1] ?? {}) as Record<string, string>;
      if (!hash.settings) return;
      const settings = JSON.parse(hash.settings) as CircuitSettings;
      if (hash.state) {
        found.push(snapshot(target, settings, hash.state as CircuitState, Number(hash.failuresWhenOpened), Number(hash.openedAt)));
        return;
      }
      const scored = (replies[index * 2 + 1]?.[1] ?? []) as string[];
      let failures = 0;
      for (let at = 1; at < scored.length; at += 2) if (Number(scored[at]) > now - settings.windowMs) failures++;
      found.push(snapshot(target, settings, 'closed', failures, 0));
    });
    return found;
  }
}

function snapshot(target: string, settings: CircuitSettings, state: CircuitState, failures: number, openedAt: number): CircuitSnapshot {
  if (state === 'closed') return { target, state, failures, settings: { ...settings } };
  return {
    target,
    state,
    failures,
    settings: { ...settings },
    openedAt: new Date(openedAt).toISOString(),
    retryAt: new Date(openedAt + settings.cooldownMs).toISOString(),
  };
}
