// The program each sandbox child process runs: the security boundary of `code` nodes. esbuild builds this file
// into one JavaScript string that the host passes to `node -e` (see sandboxChildSource.ts for how the string
// reaches codeSandbox.ts), so there is still no separate file to find at run time; `tsc` checks it like any
// other source. It evaluates Weft's own code; the user's code is only ever compiled by `vm.Script` inside a
// fresh context.
//
// Layers, outermost first (the host adds the process flags; see codeSandbox.ts):
// 1. A separate process: a V8 fatal out-of-memory, a crash or an escape ends this process, never the host.
//    Its environment is empty (no secrets), code generation from strings is off for every realm, and where
//    Node has the permission model, file system, child processes and workers are denied.
// 2. A fresh `vm` context per job, whose global is a null-prototype object (so no path leads to this
//    realm's Object or Function) and which cannot compile strings or WebAssembly.
// 3. Every value crosses into the context as a JSON string parsed there, and out as strings: the only
//    function of this realm the context holds is `send`, kept in a closure and called with primitives only,
//    its failures caught inside the context so no error object of this realm reaches the user's code.
// 4. The context has its own microtask queue (`afterEvaluate`) and no timers, so the whole job, `await`s
//    included, runs inside this message handler; nothing of a job can run after its reply.
//
// Only this file's own code and `node:vm` may be bundled into the child: it must not import the engine.

'use strict';

import { createContext, Script, type Context } from 'node:vm';
import type { SandboxChildMessage, SandboxDoneMessage } from './sandboxMessages';

/** What the context calls back with: `log` with a line, `result` with JSON text, `error` with name, message, stack. */
type Send = (kind: string, a?: unknown, b?: unknown, c?: unknown) => void;
/** Installs a job's names and `log` in a context; gives the function that starts the job. */
type Install = (data: string, send: Send) => (threw: boolean, value: unknown) => void;

type Outcome = { ok: true; json: string | undefined } | { ok: false; name: string; message: string; stack: string };

interface Job {
  id: number;
  outcome: Outcome | null;
  logs: number;
  importAttempted: boolean;
}

const proc = process;

const WRAPPER_PREFIX = '(async () => {\n';
const WRAPPER_SUFFIX = '\n})';
// The file name the user sees in error.stack, and how their frames are found in it.
const FILENAME = 'code-node.js';
const MAX_LOG_LINES = 1000;
const MAX_LOG_CHARS = 65536;
const SCRIPT_CACHE_SIZE = 64;

// Runs inside each fresh context, from its source text (`toString()`): it must not refer to anything outside
// itself, not even a type-only helper that would emit code. Every global it reads is the context's own.
function contextProgram(): Install {
  'use strict';
  const g = globalThis as unknown as Record<string, unknown>;
  const parse = JSON.parse;
  const stringify = JSON.stringify;
  const toText = String;
  const NAMES = ['input', 'trigger', 'nodes', 'variables', 'item', 'index', 'execution'];
  // Array buffers live outside the JS heap (no memory limit applies to them); FinalizationRegistry and
  // Atomics.waitAsync schedule work after the job; Atomics.wait blocks; V8's console prints nowhere, and a
  // silent console.log misleads more than a ReferenceError does.
  const REMOVED = ['ArrayBuffer', 'SharedArrayBuffer', 'DataView', 'Atomics', 'WebAssembly', 'FinalizationRegistry',
    'console', 'Int8Array', 'Uint8Array', 'Uint8ClampedArray', 'Int16Array', 'Uint16Array', 'Int32Array', 'Uint32Array',
    'Float16Array', 'Float32Array', 'Float64Array', 'BigInt64Array', 'BigUint64Array'];
  for (let i = 0; i < REMOVED.length; i++) delete g[REMOVED[i]];

  function describe(value: unknown): string {
    if (typeof value === 'string') return value;
    try {
      const text = stringify(value);
      if (typeof text === 'string') return text;
    } catch {
      // Not JSON (a cycle, a BigInt): fall through to String.
    }
    try {
      return toText(value);
    } catch {
      return '[value]';
    }
  }

  function firstLine(text: string): string {
    const end = text.indexOf('\n');
    return end === -1 ? text : text.slice(0, end);
  }

  function report(send: Send, name: string, message: string, stack: string): void {
    try {
      send('error', name, message, stack);
    } catch {
      // A failure of the host side must not surface here as one of its error objects.
    }
  }

  function fail(send: Send, error: unknown): void {
    let name = 'Error';
    let message = '';
    let stack = '';
    try {
      if (error !== null && (typeof error === 'object' || typeof error === 'function')) {
        const thrown = error as { name?: unknown; message?: unknown; stack?: unknown };
        const n = thrown.name;
        if (typeof n === 'string' && n !== '') name = n;
        const m = thrown.message;
        message = m === undefined ? describe(error) : describe(m);
        const s = thrown.stack;
        if (typeof s === 'string') stack = s;
      } else {
        message = describe(error);
      }
    } catch {
      message = 'The code threw a value that cannot be read';
    }
    report(send, name, message, stack);
  }

  async function run(send: Send, threw: boolean, value: unknown): Promise<void> {
    let result: unknown;
    try {
      if (threw) throw value;
      result = await (value as () => unknown)();
    } catch (error) {
      fail(send, error);
      return;
    }
    let text: string | undefined;
    if (result !== undefined) {
      try {
        text = stringify(result);
      } catch (error) {
        let reason = '';
        try {
          const thrown = error as { message?: unknown } | null | undefined;
          reason = firstLine(toText(thrown && thrown.message));
        } catch {
          // keep it empty
        }
        report(send, 'TypeError', 'The returned value is not JSON: ' + reason, '');
        return;
      }
      if (typeof text !== 'string') {
        report(send, 'TypeError', 'The returned value is a ' + typeof result + ', which is not JSON', '');
        return;
      }
    }
    try {
      send('result', text);
    } catch {
      // see report()
    }
  }

  return function install(data: string, send: Send) {
    const names = parse(data) as Record<string, unknown>;
    for (let i = 0; i < NAMES.length; i++) g[NAMES[i]] = names[NAMES[i]];
    g.log = function log(): void {
      let text = '';
      // `arguments`, not a rest parameter: nothing but the context's own objects is made here.
      for (let i = 0; i < arguments.length; i++) text += (i === 0 ? '' : ' ') + describe(arguments[i]);
      try {
        send('log', text);
      } catch {
        // see report()
      }
    };
    return function start(threw: boolean, value: unknown): void {
      void run(send, threw, value);
    };
  };
}

const BOOTSTRAP = new Script('(' + contextProgram.toString() + ')()', { filename: 'weft-sandbox.js' });
// Running any script drains the context's own microtask queue: this is how the job's awaits complete.
const DRAIN = new Script('', { filename: 'weft-sandbox.js' });
const scripts = new Map<string, Script>();
let current: Job | null = null;
let spare: { context: Context; install: Install } | null = null;

function makeContext(): { context: Context; install: Install } {
  const context = createContext(Object.create(null) as object, {
    codeGeneration: { strings: false, wasm: false },
    microtaskMode: 'afterEvaluate',
  });
  return { context, install: BOOTSTRAP.runInContext(context) as Install };
}

function post(message: SandboxChildMessage): void {
  try {
    proc.send!(message);
  } catch {
    // The host is gone; 'disconnect' ends this process.
  }
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

// The one function of this realm the context holds. Strict, so it gives away no caller; it reads only the
// type of what it is given, and keeps strings.
function send(kind: string, a?: unknown, b?: unknown, c?: unknown): void {
  const job = current;
  if (job === null) return;
  if (kind === 'log') {
    if (typeof a === 'string') postLog(job, a);
    return;
  }
  if (job.outcome !== null) return;
  if (kind === 'result') job.outcome = { ok: true, json: typeof a === 'string' ? a : undefined };
  else if (kind === 'error') job.outcome = { ok: false, name: text(a), message: text(b), stack: text(c) };
}

function postLog(job: Job, message: string): void {
  if (job.logs >= MAX_LOG_LINES) {
    if (job.logs === MAX_LOG_LINES) {
      job.logs++;
      post({ type: 'log', id: job.id, level: 'warn', message: 'More than ' + MAX_LOG_LINES + ' log lines: the rest are dropped' });
    }
    return;
  }
  job.logs++;
  if (message.length > MAX_LOG_CHARS) message = message.slice(0, MAX_LOG_CHARS) + '... (truncated)';
  post({ type: 'log', id: job.id, level: 'info', message });
}

// import() reaches Node's loader, outside the context. Throwing a primitive keeps any object of this realm
// away from the user's code (with --experimental-vm-modules this callback is honoured; without it Node
// refuses the import itself). The rejection only settles after this job's handler returns, so the job sees
// a promise that never settles, and reports the import instead.
function refuseImport(): never {
  if (current !== null) current.importAttempted = true;
  // A string, not an Error: no object of this realm may reach the context.
  throw 'import() is not available in a code node';
}

function compile(code: string): Script {
  let script = scripts.get(code);
  if (script !== undefined) return script;
  script = new Script(WRAPPER_PREFIX + code + WRAPPER_SUFFIX, { filename: FILENAME, importModuleDynamically: refuseImport });
  if (scripts.size >= SCRIPT_CACHE_SIZE) scripts.delete(scripts.keys().next().value as string);
  scripts.set(code, script);
  return script;
}

// The line and column in the user's code of the first frame that is in it (the wrapper adds one line).
function position(stack: string, code: string): { line?: number; column?: number } {
  let match: RegExpExecArray | null = null;
  if (stack.startsWith(FILENAME + ':')) match = /^code-node\.js:(\d+)/.exec(stack);
  else match = /\n\s+at [^\n]*?code-node\.js:(\d+):(\d+)/.exec(stack);
  if (match === null) return {};
  const lines = code.split('\n').length;
  const line = Math.min(Math.max(Number(match[1]) - 1, 1), lines);
  return match[2] === undefined ? { line } : { line, column: Number(match[2]) };
}

function failure(job: Job, code: string, name: string, message: string, stack: string): SandboxDoneMessage {
  return Object.assign({ type: 'done' as const, id: job.id, ok: false as const, name, message }, position(stack, code));
}

function execute(job: Job, code: string, data: string): SandboxDoneMessage {
  let script: Script;
  try {
    script = compile(code);
  } catch (error) {
    const thrown = error as { name?: unknown; message?: unknown; stack?: unknown };
    return failure(job, code, text(thrown.name) || 'SyntaxError', text(thrown.message), text(thrown.stack));
  }
  const prepared = spare !== null ? spare : makeContext();
  spare = null;
  const start = prepared.install(data, send);
  let value: unknown;
  let threw = false;
  try {
    value = script.runInContext(prepared.context);
  } catch (error) {
    // Whatever was thrown goes back into the context untouched.
    threw = true;
    value = error;
  }
  start(threw, value);
  DRAIN.runInContext(prepared.context);
  // Set by `send` while the context drained its microtasks: TypeScript cannot see that the calls above did it.
  const outcome = job.outcome as Outcome | null;
  if (outcome === null) {
    const message = job.importAttempted ? 'import() is not available in a code node' : 'The code awaited a promise that never settles';
    return { type: 'done', id: job.id, ok: false, name: 'Error', message };
  }
  if (outcome.ok) return outcome.json === undefined ? { type: 'done', id: job.id, ok: true } : { type: 'done', id: job.id, ok: true, json: outcome.json };
  return failure(job, code, outcome.name || 'Error', outcome.message, outcome.stack);
}

function handle(raw: unknown): void {
  if (raw === null || typeof raw !== 'object' || (raw as { type?: unknown }).type !== 'run') return;
  const message = raw as { id?: unknown; code?: unknown; data?: unknown };
  const job: Job = { id: message.id as number, outcome: null, logs: 0, importAttempted: false };
  let reply: SandboxDoneMessage;
  current = job;
  try {
    reply = execute(job, text(message.code), text(message.data));
  } catch (error) {
    reply = { type: 'done', id: job.id, ok: false, name: 'Error', message: 'The sandbox failed to run the code: ' + (error instanceof Error ? error.message : 'unknown error') };
  }
  current = null;
  post(reply);
  // Made after the reply, while the host has nothing for us: a context costs about 0.4 ms.
  if (spare === null) spare = makeContext();
}

spare = makeContext();
proc.on('message', handle);
proc.on('disconnect', () => proc.exit(0));
post({ type: 'ready' });
