// A flow whose subflow chain comes back to itself (a -> a, or a -> b -> a). It can be meant (a recursion behind an
// `if` that stops it), so it is a warning, `recursive-subflow`, on the subflow node's `flow`; at run time a chain
// deeper than MAX_SUBFLOW_DEPTH fails with `subflow-depth` (src/engine/nodes/subflow.ts), so a recursion that
// never stops ends with a clear error instead of eating memory.
//
// The other files are read as data (`.flow.json` only: a `.flow.ts` would have to be executed to be read, so the
// chain is not followed through one), at most MAX_FILES_FOLLOWED of them per compile.

import { basename, dirname, resolve } from 'node:path';
import { readSourceFile } from '../load/readSourceFile';
import { MAX_SUBFLOW_DEPTH } from '../nodes/subflow';
import type { CompileContext } from './compileContext';
import { parseJsonSource } from './jsonSource';
import type { JsonPath } from '../../shared/jsonPath';
import { isPlainObject } from '../../shared/isPlainObject';
import { flowFileKind } from '../../shared/flowFiles';

const MAX_FILES_FOLLOWED = 200;

/** A flow file's definition as plain data, or undefined when it cannot be read that way. */
export type ReadFlowDefinition = (file: string) => unknown;

interface SubflowCall {
  /** Path of the node's `config.flow`. */
  path: JsonPath;
  /** Absolute path of the flow it runs. */
  target: string;
}

/** Warns on every subflow node of the flow in `file` whose chain of subflows leads back to `file`. */
export function checkSubflowRecursion(ctx: CompileContext, definition: unknown, file: string, read: ReadFlowDefinition = readFlowJson): void {
  const self = resolve(file);
  const callsOf = new Map<string, string[]>();
  const targetsOf = (flowFile: string): string[] => {
    let targets = callsOf.get(flowFile);
    if (targets === undefined) {
      targets = callsOf.size < MAX_FILES_FOLLOWED ? subflowCalls(read(flowFile), flowFile).map((c) => c.target) : [];
      callsOf.set(flowFile, targets);
    }
    return targets;
  };
  for (const call of subflowCalls(definition, self)) {
    const chain = chainBackTo(self, call.target, targetsOf);
    if (chain === undefined) continue;
    const shown = [self, ...chain].map((f) => basename(f)).join(' → ');
    ctx.report(
      'recursive-subflow',
      'warning',
      `This subflow leads back to this flow (${shown}): unless a condition stops the recursion, a run fails when subflows nest ${MAX_SUBFLOW_DEPTH} deep`,
      call.path,
      { data: { chain: [self, ...chain] } },
    );
  }
}

/** The files from `start` to `goal` along subflow calls (both included), breadth-first (the shortest); undefined if none. */
function chainBackTo(goal: string, start: string, targetsOf: (file: string) => string[]): string[] | undefined {
  const previous = new Map<string, string | undefined>([[start, undefined]]);
  const queue = [start];
  for (let i = 0; i < queue.length; i++) {
    const current = queue[i];
    if (current === goal) {
      const chain: string[] = [];
      for (let at: string | undefined = current; at !== undefined; at = previous.get(at)) chain.unshift(at);
      return chain;
    }
    for (const next of targetsOf(current)) {
      if (previous.has(next)) continue;
      previous.set(next, current);
      queue.push(next);
    }
  }
  return undefined;
}

/** The subflow nodes of a definition, loop bodies included, whose `flow` is a plain path (not a template). */
function subflowCalls(definition: unknown, file: string): SubflowCall[] {
  const calls: SubflowCall[] = [];
  const walk = (nodes: unknown, base: JsonPath): void => {
    if (!Array.isArray(nodes)) return;
    nodes.forEach((node: unknown, i) => {
      if (!isPlainObject(node) || !isPlainObject(node.config)) return;
      const config = node.config;
      if (node.type === 'subflow' && typeof config.flow === 'string' && config.flow !== '' && !config.flow.includes('{{')) {
        calls.push({ path: [...base, i, 'config', 'flow'], target: resolve(dirname(file), config.flow) });
      }
      if (isPlainObject(config.body)) walk(config.body.nodes, [...base, i, 'config', 'body', 'nodes']);
    });
  };
  if (isPlainObject(definition)) walk(definition.nodes, ['nodes']);
  return calls;
}

/** A `.flow.json` file's value; undefined for anything else or anything unreadable (its own compile reports that). */
function readFlowJson(file: string): unknown {
  if (flowFileKind(file) !== 'json') return undefined;
  try {
    const json = parseJsonSource(readSourceFile(file), file);
    return json.errors.length > 0 ? undefined : json.value;
  } catch {
    return undefined;
  }
}
