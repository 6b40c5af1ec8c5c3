// HTTP requests to a server under test, on 127.0.0.1: the path is sent exactly as given (node's client does not
// normalize it), the reply is read whole, as text and (when it parses) JSON.

import { request as httpRequest, type Agent, type ClientRequest, type IncomingHttpHeaders } from 'node:http';

export interface HttpReply {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: unknown;
}

export interface HttpCallOptions {
  /** Default POST. */
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON (content-type and content-length are set). */
  body?: string | Buffer;
  /** Default: none (a new connection). */
  agent?: Agent;
}

/** One request, sent whole; resolves with the reply. */
export function httpCall(base: string, path: string, options: HttpCallOptions = {}): Promise<HttpReply> {
  const { request, reply } = openHttpRequest(base, path, options);
  request.end(bodyOf(options));
  return reply;
}

/**
 * A request whose body the test writes itself (or never finishes); `reply` settles when the server answers. A
 * server that answers before the body is sent closes the connection: the rest of the upload fails, which a test
 * may mean, so a rejection nobody awaits is not reported as unhandled.
 */
export function openHttpRequest(base: string, path: string, options: HttpCallOptions = {}): { request: ClientRequest; reply: Promise<HttpReply> } {
  const url = new URL(base);
  const body = bodyOf(options);
  let request!: ClientRequest;
  const reply = new Promise<HttpReply>((resolve, reject) => {
    request = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path,
        method: options.method ?? 'POST',
        agent: options.agent ?? false,
        headers: { ...(body ? { 'content-type': 'application/json', 'content-length': String(body.length) } : {}), ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: unknown;
          try {
            json = text === '' ? undefined : JSON.parse(text);
          } catch {
            json = undefined;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, text, json });
        });
        response.on('error', reject);
      },
    );
    request.on('error', reject);
  });
  reply.catch(() => undefined);
  return { request, reply };
}

function bodyOf(options: HttpCallOptions): Buffer | undefined {
  if (options.body === undefined) return undefined;
  return typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
}
