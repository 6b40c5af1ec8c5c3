// The sandbox `code` nodes written in JSON run in: a small pool of child Node processes, each running one job
// at a time (see sandboxChild.ts for what happens inside one). A job that runs too long, is cancelled or
// runs out of memory ends its process; the pool starts another when it next needs one, and the host process
// only ever sees a rejected promise.
//
// Why processes and not worker_threads: with `resourceLimits`, ordinary code such as
// `const a = []; while (true) a.push(1)` or a growing Map or Set makes V8 fail an allocation outright
// ("FATAL ERROR: ... JavaScript heap out of memory"), and that aborts the whole process, host included;
// Node's heap-limit callback for workers only catches the gradual case. A child process takes the abort alone.

import { spawn, type ChildProcess } from 'node:child_process';
import { WeftError } from '../errors';
import { setLongTimeout, type LongTimer } from '../run/longTimer';
import type { CodeRequest } from '../nodes/nodeType';
import { SANDBOX_CHILD_SOURCE } from './sandboxChildSource';
import type { SandboxChildMessage, SandboxDoneMessage, SandboxRunMessage } from './sandboxMessages';

export interface CodeSandbox {
  /** Runs a code node's JavaScript; resolves with its returned value (JSON), rejects with a WeftError. */
  run(request: CodeRequest, signal: AbortSignal): Promise<unknown>;
  /** Ends every process; jobs still queued or running reject with `cancelled`. */
  close(): Promise<void>;
}

export interface CodeSandboxOptions {
  /** Most processes alive, and so jobs running, at once; later jobs wait in order. Default 2. */
  maxWorkers?: number;
  /** JS heap limit of each process, in MB, unless a request sets its own. Default 128. */
  memoryLimitMb?: number;
}

export const DEFAULT_SANDBOX_WORKERS = 2;
export const DEFAULT_SANDBOX_MEMORY_MB = 128;
const MIN_MEMORY_MB = 16;
const MAX_MEMORY_MB = 4096;
/** How much of a process's stderr is kept, to tell an out-of-memory abort from another death. */
const STDERR_TAIL_CHARS = 4096;
const OUT_OF_MEMORY = /heap out of memory|Allocation failed|invalid (array|table) (length|size)|invalid size error/i;

interface Job {
  id: number;
  request: CodeRequest;
  data: string;
  memoryLimitMb: number;
  /** Undefined: no sandbox timer (the caller's signal is the only stop). */
  timeoutMs: number | undefined;
  signal: AbortSignal;
  resolve(value: unknown): void;
  reject(error: unknown): void;
  onAbort(): void;
  timer: LongTimer | undefined;
  slot: Slot | undefined;
}

interface Slot {
  child: ChildProcess;
  memoryLimitMb: number;
  /** The child said `ready`: jobs can be posted. */
  ready: boolean;
  job: Job | undefined;
  /** Killed by the pool, or exited: never given a job again. */
  gone: boolean;
  stderrTail: string;
  closed: Promise<void>;
}

export function createCodeSandbox(options: CodeSandboxOptions = {}): CodeSandbox {
  return new ProcessPool(
    Math.max(1, Math.floor(options.maxWorkers ?? DEFAULT_SANDBOX_WORKERS)),
    clampMemory(options.memoryLimitMb ?? DEFAULT_SANDBOX_MEMORY_MB),
  );
}

class ProcessPool implements CodeSandbox {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private nextId = 1;
  private closed = false;

  constructor(
    private readonly maxWorkers: number,
    private readonly memoryLimitMb: number,
  ) {}

  run(request: CodeRequest, signal: AbortSignal): Promise<unknown> {
    if (this.closed) return Promise.reject(new WeftError('cancelled', 'The code sandbox is closed.'));
    if (signal.aborted) return Promise.reject(abortError(signal));
    let data: string;
    try {
      data = JSON.stringify(request.globals) ?? '{}';
    } catch (error) {
      return Promise.reject(
        new WeftError('sandbox-error', `The code node's input is not JSON: ${(error as Error).message}`, { cause: error }),
      );
    }
    return new Promise((resolve, reject) => {
      const job: Job = {
        id: this.nextId++,
        request,
        data,
        memoryLimitMb: clampMemory(request.memoryLimitMb ?? this.memoryLimitMb),
        timeoutMs: timerMs(request.timeoutMs),
        signal,
        resolve,
        reject,
        onAbort: () => this.abort(job),
        timer: undefined,
        slot: undefined,
      };
      signal.addEventListener('abort', job.onAbort, { once: true });
      this.queue.push(job);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.queue.splice(0)) this.settle(job, new WeftError('cancelled', 'The code sandbox was closed.'));
    const exits: Promise<void>[] = [];
    for (const slot of [...this.slots]) {
      if (slot.job) this.settle(slot.job, new WeftError('cancelled', 'The code sandbox was closed.'));
      // An idle process is unref'd; ref it so awaiting its exit keeps the event loop alive until it is gone.
      slot.child.ref();
      this.retire(slot);
      exits.push(slot.closed);
    }
    await Promise.all(exits);
  }

  /** Gives queued jobs to idle processes, starting processes while below the limit. Keeps queue order. */
  private pump(): void {
    while (this.queue.length > 0) {
      const job = this.queue[0];
      let slot: Slot | undefined;
      try {
        slot = this.slotFor(job.memoryLimitMb);
      } catch (error) {
        // spawn() can throw (out of file descriptors...). pump runs in event handlers: nothing may escape.
        this.queue.shift();
        this.settle(job, new WeftError('sandbox-error', `The code sandbox could not start: ${(error as Error).message}`, { cause: error, kind: 'operational' }));
        continue;
      }
      if (slot === undefined) return;
      this.queue.shift();
      slot.job = job;
      job.slot = slot;
      setRef(slot.child, true);
      if (slot.ready) this.dispatch(slot, job);
    }
  }

  private slotFor(memoryLimitMb: number): Slot | undefined {
    let idleOther: Slot | undefined;
    for (const slot of this.slots) {
      if (slot.job) continue;
      if (slot.memoryLimitMb === memoryLimitMb) return slot;
      idleOther ??= slot;
    }
    if (this.slots.length < this.maxWorkers) return this.spawn(memoryLimitMb);
    // All slots are taken but one idles with another memory limit: a limit is fixed at start, so replace it.
    if (idleOther) {
      this.retire(idleOther);
      return this.spawn(memoryLimitMb);
    }
    return undefined;
  }

  private spawn(memoryLimitMb: number): Slot {
    const child = spawn(process.execPath, [...childFlags(memoryLimitMb), '-e', SANDBOX_CHILD_SOURCE], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      // Nothing of the host's environment (secrets come from it in the CLI). ELECTRON_RUN_AS_NODE makes
      // VS Code's Electron binary behave as node; plain node ignores it.
      env: childEnv(),
      serialization: 'advanced',
      windowsHide: true,
    });
    let onClosed!: () => void;
    const slot: Slot = {
      child,
      memoryLimitMb,
      ready: false,
      job: undefined,
      gone: false,
      stderrTail: '',
      closed: new Promise<void>((resolve) => (onClosed = resolve)),
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      slot.stderrTail = (slot.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.on('message', (message: unknown) => this.onMessage(slot, message));
    child.on('error', (error) => this.onDeath(slot, error));
    // 'close' comes after stderr has ended, so the tail holds V8's out-of-memory message if there was one.
    child.on('close', (code, signal) => {
      this.onDeath(slot, undefined, code, signal);
      onClosed();
    });
    this.slots.push(slot);
    return slot;
  }

  private dispatch(slot: Slot, job: Job): void {
    const message: SandboxRunMessage = { type: 'run', id: job.id, code: job.request.code, data: job.data };
    try {
      slot.child.send(message);
    } catch (error) {
      this.retire(slot);
      this.settle(job, new WeftError('sandbox-error', 'The code sandbox could not be reached.', { cause: error, kind: 'operational' }));
      this.pump();
      return;
    }
    if (job.timeoutMs !== undefined) {
      const timeoutMs = job.timeoutMs;
      job.timer = setLongTimeout(() => {
        this.retire(slot);
        this.settle(
          job,
          new WeftError('sandbox-timeout', `Code ran longer than ${timeoutMs} ms and was stopped`, { details: { timeoutMs } }),
        );
        this.pump();
      }, timeoutMs);
    }
  }

  private onMessage(slot: Slot, raw: unknown): void {
    if (slot.gone || raw === null || typeof raw !== 'object') return;
    const message = raw as SandboxChildMessage;
    if (message.type === 'ready') {
      slot.ready = true;
      if (slot.job) this.dispatch(slot, slot.job);
      else setRef(slot.child, false);
      return;
    }
    const job = slot.job;
    if (job === undefined || message.id !== job.id) return;
    if (message.type === 'log') {
      if (typeof message.message !== 'string') return;
      try {
        job.request.log(message.level === 'warn' ? 'warn' : 'info', message.message);
      } catch {
        // A failing log sink must not fail the code.
      }
      return;
    }
    if (message.type !== 'done') return;
    slot.job = undefined;
    setRef(slot.child, false);
    if (!message.ok) this.settle(job, userError(message));
    else {
      try {
        this.settle(job, undefined, typeof message.json === 'string' ? JSON.parse(message.json) : undefined);
      } catch (error) {
        // Only a broken child sends bad JSON; an event handler that throws would take the host down.
        this.settle(job, new WeftError('sandbox-error', 'The code sandbox sent an unreadable result.', { cause: error, kind: 'operational' }));
      }
    }
    this.pump();
  }

  private onDeath(slot: Slot, error?: Error, code?: number | null, signal?: NodeJS.Signals | null): void {
    if (slot.gone) return;
    slot.gone = true;
    this.remove(slot);
    const job = slot.job;
    slot.job = undefined;
    if (job) this.settle(job, deathError(slot, error, code, signal));
    this.pump();
  }

  private abort(job: Job): void {
    const queued = this.queue.indexOf(job);
    if (queued !== -1) this.queue.splice(queued, 1);
    if (job.slot && job.slot.job === job) this.retire(job.slot);
    this.settle(job, abortError(job.signal));
    this.pump();
  }

  /** Takes a process out of the pool and kills it; whatever it runs is the caller's to settle. */
  private retire(slot: Slot): void {
    if (!slot.gone) {
      slot.gone = true;
      this.remove(slot);
    }
    slot.job = undefined;
    // SIGKILL: a job spinning in `while (true) {}` would not answer anything gentler.
    slot.child.kill('SIGKILL');
  }

  private remove(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index !== -1) this.slots.splice(index, 1);
  }

  /** Settles a job exactly once, releasing its timer and abort listener. */
  private settle(job: Job, error: unknown, value?: unknown): void {
    job.timer?.clear();
    job.timer = undefined;
    job.signal.removeEventListener('abort', job.onAbort);
    const { resolve, reject } = job;
    job.resolve = job.reject = () => {};
    if (error === undefined) resolve(value);
    else reject(error);
  }
}

/** Flags for the child: its heap limit, and hardening where this Node offers it. */
function childFlags(memoryLimitMb: number): string[] {
  const flags = [
    `--max-old-space-size=${memoryLimitMb}`,
    `--max-semi-space-size=${Math.max(1, Math.min(16, Math.floor(memoryLimitMb / 16)))}`,
    // Blocks eval and Function in every realm of the child, not only in the code's context.
    '--disallow-code-generation-from-strings',
  ];
  for (const flag of optionalFlags()) flags.push(flag);
  return flags;
}

let cachedOptionalFlags: string[] | undefined;

/** Node flags that differ between versions: asking for one Node does not know would stop the child starting. */
function optionalFlags(): string[] {
  if (cachedOptionalFlags) return cachedOptionalFlags;
  const known = process.allowedNodeEnvironmentFlags;
  const flags: string[] = [];
  // Lets the child refuse import() itself instead of Node refusing it with an error from outside the context.
  if (known.has('--experimental-vm-modules')) flags.push('--experimental-vm-modules');
  // Denies file system, child processes and workers to the whole child (Node 20: experimental).
  if (known.has('--permission')) flags.push('--permission');
  else if (known.has('--experimental-permission')) flags.push('--experimental-permission');
  if (known.has('--no-warnings')) flags.push('--no-warnings');
  cachedOptionalFlags = flags;
  return flags;
}

function childEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ELECTRON_RUN_AS_NODE: '1' };
  // Windows processes misbehave without SystemRoot.
  if (process.platform === 'win32' && process.env.SystemRoot) env.SystemRoot = process.env.SystemRoot;
  return env;
}

/** A busy child keeps the host alive; an idle one does not, so a CLI exits when its work is done. */
function setRef(child: ChildProcess, on: boolean): void {
  const handles: ({ ref?(): void; unref?(): void } | null | undefined)[] = [child, child.channel, child.stderr as never];
  for (const handle of handles) {
    if (on) handle?.ref?.();
    else handle?.unref?.();
  }
}

function clampMemory(mb: number): number {
  if (!Number.isFinite(mb)) return DEFAULT_SANDBOX_MEMORY_MB;
  return Math.min(MAX_MEMORY_MB, Math.max(MIN_MEMORY_MB, Math.floor(mb)));
}

function timerMs(timeoutMs: number): number | undefined {
  return Number.isFinite(timeoutMs) && timeoutMs > 0 ? Math.ceil(timeoutMs) : undefined;
}

function userError(message: Extract<SandboxDoneMessage, { ok: false }>): WeftError {
  const name = typeof message.name === 'string' && message.name !== '' ? message.name : 'Error';
  const text = typeof message.message === 'string' ? message.message : '';
  const line = typeof message.line === 'number' ? message.line : undefined;
  const column = typeof message.column === 'number' ? message.column : undefined;
  // The message is exactly what was thrown (a flow reads it as `input.error.message`); name and position have
  // fields of their own.
  return new WeftError('sandbox-error', text, {
    name,
    ...(line === undefined ? {} : { line }),
    ...(column === undefined ? {} : { column }),
    details: { name, message: text, ...(line === undefined ? {} : { line }), ...(column === undefined ? {} : { column }) },
  });
}

function deathError(slot: Slot, error: Error | undefined, code?: number | null, signal?: NodeJS.Signals | null): WeftError {
  if (OUT_OF_MEMORY.test(slot.stderrTail)) {
    return new WeftError('sandbox-memory', `Code used more than ${slot.memoryLimitMb} MB of memory and was stopped`, {
      details: { memoryLimitMb: slot.memoryLimitMb },
    });
  }
  const how = error ? error.message : signal ? `signal ${signal}` : `exit code ${code}`;
  const stderr = slot.stderrTail.trim();
  const message = slot.ready
    ? `The code sandbox stopped unexpectedly (${how})`
    : `The code sandbox could not start (${how})${stderr ? `: ${stderr.slice(-500)}` : ''}`;
  // The child died of something other than the code's memory: a fresh child may well succeed, so a retry may help.
  return new WeftError('sandbox-error', message, { cause: error, kind: 'operational', details: { exitCode: code, signal } });
}

function abortError(signal: AbortSignal): WeftError {
  // The engine aborts with its own WeftError on a timeout: keep it, so the node fails for the real reason.
  if (signal.reason instanceof WeftError) return signal.reason;
  return new WeftError('cancelled', 'The code node was cancelled', { cause: signal.reason });
}
