// The VS Code side of debugging a .flow.ts with its code, against a stand-in for the debug API: the adapter's
// `weftCodeDebugger` event starts VS Code's JavaScript debugger attached to the announced port as a child of the
// Weft session, and the adapter is told `weftCodeDebuggerReady` only once js-debug's session for the process has
// its configuration (breakpoints) done; with no JavaScript debugger it is told at once, so the run never hangs.
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener<T> = (value: T) => void;
interface Tracker {
  onDidSendMessage(message: unknown): void;
}
const api = {
  custom: [] as Listener<unknown>[],
  trackerFactory: undefined as undefined | { createDebugAdapterTracker(session: unknown): Tracker },
  started: [] as { folder: unknown; config: Record<string, unknown>; options: Record<string, unknown> }[],
  startResult: true,
};

vi.mock('vscode', () => ({
  debug: {
    onDidReceiveDebugSessionCustomEvent: (l: Listener<unknown>) => (api.custom.push(l), { dispose: () => undefined }),
    registerDebugAdapterTrackerFactory: (_type: string, factory: typeof api.trackerFactory) => ((api.trackerFactory = factory), { dispose: () => undefined }),
    startDebugging: async (folder: unknown, config: Record<string, unknown>, options: Record<string, unknown>) => (api.started.push({ folder, config, options }), api.startResult),
  },
}));

const { CodeDebugSessions } = await import('../../../../src/extension/debug/codeDebugSessions');

const requests: string[] = [];
const flowSession = { id: 'weft-1', type: 'weft', name: 'Debug order.flow.ts', workspaceFolder: { name: 'w' }, configuration: {}, customRequest: async (command: string) => void requests.push(command) };

function adapterSays(event: string, body: unknown): void {
  for (const l of api.custom) l({ session: flowSession, event, body });
}

/** What js-debug does: its own session for the process, under the code session, answers configurationDone. */
function jsDebugTargetConfigured(codeSessionConfig: Record<string, unknown>): void {
  const target = { parentSession: { configuration: codeSessionConfig, parentSession: flowSession } };
  api.trackerFactory!.createDebugAdapterTracker(target).onDidSendMessage({ type: 'response', command: 'configurationDone', success: true });
}

beforeEach(() => {
  api.custom.length = 0;
  api.started.length = 0;
  api.startResult = true;
  requests.length = 0;
});

describe('the JavaScript debugger for a .flow.ts’s code', () => {
  it('attaches to the announced inspector as a child of the Weft session, then tells the adapter it is ready', async () => {
    // ARRANGE
    const sessions = new CodeDebugSessions('/ext/dist');
    // ACT
    adapterSays('weftCodeDebugger', { host: '127.0.0.1', port: 9231, url: 'ws://127.0.0.1:9231/abc' });
    // ASSERT: js-debug attaches, the engine's own code skipped, its lifetime the Weft session's
    await vi.waitFor(() => expect(api.started).toHaveLength(1));
    const { folder, config, options } = api.started[0];
    expect(folder).toBe(flowSession.workspaceFolder);
    expect(config).toMatchObject({ type: 'pwa-node', request: 'attach', address: '127.0.0.1', port: 9231, skipFiles: ['<node_internals>/**', '/ext/dist/**'] });
    expect(options).toEqual({ parentSession: flowSession, lifecycleManagedByParent: true, compact: true });
    // Not ready while js-debug has not set its breakpoints in the process.
    await new Promise((flushed) => setImmediate(flushed)); // every promise already settled has run its callbacks
    expect(requests).toEqual([]);
    // ACT 2: js-debug's session for the process is configured
    jsDebugTargetConfigured(config);
    // ASSERT 2
    await vi.waitFor(() => expect(requests).toEqual(['weftCodeDebuggerReady']));
    sessions.dispose();
  });

  it('tells the adapter at once when no JavaScript debugger starts, and ignores an event without a port', async () => {
    const sessions = new CodeDebugSessions('/ext/dist');
    adapterSays('weftCodeDebugger', { host: '127.0.0.1' });
    expect(api.started).toEqual([]);
    api.startResult = false;
    adapterSays('weftCodeDebugger', { host: '127.0.0.1', port: 9232 });
    await vi.waitFor(() => expect(requests).toEqual(['weftCodeDebuggerReady']));
    sessions.dispose();
  });
});
