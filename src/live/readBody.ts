// Reads a request body with a size limit and a deadline (spec section 8: over 1 MiB is a 413). Reading stops at
// the limit: nothing past it is buffered, whatever the client goes on sending; a declared Content-Length over the
// limit is refused before a byte is read. A body that trickles in slower than the deadline is a 408, so one slow
// client holds a connection for at most that long and never the server. With a BodyBudget, the bytes also count
// against what the server holds across all requests: past it the body is a 503, its bytes dropped; the caller
// gives a body's bytes back once it is done with them.

import type { IncomingMessage } from 'node:http';
import { WeftError } from '../engine/errors';
import type { BodyBudget } from './bodyBudget';

export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;

export interface ReadBodyOptions {
  /** Most bytes accepted. Default 1 MiB. */
  limitBytes?: number;
  /** The whole body must have arrived within this many milliseconds of the call. Default 10 s. */
  timeoutMs?: number;
  /** Shared by every request in flight; the resolved body's bytes stay taken until the caller gives them back. */
  budget?: BodyBudget;
}

/**
 * Why a body was not read (code `request-body`): the HTTP status to answer with (408, 413, 503 over the budget),
 * or 400 when the client went away. A 503 is the server's state, not the sender's doing: operational.
 */
export class BodyError extends WeftError {
  constructor(
    readonly status: 400 | 408 | 413 | 503,
    message: string,
  ) {
    super('request-body', message, { kind: status === 503 ? 'operational' : 'user', name: 'BodyError', details: { status } });
  }
}

export function readBody(request: IncomingMessage, options: ReadBodyOptions = {}): Promise<Buffer> {
  const limit = options.limitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const timeoutMs = options.timeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  const budget = options.budget;
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit));
  }
  if (request.complete && request.readableLength === 0 && request.readableEnded) return Promise.resolve(EMPTY);

  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;

    const finish = (error: BodyError | undefined): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('close', onClose);
      request.off('error', onError);
      if (error) {
        // Stop pulling bytes off the socket: the caller answers and closes the connection.
        request.pause();
        budget?.give(size);
        chunks.length = 0;
        reject(error);
      } else {
        resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
      }
    };
    const onData = (chunk: Buffer): void => {
      if (settled) return;
      if (size + chunk.length > limit) {
        finish(tooLarge(limit));
      } else if (budget && !budget.take(chunk.length)) {
        finish(new BodyError(503, 'The server holds too many request bodies at once; try again shortly.'));
      } else {
        size += chunk.length;
        chunks.push(chunk);
      }
    };
    const onEnd = (): void => finish(undefined);
    const onClose = (): void => {
      if (!request.complete) finish(new BodyError(400, 'The client closed the connection before the body ended.'));
    };
    const onError = (error: Error): void => finish(new BodyError(400, `The request body could not be read: ${error.message}`));
    const timer = setTimeout(
      () => finish(new BodyError(408, `The request body did not arrive within ${timeoutMs} ms.`)),
      timeoutMs,
    );

    request.on('data', onData);
    request.on('end', onEnd);
    request.on('close', onClose);
    request.on('error', onError);
  });
}

const EMPTY = Buffer.alloc(0);

function tooLarge(limit: number): BodyError {
  return new BodyError(413, `The request body is larger than ${limit} bytes.`);
}
