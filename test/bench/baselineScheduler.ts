// The yardstick: a minimal scheduler written by hand, as a person would to run a DAG of async functions
// once: nodes in topological order, each an awaited async function with a timeout, no events, no record.

import type { FlowShape } from './shapes';

async function work(input: unknown): Promise<unknown> {
  return input;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('timeout')), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/** `onStart` is the yardstick's first event: called as the first node starts (the bench's first-event latency). */
export async function baselineRun(shape: FlowShape, onStart?: () => void): Promise<unknown[]> {
  const outputs = new Array<unknown>(shape.nodes.length);
  onStart?.();
  for (let i = 0; i < shape.nodes.length; i++) {
    const deps = shape.nodes[i].deps;
    const input = deps.length === 0 ? {} : deps.length === 1 ? outputs[deps[0]] : Object.assign({}, ...deps.map((d) => outputs[d]));
    if (shape.loopItems !== undefined && i === shape.nodes.length - 1) {
      const results: unknown[] = [];
      for (let item = 0; item < shape.loopItems; item++) results.push(await withTimeout(work({ n: item }), 30_000));
      outputs[i] = results;
      continue;
    }
    outputs[i] = await withTimeout(work(input), 30_000);
  }
  return outputs;
}
