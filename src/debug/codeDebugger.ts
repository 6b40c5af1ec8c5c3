// The code half of debugging a `.flow.ts` (spec section 16): the flow's code functions and the workspace modules
// they import run in the adapter's own process, transpiled with inline source maps and compiled under their
// real file names (src/engine/load/moduleLoader.ts), so a JavaScript debugger attached to this process binds a
// breakpoint in `lib/helper.ts` to the code that runs. The adapter opens Node's inspector on loopback, tells
// its client where (custom event `weftCodeDebugger`), and waits before loading and running the flow until the
// client says its JavaScript debugger is attached (custom request `weftCodeDebuggerReady`), or a timeout
// passes: a client that attaches nothing costs a short wait, never a hung launch.

import inspector from 'node:inspector';

/** The body of the `weftCodeDebugger` event: where the Node inspector of the adapter's process listens. */
export interface WeftCodeDebuggerEventBody {
  host: string;
  port: number;
  /** The inspector's WebSocket URL (ws://127.0.0.1:PORT/UUID). */
  url: string;
}

const HOST = '127.0.0.1';

export class CodeDebugger {
  private opened = false;
  private markReady?: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.markReady = resolve));

  /** Opens the inspector on a free loopback port; undefined when it cannot (another inspector is active, say). */
  open(): WeftCodeDebuggerEventBody | undefined {
    let url = inspector.url();
    if (url === undefined) {
      try {
        inspector.open(0, HOST, false);
        this.opened = true;
      } catch {
        return undefined;
      }
      url = inspector.url();
    }
    if (url === undefined) return undefined;
    const port = Number(new URL(url).port);
    return { host: HOST, port, url };
  }

  /** The client's JavaScript debugger is attached (its breakpoints set): the run may go on. */
  ready(): void {
    this.markReady?.();
  }

  /** Resolves true once ready() is called, false after `timeoutMs` without it. */
  async waitUntilReady(timeoutMs: number): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
    try {
      return await Promise.race([this.readyPromise.then(() => true), timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Closes the inspector this opened: an attached debugger would otherwise hold the process at exit. */
  close(): void {
    if (!this.opened) return;
    this.opened = false;
    inspector.close();
  }
}
