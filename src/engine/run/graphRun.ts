// The state machine of one graph run: the flow's top-level graph, or one iteration of a loop's body (spec
// section 5). Work is O(nodes + edges): each edge is settled once, each node decided once, from counters kept
// in typed arrays. A worklist replaces recursion, so a 100,000-node chain needs no deep stack, and synchronous
// nodes run in the same loop without a promise or a timer each.
//
// Ordering rules:
// - A node is decided (run or skipped) only when all its incoming edges are settled, except a node that starts
//   on its first active input (merge mode "first").
// - The record is updated before the event that reports it is emitted, so a subscriber that reads the record
//   on an event sees that event's state.
// - After the run finishes (completed, failed, cancelled) late results of nodes that ignored their abort signal
//   are dropped.
// - The record and the events tell the same facts at the same times (a record's time is its event's `ts`), so
//   folding the events gives the record's view (runProjection.ts). Body nodes have no record: their loop node's
//   record counts its iterations and sums their AI usage as their events go out, while it runs.

import { serializeError, WeftError, type SerializedError } from '../errors';
import { configTexts, misspelledNodeHint } from './errorHints';
import type { Scope } from '../expr/scope';
import type { CompiledGraph, CompiledNode } from '../model/compiledFlow';
import type { CircuitChange } from '../circuit/callThroughCircuit';
import { DEFAULT_PORT, ERROR_PORT, type InputContribution, type LogLevel, type NodeProgress, type ToolCallProgress } from '../nodes/nodeType';
import { isPlainObject } from '../../shared/isPlainObject';
import { collectContributions, combineContributions, EDGE_ACTIVE, EDGE_INACTIVE } from './buildInput';
import type { DebugFrame, GatedNode } from './debugGate';
import { defaultOutput } from './defaultOutput';
import type { LoopScope } from './events';
import { droppedLinesNote, LOGS_TRUNCATED_NOTE } from './logBudget';
import { runNode, type NodeResult, type NodeRunHost } from './nodeRunner';
import type { EventDraft, RunContext } from './runContext';
import { addUsage } from './runProjection';
import type { NodeRecord } from './runRecord';

const PENDING = 0;
const RUNNING = 1;
const COMPLETED = 2;
const FAILED = 3;
const SKIPPED = 4;
const CANCELLED = 5;

/** Synchronous node starts before the loop yields to the event loop, so cancel and I/O stay responsive. */
const SYNC_SLICE = 2000;

export interface GraphOutcome {
  status: 'completed' | 'failed' | 'cancelled';
  output?: unknown;
  /** The unhandled failure, or the abort reason. */
  error?: unknown;
  /** The node whose unhandled failure failed the graph. */
  failedNodeId?: string;
}

export interface GraphRunOptions {
  run: RunContext;
  graph: CompiledGraph;
  /** Each root's input: the trigger payload at top level, the item in a loop body. */
  rootInput: unknown;
  /** The `nodes` table of this graph run's scope; written as nodes complete. */
  nodesTable: Record<string, unknown>;
  /** Extra names in scope (item, index). */
  extra?: Partial<Scope>;
  parentSignal: AbortSignal;
  /** Set for a loop body's iteration: tags its events; such a graph run keeps no record. */
  loop?: LoopScope;
  /** A body's events count under this top-level node's record: the loop that holds it, or holds its loop. */
  owner?: NodeRecord;
  /** The body belongs directly to `owner`: its iterations are the owner's. */
  ownsIterations?: boolean;
  concurrency: number;
  /** While a debugger is attached: the frames this graph run's nodes run under (a loop iteration's). */
  debugFrames?: readonly DebugFrame[];
}

/** What changes from one iteration of a loop body to the next, when the body's graph run is used again. */
interface IterationOptions {
  rootInput: unknown;
  nodesTable: Record<string, unknown>;
  item: unknown;
  index: number | undefined;
  parentSignal: AbortSignal;
  loop: LoopScope;
  debugFrames?: readonly DebugFrame[];
}

export class GraphRun implements NodeRunHost {
  readonly run: RunContext;
  baseScope: Scope;
  private readonly graph: CompiledGraph;
  private rootInput: unknown;
  private nodesTable: Record<string, unknown>;
  private parentSignal: AbortSignal;
  private loop?: LoopScope;
  private readonly owner?: NodeRecord;
  private readonly ownsIterations: boolean;
  private readonly concurrency: number;
  private readonly topLevel: boolean;
  private debugFrames?: readonly DebugFrame[];
  /**
   * Loop bodies' graph runs that finished an iteration and can run the next, by body graph: an iteration then
   * allocates no counters and builds no plan (bench: loop per-item cost). Made on the first loop iteration.
   */
  private bodyRuns?: Map<CompiledGraph, GraphRun[]>;

  private readonly status: Uint8Array;
  private readonly queued: Uint8Array;
  private readonly pendingIn: Int32Array;
  private readonly activeIn: Int32Array;
  private readonly edgeState: Uint8Array;
  /** What a node's active outgoing edges carry: its output, or its error payload on the error port. */
  private readonly values: unknown[];
  private readonly startTimes: Float64Array;

  // Queues as arrays with a head and a tail, not push and shift: a loop body's graph run writes over the same
  // arrays in its next iteration instead of growing new ones.
  private readonly ready: CompiledNode[] = [];
  private readyHead = 0;
  private readyTail = 0;
  private readonly runQueue: CompiledNode[] = [];
  private runQueueHead = 0;
  private runQueueTail = 0;
  private running = 0;
  private settled = 0;
  private draining = false;
  private done = false;
  private ownController?: AbortController;
  private ownSignal?: AbortSignal;
  /** Told the outcome once, when the graph run finishes. */
  private onFinished!: (outcome: GraphOutcome) => void;
  private readonly onParentAbort = (): void => this.finish({ status: 'cancelled', error: this.parentSignal.reason });
  // For defaultOutput; made once per graph run, not once per loop iteration.
  private readonly isCompleted = (i: number): boolean => this.status[i] === COMPLETED;
  private readonly outputOf = (i: number): unknown => this.values[i];

  constructor(options: GraphRunOptions) {
    this.run = options.run;
    this.graph = options.graph;
    this.rootInput = options.rootInput;
    this.nodesTable = options.nodesTable;
    this.parentSignal = options.parentSignal;
    this.loop = options.loop;
    this.owner = options.owner;
    this.ownsIterations = options.ownsIterations === true;
    this.concurrency = options.concurrency;
    this.topLevel = options.loop === undefined;
    this.debugFrames = options.debugFrames;
    const n = this.graph.nodes.length;
    this.status = new Uint8Array(n);
    this.queued = new Uint8Array(n);
    this.pendingIn = new Int32Array(n);
    this.activeIn = new Int32Array(n);
    this.edgeState = new Uint8Array(this.graph.edges.length);
    this.values = new Array<unknown>(n);
    this.startTimes = new Float64Array(n);
    this.baseScope = this.scopeFor(options.extra?.item, options.extra?.index);
  }

  /** Aborts when the parent does, or when this graph run fails. Created on first use: most nodes never ask. */
  get signal(): AbortSignal {
    if (!this.ownSignal) {
      this.ownController = new AbortController();
      this.ownSignal = AbortSignal.any([this.parentSignal, this.ownController.signal]);
    }
    return this.ownSignal;
  }

  execute(): Promise<GraphOutcome> {
    return new Promise<GraphOutcome>((resolve) => this.begin(resolve));
  }

  private begin(onFinished: (outcome: GraphOutcome) => void): void {
    this.onFinished = onFinished;
    if (this.parentSignal.aborted) return this.finish({ status: 'cancelled', error: this.parentSignal.reason });
    // A loop iteration is stopped by its loop node's signal through the nodes it runs; only the top level
    // must notice an abort while every node is busy elsewhere.
    if (this.topLevel) this.parentSignal.addEventListener('abort', this.onParentAbort, { once: true });
    const nodes = this.graph.nodes;
    for (let i = 0; i < nodes.length; i++) this.pendingIn[i] = nodes[i].incoming.length;
    for (const root of this.graph.roots) this.ready[this.readyTail++] = root;
    this.drain();
  }

  /** Makes a loop body's finished graph run ready for another iteration: counters to zero, the new item in scope. */
  private reset(options: IterationOptions): void {
    // Loops, not fill(): bodies are a few nodes, where a builtin call costs more than the writes.
    const { status, queued, activeIn, edgeState, values } = this;
    for (let i = 0; i < status.length; i++) {
      status[i] = PENDING;
      queued[i] = 0;
      activeIn[i] = 0;
      values[i] = undefined;
    }
    for (let e = 0; e < edgeState.length; e++) edgeState[e] = 0;
    this.readyHead = this.readyTail = 0;
    this.runQueueHead = this.runQueueTail = 0;
    this.running = 0;
    this.settled = 0;
    this.done = false;
    this.ownController = undefined;
    this.ownSignal = undefined;
    this.rootInput = options.rootInput;
    this.nodesTable = options.nodesTable;
    this.parentSignal = options.parentSignal;
    this.loop = options.loop;
    this.debugFrames = options.debugFrames;
    this.baseScope = this.scopeFor(options.item, options.index);
  }

  private scopeFor(item: unknown, index: number | undefined): Scope {
    const run = this.run;
    return {
      trigger: run.trigger,
      input: undefined,
      nodes: this.nodesTable,
      variables: run.variables,
      secrets: run.secrets,
      execution: run.execution,
      item,
      index,
    };
  }

  private drain(): void {
    if (this.draining || this.done) return;
    this.draining = true;
    let budget = SYNC_SLICE;
    while (!this.done) {
      if (this.readyHead < this.readyTail) {
        this.decide(this.ready[this.readyHead++]);
        continue;
      }
      if (this.running < this.concurrency && this.runQueueHead < this.runQueueTail) {
        if (this.parentSignal.aborted) {
          this.finish({ status: 'cancelled', error: this.parentSignal.reason });
          break;
        }
        if (--budget === 0) {
          setImmediate(() => this.drain());
          break;
        }
        this.start(this.runQueue[this.runQueueHead++]);
        continue;
      }
      break;
    }
    this.draining = false;
    if (this.done) return;
    if (this.settled === this.graph.nodes.length) return this.complete();
    const idle = this.running === 0 && this.readyHead === this.readyTail && this.runQueueHead === this.runQueueTail;
    if (idle && budget > 0) {
      this.finish({ status: 'failed', error: new WeftError('internal', `The run stalled with ${this.graph.nodes.length - this.settled} nodes undecided.`, { kind: 'unexpected' }) });
    }
  }

  /** All incoming edges are settled (or a first-input node got one): run it, or skip it as a dead path. */
  private decide(node: CompiledNode): void {
    const i = node.index;
    if (this.status[i] !== PENDING || this.queued[i]) return;
    if (node.incoming.length === 0 || this.activeIn[i] > 0) {
      this.queued[i] = 1;
      this.runQueue[this.runQueueTail++] = node;
      return;
    }
    this.status[i] = SKIPPED;
    this.settled++;
    if (this.topLevel) {
      const record = this.nodeRecord(node);
      record.status = 'skipped';
      this.run.checkpoint();
    }
    this.emit({ type: 'node.skipped', nodeId: node.id, reason: 'dead-path' });
    this.settleOutgoing(node, NO_PORTS);
  }

  private start(node: CompiledNode): void {
    const i = node.index;
    this.status[i] = RUNNING;
    this.running++;
    this.startTimes[i] = performance.now();

    const reused = this.topLevel ? this.run.reuse.get(node.id) : undefined;
    if (reused) return this.completeReused(node, reused);

    let inputs: InputContribution[];
    let input: unknown;
    try {
      inputs = node.incoming.length === 0 ? NO_INPUTS : collectContributions(node, this.edgeState, (from) => this.values[from], this.baseScope);
      input = node.incoming.length === 0 ? this.rootInput : combineContributions(inputs);
    } catch (error) {
      this.onResult(node, undefined, { ok: false, error });
      return;
    }
    if (node.disabled) return this.passDisabled(node, input);
    if (this.run.debug !== undefined) return this.startGated(node, input, inputs);

    const result = runNode(this, node, input, inputs);
    if (result instanceof Promise) {
      result.then(
        (r) => {
          this.onResult(node, input, r);
          this.drain();
        },
        (error: unknown) => {
          this.onResult(node, input, { ok: false, error });
          this.drain();
        },
      );
    } else {
      this.onResult(node, input, result);
    }
  }

  private onResult(node: CompiledNode, input: unknown, result: NodeResult): void {
    if (this.done) return;
    const i = node.index;
    this.running--;
    const durationMs = roundMs(performance.now() - this.startTimes[i]);
    const run = this.run;
    if (result.ok) {
      const output = run.redactor.value(result.output);
      const ports = result.ports;
      this.status[i] = COMPLETED;
      this.settled++;
      this.values[i] = result.output;
      this.nodesTable[node.id] = result.output;
      const event: EventDraft = { type: 'node.completed', nodeId: node.id, output, durationMs, ports };
      if (result.usage !== undefined) event.usage = run.redactor.value(result.usage);
      if (result.iterations !== undefined) event.iterations = result.iterations;
      if (this.topLevel) {
        const record = this.nodeRecord(node);
        record.status = 'completed';
        record.output = output;
        event.ts = this.finishTimes(record, durationMs);
        if (ports.length !== 1 || ports[0] !== DEFAULT_PORT) record.ports = [...ports];
        if (event.usage !== undefined) record.usage = addUsage(record.usage, event.usage);
        if (result.iterations !== undefined) record.iterations = result.iterations;
        run.checkpoint();
      }
      this.emit(event);
      this.settleOutgoing(node, ports);
      return;
    }

    const error = toError(result.error);
    const serialized = this.serialize(error, node);
    if (node.handlesErrors || node.onError === 'skip') {
      // A handled failure: the error port (or, with onError skip, the out port) carries the error on.
      const viaErrorPort = node.handlesErrors;
      // Where user code threw, its position travels in fields of its own: the message stays what was thrown.
      const position = serialized.line === undefined ? {} : { line: serialized.line, ...(serialized.column === undefined ? {} : { column: serialized.column }) };
      const carried = viaErrorPort
        ? { error: { message: serialized.message, name: serialized.name ?? 'Error', ...position }, input }
        : { error: { message: serialized.message, ...position } };
      const ports = viaErrorPort ? ERROR_PORTS : DEFAULT_PORTS;
      this.status[i] = FAILED;
      this.settled++;
      this.values[i] = carried;
      this.nodesTable[node.id] = carried;
      const event: EventDraft = { type: 'node.failed', nodeId: node.id, error: serialized, errorHandled: true, durationMs, ports };
      if (this.topLevel) {
        const record = this.nodeRecord(node);
        record.status = 'failed';
        record.error = serialized;
        record.errorHandled = true;
        // Kept even when it is `out`: an old record without it cannot tell the error port from onError skip.
        record.ports = [...ports];
        if (!viaErrorPort) record.output = run.redactor.value(carried);
        event.ts = this.finishTimes(record, durationMs);
        run.checkpoint();
      }
      this.emit(event);
      this.settleOutgoing(node, ports);
      return;
    }

    // Unhandled: the graph run fails; nothing else starts, nodes in flight are aborted.
    this.status[i] = FAILED;
    this.settled++;
    const event: EventDraft = { type: 'node.failed', nodeId: node.id, error: serialized, errorHandled: false, durationMs };
    if (this.topLevel) {
      const record = this.nodeRecord(node);
      record.status = 'failed';
      record.error = serialized;
      event.ts = this.finishTimes(record, durationMs);
    }
    this.emit(event);
    this.finish({ status: 'failed', error, failedNodeId: node.id });
  }

  private completeReused(node: CompiledNode, reused: NodeRecord): void {
    const output = reused.output;
    const ports = reused.ports ?? DEFAULT_PORTS;
    this.running--;
    this.status[node.index] = COMPLETED;
    this.settled++;
    this.values[node.index] = output;
    this.nodesTable[node.id] = output;
    const record = this.nodeRecord(node);
    record.status = 'completed';
    record.output = output;
    record.reused = true;
    record.attempts = 0;
    const event: EventDraft = { type: 'node.completed', nodeId: node.id, output, durationMs: 0, ports, reused: true };
    if (reused.ports) record.ports = reused.ports;
    if (reused.usage !== undefined) record.usage = event.usage = reused.usage;
    if (reused.iterations !== undefined) record.iterations = event.iterations = reused.iterations;
    this.run.checkpoint();
    this.emit(event);
    this.settleOutgoing(node, ports);
  }

  /**
   * A node's start while a debugger is attached: the gate decides (run, run on another input, skip with an
   * output), the node runs, the gate hears how it ended and may ask to run it again (restart frame).
   */
  private startGated(node: CompiledNode, input: unknown, inputs: readonly InputContribution[]): void {
    const gate = this.run.debug!.gate;
    const scope: Scope = { ...this.baseScope, input };
    const target: GatedNode = {
      node,
      nodeId: node.id,
      frames: this.debugFramesOf(node),
      input,
      scope,
      // Resolved for the debugger's Config scope: with secret values masked, as every other way out of a run.
      config: () => this.run.redactor.value(node.type.prepare || node.config.isStatic ? node.rawConfig : node.config.evaluate(scope)),
    };
    const runOnce = async (): Promise<void> => {
      const decision = await gate.beforeNode(target);
      if (this.done) return;
      if (decision.action === 'skip') return this.skipForDebugger(node, decision.output);
      const runInput = decision.input !== undefined ? decision.input : input;
      let result: NodeResult;
      try {
        result = await runNode(this, node, runInput, inputs);
      } catch (error) {
        result = { ok: false, error };
      }
      if (this.done) return;
      const handled = node.handlesErrors || node.onError === 'skip';
      const again = await gate.afterNode(target, result.ok ? { ok: true, output: result.output } : { ok: false, error: result.error, handled });
      if (this.done) return;
      if (again) return runOnce();
      this.onResult(node, runInput, result);
    };
    runOnce().then(
      () => this.drain(),
      (error: unknown) => {
        this.onResult(node, input, { ok: false, error });
        this.drain();
      },
    );
  }

  /** The debugger's "skip node": the node ends skipped, and the output it was given flows on through `out`. */
  private skipForDebugger(node: CompiledNode, output: unknown): void {
    const i = node.index;
    this.running--;
    this.status[i] = SKIPPED;
    this.settled++;
    this.values[i] = output;
    this.nodesTable[node.id] = output;
    if (this.topLevel) {
      const record = this.nodeRecord(node);
      record.status = 'skipped';
      record.output = this.run.redactor.value(output);
      this.run.checkpoint();
    }
    this.emit({ type: 'node.skipped', nodeId: node.id, reason: 'debugger' });
    this.settleOutgoing(node, DEFAULT_PORTS);
  }

  debugFramesOf(node: CompiledNode): readonly DebugFrame[] {
    const run = this.run;
    const own: DebugFrame = { nodeId: node.id, flowId: run.flow.id, executionId: run.executionId };
    if (run.flow.file !== undefined) own.flowFile = run.flow.file;
    return [...(this.debugFrames ?? run.debug?.frames ?? []), own];
  }

  /** Spec section 3: a disabled node is recorded as skipped and passes its input on through `out`. */
  private passDisabled(node: CompiledNode, input: unknown): void {
    const i = node.index;
    this.running--;
    this.status[i] = SKIPPED;
    this.settled++;
    this.values[i] = input;
    this.nodesTable[node.id] = input;
    if (this.topLevel) {
      const record = this.nodeRecord(node);
      record.status = 'skipped';
      record.disabled = true;
      this.run.checkpoint();
    }
    this.emit({ type: 'node.skipped', nodeId: node.id, reason: 'disabled' });
    this.settleOutgoing(node, DEFAULT_PORTS);
  }

  private settleOutgoing(node: CompiledNode, ports: readonly string[]): void {
    for (const edge of node.outgoing) {
      const target = edge.to.index;
      const active = ports.length === 1 ? ports[0] === edge.port : ports.includes(edge.port);
      this.edgeState[edge.index] = active ? EDGE_ACTIVE : EDGE_INACTIVE;
      this.pendingIn[target]--;
      if (active) {
        this.activeIn[target]++;
        if (edge.to.startsOnFirstInput) {
          this.ready[this.readyTail++] = edge.to;
          continue;
        }
      }
      if (this.pendingIn[target] === 0) this.ready[this.readyTail++] = edge.to;
    }
  }

  private complete(): void {
    let output: unknown;
    try {
      output = this.graph.output
        ? this.graph.output.evaluate(this.baseScope)
        : defaultOutput(this.graph, this.isCompleted, this.outputOf);
    } catch (error) {
      this.finish({ status: 'failed', error: toError(error) });
      return;
    }
    this.finish({ status: 'completed', output });
  }

  private finish(outcome: GraphOutcome): void {
    if (this.done) return;
    this.done = true;
    if (this.topLevel) this.parentSignal.removeEventListener('abort', this.onParentAbort);
    if (outcome.status !== 'completed') {
      this.ownController?.abort(outcome.error);
      // Whatever had not ended is cancelled: nodes in flight, queued ones, and those never reached. Those in
      // flight had started, so they say they stopped and how long they ran.
      const now = performance.now();
      for (const node of this.graph.nodes) {
        const s = this.status[node.index];
        if (s !== PENDING && s !== RUNNING) continue;
        this.status[node.index] = CANCELLED;
        const record = this.topLevel ? this.nodeRecord(node) : undefined;
        if (record) record.status = 'cancelled';
        if (s !== RUNNING) continue;
        const durationMs = roundMs(now - this.startTimes[node.index]);
        const event: EventDraft = { type: 'node.cancelled', nodeId: node.id, durationMs };
        if (record) event.ts = this.finishTimes(record, durationMs);
        this.emit(event);
      }
    }
    this.onFinished(outcome);
  }

  // ---- NodeRunHost -------------------------------------------------------------------------------

  onAttemptStarted(node: CompiledNode, attempt: number, input: unknown): void {
    const safeInput = this.run.redactor.value(input);
    const event: EventDraft = { type: 'node.started', nodeId: node.id, attempt, input: safeInput };
    if (this.topLevel) {
      const record = this.nodeRecord(node);
      record.status = 'running';
      record.attempts = attempt;
      if (attempt === 1) {
        record.startedAt = event.ts = this.run.now();
        record.input = safeInput;
      }
    }
    this.emit(event);
  }

  onRetrying(node: CompiledNode, nextAttempt: number, delayMs: number, error: unknown, input: unknown): void | Promise<unknown> {
    this.emit({ type: 'node.retrying', nodeId: node.id, attempt: nextAttempt, delayMs, error: this.serialize(toError(error), node) });
    const debug = this.run.debug;
    if (debug === undefined) return;
    // The failed attempt is a handled error ("All node errors" stops on it); the answer does not change the retry.
    const scope: Scope = { ...this.baseScope, input };
    const target: GatedNode = { node, nodeId: node.id, frames: this.debugFramesOf(node), input, scope, config: () => this.run.redactor.value(node.config.evaluate(scope)) };
    return Promise.resolve(debug.gate.afterNode(target, { ok: false, error, handled: true, retrying: true }));
  }

  log(node: CompiledNode, level: LogLevel, message: string): void {
    // Redacted before it is cut, so no cut can leave part of a secret unrecognised.
    const admission = this.run.logBudget.admit(node.id, this.run.redactor.text(message));
    if ('keep' in admission) {
      if (this.topLevel) (this.nodeRecord(node).logs ??= []).push({ ts: this.run.now(), level, message: admission.keep });
      this.emit({ type: 'node.log', nodeId: node.id, level, message: admission.keep });
      return;
    }
    if (this.topLevel) {
      const logs = (this.nodeRecord(node).logs ??= []);
      // The first dropped line adds the note; later ones only update its count (nothing is kept after it).
      if (admission.dropped === 1) logs.push({ ts: this.run.now(), level: 'warn', message: droppedLinesNote(1) });
      else logs[logs.length - 1].message = droppedLinesNote(admission.dropped);
    }
    if (admission.dropped === 1) this.emit({ type: 'node.log', nodeId: node.id, level: 'warn', message: LOGS_TRUNCATED_NOTE });
  }

  progress(node: CompiledNode, update: NodeProgress): void {
    // Field by field: a node type is JavaScript, and only the fields of the spec go out, checked.
    const event: EventDraft & { type: 'node.progress' } = { type: 'node.progress', nodeId: node.id };
    if (typeof update.delta === 'string' && update.delta !== '') event.delta = this.run.redactor.text(update.delta);
    if (update.channel === 'reasoning') event.channel = 'reasoning';
    if (typeof update.progress === 'number' && update.progress >= 0 && update.progress <= 1) event.progress = update.progress;
    if (typeof update.message === 'string') event.message = this.run.redactor.text(update.message);
    if (isPlainObject(update.toolCall)) event.toolCall = this.run.redactor.value(update.toolCall) as ToolCallProgress;
    if (event.delta === undefined && event.progress === undefined && event.message === undefined && event.toolCall === undefined) return;
    this.emit(event);
  }

  circuitChanged(node: CompiledNode, change: CircuitChange): void {
    // The target names a base URL or host, which a template may have built from a secret.
    const circuit = this.run.redactor.value(change.circuit);
    this.emit({ type: change.transition === 'opened' ? 'circuit.opened' : 'circuit.closed', nodeId: node.id, circuit });
  }

  saveState(node: CompiledNode, state: unknown): Promise<void> {
    // State goes to history for resume, so it is redacted like an output: a node type that keeps a secret in its
    // state gets the mask back on resume and must read the secret from its config again (docs/decisions.md).
    if (this.topLevel) this.nodeRecord(node).state = this.run.redactor.value(state);
    return this.run.checkpoint();
  }

  runGraph(
    caller: CompiledNode,
    graph: CompiledGraph,
    options: { input: unknown; extra: Partial<Scope>; signal: AbortSignal; iteration: number },
  ): Promise<unknown> {
    const extra = options.extra;
    const iteration: IterationOptions = {
      rootInput: options.input,
      // The body sees the outer outputs and its own; a copy keeps concurrent iterations apart.
      nodesTable: copyTable(this.nodesTable),
      item: 'item' in extra ? extra.item : this.baseScope.item,
      index: 'index' in extra ? extra.index : this.baseScope.index,
      parentSignal: options.signal,
      loop: { loopNodeId: caller.id, iteration: options.iteration },
    };
    if (this.run.debug !== undefined) {
      const frames = this.debugFramesOf(caller);
      iteration.debugFrames = [...frames.slice(0, -1), { ...frames[frames.length - 1], iteration: options.iteration }];
    }
    const owner = this.topLevel ? this.nodeRecord(caller) : this.owner;
    const free = (this.bodyRuns ??= new Map()).get(graph);
    let body: GraphRun | undefined = free?.pop();
    // A graph run is used again only by the same loop node (its owner and iterations are fixed at creation).
    if (body !== undefined && body.owner === owner && body.loop?.loopNodeId === caller.id) body.reset(iteration);
    else {
      body = new GraphRun({
        run: this.run,
        graph,
        rootInput: iteration.rootInput,
        nodesTable: iteration.nodesTable,
        extra: { item: iteration.item, index: iteration.index },
        parentSignal: iteration.parentSignal,
        loop: iteration.loop,
        owner,
        ownsIterations: this.topLevel,
        concurrency: this.concurrency,
        debugFrames: iteration.debugFrames,
      });
    }
    const run: GraphRun = body;
    const bodyRuns = this.bodyRuns;
    // One promise per iteration: the body settles it directly.
    return new Promise<unknown>((resolve, reject) =>
      run.begin((outcome) => {
        if (outcome.status !== 'completed') {
          reject(outcome.error instanceof Error ? outcome.error : new WeftError('cancelled', 'The loop iteration was cancelled.'));
          return;
        }
        // Every node has settled, so nothing of this iteration can call back into it: the next may use it.
        const pool = bodyRuns.get(graph);
        if (pool === undefined) bodyRuns.set(graph, [run]);
        else pool.push(run);
        resolve(outcome.output);
      }),
    );
  }

  // ---- helpers -----------------------------------------------------------------------------------

  /**
   * Emits an event of this graph run. A loop body's is tagged with its iteration and counted under its top-level
   * node's record first (iterations, AI usage), the way runProjection folds it.
   */
  private emit(draft: EventDraft): void {
    const loop = this.loop;
    if (loop) {
      (draft as { loop?: LoopScope }).loop = loop;
      const owner = this.owner;
      if (owner !== undefined && owner.status === 'running') {
        if (this.ownsIterations && (owner.iterations === undefined || owner.iterations <= loop.iteration)) owner.iterations = loop.iteration + 1;
        if (draft.type === 'node.completed' && draft.usage !== undefined) owner.usage = addUsage(owner.usage, draft.usage);
      }
    }
    this.run.emit(draft);
  }

  private nodeRecord(node: CompiledNode): NodeRecord {
    return this.run.record.nodes[node.id];
  }

  /** Sets the record's end and returns its time, for the event that reports it. */
  private finishTimes(record: NodeRecord, durationMs: number): string {
    const now = this.run.now();
    record.finishedAt = now;
    record.durationMs = durationMs;
    return now;
  }

  private serialize(error: Error, node: CompiledNode): SerializedError {
    const serialized = serializeError(error, node.id);
    if (serialized.hint === undefined && USER_CODE_ERRORS.has(serialized.code ?? '')) {
      // Code is not checked when the flow compiles: a misspelt `nodes.x` in it reads undefined and throws here.
      const ids = [...new Set([...this.graph.nodes.map((n) => n.id), ...this.run.flow.graph.nodes.map((n) => n.id)])];
      const hint = misspelledNodeHint(configTexts(node.rawConfig), ids);
      if (hint !== undefined) serialized.hint = hint;
    }
    if (!this.run.redactor.active) return serialized;
    serialized.message = this.run.redactor.text(serialized.message);
    if (serialized.stack) serialized.stack = this.run.redactor.text(serialized.stack);
    return serialized;
  }
}

/** Errors thrown by user code (a code node, a .flow.ts function), where a misspelt node id is worth a hint. */
const USER_CODE_ERRORS: ReadonlySet<string> = new Set(['sandbox-error', 'flow-error']);

const NO_PORTS: readonly string[] = [];
const DEFAULT_PORTS: readonly string[] = [DEFAULT_PORT];
const ERROR_PORTS: readonly string[] = [ERROR_PORT];
const NO_INPUTS: InputContribution[] = [];

/**
 * A copy of a `nodes` table that later writes keep fast: V8 makes writing a new key into an object copied with
 * spread (`{ ...table }`) cost about 4 µs, more than running a small node (bench: loop per-item cost).
 */
function copyTable(table: Record<string, unknown>): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of Object.keys(table)) copy[key] = table[key];
  return copy;
}

/** Durations to the microsecond, as the record keeps them. */
function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}

function toError(error: unknown): Error {
  if (error instanceof Error) return error;
  return new WeftError('flow-error', typeof error === 'string' ? error : JSON.stringify(error) ?? String(error));
}
