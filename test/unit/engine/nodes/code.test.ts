// The `code` node: JavaScript strings go to the sandbox (a real one here), .flow.ts functions run in-process.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WeftError } from '../../../../src/engine/errors';
import { codeNodeType, type CodeConfig, type CodeFunctionContext } from '../../../../src/engine/nodes/code';
import type { CodeRequest, PrepareTools } from '../../../../src/engine/nodes/nodeType';
import { createCodeSandbox, type CodeSandbox } from '../../../../src/engine/sandbox/codeSandbox';
import { makeNodeContext, type NodeContextOverrides } from '../../../support/nodeContext';
import { flowOf, runDefinition, transform } from '../../../support/runHelpers';

function context(config: CodeConfig, overrides: NodeContextOverrides<CodeConfig, null> = {}) {
  return makeNodeContext<CodeConfig, null>({ config, prepared: null, ...overrides });
}

const execution = { id: 'exec-7', flowId: 'orders', startedAt: '2025-01-01T00:00:00.000Z', trigger: { type: 'manual' } };

describe('code node type', () => {
  it('is registered as `code` with one `out` port and a 10 s default timeout', () => {
    expect(codeNodeType.type).toBe('code');
    expect(codeNodeType.ports).toEqual(['out']);
    expect(codeNodeType.defaultTimeoutMs).toBe(10_000);
  });

  it.each([
    ['a JavaScript string', { code: 'return 1' }],
    ['a function (.flow.ts)', { code: () => 1 }],
    ['a timeout', { code: 'return 1', timeoutMs: 500 }],
  ])('accepts %s', (_, config) => {
    expect(codeNodeType.configSchema.safeParse(config).success).toBe(true);
  });

  it.each([
    ['no code', {}],
    ['empty code', { code: '' }],
    ['code that is a number', { code: 42 }],
    ['a timeout that is not a positive integer', { code: 'return 1', timeoutMs: -5 }],
    ['an unknown field', { code: 'return 1', cod: 'typo' }],
  ])('refuses %s', (_, config) => {
    expect(codeNodeType.configSchema.safeParse(config).success).toBe(false);
  });

  it('has a prepare step that compiles nothing, so the engine never reads `{{` in code as a template', () => {
    // ARRANGE
    const problems: string[] = [];
    const tools = { error: (message: string) => problems.push(message) } as unknown as PrepareTools;

    // ACT
    const prepared = codeNodeType.prepare?.({ code: 'return "{{ input.x }}"' }, tools);

    // ASSERT
    expect(codeNodeType.prepare).toBeTypeOf('function');
    expect(prepared).toBeNull();
    expect(problems).toEqual([]);
  });

  describe('with JavaScript in the sandbox', () => {
    let sandbox: CodeSandbox;

    beforeAll(() => {
      sandbox = createCodeSandbox({ maxWorkers: 1 });
    });

    afterAll(async () => {
      await sandbox.close();
    });

    it('runs the code with the scope and outputs what it returns', async () => {
      // ARRANGE
      const ctx = context(
        { code: 'log("total for", trigger.customer);\nreturn { total: input.qty * variables.price, seen: nodes.lookup.ok, execution: execution.id }' },
        {
          input: { qty: 3 },
          scope: { trigger: { customer: 'ada' }, nodes: { lookup: { ok: true } }, variables: { price: 5 }, execution },
          services: { runCode: (request, signal) => sandbox.run(request, signal) },
        },
      );

      // ACT
      const outcome = await codeNodeType.run(ctx);

      // ASSERT
      expect(outcome).toEqual({ output: { total: 15, seen: true, execution: 'exec-7' } });
      expect(ctx.logs).toEqual([{ level: 'info', message: 'total for ada' }]);
    });

    it('sees item and index inside a loop', async () => {
      const ctx = context(
        { code: 'return `${index}: ${item.name}`' },
        { scope: { item: { name: 'widget' }, index: 2 }, services: { runCode: (request, signal) => sandbox.run(request, signal) } },
      );

      expect(await codeNodeType.run(ctx)).toEqual({ output: '2: widget' });
    });

    it('leaves `{{ }}` in code alone', async () => {
      const ctx = context(
        { code: 'return "{{ input.x }}"' },
        { input: { x: 1 }, services: { runCode: (request, signal) => sandbox.run(request, signal) } },
      );

      expect(await codeNodeType.run(ctx)).toEqual({ output: '{{ input.x }}' });
    });

    it('fails the node with the sandbox error and its line', async () => {
      const ctx = context({ code: 'const a = 1;\nreturn a.b.c' }, { services: { runCode: (request, signal) => sandbox.run(request, signal) } });

      await expect(codeNodeType.run(ctx)).rejects.toMatchObject({
        code: 'sandbox-error',
        name: 'TypeError',
        message: "Cannot read properties of undefined (reading 'c')",
        line: 2,
      });
    });
  });

  describe('a thrown error in a run', () => {
    let sandbox: CodeSandbox;

    beforeAll(() => {
      sandbox = createCodeSandbox({ maxWorkers: 1 });
    });
    afterAll(() => sandbox.close());

    it('reaches the error port with exactly the message thrown, and its position in fields of its own', async () => {
      const { record } = await runDefinition(
        flowOf(
          [
            { id: 'boom', type: 'code', config: { code: 'throw new Error("kaput")' } },
            transform('handler', { message: '{{ input.error.message }}', name: '{{ input.error.name }}', line: '{{ input.error.line }}' }),
          ],
          [{ from: 'boom', port: 'error', to: 'handler' }],
        ),
        { services: { runCode: (request, signal) => sandbox.run(request, signal) } },
      );

      expect(record.output).toEqual({ message: 'kaput', name: 'Error', line: 1 });
      expect(record.nodes.boom.error).toMatchObject({ message: 'kaput', name: 'Error', code: 'sandbox-error', line: 1, column: expect.any(Number) });
    });
  });

  describe('the request it makes', () => {
    function recording(): { requests: CodeRequest[]; runCode: (request: CodeRequest) => Promise<unknown> } {
      const requests: CodeRequest[] = [];
      return { requests, runCode: async (request) => (requests.push(request), null) };
    }

    it('uses the config timeout, and 10000 ms without one', async () => {
      const withTimeout = recording();
      const withoutTimeout = recording();

      await codeNodeType.run(context({ code: 'return 1', timeoutMs: 250 }, { services: { runCode: withTimeout.runCode } }));
      await codeNodeType.run(context({ code: 'return 1' }, { services: { runCode: withoutTimeout.runCode } }));

      expect(withTimeout.requests[0].timeoutMs).toBe(250);
      expect(withoutTimeout.requests[0].timeoutMs).toBe(10_000);
    });

    it('passes the node signal, and no secrets', async () => {
      const controller = new AbortController();
      let seen: { request: CodeRequest; signal: AbortSignal } | undefined;
      const ctx = context(
        { code: 'return 1' },
        {
          signal: controller.signal,
          scope: { secrets: { API_KEY: 'hunter2' } },
          services: { runCode: async (request, signal) => ((seen = { request, signal }), 1) },
        },
      );

      await codeNodeType.run(ctx);

      expect(seen?.signal).toBe(controller.signal);
      expect(Object.keys(seen?.request.globals ?? {}).sort()).toEqual(['execution', 'index', 'input', 'item', 'nodes', 'trigger', 'variables']);
      expect(JSON.stringify(seen?.request.globals)).not.toContain('hunter2');
    });
  });

  describe('with a .flow.ts function', () => {
    it('calls it in-process with the scope, awaits it and outputs its value', async () => {
      // ARRANGE
      let received: CodeFunctionContext | undefined;
      const code = async (ctx: CodeFunctionContext) => {
        received = ctx;
        ctx.log('scoring', { n: 1 });
        await Promise.resolve();
        return { score: (ctx.input as { visits: number }).visits * 10 };
      };
      const ctx = context({ code }, { input: { visits: 8 }, scope: { variables: { v: 1 }, item: 'x', index: 0, execution } });

      // ACT
      const outcome = await codeNodeType.run(ctx);

      // ASSERT
      expect(outcome).toEqual({ output: { score: 80 } });
      expect(received).toMatchObject({ input: { visits: 8 }, variables: { v: 1 }, item: 'x', index: 0, execution });
      expect(received?.signal).toBe(ctx.signal);
      expect(ctx.logs).toEqual([{ level: 'info', message: 'scoring {"n":1}' }]);
    });

    it('returns values that are not JSON as they are (no sandbox in between)', async () => {
      const date = new Date(0);

      const outcome = await codeNodeType.run(context({ code: () => date }));

      expect(outcome.output).toBe(date);
    });

    it('rethrows the error the function threw, untouched, so its stack points into the .flow.ts', async () => {
      const thrown = new RangeError('too big');

      await expect(
        codeNodeType.run(
          context({
            code: () => {
              throw thrown;
            },
          }),
        ),
      ).rejects.toBe(thrown);
      await expect(codeNodeType.run(context({ code: async () => Promise.reject(thrown) }))).rejects.toBe(thrown);
    });

    it('turns a thrown value that is not an Error into a flow-error', async () => {
      const run = codeNodeType.run(
        context({
          code: () => {
            throw { reason: 'nope' };
          },
        }),
      );

      await expect(run).rejects.toMatchObject({ code: 'flow-error', message: '{"reason":"nope"}' });
    });

    it('stops waiting when the node is cancelled', async () => {
      const controller = new AbortController();
      const run = codeNodeType.run(context({ code: () => new Promise(() => {}) }, { signal: controller.signal }));

      controller.abort();

      await expect(run).rejects.toMatchObject({ code: 'cancelled' });
    });

    it('fails with the engine reason when the signal carries one', async () => {
      const controller = new AbortController();
      const reason = new WeftError('timeout', 'Node "score" timed out after 100 ms');
      const run = codeNodeType.run(context({ code: () => new Promise(() => {}) }, { signal: controller.signal }));

      controller.abort(reason);

      await expect(run).rejects.toBe(reason);
    });
  });
});
