// The check of a webhook request against its trigger's secret (spec section 8): either `Authorization: Bearer
// <secret>` or `X-Weft-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`. Pure: headers, body and secret
// in, a verdict out.
//
// Both comparisons are constant-time and length-blind: the bearer token and the secret are each hashed to 32 bytes
// first (a plain timingSafeEqual needs equal lengths, and bailing out on a length mismatch would tell an attacker
// the secret's length); the signature is decoded to its 32 bytes only when it is well-formed hex of that length.

import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-weft-signature-256';

export type AuthResult = { ok: true; scheme: 'bearer' | 'signature' } | { ok: false; reason: string };

/** Headers as node:http gives them: lower-case names; a repeated header is an array. */
export type IncomingHeaders = Record<string, string | string[] | undefined>;

export function checkWebhookAuth(headers: IncomingHeaders, rawBody: Buffer, secret: string): AuthResult {
  const authorization = single(headers.authorization);
  const signature = single(headers[SIGNATURE_HEADER]);
  if (authorization === undefined && signature === undefined) {
    return { ok: false, reason: `This webhook needs 'Authorization: Bearer <secret>' or '${SIGNATURE_HEADER}: sha256=<hmac>'.` };
  }
  // Either credential is enough: a request that carries both passes when one of them matches.
  if (authorization !== undefined && bearerMatches(authorization, secret)) return { ok: true, scheme: 'bearer' };
  if (signature !== undefined && signatureMatches(signature, rawBody, secret)) return { ok: true, scheme: 'signature' };
  return { ok: false, reason: 'The webhook secret does not match.' };
}

/**
 * The verdict the headers alone give, before a byte of the body is read: a matching bearer token passes; a request
 * with no signature header fails (nothing in its body could make it pass). Undefined: a signature must be checked
 * against the body.
 */
export function checkWebhookAuthHeaders(headers: IncomingHeaders, secret: string): AuthResult | undefined {
  const authorization = single(headers.authorization);
  if (authorization !== undefined && bearerMatches(authorization, secret)) return { ok: true, scheme: 'bearer' };
  if (single(headers[SIGNATURE_HEADER]) !== undefined) return undefined;
  return checkWebhookAuth(headers, EMPTY, secret);
}

const EMPTY = Buffer.alloc(0);

/** `sha256=<hex>` of the body, as a sender computes it (for tests and clients). */
export function signBody(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}

function bearerMatches(header: string, secret: string): boolean {
  const match = /^Bearer[ \t]+(.+)$/i.exec(header.trim());
  if (!match) return false;
  return timingSafeEqual(digest(match[1].trim()), digest(secret));
}

function signatureMatches(header: string, rawBody: Buffer, secret: string): boolean {
  const match = /^sha256=([0-9a-fA-F]{64})$/.exec(header.trim());
  if (!match) return false;
  const given = Buffer.from(match[1], 'hex');
  const expected = createHmac('sha256', secret).update(rawBody).digest();
  return timingSafeEqual(given, expected);
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

/** A header that came as several values is not guessed at (node:http joins repeated custom headers with ", ", which fails the formats too). */
function single(value: string | string[] | undefined): string | undefined {
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}
