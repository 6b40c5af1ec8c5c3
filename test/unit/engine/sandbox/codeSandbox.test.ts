// The code sandbox with real child processes: what user code can do, what it cannot reach, and that the host
// outlives whatever it does.

import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { WeftError } from '../../../../src/engine/errors';
import type { CodeRequest, LogLevel } from '../../../../src/engine/nodes/nodeType';
import { createCodeSandbox, type CodeSandbox } from '../../../../src/engine/sandbox/codeSandbox';

interface Job {
  request: CodeRequest;
  logs: { level: LogLevel; message: string }[];
}

function job(code: string, options: { globals?: Record<string, unknown>; timeoutMs?: number; memoryLimitMb?: number } = {}): Job {
  const logs: { level: LogLevel; message: string }[] = [];
  const request: CodeRequest = {
    code,
    globals: options.globals ?? {},
    timeoutMs: options.timeoutMs ?? 5000,
    log: (level, message) => logs.push({ level, message }),
  };
  if (options.memoryLimitMb !== undefined) request.memoryLimitMb = options.memoryLimitMb;
  return { request, logs };
}

const never = new AbortController().signal;

/** The WeftError a rejected run ends with. */
async function failure(promise: Promise<unknown>): Promise<WeftError> {
  const error = await promise.then(
    (value) => {
      throw new Error(`expected a failure, got ${JSON.stringify(value)}`);
    },
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(WeftError);
  return error as WeftError;
}

describe('code sandbox', () => {
  let sandbox: CodeSandbox;

  beforeAll(() => {
    sandbox = createCodeSandbox({ maxWorkers: 2 });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  describe('running code', () => {
    it.each([
      ['a string', 'return "hello"', 'hello'],
      ['a number', 'return 4.5', 4.5],
      ['a boolean', 'return false', false],
      ['null', 'return null', null],
      ['an array', 'return [1, "two", [3]]', [1, 'two', [3]]],
      ['an object', 'return { a: { b: [true, null] } }', { a: { b: [true, null] } }],
      ['undefined', 'const x = 1', undefined],
    ])('returns %s', async (_, code, expected) => {
      // ARRANGE
      const { request } = job(code);

      // ACT
      const result = await sandbox.run(request, never);

      // ASSERT
      expect(result).toEqual(expected);
    });

    it('awaits promises and async functions', async () => {
      const { request } = job(`
        const double = async (n) => { await null; return n * 2 };
        const a = await Promise.resolve(1);
        const [b, c] = await Promise.all([double(2), new Promise((resolve) => resolve(5))]);
        return a + b + c`);

      const result = await sandbox.run(request, never);

      expect(result).toBe(10);
    });

    it('sees input, trigger, nodes, variables, item, index and execution', async () => {
      const globals = {
        input: { n: 2 },
        trigger: { email: 'ada@example.test' },
        nodes: { fetch: { body: { items: [10, 20] } } },
        variables: { rate: 3 },
        item: { sku: 'A-1' },
        index: 4,
        execution: { id: 'exec-1', flowId: 'f', startedAt: '2025-01-01T00:00:00.000Z', trigger: { type: 'manual' } },
      };
      const { request } = job(
        'return [input.n * variables.rate, trigger.email, nodes.fetch.body.items[1], item.sku, index, execution.id]',
        { globals },
      );

      const result = await sandbox.run(request, never);

      expect(result).toEqual([6, 'ada@example.test', 20, 'A-1', 4, 'exec-1']);
    });

    it('gives item and index as undefined outside loops', async () => {
      const { request } = job('return [typeof item, typeof index]', { globals: { input: 1 } });

      expect(await sandbox.run(request, never)).toEqual(['undefined', 'undefined']);
    });

    it('hands log lines to the callback, in order, objects as JSON', async () => {
      const { request, logs } = job('log("first"); log({ a: 1 }, [2]); await null; log(3); return "done"');

      await sandbox.run(request, never);

      expect(logs).toEqual([
        { level: 'info', message: 'first' },
        { level: 'info', message: '{"a":1} [2]' },
        { level: 'info', message: '3' },
      ]);
    });

    it('keeps no state from one job to the next', async () => {
      await sandbox.run(job('Object.prototype.polluted = "yes"; globalThis.leftover = 1; return 1').request, never);

      const result = await sandbox.run(job('return [typeof ({}).polluted, typeof leftover]').request, never);

      expect(result).toEqual(['undefined', 'undefined']);
    });
  });

  describe('errors of the code', () => {
    it('names the error and the line of the user code it was thrown on', async () => {
      const { request } = job('const a = 1;\nconst b = 2;\nfoo();');

      const error = await failure(sandbox.run(request, never));

      expect(error.code).toBe('sandbox-error');
      expect(error.message).toBe('foo is not defined');
      expect(error).toMatchObject({ name: 'ReferenceError', line: 3, column: 1 });
    });

    it('gives the line of an error thrown inside a nested function', async () => {
      const { request } = job('function check(x) {\n  if (!x) throw new TypeError("x is required");\n}\ncheck(input.x);', {
        globals: { input: {} },
      });

      const error = await failure(sandbox.run(request, never));

      expect(error).toMatchObject({ message: 'x is required', name: 'TypeError', line: 2 });
    });

    it('gives the line of a syntax error', async () => {
      const { request } = job('const a = 1;\nconst = 2;\nreturn a');

      const error = await failure(sandbox.run(request, never));

      expect(error.code).toBe('sandbox-error');
      expect(error).toMatchObject({ name: 'SyntaxError', line: 2 });
      expect(error.message).not.toMatch(/SyntaxError|line/);
    });

    it('reports a thrown value that is not an Error (it has no stack, so no line)', async () => {
      const { request } = job('throw "boom"');

      const error = await failure(sandbox.run(request, never));

      expect(error).toMatchObject({ message: 'boom', name: 'Error' });
      expect(error.line).toBeUndefined();
    });

    it('reports runaway recursion as an error of the code', async () => {
      const { request } = job('function f(n) {\n  return f(n + 1) + 1;\n}\nreturn f(0)');

      const error = await failure(sandbox.run(request, never));

      expect(error).toMatchObject({ message: 'Maximum call stack size exceeded', name: 'RangeError', line: 2 });
    });

    it.each([
      ['a function', 'return () => 1', /^The returned value is a function, which is not JSON$/],
      ['a cycle', 'const a = {}; a.self = a; return a', /^The returned value is not JSON: Converting circular structure/],
      ['a BigInt', 'return 10n', /^The returned value is not JSON: Do not know how to serialize a BigInt/],
    ])('refuses %s as the output', async (_, code, message) => {
      const error = await failure(sandbox.run(job(code).request, never));

      expect(error.code).toBe('sandbox-error');
      expect(error.message).toMatch(message);
    });

    it('fails at once, not at the timeout, when the code awaits a promise that never settles', async () => {
      const { request } = job('await new Promise(() => {}); return 1', { timeoutMs: 20_000 });
      const started = Date.now();

      const error = await failure(sandbox.run(request, never));

      expect(error.code).toBe('sandbox-error');
      expect(error.message).toBe('The code awaited a promise that never settles');
      expect(Date.now() - started).toBeLessThan(2000);
    });

    it('refuses an input that is not JSON before starting anything', async () => {
      const input: Record<string, unknown> = {};
      input.self = input;

      const error = await failure(sandbox.run(job('return 1', { globals: { input } }).request, never));

      expect(error.code).toBe('sandbox-error');
      expect(error.message).toMatch(/input is not JSON/);
    });
  });

  describe('what the code cannot reach', () => {
    it.each([
      ['the Function constructor via this', 'return this.constructor.constructor("return process")().pid', /^EvalError/],
      ['the Function constructor via log', 'return log.constructor.constructor("return process")().pid', /^EvalError/],
      ['eval', 'return eval("1 + 1")', /^EvalError/],
      ['require', 'return require("fs").readFileSync("/etc/passwd", "utf8")', /^ReferenceError: require is not defined/],
      ['process.exit', 'process.exit(1)', /^ReferenceError: process is not defined/],
      ['fetch', 'return await fetch("http://127.0.0.1:1/")', /^ReferenceError: fetch is not defined/],
      ['WebAssembly', 'return new WebAssembly.Module(new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]))', /^ReferenceError/],
      ['memory outside the heap (ArrayBuffer)', 'return new ArrayBuffer(2 ** 30).byteLength', /^ReferenceError: ArrayBuffer is not defined/],
      ['dynamic import', 'const fs = await import("fs"); return typeof fs.readFileSync', /^Error: import\(\) is not available/],
      [
        'the error a refused import rejects with',
        'try { await import("fs") } catch (e) { return e.constructor.constructor("return process")().pid }',
        /^Error: import\(\) is not available/,
      ],
      [
        'call sites of a stack trace',
        'Error.prepareStackTrace = (_, sites) => sites; const sites = new Error().stack; return sites[0].constructor.constructor("return process")().pid',
        /^EvalError/,
      ],
    ])('blocks %s', async (_, code, message) => {
      const error = await failure(sandbox.run(job(code).request, never));

      expect(error.code).toBe('sandbox-error');
      expect(`${error.name}: ${error.message}`).toMatch(message);
    });

    it('offers no host globals at all', async () => {
      const names = ['process', 'require', 'module', 'exports', 'Buffer', 'fetch', 'setTimeout', 'setInterval', 'setImmediate',
        'queueMicrotask', 'console', 'SharedArrayBuffer', 'Atomics', 'FinalizationRegistry'];
      const { request } = job(`return ${JSON.stringify(names)}.filter((name) => typeof globalThis[name] !== 'undefined')`);

      expect(await sandbox.run(request, never)).toEqual([]);
    });

    it('never lets an error of the host side reach the code, even at the stack limit', async () => {
      // log() calls into the host; at the stack limit that call overflows, and the RangeError it makes belongs to
      // the host's realm, whose Function constructor is a way out. Anything the code catches must be its own.
      const { request } = job(`
        let foreign = 0;
        // Logs on the way back up from the limit: every amount of stack left is tried once.
        function deep() {
          try { deep() } catch (e) {}
          try { log('x') } catch (caught) { if (!(caught instanceof Error)) foreign++ }
        }
        deep();
        return foreign`);

      expect(await sandbox.run(request, never)).toBe(0);
    });
  });

  describe('stopping code', () => {
    it('stops `while (true) {}` at the timeout, and the pool runs the next job', async () => {
      const spinning = job('log("spinning"); while (true) {}', { timeoutMs: 200 });
      const started = Date.now();

      const error = await failure(sandbox.run(spinning.request, never));
      const next = await sandbox.run(job('return "still here"').request, never);

      expect(error.code).toBe('sandbox-timeout');
      expect(error.message).toBe('Code ran longer than 200 ms and was stopped');
      expect(Date.now() - started).toBeLessThan(3000);
      expect(spinning.logs).toEqual([{ level: 'info', message: 'spinning' }]);
      expect(next).toBe('still here');
    });

    it('stops a memory bomb, and the pool recovers', async () => {
      const bomb = job('const a = []; while (true) a.push(new Array(1e6).fill(1))', { timeoutMs: 10_000 });

      const error = await failure(sandbox.run(bomb.request, never));
      const next = await sandbox.run(job('return 1 + 1').request, never);

      expect(error.code).toBe('sandbox-memory');
      expect(error.message).toBe('Code used more than 128 MB of memory and was stopped');
      expect(next).toBe(2);
    });

    it('survives the growth that aborts a whole process (one array growing, at a lower per-request limit)', async () => {
      // In a worker thread this pattern makes V8 abort the host process itself.
      const bomb = job('const a = []; let i = 0; while (true) a.push(i++)', { timeoutMs: 10_000, memoryLimitMb: 32 });

      const error = await failure(sandbox.run(bomb.request, never));

      expect(error.code).toBe('sandbox-memory');
      expect(error.message).toBe('Code used more than 32 MB of memory and was stopped');
      expect(await sandbox.run(job('return "ok"').request, never)).toBe('ok');
    });

    it('stops a spinning job promptly when its signal fires', async () => {
      const controller = new AbortController();
      const running = sandbox.run(job('while (true) {}', { timeoutMs: 30_000 }).request, controller.signal);
      await new Promise((resolve) => setTimeout(resolve, 150));
      const aborted = Date.now();

      controller.abort();
      const error = await failure(running);

      expect(error.code).toBe('cancelled');
      expect(Date.now() - aborted).toBeLessThan(1000);
      expect(await sandbox.run(job('return 3').request, never)).toBe(3);
    });

    it('fails at once for a signal that has already fired', async () => {
      const controller = new AbortController();
      controller.abort();

      const error = await failure(sandbox.run(job('return 1').request, controller.signal));

      expect(error.code).toBe('cancelled');
    });

    it('keeps the reason the engine aborted with when it is a WeftError', async () => {
      const controller = new AbortController();
      const running = sandbox.run(job('while (true) {}', { timeoutMs: 30_000 }).request, controller.signal);

      controller.abort(new WeftError('timeout', 'Node "calc" timed out after 100 ms'));
      const error = await failure(running);

      expect(error.code).toBe('timeout');
    });
  });

  it('runs jobs up to maxWorkers in parallel and queues the rest', async () => {
    // ARRANGE: two jobs that say they started, then spin until cancelled; a third that says so and returns.
    // Waiting for what the jobs report (not for how long they took) keeps this true on a loaded machine.
    const pool = createCodeSandbox({ maxWorkers: 2 });
    const spinners = [new AbortController(), new AbortController()];
    const spinning = spinners.map(() => job('log("started"); while (true) {}', { timeoutMs: 60_000 }));
    const third = job('log("started"); return 3');
    try {
      // ACT
      const running = spinning.map((j, i) => pool.run(j.request, spinners[i].signal).catch((error: unknown) => error));
      const queued = pool.run(third.request, never);
      await vi.waitFor(() => expect(spinning.every((j) => j.logs.length === 1)).toBe(true), { timeout: 30_000 });

      // ASSERT: both spinners run at once, and the third waits for a free process...
      expect(third.logs).toEqual([]);
      spinners[0].abort();
      // ...which it gets as soon as one spinner is cancelled.
      expect(await queued).toBe(3);
      expect(third.logs.map((l) => l.message)).toEqual(['started']);
      spinners[1].abort();
      expect(((await running[1]) as WeftError).code).toBe('cancelled');
    } finally {
      await pool.close();
    }
  });

  it('a queued job that is cancelled never runs', async () => {
    const pool = createCodeSandbox({ maxWorkers: 1 });
    const controller = new AbortController();
    const queued = job('log("ran"); return 1');
    try {
      const first = pool.run(job('const s = Date.now(); while (Date.now() - s < 200) {} return 1').request, never);
      const second = pool.run(queued.request, controller.signal);

      controller.abort();

      expect((await failure(second)).code).toBe('cancelled');
      expect(await first).toBe(1);
      expect(queued.logs).toEqual([]);
    } finally {
      await pool.close();
    }
  });

  it('close() cancels running jobs and refuses new ones', async () => {
    const pool = createCodeSandbox({ maxWorkers: 1 });
    const running = failure(pool.run(job('while (true) {}', { timeoutMs: 30_000 }).request, never));
    await new Promise((resolve) => setTimeout(resolve, 100));

    await pool.close();

    expect((await running).code).toBe('cancelled');
    expect((await failure(pool.run(job('return 1').request, never))).code).toBe('cancelled');
  });

  it('works bundled by esbuild, and an idle pool lets the process exit', async () => {
    // ARRANGE: bundle a tiny program that runs one job and never calls close().
    const dir = await mkdtemp(join(tmpdir(), 'weft-sandbox-'));
    try {
      const entry = join(dir, 'main.ts');
      await writeFile(
        entry,
        `import { createCodeSandbox } from ${JSON.stringify(join(__dirname, '../../../../src/engine/sandbox/codeSandbox'))};
         const sandbox = createCodeSandbox();
         sandbox.run({ code: 'return input * 2', globals: { input: 21 }, timeoutMs: 5000, log: () => {} }, new AbortController().signal)
           .then((value) => console.log('result', value));`,
      );
      await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile: join(dir, 'main.js'), logLevel: 'silent' });

      // ACT
      const { stdout } = await promisify(execFile)(process.execPath, [join(dir, 'main.js')], { timeout: 10_000 });

      // ASSERT: it printed the result and exited by itself (execFile would have timed out otherwise).
      expect(stdout.trim()).toBe('result 42');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
