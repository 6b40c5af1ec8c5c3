// The `circuitBreaker` field the ai and http nodes take (spec section 7): `{ failures, windowMs, cooldownMs }`,
// each optional (CIRCUIT_DEFAULTS). No field means no breaker: calls go out whatever happened before.

import { z } from 'zod';
import { WeftError } from '../errors';
import { CIRCUIT_DEFAULTS } from './circuitBreaker';
import type { CircuitSettings } from './circuitBreaker';
import { orTemplate } from '../nodes/templatedConfig';

const positive = (what: string): z.ZodType => orTemplate(z.number().positive(), `a positive number of ${what}`);

export const circuitBreakerSchema = z
  .object({
    failures: orTemplate(z.number().int().positive(), 'a positive whole number')
      .optional()
      .describe(`How many failures within windowMs open the circuit (default ${CIRCUIT_DEFAULTS.failures}).`),
    windowMs: positive('milliseconds').optional().describe(`The window failures are counted in (default ${CIRCUIT_DEFAULTS.windowMs}).`),
    cooldownMs: positive('milliseconds')
      .optional()
      .describe(`How long an open circuit fails calls fast before one probe call goes through (default ${CIRCUIT_DEFAULTS.cooldownMs}).`),
  })
  .strict()
  .describe(
    'A circuit breaker per target (base URL and model, or host), shared by every run of this process (by every worker in queue mode): after `failures` ' +
      'failures within `windowMs` calls fail fast with code circuit-open until, after `cooldownMs`, one probe call succeeds.',
  );

/** A node's `circuitBreaker` config with the defaults filled in, or undefined when it has none (off). */
export function circuitSettingsOf(config: unknown, defaults: CircuitSettings = CIRCUIT_DEFAULTS): CircuitSettings | undefined {
  if (config === undefined || config === null || config === false) return undefined;
  const given = typeof config === 'object' ? (config as Partial<Record<keyof CircuitSettings, unknown>>) : {};
  const pick = (name: keyof CircuitSettings): number => {
    const value = given[name];
    if (value === undefined || value === null) return defaults[name];
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
      throw new WeftError('invalid-config', `config.circuitBreaker.${name} must be a positive number, not ${JSON.stringify(value)}.`);
    }
    return value;
  };
  return { failures: Math.ceil(pick('failures')), windowMs: pick('windowMs'), cooldownMs: pick('cooldownMs') };
}
