// A `subflow` node's output type: the output type of the flow file it runs, found by compiling that file (a
// `.flow.json`, relative to the parent; a `.flow.ts` would have to be executed to be read, so it stays unknown).
//
// The editor compiles on every keystroke, so results are cached by file. An entry remembers every file it was
// built from (the child and, through it, its own subflows) with their modification time and size, and is used
// only while none of them changed. A chain that comes back to a file being typed (a -> b -> a) gives unknown
// there, and what was typed through such a cycle is not cached (it depends on where the chain started).
// Anything that cannot be read, parsed or compiled cleanly gives unknown: the checks stay silent, and the child's
// own compile reports what is wrong with it.

import { statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { readSourceFile } from '../load/readSourceFile';
import { flowFileKind } from '../../shared/flowFiles';
import { UNKNOWN } from './valueType';
import type { ValueType } from './valueType';

/** Compiles a child flow's text (with the type checks) and gives its output type; undefined when it does not compile. */
export type CompileChildOutput = (text: string, file: string) => ValueType | undefined;

interface Stamp {
  file: string;
  mtimeMs: number;
  size: number;
}

interface Entry {
  type: ValueType;
  /** The files the type was built from, as they were then. */
  stamps: Stamp[];
}

/** Enough for every flow of a large workspace; past it the oldest entry goes. */
const MAX_ENTRIES = 500;
/** Deeper chains are not followed (the run fails past 32 nested subflows anyway). */
const MAX_DEPTH = 32;

/** The stamp of a file that does not exist (or is not a regular file). */
const MISSING = -1;

const cache = new Map<string, Entry>();

/** The files being typed right now, outermost first (compiles are synchronous, so one stack serves them all). */
const typing: { file: string; stamps: Stamp[]; sawCycle: boolean }[] = [];

/** The output type of the flow at `flowPath` (as written in the node's config) run from the flow in `parentFile`. */
export function subflowOutputType(parentFile: string, flowPath: string, compileChild: CompileChildOutput): ValueType {
  if (flowPath === '' || flowPath.includes('{{')) return UNKNOWN;
  const file = resolve(dirname(parentFile), flowPath);
  if (flowFileKind(file) !== 'json') return UNKNOWN;
  const caller = typing.at(-1);
  if (typing.some((t) => t.file === file) || resolve(parentFile) === file) {
    for (const t of typing) t.sawCycle = true;
    return UNKNOWN;
  }
  if (typing.length >= MAX_DEPTH) return UNKNOWN;

  const cached = cache.get(file);
  if (cached && cached.stamps.every(isCurrent)) {
    caller?.stamps.push(...cached.stamps);
    return cached.type;
  }

  const stamp = stampOf(file);
  if (!stamp) {
    // Not cached (it may be created next), but a caller's entry must notice when it is.
    caller?.stamps.push({ file, mtimeMs: MISSING, size: MISSING });
    return UNKNOWN;
  }
  const frame = { file, stamps: [stamp], sawCycle: false };
  typing.push(frame);
  let type: ValueType;
  try {
    type = compileChild(readSourceFile(file), file) ?? UNKNOWN;
  } catch {
    type = UNKNOWN;
  } finally {
    typing.pop();
  }
  caller?.stamps.push(...frame.stamps);
  if (!frame.sawCycle) {
    cache.delete(file);
    cache.set(file, { type, stamps: frame.stamps });
    if (cache.size > MAX_ENTRIES) cache.delete(cache.keys().next().value!);
  }
  return type;
}

/** Forgets every cached type (tests). */
export function clearSubflowOutputTypes(): void {
  cache.clear();
}

function stampOf(file: string): Stamp | undefined {
  try {
    const stats = statSync(file);
    return stats.isFile() ? { file, mtimeMs: stats.mtimeMs, size: stats.size } : undefined;
  } catch {
    return undefined;
  }
}

function isCurrent(stamp: Stamp): boolean {
  const now = stampOf(stamp.file);
  if (now === undefined) return stamp.mtimeMs === MISSING;
  return now.mtimeMs === stamp.mtimeMs && now.size === stamp.size;
}
