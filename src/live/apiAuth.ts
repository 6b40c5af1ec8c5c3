// Who may use the run API and the event stream (spec section 14): every request under /_weft/ but the status.
// Pure: the token, the address the server is bound to, and a request's headers and peer in; a verdict out.
//
// - A token set (WEFT_API_TOKEN): every request needs `Authorization: Bearer <token>`, from anywhere; else 401
//   with WWW-Authenticate. The comparison is constant-time and length-blind (both sides hashed to 32 bytes first).
// - No token, bound to a loopback address: open, since only this machine can connect (as the editor does).
// - No token, bound beyond loopback: refused, 403, to everyone: a server others can reach would otherwise let
//   anyone start, cancel and read runs. 403, not 401: no credential can pass, the server's owner must set a token.
// - A request from a web page (it carries an `Origin` header) is refused, 403, unless the page is this server's
//   own origin: browsers let any page open a WebSocket to 127.0.0.1 or send it a form POST, so without this a
//   site the user visits could read the event stream or start and cancel runs of a tokenless loopback server.
//   DNS rebinding changes nothing: the page's Origin is still its own domain. The CLI, curl and the editor send
//   no Origin.
// - `/_weft/status`: answers this machine without a token, as it always did (the editor and `weft status` read
//   it), and another machine only with the valid token; anyone else gets the 404 it got before.

import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingHeaders } from './webhookAuth';

export type ApiAccess = { ok: true } | { ok: false; status: 401 | 403 | 404; code: string; message: string; headers?: Record<string, string> };

export class ApiAuth {
  private readonly tokenDigest: Buffer | undefined;
  private readonly ownOrigins = new Set<string>();

  constructor(
    token: string | undefined,
    private readonly boundToLoopback: boolean,
  ) {
    this.tokenDigest = token === undefined || token === '' ? undefined : digest(token);
  }

  /** Whether a token is required (and set). */
  get hasToken(): boolean {
    return this.tokenDigest !== undefined;
  }

  /** Whether the run API answers at all: it does not beyond loopback without a token. */
  get enabled(): boolean {
    return this.tokenDigest !== undefined || this.boundToLoopback;
  }

  /** The server's own origin (`http://host:port`), once it listens: pages served from it may call the API. */
  allowOrigin(origin: string): void {
    this.ownOrigins.add(origin.toLowerCase());
  }

  /** A request to the run API or the event stream. */
  checkApi(headers: IncomingHeaders): ApiAccess {
    const origin = Array.isArray(headers.origin) ? headers.origin[0] : headers.origin;
    if (origin !== undefined && !this.ownOrigins.has(origin.toLowerCase())) {
      return { ok: false, status: 403, code: 'cross-origin', message: `Requests from web pages of other origins (${origin.slice(0, 100)}) are refused.` };
    }
    if (this.tokenDigest === undefined) {
      if (this.boundToLoopback) return { ok: true };
      return {
        ok: false,
        status: 403,
        code: 'api-disabled',
        message: 'The run API is off: this server is reachable beyond this machine and WEFT_API_TOKEN is not set.',
      };
    }
    return this.bearerMatches(headers)
      ? { ok: true }
      : { ok: false, status: 401, code: 'unauthorized', message: "This needs 'Authorization: Bearer <WEFT_API_TOKEN>'.", headers: { 'www-authenticate': 'Bearer realm="weft"' } };
  }

  /** A request to /_weft/status, from `fromLoopback` or not. */
  checkStatus(headers: IncomingHeaders, fromLoopback: boolean): ApiAccess {
    if (fromLoopback || (this.tokenDigest !== undefined && this.bearerMatches(headers))) return { ok: true };
    return { ok: false, status: 404, code: 'not-found', message: 'Not found.' };
  }

  private bearerMatches(headers: IncomingHeaders): boolean {
    const header = Array.isArray(headers.authorization) ? headers.authorization[0] : headers.authorization;
    if (header === undefined || this.tokenDigest === undefined) return false;
    const match = /^Bearer[ \t]+(.+)$/i.exec(header.trim());
    if (!match) return false;
    return timingSafeEqual(digest(match[1].trim()), this.tokenDigest);
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
