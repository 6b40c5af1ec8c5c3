// The live monitor shows the watched server's open circuits: a real `weft serve` (startLiveServer, in process) whose
// flow calls a down upstream through a circuit breaker, the monitor connected to it with VS Code's API faked. A
// run opens the circuit: the status bar item appears (from the circuit.opened event); a monitor connecting later
// reads it from `/_weft/status`; once the upstream is back and a probe passes, circuit.closed hides it.

import { createServer, type Server } from 'node:http';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { HistoryStore } from '../../../../src/engine/history/historyStore';
import { startLiveServer, type LiveServer } from '../../../../src/live/liveServer';
import { makeWorkspace, waitFor } from '../../../integration/runCli';

interface FakeItem {
  id: string;
  text: string;
  tooltip?: string | { value: string };
  visible: boolean;
}

const fake = vi.hoisted(() => ({ items: [] as FakeItem[] }));

vi.mock('vscode', async () => {
  const { FakeFileUri: Uri } = await import('../../../support/fakeFileUri');
  const disposable = { dispose: () => undefined };
  return {
    Uri,
    StatusBarAlignment: { Left: 1 },
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    MarkdownString: class {
      constructor(readonly value: string) {}
    },
    window: {
      createStatusBarItem: (id: string) => {
        const item: FakeItem & { show(): void; hide(): void; dispose(): void } = {
          id,
          text: '',
          visible: false,
          show: () => (item.visible = true),
          hide: () => (item.visible = false),
          dispose: () => undefined,
        };
        fake.items.push(item);
        return item;
      },
    },
    workspace: {
      getConfiguration: () => ({ get: (_key: string, fallback?: unknown) => fallback }),
      onDidChangeConfiguration: () => disposable,
      findFiles: async () => [],
    },
  };
});

const { LiveMonitor } = await import('../../../../src/extension/liveMonitor/liveMonitor');

let workspace: { dir: string; remove: () => Promise<void> };
let history: HistoryStore;
let server: LiveServer;
let upstream: Server;
let upstreamHost: string;
let healthy = false;
const monitors: Array<{ dispose(): void }> = [];

beforeAll(async () => {
  upstream = createServer((_request, response) => {
    response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    response.end(healthy ? '{"ok":true}' : '{"error":"down"}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  upstreamHost = `127.0.0.1:${(upstream.address() as { port: number }).port}`;
  workspace = await makeWorkspace('monitor-circuits');
  const flows = join(workspace.dir, 'flows');
  await mkdir(flows, { recursive: true });
  const flow = {
    version: 1,
    id: 'orders',
    triggers: [{ type: 'webhook', path: 'orders', respond: 'ack' }],
    nodes: [{ id: 'call', type: 'http', config: { url: `http://${upstreamHost}/orders`, circuitBreaker: { failures: 1, cooldownMs: 1_000 } } }],
  };
  await writeFile(join(flows, 'orders.flow.json'), JSON.stringify(flow));
  history = HistoryStore.open({ dir: join(workspace.dir, '.weft') });
  server = await startLiveServer({ dir: flows, port: 0, history, rateLimit: 0 });
}, 60_000);

afterAll(async () => {
  for (const monitor of monitors) monitor.dispose();
  await server?.close({ graceMs: 1000, inFlight: 'cancel' });
  await history?.close();
  await new Promise((resolve) => upstream?.close(resolve));
  await workspace?.remove();
});

/** A monitor watching the server as the editor's own live mode, with everything but VS Code's API real. */
function monitor(): { item: () => FakeItem; dispose(): void } {
  const before = fake.items.length;
  const runs = { followServerRun: vi.fn(), serverRunEvents: vi.fn(), endServerRun: vi.fn(), activeRun: () => undefined, history: () => ({ get: async () => undefined }) };
  const live = { onDidChange: () => ({ dispose: () => undefined }), baseUrl: () => server.url, liveStatus: () => undefined, refreshStatus: async () => undefined };
  const secrets = { onDidChangeLiveServerToken: () => ({ dispose: () => undefined }), liveServerToken: async () => undefined };
  const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
  const created = new LiveMonitor(runs as never, live as never, secrets as never, {} as never, log as never, { fire: () => undefined });
  monitors.push(created);
  void created.reconfigure();
  const item = (): FakeItem => fake.items.slice(before).find((candidate) => candidate.id === 'weft.openCircuits')!;
  return { item, dispose: () => created.dispose() };
}

async function run(): Promise<string> {
  const response = await fetch(`${server.url}/_weft/runs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ flow: 'orders', input: {} }) });
  const { executionId } = (await response.json()) as { executionId: string };
  return waitFor(`run ${executionId} to end`, async () => {
    const record = (await (await fetch(`${server.url}/_weft/runs/${executionId}`)).json()) as { status?: string };
    return record.status && record.status !== 'running' ? record.status : undefined;
  }, 20_000);
}

const tooltipOf = (item: FakeItem): string => (typeof item.tooltip === 'string' ? item.tooltip : (item.tooltip?.value ?? ''));

describe('live monitor: open circuits', () => {
  it('shows a circuit a run opened, to a monitor watching and to one connecting later, and hides it once a probe closes it', async () => {
    // ARRANGE: a monitor connected to the server
    const watching = monitor();
    await waitFor('the monitor to connect', async () => (fake.items.find((item) => item.id === 'weft.liveConnection' && item.text.includes('Live'))?.text === '$(broadcast) Live' ? true : undefined), 20_000);
    expect(watching.item().visible).toBe(false);

    // ACT: a run fails on the down upstream, opening its circuit
    expect(await run()).toBe('failed');

    // ASSERT: shown from the event
    await waitFor('the open circuit to show', async () => (watching.item().visible ? true : undefined), 20_000);
    expect(watching.item().text).toBe('$(debug-disconnect) 1 circuit open');
    expect(tooltipOf(watching.item())).toContain(`http ${upstreamHost}: open after 1 failure within 60 s`);

    // ACT: a second monitor connects after the fact
    const later = monitor();

    // ASSERT: shown from /_weft/status
    await waitFor('the later monitor to show the circuit', async () => (later.item().visible ? true : undefined), 20_000);
    expect(tooltipOf(later.item())).toContain(`http ${upstreamHost}`);

    // ACT: the upstream is back; runs until the cooldown lets the probe through
    healthy = true;
    await waitFor('a run to pass through the probe', async () => ((await run()) === 'completed' ? true : undefined), 30_000);

    // ASSERT: closed for both monitors, from the circuit.closed event
    await waitFor('the circuit item to hide', async () => (!watching.item().visible && !later.item().visible ? true : undefined), 20_000);
  }, 90_000);
});
