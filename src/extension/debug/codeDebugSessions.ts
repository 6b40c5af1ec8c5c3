// Debugging a `.flow.ts` with its code (spec section 16): the Weft adapter opens the Node inspector of its own
// process, where the flow's code functions and the workspace modules they import run, and announces it with the
// custom event `weftCodeDebugger`. This attaches VS Code's JavaScript debugger (js-debug, built in) to it as a
// child session of the Weft session (one session in the call stack, ended with it), then answers
// `weftCodeDebuggerReady` so the adapter loads and runs the flow. A breakpoint in `lib/helper.ts` then stops in
// the helper's source, through the module's inline source map; continue goes back to the graph.
//
// "Ready" is when js-debug's session for the process has its configuration done (its breakpoints sent): js-debug
// attaches through a session of its own under the one started here, seen through a debug adapter tracker. When
// that never shows (no js-debug, an attach that fails), the adapter is told after a short wait anyway: the run
// goes on without code breakpoints rather than hang. Loaded at activation (cheap: no engine).

import * as vscode from 'vscode';
import { WEFT_DEBUG_TYPE } from './debugPauses';

/** The type js-debug registers for Node; 'node' is its alias when the legacy debugger is gone. */
export const JS_DEBUG_TYPE = 'pwa-node';
const READY_REQUEST = 'weftCodeDebuggerReady';
/** How long to wait for js-debug's own session to be configured; the adapter waits 10 s at most itself. */
const CONFIGURED_WAIT_MS = 8_000;
const MARKER = '__weftFlowSession';

/** The body of the adapter's `weftCodeDebugger` event (src/debug/codeDebugger.ts), checked: it comes from another process. */
export function inspectorFromEvent(body: unknown): { host: string; port: number } | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { host, port } = body as Record<string, unknown>;
  if (typeof port !== 'number' || !Number.isInteger(port) || port <= 0) return undefined;
  return { host: typeof host === 'string' && host !== '' ? host : '127.0.0.1', port };
}

/** The attach configuration of the code session: the adapter's own engine code (dist/) is skipped when stepping. */
export function codeAttachConfiguration(
  flowSession: { id: string; name: string },
  inspector: { host: string; port: number },
  extensionDist: string,
): vscode.DebugConfiguration {
  return {
    type: JS_DEBUG_TYPE,
    request: 'attach',
    name: 'Weft: flow code',
    address: inspector.host,
    port: inspector.port,
    // The engine's and Node's frames stay out of the way: step out of a helper goes back to the flow's code.
    skipFiles: ['<node_internals>/**', `${extensionDist}/**`],
    sourceMaps: true,
    // The flow may sit outside the workspace folder (js-debug's default); its modules' maps are inline.
    resolveSourceMapLocations: ['**', '!**/node_modules/**'],
    // The sandbox's child processes run .flow.json code, not the workspace's TypeScript.
    autoAttachChildProcesses: false,
    [MARKER]: flowSession.id,
  };
}

export class CodeDebugSessions implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  /** Weft session id → resolves when js-debug's session under its code session is configured. */
  private readonly configured = new Map<string, () => void>();

  constructor(private readonly extensionDist: string) {
    this.disposables.push(
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.type !== WEFT_DEBUG_TYPE || event.event !== 'weftCodeDebugger') return;
        const inspector = inspectorFromEvent(event.body);
        if (inspector) void this.attach(event.session, inspector);
      }),
      vscode.debug.registerDebugAdapterTrackerFactory(JS_DEBUG_TYPE, {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: { type?: string; command?: string }) => {
            if (message.type !== 'response' || message.command !== 'configurationDone') return;
            const flowSessionId = this.flowSessionOf(session);
            if (flowSessionId !== undefined) this.configured.get(flowSessionId)?.();
          },
        }),
      }),
    );
  }

  private async attach(flowSession: vscode.DebugSession, inspector: { host: string; port: number }): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const configured = new Promise<void>((resolve) => {
      this.configured.set(flowSession.id, resolve);
      timer = setTimeout(resolve, CONFIGURED_WAIT_MS);
    });
    try {
      const started = await vscode.debug.startDebugging(
        flowSession.workspaceFolder,
        codeAttachConfiguration(flowSession, inspector, this.extensionDist),
        { parentSession: flowSession, lifecycleManagedByParent: true, compact: true },
      );
      if (started) await configured;
    } catch {
      // No JavaScript debugger: the flow runs without code breakpoints.
    } finally {
      clearTimeout(timer);
      this.configured.delete(flowSession.id);
      await Promise.resolve(flowSession.customRequest(READY_REQUEST)).catch(() => undefined);
    }
  }

  /**
   * The Weft session a js-debug session serves: js-debug attaches to the process through a session of its own
   * under the code session started here, so the one whose configuration counts is below it, not the code session.
   */
  private flowSessionOf(session: vscode.DebugSession): string | undefined {
    for (let parent = session.parentSession; parent !== undefined; parent = parent.parentSession) {
      const marker = (parent.configuration as Record<string, unknown>)[MARKER];
      if (typeof marker === 'string') return marker;
    }
    return undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
