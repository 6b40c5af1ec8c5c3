// The `code` node (spec section 7). In a .flow.json, `code` is a JavaScript function body run in the sandbox
// (services.runCode): it may `await`, `return`s the output, and sees input, trigger, nodes, variables, item,
// index, execution and log(msg). In a .flow.ts it is a function `(ctx) => value`, called in-process: it is the
// user's own module code, as trusted as the flow file that imports it.

import { z } from 'zod';
import type { ExecutionInfo } from '../expr/scope';
import { WeftError } from '../errors';
import type { NodeContext, NodeOutcome, NodeTypeDefinition } from './nodeType';

export const DEFAULT_CODE_TIMEOUT_MS = 10_000;

/** What a `.flow.ts` code function receives. */
export interface CodeFunctionContext {
  input: unknown;
  trigger: unknown;
  nodes: Record<string, unknown>;
  variables: Record<string, unknown>;
  item: unknown;
  index: number | undefined;
  execution: ExecutionInfo;
  /** Adds a line to the node's log (level info); non-strings are written as JSON. */
  log(...values: unknown[]): void;
  /** Fires when the node is cancelled or times out: hand it to fetch and the like. */
  signal: AbortSignal;
}

export type CodeFunction = (ctx: CodeFunctionContext) => unknown;

export interface CodeConfig {
  code: string | CodeFunction;
  /** Stops the code after this long. Default 10000. */
  timeoutMs?: number;
  /** JSON Schema of what the code returns: templates reading nodes.<id> are checked against it at compile time. */
  outputSchema?: Record<string, unknown>;
}

const codeConfigSchema = z
  .object({
    code: z.union([
      z.string().min(1, 'A code node needs some code.').meta({ examples: ['return input;'] }),
      z.custom<CodeFunction>((value) => typeof value === 'function', 'Expected JavaScript code (a string), or a function in a .flow.ts'),
    ]),
    timeoutMs: z.number().int().positive().optional(),
    outputSchema: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('JSON Schema of the returned value: templates reading nodes.<id> are checked against it at compile time (not at run time).'),
  })
  .strict() as z.ZodType<CodeConfig>;

export const codeNodeType: NodeTypeDefinition<CodeConfig, null> = {
  type: 'code',
  title: 'Code: run JavaScript',
  description: [
    'Runs JavaScript and outputs what it `return`s.',
    '',
    '`code` is a function body: it may `await`, and sees `input`, `trigger`, `nodes`, `variables`, `item`, `index`,',
    '`execution` and `log(msg)`. It runs in a sandbox: no `require`, `process`, file system or network;',
    'it is stopped after `timeoutMs` (default 10000) or when it uses too much memory. Its output must be JSON.',
    '',
    'In a `.flow.ts`, `code` is a function `(ctx) => value` instead, run as ordinary module code.',
  ].join('\n'),
  configSchema: codeConfigSchema,
  ports: ['out'],
  defaultTimeoutMs: DEFAULT_CODE_TIMEOUT_MS,
  // Having `prepare` keeps the config raw: `{{` in JavaScript is code, never a template.
  prepare: () => null,
  async run(ctx: NodeContext<CodeConfig, null>): Promise<NodeOutcome> {
    const { code } = ctx.config;
    if (typeof code === 'function') return { output: await runFunction(code, ctx) };
    const { scope } = ctx;
    const output = await ctx.services.runCode(
      {
        code,
        globals: {
          input: ctx.input,
          trigger: scope.trigger,
          nodes: scope.nodes,
          variables: scope.variables,
          item: scope.item,
          index: scope.index,
          execution: scope.execution,
        },
        // The engine's abort of ctx.signal ends the job too; this is the sandbox's own hard stop.
        timeoutMs: ctx.config.timeoutMs ?? DEFAULT_CODE_TIMEOUT_MS,
        log: (level, message) => ctx.log(level, message),
      },
      ctx.signal,
    );
    return { output };
  },
};

/** Calls a .flow.ts code function; settles early when the signal fires (the function itself cannot be stopped). */
async function runFunction(code: CodeFunction, ctx: NodeContext<CodeConfig, null>): Promise<unknown> {
  const { signal, scope } = ctx;
  if (signal.aborted) throw abortError(signal);
  let value: unknown;
  try {
    value = code({
      input: ctx.input,
      trigger: scope.trigger,
      nodes: scope.nodes,
      variables: scope.variables,
      item: scope.item,
      index: scope.index,
      execution: scope.execution,
      log: (...values) => ctx.log('info', values.map(describe).join(' ')),
      signal,
    });
  } catch (error) {
    throw asError(error);
  }
  if (!isPromiseLike(value)) return value;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(value).then(
      (result) => {
        signal.removeEventListener('abort', onAbort);
        resolve(result);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(asError(error));
      },
    );
  });
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return value !== null && (typeof value === 'object' || typeof value === 'function') && typeof (value as { then?: unknown }).then === 'function';
}

/** An Error thrown by the user's function is kept as it is: its stack points into their .flow.ts. */
function asError(error: unknown): unknown {
  return error instanceof Error ? error : new WeftError('flow-error', describe(error), { cause: error });
}

function abortError(signal: AbortSignal): WeftError {
  // The engine aborts with its own WeftError on a timeout: keep it, so the node fails for the real reason.
  if (signal.reason instanceof WeftError) return signal.reason;
  return new WeftError('cancelled', 'The code node was cancelled', { cause: signal.reason });
}

function describe(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    const text = JSON.stringify(value);
    if (typeof text === 'string') return text;
  } catch {
    // A cycle or a BigInt: fall back to String.
  }
  return String(value);
}
