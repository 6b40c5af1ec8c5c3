// The request headers a webhook run records in its trigger (`execution.trigger.headers`, readable by the flow and
// kept in history). Credentials never are: the headers that carry them by convention are dropped by name, and so
// is any header whose value holds one of the flow's secret values, whatever its name. Run records redact secrets
// in inputs and outputs, but the trigger is written as given, so this is where the filter has to be.

import type { IncomingHeaders } from './webhookAuth';

const DROPPED = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'x-weft-signature-256',
  'x-hub-signature',
  'x-hub-signature-256',
  'x-api-key',
]);

/** Names that suggest a credential, in any vendor's header (x-gitlab-token, x-shopify-hmac-sha256, ...). */
const CREDENTIAL_NAME = /token|secret|signature|hmac|password|passwd|api[-_]?key|auth|session/i;

const MAX_HEADERS = 64;
const MAX_VALUE_CHARS = 1024;

export function recordedHeaders(headers: IncomingHeaders, secretValues: readonly string[]): Record<string, string> {
  const kept: Record<string, string> = {};
  let count = 0;
  for (const name in headers) {
    const raw = headers[name];
    if (raw === undefined || DROPPED.has(name) || CREDENTIAL_NAME.test(name)) continue;
    const value = Array.isArray(raw) ? raw.join(', ') : raw;
    if (secretValues.some((secret) => secret !== '' && value.includes(secret))) continue;
    kept[name] = value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
    if (++count >= MAX_HEADERS) break;
  }
  return kept;
}
