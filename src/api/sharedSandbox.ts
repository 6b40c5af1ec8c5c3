// One code sandbox per process, started on first use: its worker threads are reused across runs and
// unref'd when idle, so a CLI process still exits.

import { createCodeSandbox, type CodeSandbox } from '../engine/sandbox/codeSandbox';

let sandbox: CodeSandbox | undefined;

export function sharedCodeSandbox(): CodeSandbox {
  sandbox ??= createCodeSandbox();
  return sandbox;
}

export async function closeSharedCodeSandbox(): Promise<void> {
  const current = sandbox;
  sandbox = undefined;
  await current?.close();
}
