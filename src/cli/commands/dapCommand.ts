// `weft dap`: the flow debugger as a Debug Adapter Protocol server over stdio (spec section 16), for VS Code
// (a debug adapter executable, so the engine runs off the extension host's thread) and any other DAP client.
// stdout carries the protocol only: nothing else may write there while it runs.

import { WeftDebugSession } from '../../debug/weftDebugSession';
import { EXIT_OK } from '../cliTypes';

export function dapCommand(): Promise<number> {
  return new Promise((resolve) => {
    const end = (): void => {
      // The client is gone: stop reading, so the process can exit.
      process.stdin.destroy();
      resolve(EXIT_OK);
    };
    const session = new WeftDebugSession({ workspaceRoot: process.cwd(), onShutdown: end });
    process.stdin.on('end', end);
    session.start(process.stdin, process.stdout);
  });
}
