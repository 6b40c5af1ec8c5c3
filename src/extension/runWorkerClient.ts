// The extension host's side of the run worker: starts the child process on first use and keeps it warm, sends
// requests, routes replies, and kills the process when a cancelled run does not stop within a second (a node
// spinning in a .flow.ts function cannot be interrupted any other way). Knows nothing of VS Code.

import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { isWeftErrorCode, WeftError, type WeftErrorCode } from '../engine/errors';
import type { Diagnostic } from '../engine/model/diagnostics';
import type { EngineEvent } from '../engine/run/events';
import type { RunRecord } from '../engine/run/runRecord';
import type { SingleNodeResult } from '../engine/run/runSingleNode';
import {
  parseWorkerMessage,
  type CompileRequest,
  type RunRequest,
  type TestNodeRequest,
  type TestRequest,
  type WorkerTestResult,
  type WorkerToHost,
} from '../protocol/runWorkerProtocol';

export const CANCEL_GRACE_MS = 1000;

type Compiled = Extract<WorkerToHost, { kind: 'compiled' }>;

interface Pending {
  onEvents?: (events: EngineEvent[]) => void;
  resolve: (message: WorkerToHost) => void;
  reject: (error: Error) => void;
}

/**
 * A request the run worker did not answer with a result: the worker's own error with its code (a bad input, a
 * flow that does not compile), or `run-worker` when the process went away, `cancelled` when it was killed.
 */
export class RunWorkerError extends WeftError {
  constructor(code: WeftErrorCode, message: string, diagnostics?: Diagnostic[]) {
    super(code, message, { name: 'RunWorkerError', ...(diagnostics ? { diagnostics } : {}) });
  }
}

/** The error for a worker's `failed` reply; a code this build does not know (an older worker?) is a `run-worker` error. */
function workerFailure(error: { message: string; code?: string; diagnostics?: Diagnostic[] }): RunWorkerError {
  return new RunWorkerError(isWeftErrorCode(error.code) ? error.code : 'run-worker', error.message, error.diagnostics);
}

export class RunWorkerClient {
  private child: ChildProcess | undefined;
  private readonly pending = new Map<string, Pending>();
  private nextId = 0;

  constructor(
    private readonly workerScript: string = join(__dirname, 'runWorker.js'),
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** Starts the worker now, so the first run does not pay for it. */
  warmUp(): void {
    this.ensureChild();
  }

  run(request: Omit<RunRequest, 'kind' | 'requestId'>, onEvents: (events: EngineEvent[]) => void): { requestId: string; done: Promise<RunRecord> } {
    const requestId = this.newId();
    const done = this.request({ kind: 'run', requestId, ...request }, onEvents).then((reply) => {
      if (reply.kind === 'runDone') return reply.record;
      throw unexpected(reply);
    });
    return { requestId, done };
  }

  test(request: Omit<TestRequest, 'kind' | 'requestId'>): { requestId: string; done: Promise<WorkerTestResult[]> } {
    const requestId = this.newId();
    const done = this.request({ kind: 'test', requestId, ...request }).then((reply) => {
      if (reply.kind === 'testsDone') return reply.results;
      throw unexpected(reply);
    });
    return { requestId, done };
  }

  /** Runs one node of a flow alone (Test this node), in the worker as runs are. */
  testNode(request: Omit<TestNodeRequest, 'kind' | 'requestId'>): { requestId: string; done: Promise<SingleNodeResult> } {
    const requestId = this.newId();
    const done = this.request({ kind: 'testNode', requestId, ...request }).then((reply) => {
      if (reply.kind === 'nodeTested') return reply.result;
      throw unexpected(reply);
    });
    return { requestId, done };
  }

  /** Compiles a flow file; with `graph`, the reply carries its canvas graph too. */
  compile(file: string, options: { graph?: boolean } = {}): Promise<Compiled> {
    const request: CompileRequest = { kind: 'compile', requestId: this.newId(), file, ...(options.graph ? { graph: true } : {}) };
    return this.request(request).then((reply) => {
      if (reply.kind === 'compiled') return reply;
      throw unexpected(reply);
    });
  }

  /**
   * Asks the worker to cancel; if the request is still going after the grace period, kills the worker (every
   * request in it fails with a `cancelled` error) and resolves with false.
   */
  async cancel(requestId: string, graceMs = CANCEL_GRACE_MS): Promise<boolean> {
    const entry = this.pending.get(requestId);
    if (!entry || !this.child) return true;
    this.child.send({ kind: 'cancel', requestId });
    const settled = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), graceMs);
      const { resolve: onReply, reject: onFailure } = entry;
      entry.resolve = (message) => {
        clearTimeout(timer);
        onReply(message);
        resolve(true);
      };
      entry.reject = (error) => {
        clearTimeout(timer);
        onFailure(error);
        resolve(true);
      };
    });
    if (!settled) this.kill('The run did not stop within a second of Cancel, so its worker process was stopped.');
    return settled;
  }

  dispose(): void {
    this.kill('The extension is shutting down.');
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  private request(message: RunRequest | TestRequest | CompileRequest | TestNodeRequest, onEvents?: (events: EngineEvent[]) => void): Promise<WorkerToHost> {
    const child = this.ensureChild();
    return new Promise<WorkerToHost>((resolve, reject) => {
      this.pending.set(message.requestId, { onEvents, resolve, reject });
      child.send(message);
    });
  }

  private ensureChild(): ChildProcess {
    if (this.child && this.child.connected) return this.child;
    // ELECTRON_RUN_AS_NODE: in desktop VS Code process.execPath is Electron; this makes it plain Node.
    const child = fork(this.workerScript, [], {
      env: { ...this.env, ELECTRON_RUN_AS_NODE: '1' },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    child.stderr?.on('data', () => undefined);
    child.on('message', (raw) => this.onMessage(raw));
    child.on('exit', (code, signal) => {
      // A worker we killed has already failed its requests; the requests pending now belong to its successor.
      if (this.child !== child) return;
      this.child = undefined;
      this.failAll(new RunWorkerError('run-worker', `The run worker exited (${signal ?? `code ${code}`}).`));
    });
    this.child = child;
    return child;
  }

  private onMessage(raw: unknown): void {
    const message = parseWorkerMessage(raw);
    if (!message || message.kind === 'ready') return;
    const entry = this.pending.get(message.requestId);
    if (!entry) return;
    if (message.kind === 'events') {
      entry.onEvents?.(message.events);
      return;
    }
    this.pending.delete(message.requestId);
    if (message.kind === 'failed') entry.reject(workerFailure(message.error));
    else entry.resolve(message);
  }

  private kill(reason: string): void {
    const child = this.child;
    this.child = undefined;
    this.failAll(new RunWorkerError('cancelled', reason));
    child?.kill('SIGKILL');
  }

  private failAll(error: RunWorkerError): void {
    const entries = [...this.pending.values()];
    this.pending.clear();
    for (const entry of entries) entry.reject(error);
  }

  private newId(): string {
    return `r${++this.nextId}`;
  }
}

function unexpected(reply: WorkerToHost): Error {
  return new RunWorkerError('internal', `Unexpected reply from the run worker: ${reply.kind}`);
}
