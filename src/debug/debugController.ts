// The debugger's side of the engine's gate (src/engine/run/debugGate.ts): decides, node by node, whether the run
// stops there (entry, breakpoint, step, pause, exception) and holds the node until the user resumes.
//
// Stops are one at a time: every question of the gate goes through one queue, so while the run is paused, the
// nodes of other branches that reach their start wait behind the paused one (nodes already running finish).
// That is what makes "step over" mean "the next node in execution order" even with parallel branches: one run
// is one thread (docs/decisions.md).

import type { Scope } from '../engine/expr/scope';
import type { DebugFrame, DebugGate, GateDecision, GatedNode, NodeEnd } from '../engine/run/debugGate';
import { evaluateInScope, renderLogMessage } from './scopeExpressions';

export type StopReason = 'entry' | 'breakpoint' | 'step' | 'pause' | 'exception';

export interface NodeBreakpoint {
  id: number;
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
}

export interface Stop {
  readonly target: GatedNode;
  readonly reason: StopReason;
  /** `before`: the node has not run; `after`: it just failed (an exception stop). */
  readonly phase: 'before' | 'after';
  readonly end?: NodeEnd;
  /** What the node will receive: a copy, which Set Value changes. */
  input: unknown;
  readonly breakpointId?: number;
}

export interface ControllerListener {
  stopped(stop: Stop): void;
  resumed(stop: Stop): void;
  log(text: string, target: GatedNode): void;
}

type Mode =
  | { kind: 'run' }
  | { kind: 'pause' }
  | { kind: 'stepIn' }
  | { kind: 'stepOver'; depth: number }
  | { kind: 'stepOut'; depth: number };

export class DebugController implements DebugGate {
  stopOnEntry = false;
  readonly exceptionFilters = new Set<'failed' | 'errors'>();
  private breakpoints = new Map<string, Map<string, NodeBreakpoint>>();
  private readonly hits = new Map<number, number>();
  private mode: Mode = { kind: 'run' };
  private entrySeen = false;
  private queue: Promise<unknown> = Promise.resolve();
  private current?: { stop: Stop; resume: (answer: GateDecision | boolean) => void };
  /** The node restart frame asked to run again: the next stop is before it. */
  private restarting?: GatedNode;
  private terminated = false;

  constructor(private readonly listener: ControllerListener) {}

  get stopped(): Stop | undefined {
    return this.current?.stop;
  }

  /** The breakpoints of one flow file, by node id (replacing the file's previous ones). */
  setBreakpoints(file: string, byNode: Map<string, NodeBreakpoint>): void {
    this.breakpoints.set(normalizeFile(file), byNode);
    for (const bp of byNode.values()) if (!this.hits.has(bp.id)) this.hits.set(bp.id, 0);
  }

  beforeNode(target: GatedNode): Promise<GateDecision> {
    return this.serialized(() => this.decideBefore(target));
  }

  afterNode(target: GatedNode, end: NodeEnd): Promise<boolean> {
    if (end.ok || this.terminated) return Promise.resolve(false);
    return this.serialized(() => this.decideAfter(target, end));
  }

  // ---- commands while stopped -----------------------------------------------------------------

  continue(): void {
    this.resume({ kind: 'run' });
  }

  next(): void {
    this.resume({ kind: 'stepOver', depth: this.depthOfStop() });
  }

  stepIn(): void {
    this.resume({ kind: 'stepIn' });
  }

  stepOut(): void {
    this.resume({ kind: 'stepOut', depth: this.depthOfStop() });
  }

  /** Stop before the next node starts; nodes already running finish. */
  pause(): void {
    if (!this.current) this.mode = { kind: 'pause' };
  }

  /** Ends skipped with `output`; the run goes on (as after continue). */
  skip(output: unknown): boolean {
    const current = this.current;
    if (!current || current.stop.phase !== 'before') return false;
    this.mode = { kind: 'run' };
    this.release({ action: 'skip', output });
    return true;
  }

  /** Runs the stopped node again: from an exception stop, it runs again and stops before it starts. */
  restartFrame(): boolean {
    const current = this.current;
    if (!current) return false;
    if (current.stop.phase === 'before') {
      // It has not run yet: stopping before it again is what "from the start of this frame" means.
      this.listener.resumed(current.stop);
      this.listener.stopped(current.stop);
      return true;
    }
    this.restarting = current.stop.target;
    this.mode = { kind: 'run' };
    this.release(true);
    return true;
  }

  /** The run is being stopped: nothing stops any more, a held node goes on (and meets the aborted run). */
  terminate(): void {
    this.terminated = true;
    this.mode = { kind: 'run' };
    if (this.current) this.release(this.current.stop.phase === 'before' ? { action: 'run' } : false);
  }

  // ---- decisions --------------------------------------------------------------------------------

  private serialized<T>(decide: () => T | Promise<T>): Promise<T> {
    const answer = this.queue.then(decide);
    this.queue = answer.catch(() => undefined);
    return answer;
  }

  private decideBefore(target: GatedNode): GateDecision | Promise<GateDecision> {
    if (this.terminated) return RUN;
    let reason: StopReason | undefined;
    let breakpointId: number | undefined;
    if (!this.entrySeen) {
      this.entrySeen = true;
      if (this.stopOnEntry) reason = 'entry';
    }
    if (this.restarting !== undefined && this.restarting.node === target.node && sameFrames(this.restarting.frames, target.frames)) {
      this.restarting = undefined;
      reason ??= 'step';
    }
    const bp = this.breakpointAt(target);
    if (bp !== undefined && this.breakpointHolds(bp, target)) {
      if (bp.logMessage !== undefined) this.listener.log(renderLogMessage(bp.logMessage, debugScope(target.scope)), target);
      else {
        reason ??= 'breakpoint';
        breakpointId = bp.id;
      }
    }
    reason ??= this.stepReason(target.frames.length);
    if (reason === undefined) return RUN;
    return this.stop({ target, reason, phase: 'before', input: copyOf(target.input), breakpointId }).then((answer) =>
      typeof answer === 'boolean' ? RUN : answer,
    );
  }

  private decideAfter(target: GatedNode, end: NodeEnd): boolean | Promise<boolean> {
    if (this.terminated) return false;
    const filters = this.exceptionFilters;
    const stops = filters.has('errors') || (filters.has('failed') && !end.handled);
    if (!stops) return false;
    return this.stop({ target, reason: 'exception', phase: 'after', end, input: target.input }).then((answer) => answer === true);
  }

  private stepReason(depth: number): StopReason | undefined {
    const mode = this.mode;
    switch (mode.kind) {
      case 'run':
        return undefined;
      case 'pause':
        return 'pause';
      case 'stepIn':
        return 'step';
      case 'stepOver':
        return depth <= mode.depth ? 'step' : undefined;
      case 'stepOut':
        return depth < mode.depth ? 'step' : undefined;
    }
  }

  private breakpointAt(target: GatedNode): NodeBreakpoint | undefined {
    const frame = target.frames[target.frames.length - 1];
    if (frame?.flowFile === undefined) return undefined;
    return this.breakpoints.get(normalizeFile(frame.flowFile))?.get(target.nodeId);
  }

  /** The condition holds and the hit count is reached (a hit counts only when the condition holds). */
  private breakpointHolds(bp: NodeBreakpoint, target: GatedNode): boolean {
    if (bp.condition !== undefined && bp.condition.trim() !== '') {
      let holds: unknown;
      try {
        holds = evaluateInScope(bp.condition, debugScope(target.scope));
      } catch (error) {
        // A broken condition stops, with why: silently never stopping hides the mistake.
        this.listener.log(`Breakpoint condition '${bp.condition}' failed: ${(error as Error).message}`, target);
        holds = true;
      }
      if (!holds) return false;
    }
    const hits = (this.hits.get(bp.id) ?? 0) + 1;
    this.hits.set(bp.id, hits);
    return bp.hitCondition === undefined || bp.hitCondition.trim() === '' || hitConditionHolds(bp.hitCondition, hits);
  }

  private stop(stop: Stop): Promise<GateDecision | boolean> {
    this.mode = { kind: 'run' };
    return new Promise((resume) => {
      this.current = { stop, resume };
      this.listener.stopped(stop);
    });
  }

  private resume(mode: Mode): void {
    const current = this.current;
    if (!current) return;
    this.mode = mode;
    const stop = current.stop;
    this.release(stop.phase === 'before' ? { action: 'run', input: stop.input } : false);
  }

  private release(answer: GateDecision | boolean): void {
    const current = this.current;
    if (!current) return;
    this.current = undefined;
    this.listener.resumed(current.stop);
    current.resume(answer);
  }

  private depthOfStop(): number {
    return this.current?.stop.target.frames.length ?? 1;
  }
}

const RUN: GateDecision = { action: 'run' };

/** The node's scope as the debugger shows it: secret values stay hidden (names are kept). */
export function debugScope(scope: Scope): Scope {
  const secrets: Record<string, string> = {};
  for (const name of Object.keys(scope.secrets)) secrets[name] = '***';
  return { ...scope, secrets };
}

/** DAP hit conditions as VS Code users write them: `5`, `>= 5`, `> 5`, `== 5`, `% 5` (every 5th hit). */
export function hitConditionHolds(condition: string, hits: number): boolean {
  const match = /^\s*(>=|<=|==|>|<|%)?\s*(\d+)\s*$/.exec(condition);
  if (!match) return true;
  const n = Number(match[2]);
  switch (match[1]) {
    case '>=':
      return hits >= n;
    case '>':
      return hits > n;
    case '<=':
      return hits <= n;
    case '<':
      return hits < n;
    case '%':
      return n > 0 && hits % n === 0;
    default:
      return hits === n;
  }
}

function sameFrames(a: readonly DebugFrame[], b: readonly DebugFrame[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((frame, i) => frame.nodeId === b[i].nodeId && frame.executionId === b[i].executionId && frame.iteration === b[i].iteration);
}

/** A copy the user may change without changing the upstream node's output that it came from. */
function copyOf(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  try {
    return structuredClone(value);
  } catch {
    return value;
  }
}

function normalizeFile(file: string): string {
  return process.platform === 'win32' || process.platform === 'darwin' ? file.toLowerCase() : file;
}
