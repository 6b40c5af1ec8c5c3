// `weft dap`: the built command (dist/weft.js, which loads dist/cli.js; `node esbuild.mjs` first) as a real
// child process speaking DAP over its stdin and stdout, the way VS Code and other editors start it.

import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { afterEach, describe, expect, it } from 'vitest';
import { EventQueue, FIXTURES, launch, lineOf, nextStop, type Harness } from './dapHarness';
import { tmpdir } from 'node:os';

const WEFT = resolve(__dirname, '../../../dist/weft.js');

class StdioClient extends DebugClient {
  attachTo(child: ChildProcess): void {
    this.connect(child.stdout!, child.stdin!);
  }
}

describe('weft dap over stdio', () => {
  let child: ChildProcess | undefined;
  let historyDir: string | undefined;
  afterEach(() => {
    if (child && child.exitCode === null) child.kill();
    if (historyDir) rmSync(historyDir, { recursive: true, force: true });
  });

  it('stops at a breakpoint, continues to the end, and exits on disconnect', async () => {
    expect(existsSync(WEFT), 'build first: node esbuild.mjs').toBe(true);
    child = spawn(process.execPath, [WEFT, 'dap'], { cwd: FIXTURES, stdio: ['pipe', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((done) => child!.on('exit', (code) => done(code)));
    const client = new StdioClient('node', 'unused', 'weft');
    client.defaultTimeout = 60_000;
    const events = new EventQueue(client);
    client.attachTo(child);
    historyDir = mkdtempSync(join(tmpdir(), 'weft-dap-stdio-'));
    const h: Harness = { client, events, historyDir, close: async () => undefined };

    await launch(h, { flow: 'branching.flow.json', input: { n: 20 }, breakpoints: [{ file: 'branching.flow.json', lines: [{ line: lineOf('branching.flow.json', '"id": "check"') }] }] });
    const stop = await nextStop(h);
    expect([stop.reason, stop.nodeId]).toEqual(['breakpoint', 'check']);
    await client.nextRequest({ threadId: 1 });
    expect((await nextStop(h)).nodeId).toBe('big');
    await client.continueRequest({ threadId: 1 });
    const exitedEvent = await events.next('exited');
    expect(exitedEvent.body.exitCode).toBe(0);
    await events.next('terminated');
    await client.disconnectRequest({});
    expect(await exited).toBe(0);
  });
});
