// A three-node chain (a → b → c of transforms, manual trigger), id `steps`: 8 events per run (execution.started,
// node.started and node.completed for each node, execution.completed). The event-stream tests and benchmark use it.

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const STEPS_FLOW_EVENTS = 8;

export function transformNode(id: string, output: unknown): object {
  return { id, type: 'transform', config: { output } };
}

/** Writes `steps.flow.json` into `dir`. */
export async function writeStepsFlow(dir: string): Promise<void> {
  await writeFile(
    join(dir, 'steps.flow.json'),
    JSON.stringify({
      version: 1,
      id: 'steps',
      triggers: [{ type: 'manual' }],
      nodes: [transformNode('a', { n: '{{ trigger.n }}' }), transformNode('b', '{{ input }}'), transformNode('c', '{{ input }}')],
      edges: [{ from: 'a', to: 'b' }, { from: 'b', to: 'c' }],
    }),
  );
}
