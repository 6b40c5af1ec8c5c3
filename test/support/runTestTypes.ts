// Node types for engine run tests, shaped to make a run take a path on purpose: one that fails its first attempts
// (retries, error handling, resume) and one that never ends until its signal aborts (timeouts, cancel).

import { z } from 'zod';
import { defineNodeType, type NodeTypeDefinition } from '../../src/engine/nodes/nodeType';

/** Type `flaky`: fails its first `failures` attempts with "boom <attempt>", then outputs `{ attempt }`. `calls` counts its runs. */
export function flakyType(failures: number): NodeTypeDefinition & { calls: number } {
  const type = defineNodeType({
    type: 'flaky',
    title: 'test',
    description: 'test',
    configSchema: z.object({}).passthrough(),
    ports: ['out'],
    run: (ctx) => {
      type.calls++;
      if (type.calls <= failures) throw new Error(`boom ${ctx.attempt}`);
      return { output: { attempt: ctx.attempt } };
    },
  }) as NodeTypeDefinition & { calls: number };
  type.calls = 0;
  return type;
}

/** Type `hang`: waits until its signal aborts, then rejects with the reason; `seen.aborted` says it saw the abort. */
export function hangType(seen: { aborted: boolean } = { aborted: false }): NodeTypeDefinition {
  return defineNodeType({
    type: 'hang',
    title: 'test',
    description: 'test',
    configSchema: z.object({}).passthrough(),
    ports: ['out'],
    run: (ctx) =>
      new Promise((_, reject) => {
        ctx.signal.addEventListener('abort', () => {
          seen.aborted = true;
          reject(ctx.signal.reason);
        });
      }),
  });
}
