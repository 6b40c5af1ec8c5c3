// Debugging a .flow.ts with its code (launch `debugCode`): `weft dap` (dist/weft.js; `node esbuild.mjs` first) as
// a real child process announces its Node inspector, waits for the client's JavaScript debugger, and a breakpoint
// set through the inspector protocol in the workspace helper's .ts file stops inside the helper, at the .ts line
// once the module's inline source map is applied, as VS Code's JavaScript debugger applies it.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { EventQueue, FIXTURES, fixture, lineOf } from './dapHarness';

const WEFT = resolve(__dirname, '../../../dist/weft.js');
const HELPER = fixture('lib/pricing.ts');

class StdioClient extends DebugClient {
  attachTo(child: ChildProcess): void {
    this.connect(child.stdout!, child.stdin!);
  }
}

/** A Chrome DevTools Protocol client over the inspector's WebSocket: commands by id, events queued by method. */
class CdpClient {
  private nextId = 1;
  private readonly pending = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();
  private readonly queued = new Map<string, unknown[]>();
  private readonly waiting = new Map<string, ((params: unknown) => void)[]>();
  readonly scripts = new Map<string, { url: string; sourceMapURL?: string }>();

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; method?: string; params?: unknown; result?: unknown; error?: { message: string } };
      if (message.id !== undefined) return this.pending.get(message.id)?.(message);
      if (message.method === 'Debugger.scriptParsed') {
        const script = message.params as { scriptId: string; url: string; sourceMapURL?: string };
        this.scripts.set(script.scriptId, script);
      }
      const waiter = this.waiting.get(message.method!)?.shift();
      if (waiter) waiter(message.params);
      else this.queued.set(message.method!, [...(this.queued.get(message.method!) ?? []), message.params]);
    });
  }

  static connect(url: string): Promise<CdpClient> {
    const socket = new WebSocket(url);
    return new Promise((ready, fail) => {
      socket.once('open', () => ready(new CdpClient(socket)));
      socket.once('error', fail);
    });
  }

  send<T>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    this.socket.send(JSON.stringify({ id, method, params }));
    return new Promise((answer, fail) =>
      this.pending.set(id, (message) => (message.error ? fail(new Error(`${method}: ${message.error.message}`)) : answer(message.result as T))),
    );
  }

  next<T>(method: string, timeoutMs = 60_000): Promise<T> {
    const queued = this.queued.get(method);
    if (queued && queued.length > 0) return Promise.resolve(queued.shift() as T);
    return new Promise((got, fail) => {
      const timer = setTimeout(() => fail(new Error(`no ${method} within ${timeoutMs} ms`)), timeoutMs);
      const waiter = (params: unknown): void => {
        clearTimeout(timer);
        got(params as T);
      };
      this.waiting.set(method, [...(this.waiting.get(method) ?? []), waiter]);
    });
  }

  close(): void {
    this.socket.close();
  }
}

interface Paused {
  callFrames: { functionName: string; location: { scriptId: string; lineNumber: number; columnNumber: number } }[];
}

/** The original (source-mapped) file and one-based line of a generated position, through the script's inline map. */
function originalPosition(script: { url: string; sourceMapURL?: string }, line: number, column: number): { file: string; line: number } {
  const mapUrl = script.sourceMapURL ?? '';
  expect(mapUrl.startsWith('data:application/json;base64,'), 'an inline source map').toBe(true);
  const payload = JSON.parse(Buffer.from(mapUrl.slice(mapUrl.indexOf(',') + 1), 'base64').toString('utf8')) as SourceMapPayload;
  const entry = new SourceMap(payload).findEntry(line, column) as { originalSource: string; originalLine: number };
  const scriptFile = script.url.startsWith('file:') ? fileURLToPath(script.url) : script.url;
  return { file: resolve(scriptFile, '..', entry.originalSource), line: entry.originalLine + 1 };
}

describe('weft dap: debugging a .flow.ts with its code', () => {
  let child: ChildProcess | undefined;
  let historyDir: string | undefined;
  let cdp: CdpClient | undefined;
  afterEach(() => {
    cdp?.close();
    if (child && child.exitCode === null) child.kill();
    if (historyDir) rmSync(historyDir, { recursive: true, force: true });
  });

  function start(): { client: StdioClient; events: EventQueue; exited: Promise<number | null> } {
    expect(existsSync(WEFT), 'build first: node esbuild.mjs').toBe(true);
    child = spawn(process.execPath, [WEFT, 'dap'], { cwd: FIXTURES, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child!.on('exit', (code) => done(code)));
    const client = new StdioClient('node', 'unused', 'weft');
    client.defaultTimeout = 60_000;
    const events = new EventQueue(client);
    client.attachTo(child);
    historyDir = mkdtempSync(join(tmpdir(), 'weft-dap-code-'));
    return { client, events, exited };
  }

  it('announces its inspector, waits for the JavaScript debugger, and stops at a breakpoint in the helper’s .ts source', async () => {
    const { client, events, exited } = start();
    await client.initializeRequest({ adapterID: 'weft', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    // The adapter waits for the ready request, however long a loaded machine takes to get there (default: 10 s).
    const launched = client.launchRequest({ flow: 'code-helper.flow.ts', debugCode: true, codeDebuggerTimeout: 120_000, history: historyDir } as DebugProtocol.LaunchRequestArguments);
    await events.next('initialized');
    await client.configurationDoneRequest();

    // The adapter says where its inspector listens, on loopback, and waits (the flow is not loaded yet).
    const announced = (await events.next('weftCodeDebugger')).body as { host: string; port: number; url: string };
    expect(announced.host).toBe('127.0.0.1');
    expect(announced.url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${announced.port}/`));

    cdp = await CdpClient.connect(announced.url);
    await cdp.send('Debugger.enable');
    const line = lineOf('lib/pricing.ts', 'total += line.price');
    // The helper is compiled under its own path (a file: URL or the path, as Node names CommonJS scripts).
    const escaped = HELPER.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const breakpoint = await cdp.send<{ breakpointId: string }>('Debugger.setBreakpointByUrl', { urlRegex: `^(file://)?${escaped}$`, lineNumber: line - 1 });
    expect(breakpoint.breakpointId).toBeTruthy();
    await client.customRequest('weftCodeDebuggerReady');

    // The run goes on and stops inside orderTotal, at the .ts line through the module's source map.
    const paused = await cdp.next<Paused>('Debugger.paused').catch((error: Error) => {
      throw new Error(`${error.message}; adapter said: ${events.outputs().join('')}`);
    });
    const top = paused.callFrames[0];
    expect(top.functionName).toBe('orderTotal');
    const script = cdp.scripts.get(top.location.scriptId)!;
    expect(originalPosition(script, top.location.lineNumber, top.location.columnNumber)).toEqual({ file: HELPER, line });
    // The flow's own frame is below it: from the graph into the code.
    expect(paused.callFrames.some((frame) => cdp!.scripts.get(frame.location.scriptId)?.url.endsWith('code-helper.flow.ts'))).toBe(true);

    await cdp.send('Debugger.removeBreakpoint', { breakpointId: breakpoint.breakpointId });
    await cdp.send('Debugger.resume');
    await launched;
    expect((await events.next('exited')).body.exitCode).toBe(0);
    await events.next('terminated');
    cdp.close();
    await client.disconnectRequest({});
    expect(await exited).toBe(0);
  });

  it('runs the flow without the code debugger when none attaches in time', async () => {
    const { client, events, exited } = start();
    await client.initializeRequest({ adapterID: 'weft', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    const launched = client.launchRequest({ flow: 'code-helper.flow.ts', debugCode: true, codeDebuggerTimeout: 100, history: historyDir } as DebugProtocol.LaunchRequestArguments);
    await events.next('initialized');
    await client.configurationDoneRequest();
    await events.next('weftCodeDebugger');
    await launched;
    expect((await events.next('exited')).body.exitCode).toBe(0);
    expect(events.outputs().join('')).toMatch(/No JavaScript debugger attached within 100 ms/);
    await client.disconnectRequest({});
    expect(await exited).toBe(0);
  });
});
