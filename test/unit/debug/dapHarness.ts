// Drives a WeftDebugSession over DAP the way an editor does: an in-process session on a local socket (one
// session per connection), a DebugClient from @vscode/debugadapter-testsupport, and every event queued as it
// arrives, so a test waits for the event it expects and never misses one that came early.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { WeftDebugSession } from '../../../src/debug/weftDebugSession';

export const FIXTURES = resolve(__dirname, '../../fixtures/debug');
const EVENT_TYPES = ['stopped', 'terminated', 'exited', 'output', 'weftPaused', 'weftResumed', 'continued', 'initialized', 'weftCodeDebugger'];
/** Generous: the machine is shared; a slow answer is not a wrong one. */
const WAIT_MS = 60_000;

export class EventQueue {
  private readonly items = new Map<string, DebugProtocol.Event[]>();
  private readonly waiters = new Map<string, ((event: DebugProtocol.Event) => void)[]>();

  constructor(client: DebugClient) {
    for (const type of EVENT_TYPES) client.on(type, (event: DebugProtocol.Event) => this.push(type, event));
  }

  private push(type: string, event: DebugProtocol.Event): void {
    const waiting = this.waiters.get(type);
    if (waiting && waiting.length > 0) return waiting.shift()!(event);
    const list = this.items.get(type) ?? [];
    list.push(event);
    this.items.set(type, list);
  }

  next(type: string): Promise<DebugProtocol.Event> {
    const queued = this.items.get(type);
    if (queued && queued.length > 0) return Promise.resolve(queued.shift()!);
    return new Promise((resolveEvent, reject) => {
      const timer = setTimeout(() => reject(new Error(`no '${type}' event within ${WAIT_MS} ms`)), WAIT_MS);
      const list = this.waiters.get(type) ?? [];
      list.push((event) => {
        clearTimeout(timer);
        resolveEvent(event);
      });
      this.waiters.set(type, list);
    });
  }

  /** Output events received so far (their text). */
  outputs(): string[] {
    return (this.items.get('output') ?? []).map((e) => (e.body as { output: string }).output);
  }
}

export interface Harness {
  client: DebugClient;
  events: EventQueue;
  historyDir: string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const server: Server = createServer((socket) => {
    const session = new WeftDebugSession({ workspaceRoot: FIXTURES });
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const port = (server.address() as { port: number }).port;
  const client = new DebugClient('node', 'unused', 'weft');
  client.defaultTimeout = WAIT_MS;
  const events = new EventQueue(client);
  await client.start(port);
  const historyDir = mkdtempSync(join(tmpdir(), 'weft-dap-'));
  return {
    client,
    events,
    historyDir,
    async close() {
      await client.stop().catch(() => undefined);
      await new Promise<void>((closed) => server.close(() => closed()));
      rmSync(historyDir, { recursive: true, force: true });
    },
  };
}

/** The 1-based line of the first line of `file` holding `text`. */
export function lineOf(file: string, text: string): number {
  const lines = readFileSync(join(FIXTURES, file), 'utf8').split('\n');
  const index = lines.findIndex((line) => line.includes(text));
  if (index === -1) throw new Error(`${file} has no line with ${text}`);
  return index + 1;
}

export function fixture(file: string): string {
  return join(FIXTURES, file);
}

export interface LaunchOptions {
  flow: string;
  breakpoints?: { file: string; lines: DebugProtocol.SourceBreakpoint[] }[];
  exceptionFilters?: string[];
  [key: string]: unknown;
}

/** initialize, launch, breakpoints, configurationDone: in the order VS Code sends them. Resolves with the breakpoints' answers. */
export async function launch(h: Harness, options: LaunchOptions): Promise<DebugProtocol.Breakpoint[][]> {
  const { breakpoints = [], exceptionFilters = [], ...args } = options;
  await h.client.initializeRequest({ adapterID: 'weft', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const launched = h.client.launchRequest({ history: h.historyDir, ...args } as DebugProtocol.LaunchRequestArguments);
  await h.events.next('initialized');
  const answers: DebugProtocol.Breakpoint[][] = [];
  for (const bp of breakpoints) {
    const response = await h.client.setBreakpointsRequest({ source: { path: fixture(bp.file) }, breakpoints: bp.lines });
    answers.push(response.body.breakpoints);
  }
  await h.client.setExceptionBreakpointsRequest({ filters: exceptionFilters });
  await h.client.configurationDoneRequest();
  await launched;
  return answers;
}

export interface StopInfo {
  reason: string;
  nodeId: string;
  frames: DebugProtocol.StackFrame[];
  event: DebugProtocol.StoppedEvent;
}

/** Waits for the next stop and reads where it is. */
export async function nextStop(h: Harness): Promise<StopInfo> {
  const event = (await h.events.next('stopped')) as DebugProtocol.StoppedEvent;
  const trace = await h.client.stackTraceRequest({ threadId: event.body.threadId ?? 1 });
  const frames = trace.body.stackFrames;
  return { reason: event.body.reason, nodeId: frames[0]?.name ?? '', frames, event };
}

/** The variables of a scope of the top frame, by name. */
export async function scopeValues(h: Harness, frameId: number, scopeName: string): Promise<Record<string, DebugProtocol.Variable>> {
  const scopes = await h.client.scopesRequest({ frameId });
  const scope = scopes.body.scopes.find((s) => s.name === scopeName);
  if (!scope) throw new Error(`no scope ${scopeName}`);
  const variables = await h.client.variablesRequest({ variablesReference: scope.variablesReference });
  return Object.fromEntries(variables.body.variables.map((v) => [v.name, v]));
}
