// The run's output when the flow gives no `output` template (spec section 2): the output of the only
// completed sink node; with several, an object keyed by their ids; with none, undefined.

import type { CompiledGraph } from '../model/compiledFlow';

export function defaultOutput(graph: CompiledGraph, isCompleted: (index: number) => boolean, outputOf: (index: number) => unknown): unknown {
  let only: unknown;
  let count = 0;
  let several: Record<string, unknown> | undefined;
  for (const sink of graph.sinks) {
    if (!isCompleted(sink.index)) continue;
    count++;
    if (count === 1) {
      only = outputOf(sink.index);
      continue;
    }
    if (!several) several = { [graph.sinks.find((s) => isCompleted(s.index))!.id]: only };
    several[sink.id] = outputOf(sink.index);
  }
  return count > 1 ? several : only;
}
