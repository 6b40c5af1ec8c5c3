// Property test of the redactor (issue 9, defect 3): for random secrets (with " \ + / = % & ? * and any
// unicode) put at a random depth, in a random encoding, inside random text, no encoding of the secret survives
// in the JSON text of the redacted value. The encodings are computed here with the platform's own encoders, not
// with the redactor's code; base64 inside a longer text is checked by decoding what is left.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../../../src/engine/run/redact';

type Encoding = 'raw' | 'json' | 'json-ascii' | 'uri-component' | 'uri' | 'uri-lowercase' | 'form' | 'base64' | 'base64url' | 'base64-inside' | 'base64url-inside';

const ENCODINGS: Encoding[] = ['raw', 'json', 'json-ascii', 'uri-component', 'uri', 'uri-lowercase', 'form', 'base64', 'base64url', 'base64-inside', 'base64url-inside'];

const SPECIAL = ['"', '\\', '+', '/', '=', '%', '&', '?', '*', ' ', '\n', '<', '#'];
const codePoint = (min: number, max: number): fc.Arbitrary<string> =>
  fc.integer({ min, max }).filter((c) => c < 0xd800 || c > 0xdfff).map((c) => String.fromCodePoint(c));
const secretChar = fc.oneof(fc.constantFrom(...SPECIAL), codePoint(0x20, 0x7e), codePoint(0, 0x10ffff));
// Base64 inside a longer text is recognized from 7 bytes on (see redact.ts); 8 characters are at least 8 bytes.
const secretArbitrary = fc.array(secretChar, { minLength: 8, maxLength: 40 }).map((chars) => chars.join(''));
const filler = fc.string({ maxLength: 12 });

function encode(secret: string, encoding: Encoding, before: string, after: string): string {
  switch (encoding) {
    case 'raw':
      return secret;
    case 'json':
      return JSON.stringify(secret).slice(1, -1);
    case 'json-ascii':
      return JSON.stringify(secret)
        .slice(1, -1)
        .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
    case 'uri-component':
      return encodeURIComponent(secret);
    case 'uri':
      return encodeURI(secret);
    case 'uri-lowercase':
      return encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase());
    case 'form':
      return new URLSearchParams({ q: secret }).toString().slice(2);
    case 'base64':
      return Buffer.from(secret).toString('base64');
    case 'base64url':
      return Buffer.from(secret).toString('base64url');
    case 'base64-inside':
      return Buffer.from(`${before}${secret}${after}`).toString('base64');
    case 'base64url-inside':
      return Buffer.from(`${before}${secret}${after}`).toString('base64url');
  }
}

/** Puts `leaf` `depth` levels down, in objects and arrays, and also as a key at the bottom. */
function nest(leaf: string, depth: number, shapes: boolean[]): unknown {
  let value: unknown = { [leaf]: 1, text: leaf };
  for (let i = 0; i < depth; i++) value = shapes[i % shapes.length] ? { next: value, i } : [i, value];
  return value;
}

/** Text that, decoded as base64 at any alignment, would hold the secret's bytes. */
function decodesToSecret(text: string, secret: string): boolean {
  const bytes = Buffer.from(secret);
  for (const run of text.split(/[^A-Za-z0-9+/=_-]+/)) {
    for (let shift = 0; shift < 4; shift++) {
      const piece = run.slice(shift);
      if (Buffer.from(piece, 'base64').includes(bytes) || Buffer.from(piece, 'base64url').includes(bytes)) return true;
    }
  }
  return false;
}

describe('Redactor (property)', () => {
  it('leaves no encoding of a secret in the redacted JSON, at any depth', () => {
    fc.assert(
      fc.property(
        secretArbitrary,
        fc.constantFrom(...ENCODINGS),
        fc.integer({ min: 0, max: 300 }),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 5 }),
        filler,
        filler,
        fc.constantFrom('', 'u', 'us', 'user:'),
        (secret, encoding, depth, shapes, left, right, before) => {
          // ARRANGE
          const encoded = encode(secret, encoding, before, 'x');
          const value = nest(`${left}${encoded}${right}`, depth, shapes);
          const redactor = new Redactor({ OTHER: 'unrelated-value', SECRET: secret });

          // ACT
          const json = JSON.stringify(redactor.value(value));

          // ASSERT
          expect(json).toContain(REDACTED);
          for (const form of ENCODINGS.filter((e) => !e.startsWith('base64'))) {
            expect(json).not.toContain(JSON.stringify(encode(secret, form, '', '')).slice(1, -1));
          }
          expect(decodesToSecret(json, secret)).toBe(false);
        },
      ),
      { numRuns: 400 },
    );
  });
});
