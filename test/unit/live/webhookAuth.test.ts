import { describe, expect, it } from 'vitest';
import { checkWebhookAuth, checkWebhookAuthHeaders, signBody } from '../../../src/live/webhookAuth';

const SECRET = 'hook-secret-123';
const BODY = Buffer.from('{"orderId":"A-1"}');

describe('checkWebhookAuth', () => {
  it('accepts the secret as a bearer token', () => {
    // ACT
    const result = checkWebhookAuth({ authorization: `Bearer ${SECRET}` }, BODY, SECRET);
    // ASSERT
    expect(result).toEqual({ ok: true, scheme: 'bearer' });
  });

  it('refuses a wrong token, one of another length, and another scheme', () => {
    // ACT
    const wrong = checkWebhookAuth({ authorization: 'Bearer hook-secret-124' }, BODY, SECRET);
    const shorter = checkWebhookAuth({ authorization: 'Bearer hook' }, BODY, SECRET);
    const basic = checkWebhookAuth({ authorization: `Basic ${SECRET}` }, BODY, SECRET);
    // ASSERT
    expect([wrong.ok, shorter.ok, basic.ok]).toEqual([false, false, false]);
  });

  it('refuses a request with no credentials, saying what it needs', () => {
    // ACT
    const result = checkWebhookAuth({ 'content-type': 'application/json' }, BODY, SECRET);
    // ASSERT
    expect(result.ok).toBe(false);
    expect(!result.ok && result.reason).toContain('Authorization: Bearer');
  });

  it('accepts an HMAC-SHA256 signature of the raw body, in either hex case', () => {
    // ARRANGE
    const signature = signBody(BODY, SECRET);
    // ACT
    const lower = checkWebhookAuth({ 'x-weft-signature-256': signature }, BODY, SECRET);
    const upper = checkWebhookAuth({ 'x-weft-signature-256': `sha256=${signature.slice(7).toUpperCase()}` }, BODY, SECRET);
    // ASSERT
    expect(lower).toEqual({ ok: true, scheme: 'signature' });
    expect(upper.ok).toBe(true);
  });

  it('refuses a signature of another body, with another key, or malformed', () => {
    // ACT
    const otherBody = checkWebhookAuth({ 'x-weft-signature-256': signBody('{"orderId":"A-2"}', SECRET) }, BODY, SECRET);
    const otherKey = checkWebhookAuth({ 'x-weft-signature-256': signBody(BODY, 'not-the-secret') }, BODY, SECRET);
    const noPrefix = checkWebhookAuth({ 'x-weft-signature-256': signBody(BODY, SECRET).slice(7) }, BODY, SECRET);
    const short = checkWebhookAuth({ 'x-weft-signature-256': signBody(BODY, SECRET).slice(0, 40) }, BODY, SECRET);
    // ASSERT
    expect([otherBody.ok, otherKey.ok, noPrefix.ok, short.ok]).toEqual([false, false, false, false]);
  });

  it('passes when one of two credentials matches', () => {
    // ACT
    const result = checkWebhookAuth({ authorization: 'Bearer wrong', 'x-weft-signature-256': signBody(BODY, SECRET) }, BODY, SECRET);
    // ASSERT
    expect(result).toEqual({ ok: true, scheme: 'signature' });
  });
});

describe('checkWebhookAuthHeaders', () => {
  it('decides from the headers alone when it can: a bearer token passes, no credential or a wrong bearer without a signature fails', () => {
    expect(checkWebhookAuthHeaders({ authorization: `Bearer ${SECRET}` }, SECRET)).toEqual({ ok: true, scheme: 'bearer' });
    expect(checkWebhookAuthHeaders({}, SECRET)).toMatchObject({ ok: false });
    expect(checkWebhookAuthHeaders({ authorization: 'Bearer wrong' }, SECRET)).toEqual({ ok: false, reason: 'The webhook secret does not match.' });
  });

  it('leaves a signature to be checked against the body', () => {
    expect(checkWebhookAuthHeaders({ 'x-weft-signature-256': signBody(BODY, SECRET) }, SECRET)).toBeUndefined();
    expect(checkWebhookAuthHeaders({ authorization: 'Bearer wrong', 'x-weft-signature-256': 'sha256=00' }, SECRET)).toBeUndefined();
  });
});
