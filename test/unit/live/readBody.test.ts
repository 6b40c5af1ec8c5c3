import type { IncomingMessage } from 'node:http';
import { PassThrough } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { BodyBudget } from '../../../src/live/bodyBudget';
import { BodyError, readBody } from '../../../src/live/readBody';

/** A stream standing in for a request: headers, and `complete` once it has ended, as node:http sets it. */
function fakeRequest(headers: Record<string, string> = {}): PassThrough & { headers: Record<string, string>; complete: boolean } {
  const stream = new PassThrough() as PassThrough & { headers: Record<string, string>; complete: boolean };
  stream.headers = headers;
  stream.complete = false;
  stream.on('end', () => (stream.complete = true));
  return stream;
}

const asRequest = (stream: PassThrough): IncomingMessage => stream as unknown as IncomingMessage;

describe('readBody', () => {
  it('reads a body within the limit', async () => {
    // ARRANGE
    const request = fakeRequest();
    const reading = readBody(asRequest(request), { limitBytes: 10 });
    // ACT
    request.write('{"a":');
    request.end('1}');
    // ASSERT
    expect((await reading).toString()).toBe('{"a":1}');
  });

  it('refuses a declared Content-Length over the limit before reading a byte', async () => {
    // ARRANGE
    const request = fakeRequest({ 'content-length': '11' });
    // ACT
    const error = await readBody(asRequest(request), { limitBytes: 10 }).catch((e: unknown) => e);
    // ASSERT
    expect(error).toBeInstanceOf(BodyError);
    expect(error).toMatchObject({ status: 413, code: 'request-body', kind: 'user' });
    expect(request.readableLength).toBe(0);
  });

  it('stops at the limit of a body of unknown length and reads no further', async () => {
    // ARRANGE
    const request = fakeRequest();
    const reading = readBody(asRequest(request), { limitBytes: 10 });
    // ACT
    request.write('123456');
    request.write('789012');
    const error = await reading.catch((e: unknown) => e);
    request.write('more that nobody reads');
    // ASSERT
    expect((error as BodyError).status).toBe(413);
    expect(request.isPaused()).toBe(true);
  });

  it('gives up on a body that does not arrive in time', async () => {
    // ARRANGE
    vi.useFakeTimers();
    try {
      const request = fakeRequest();
      // Caught at once: the rejection comes while the clock is advanced, before the await below.
      const reading = readBody(asRequest(request), { timeoutMs: 100 }).catch((e: unknown) => e);
      // ACT: part of the body, then nothing until the deadline.
      request.write('{');
      await vi.advanceTimersByTimeAsync(100);
      const error = await reading;
      // ASSERT
      expect((error as BodyError).status).toBe(408);
    } finally {
      vi.useRealTimers();
    }
  });

  it('reports a client that went away mid-body', async () => {
    // ARRANGE
    const request = fakeRequest();
    const reading = readBody(asRequest(request));
    // ACT
    request.write('{');
    request.destroy();
    const error = await reading.catch((e: unknown) => e);
    // ASSERT
    expect((error as BodyError).status).toBe(400);
  });

  it('counts the bytes it holds against a shared budget: a body past it is a 503 and gives its bytes back', async () => {
    // ARRANGE
    const budget = new BodyBudget(10);
    const first = fakeRequest();
    const second = fakeRequest();
    const readingFirst = readBody(asRequest(first), { limitBytes: 100, budget });
    const readingSecond = readBody(asRequest(second), { limitBytes: 100, budget });
    // ACT
    first.end('123456');
    const body = await readingFirst;
    second.write('12345');
    const error = await readingSecond.catch((e: unknown) => e);
    // ASSERT
    expect(body.toString()).toBe('123456');
    expect(error).toMatchObject({ status: 503, code: 'request-body', kind: 'operational' });
    expect(budget.heldBytes).toBe(6); // the first body's, until its reader gives them back
    budget.give(body.length);
    expect(budget.heldBytes).toBe(0);
  });
});

