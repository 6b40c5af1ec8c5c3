// The messages between the code sandbox's host (codeSandbox.ts) and each child process (sandboxChild.ts), over
// the child's IPC channel. Types only: both sides import them, so `tsc` checks that they agree.

/** Host to child: run one code node's job. */
export interface SandboxRunMessage {
  type: 'run';
  id: number;
  /** The code node's function body, as the user wrote it. */
  code: string;
  /** JSON of the names the code sees (input, trigger, nodes, ...). */
  data: string;
}

/** Child to host. */
export type SandboxChildMessage =
  | { type: 'ready' }
  | { type: 'log'; id: number; level: 'info' | 'warn'; message: string }
  | { type: 'done'; id: number; ok: true; /** JSON of the returned value; absent for `undefined`. */ json?: string }
  | { type: 'done'; id: number; ok: false; name: string; message: string; /** 1-based, in the user's code. */ line?: number; column?: number };

/** A `done` reply. */
export type SandboxDoneMessage = Extract<SandboxChildMessage, { type: 'done' }>;
