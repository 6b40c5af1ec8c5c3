// `npm run bench` (debugger part, issue 12): what the flow debugger costs and how fast it answers.
// - The engine's per-node cost on a 1,000-node chain with no debugger (the path every run takes) beside the same
//   run through a gate that never stops (the hook path a debug session adds), as a ratio.
// - Step response: a DAP `next` request to its `stopped` event, p50/p99 over a 1,000-node chain (target p99 < 50 ms).
// - Session start to the first stop (initialize … stopOnEntry's `stopped`), in a warm process (target < 500 ms),
//   and for a cold `weft dap` child process when dist/weft.js is next to this file.
// Prints; never fails on numbers.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { runFlow } from '../../src/api/runFlow';
import { WeftDebugSession } from '../../src/debug/weftDebugSession';
import { compileFlow } from '../../src/engine/model/compileFlow';
import type { CompiledFlow } from '../../src/engine/model/compiledFlow';
import type { DebugGate } from '../../src/engine/run/debugGate';
import type { EngineEvent } from '../../src/engine/run/events';
import { chainFlow } from './shapes';

const PASS_THROUGH: DebugGate = { beforeNode: () => ({ action: 'run' }), afterNode: () => false };

async function runOnce(flow: CompiledFlow, gate?: DebugGate): Promise<number> {
  const events: EngineEvent[] = [];
  const t0 = performance.now();
  const record = await runFlow(flow, { history: false, onEvent: (e) => events.push(e), debug: gate ? { gate, frames: [] } : undefined });
  const ms = performance.now() - t0;
  if (record.status !== 'completed') throw new Error(`bench run ${record.status}`);
  return ms;
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function hookCost(runs: number): Promise<void> {
  const shape = chainFlow(1000);
  const compiled = compileFlow(shape.definition);
  if (!compiled.flow) throw new Error('chain does not compile');
  const flow = compiled.flow;
  for (let i = 0; i < 3; i++) {
    await runOnce(flow);
    await runOnce(flow, PASS_THROUGH);
  }
  const without: number[] = [];
  const withGate: number[] = [];
  // Interleaved: both see the same load on a shared machine.
  for (let i = 0; i < runs; i++) {
    without.push(await runOnce(flow));
    withGate.push(await runOnce(flow, PASS_THROUGH));
  }
  const a = (quantile(without, 0.5) * 1000) / shape.executions;
  const b = (quantile(withGate, 0.5) * 1000) / shape.executions;
  console.log(`debug hook, chain 1,000: no debugger ${a.toFixed(2)} µs/node, through a gate that never stops ${b.toFixed(2)} µs/node, ratio ${(b / a).toFixed(2)}×`);
}

class Events {
  private readonly waiting = new Map<string, ((e: DebugProtocol.Event) => void)[]>();
  private readonly queued = new Map<string, DebugProtocol.Event[]>();
  constructor(client: DebugClient) {
    for (const type of ['stopped', 'terminated', 'initialized']) {
      client.on(type, (e: DebugProtocol.Event) => {
        const w = this.waiting.get(type);
        if (w && w.length > 0) return w.shift()!(e);
        this.queued.set(type, [...(this.queued.get(type) ?? []), e]);
      });
    }
  }
  next(type: string): Promise<DebugProtocol.Event> {
    const q = this.queued.get(type);
    if (q && q.length > 0) return Promise.resolve(q.shift()!);
    return new Promise((done) => this.waiting.set(type, [...(this.waiting.get(type) ?? []), done]));
  }
}

async function startToFirstStop(client: DebugClient, events: Events, flowFile: string, history: string): Promise<number> {
  const t0 = performance.now();
  await client.initializeRequest({ adapterID: 'weft', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
  const launched = client.launchRequest({ flow: flowFile, stopOnEntry: true, history } as DebugProtocol.LaunchRequestArguments);
  await events.next('initialized');
  await client.configurationDoneRequest();
  await launched;
  await events.next('stopped');
  return performance.now() - t0;
}

async function stepping(dir: string, flowFile: string, smallFlowFile: string, sessions: number): Promise<void> {
  const server = createServer((socket) => {
    // Small DAP messages on a local socket: Nagle's algorithm would add ~40 ms to each (stdio has no such delay).
    socket.setNoDelay(true);
    const session = new WeftDebugSession({ workspaceRoot: dir });
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const port = (server.address() as { port: number }).port;
  const starts: number[] = [];
  const steps: number[] = [];
  for (let s = 0; s < sessions; s++) {
    const client = new DebugClient('node', 'unused', 'weft');
    const events = new Events(client);
    await client.start(port);
    (client as unknown as { _socket?: { setNoDelay(on: boolean): void } })._socket?.setNoDelay(true);
    starts.push(await startToFirstStop(client, events, flowFile, join(dir, '.weft')));
    for (let i = 0; i < 999; i++) {
      const t0 = performance.now();
      await client.nextRequest({ threadId: 1 });
      await events.next('stopped');
      steps.push(performance.now() - t0);
    }
    await client.nextRequest({ threadId: 1 });
    await events.next('terminated');
    await client.stop();
  }
  const smallStarts: number[] = [];
  for (let s = 0; s < sessions * 3; s++) {
    const client = new DebugClient('node', 'unused', 'weft');
    const events = new Events(client);
    await client.start(port);
    (client as unknown as { _socket?: { setNoDelay(on: boolean): void } })._socket?.setNoDelay(true);
    smallStarts.push(await startToFirstStop(client, events, smallFlowFile, join(dir, '.weft')));
    await client.continueRequest({ threadId: 1 });
    await events.next('terminated');
    await client.stop();
  }
  server.close();
  console.log(`debug step response, chain 1,000 (next → stopped, ${steps.length} steps): p50 ${quantile(steps, 0.5).toFixed(2)} ms, p99 ${quantile(steps, 0.99).toFixed(2)} ms (target p99 < 50 ms)`);
  // The first session pays for loading code; the later ones are the warm adapter the target speaks of.
  const warm = starts.slice(1);
  // Most of it is compiling the 1,000-node flow (loadFlow), which every launch does.
  console.log(`debug session start to first stop, warm process, 5-node flow: median ${quantile(smallStarts, 0.5).toFixed(1)} ms (target < 500 ms)`);
  console.log(`debug session start to first stop, warm process, 1,000-node flow: median ${quantile(warm.length ? warm : starts, 0.5).toFixed(1)} ms, first ${starts[0].toFixed(1)} ms (target < 500 ms)`);
}

async function coldStart(dir: string, flowFile: string): Promise<void> {
  const weft = resolve(__dirname, 'weft.js');
  if (!existsSync(weft)) return;
  const t0 = performance.now();
  const child = spawn(process.execPath, [weft, 'dap'], { cwd: dir, stdio: ['pipe', 'pipe', 'ignore'] });
  class StdioClient extends DebugClient {
    attach(): void {
      this.connect(child.stdout, child.stdin);
    }
  }
  const client = new StdioClient('node', 'unused', 'weft');
  const events = new Events(client);
  client.attach();
  await startToFirstStop(client, events, flowFile, join(dir, '.weft'));
  const ms = performance.now() - t0;
  await client.disconnectRequest({});
  child.kill();
  console.log(`debug session start to first stop, cold \`weft dap\` process (spawn included): ${ms.toFixed(1)} ms`);
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  console.log(`Weft debugger benchmark · node ${process.version}\n`);
  await hookCost(quick ? 7 : 21);
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-debug-'));
  try {
    const flowFile = join(dir, 'chain.flow.json');
    writeFileSync(flowFile, JSON.stringify(chainFlow(1000).definition, null, 2));
    const smallFlowFile = join(dir, 'small.flow.json');
    writeFileSync(smallFlowFile, JSON.stringify(chainFlow(5).definition, null, 2));
    await stepping(dir, flowFile, smallFlowFile, quick ? 2 : 4);
    await coldStart(dir, flowFile);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
