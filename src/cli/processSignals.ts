// What the long-running commands (`weft serve`, `weft worker`) share about their process.

import { relative } from 'node:path';

/** Resolves at the first SIGINT or SIGTERM (Ctrl+C, `kill`, a container stopping), then stops listening. */
export function untilSignalled(): Promise<void> {
  return new Promise((resolvePromise) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolvePromise();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** A path as the user would type it from here. */
export function shown(path: string): string {
  return relative(process.cwd(), path) || '.';
}
