// The query parameters of a webhook request as a run records them (`trigger.query`, and the input of a GET
// webhook, both kept in history). A parameter whose name suggests a credential (`?token=`, `?api_key=`, `?sig=`,
// ...) or whose value holds one of the flow's secret values keeps its name, so the flow and its history show it
// was sent, and its value is replaced by REDACTED. Credentials belong in headers (`Authorization`), which are
// never recorded (recordedHeaders.ts).

import { REDACTED } from '../engine/run/redact';
import { queryObject } from './webhookPath';

/** Names that suggest a credential: the header rule (recordedHeaders.ts) plus the short forms query strings use. */
const CREDENTIAL_NAME = /token|secret|signature|hmac|passw|pwd|api[-_]?key|auth|session|credential|^(key|sig|code)$/i;

export function recordedQuery(query: string, secretValues: readonly string[]): Record<string, string | string[]> {
  const parameters = queryObject(query);
  for (const name of credentialParameters(parameters, secretValues)) {
    const value = parameters[name];
    parameters[name] = Array.isArray(value) ? value.map(() => REDACTED) : REDACTED;
  }
  return parameters;
}

/**
 * The names of the parameters recordedQuery masks. A GET webhook's run reads its query as its input with these
 * values intact (an OAuth callback must exchange its `code`); its record keeps them masked (maskInputKeys).
 */
export function credentialParameters(parameters: Record<string, string | string[]>, secretValues: readonly string[]): string[] {
  return Object.keys(parameters).filter((name) => {
    const value = parameters[name];
    const values = Array.isArray(value) ? value : [value];
    return CREDENTIAL_NAME.test(name) || values.some((v) => secretValues.some((secret) => secret !== '' && v.includes(secret)));
  });
}
