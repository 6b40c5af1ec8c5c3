import { describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import type { EngineEvent } from '../../../../src/engine/run/events';
import { sendJson, startLocalServer } from '../../../support/localServer';

// The retry decision reads the error's kind: a user's error (a bad config, a 4xx) fails the same way every time,
// so it is never retried with backoff; an operational one (a 5xx, a dropped connection) is.

function httpFlow(url: string): object {
  return {
    version: 1,
    id: 'fetch-one',
    inputs: { type: 'object', properties: { u: { type: 'string' } } },
    nodes: [{ id: 'get', type: 'http', config: { url }, retry: { maxAttempts: 3, delayMs: 1 } }],
    edges: [],
  };
}

describe('retries follow the error kind', () => {
  it('a templated url that is not a URL fails once, as a config error, with no retry', async () => {
    // ARRANGE
    const events: EngineEvent[] = [];

    // ACT
    const record = await runFlow(httpFlow('{{ input.u }}'), { input: { u: 'not a url' }, history: false, onEvent: (e) => events.push(e) });

    // ASSERT
    expect(record.status).toBe('failed');
    expect(record.nodes.get.attempts).toBe(1);
    expect(events.filter((e) => e.type === 'node.retrying')).toEqual([]);
    expect(record.nodes.get.error).toMatchObject({ code: 'invalid-config', message: expect.stringContaining('config.url') });
  });

  it('a 503 is retried up to maxAttempts', async () => {
    // ARRANGE
    const server = await startLocalServer((_request, response) => sendJson(response, 503, { error: 'busy' }));
    try {
      // ACT
      const record = await runFlow(httpFlow('{{ input.u }}'), { input: { u: `${server.url}/x` }, history: false });

      // ASSERT
      expect(record.nodes.get.attempts).toBe(3);
      expect(server.requests).toHaveLength(3);
      expect(record.nodes.get.error).toMatchObject({ code: 'http-status' });
    } finally {
      await server.close();
    }
  });

  it('a code node whose code throws fails once: the same code throws the same way', async () => {
    // ARRANGE
    const flow = {
      version: 1,
      id: 'throws',
      nodes: [{ id: 'check', type: 'code', config: { code: 'throw new TypeError("no total")' }, retry: { maxAttempts: 3, delayMs: 1 } }],
      edges: [],
    };

    // ACT
    const record = await runFlow(flow, { history: false });

    // ASSERT
    expect(record.nodes.check.attempts).toBe(1);
    expect(record.nodes.check.error).toMatchObject({ code: 'sandbox-error', name: 'TypeError', message: 'no total' });
  });

  it('a mocked error is retried, as the failure it stands for would be', async () => {
    // ACT
    const record = await runFlow(httpFlow('https://api.example.test/x'), { history: false, mocks: { get: { error: 'connection reset' } } });

    // ASSERT
    expect(record.nodes.get.attempts).toBe(3);
    expect(record.nodes.get.error).toMatchObject({ code: 'mock-error', message: 'connection reset' });
  });
});
