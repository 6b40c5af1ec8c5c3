import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WeftError } from '../../../src/engine/errors';
import { RunWorkerClient, RunWorkerError } from '../../../src/extension/runWorkerClient';

// Stand-in workers (real child processes) that misbehave in one precise way each, so the client's errors can be
// checked against the engine's codes without building the real worker.

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-worker-client-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function worker(source: string): string {
  const file = join(dir, 'worker.cjs');
  writeFileSync(file, source);
  return file;
}

async function rejection(promise: Promise<unknown>): Promise<RunWorkerError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(RunWorkerError);
  return error as RunWorkerError;
}

describe('RunWorkerClient errors carry the engine codes', () => {
  it('a worker that exits fails the pending request with run-worker, an operational error', async () => {
    // ARRANGE
    const client = new RunWorkerClient(worker("process.on('message', () => process.exit(3));"));

    // ACT
    const error = await rejection(client.compile('any.flow.json'));

    // ASSERT
    expect(error).toBeInstanceOf(WeftError);
    expect(error).toMatchObject({ code: 'run-worker', kind: 'operational', name: 'RunWorkerError' });
    expect(error.message).toBe('The run worker exited (code 3).');
  });

  it('keeps a known code from the worker with its diagnostics, and maps an unknown one to run-worker', async () => {
    // ARRANGE: the worker answers every request with the error code the file name asks for.
    const client = new RunWorkerClient(
      worker(`process.on('message', (m) => {
        const code = m.file.startsWith('bad') ? 'invalid-flow' : 'made-up-code';
        const diagnostics = [{ code: 'invalid-schema', severity: 'error', message: 'nope' }];
        process.send({ kind: 'failed', requestId: m.requestId, error: { message: 'no: ' + m.file, code, diagnostics } });
      });`),
    );
    try {
      // ACT
      const known = await rejection(client.compile('bad.flow.json'));
      const unknown = await rejection(client.compile('odd.flow.json'));

      // ASSERT
      expect(known).toMatchObject({ code: 'invalid-flow', kind: 'user', message: 'no: bad.flow.json' });
      expect(known.diagnostics).toEqual([{ code: 'invalid-schema', severity: 'error', message: 'nope' }]);
      expect(unknown).toMatchObject({ code: 'run-worker', message: 'no: odd.flow.json' });
    } finally {
      client.dispose();
    }
  });
});
