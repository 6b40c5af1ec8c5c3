// The engine's debugging hook. A debugger (src/debug, speaking DAP) hands a run a gate; the engine asks it before
// each node starts and tells it after each node ends. The engine knows nothing of what the gate does with that
// (stop, log, change the input): it only waits for the answer. With no gate the engine takes none of these paths
// (one `undefined` check per node start; bench: "debug hook").

import type { Scope } from '../expr/scope';
import type { CompiledNode } from '../model/compiledFlow';

/** One level of where a node runs: an enclosing node (a subflow call, a loop iteration) or the node itself. */
export interface DebugFrame {
  nodeId: string;
  /** The flow the node belongs to. */
  flowId: string;
  flowFile?: string;
  executionId: string;
  /** Set on a loop node's frame for the nodes of one iteration of its body. */
  iteration?: number;
}

/** A node about to start (or just ended), as the gate sees it. */
export interface GatedNode {
  readonly node: CompiledNode;
  readonly nodeId: string;
  /** Outermost first; the last frame is this node's. */
  readonly frames: readonly DebugFrame[];
  /** What the node will receive. */
  readonly input: unknown;
  /** The node's scope with `input` bound. */
  readonly scope: Scope;
  /** The config with its templates resolved in `scope` (throws what the node would throw). */
  config(): unknown;
}

export type GateDecision =
  /** Run the node; with `input`, on that input instead of the one it was given. */
  | { action: 'run'; input?: unknown }
  /** Do not run the node: it ends skipped with this output, which flows on through `out`. */
  | { action: 'skip'; output: unknown };

export interface NodeEnd {
  ok: boolean;
  output?: unknown;
  error?: unknown;
  /** A failure the flow handles (error port, onError skip, a retry to come): the run goes on. */
  handled?: boolean;
  /** Set when another attempt follows this failed one. */
  retrying?: boolean;
}

export interface DebugGate {
  beforeNode(target: GatedNode): GateDecision | Promise<GateDecision>;
  /** Resolves true to run the node again (restart frame), false to let the result stand. */
  afterNode(target: GatedNode, end: NodeEnd): boolean | Promise<boolean>;
}

/** What a run passes down to its graph runs and subflow runs while a debugger is attached. */
export interface DebugAttachment {
  gate: DebugGate;
  /** The frames of the node that started this run (a subflow call), empty for the top run. */
  frames: readonly DebugFrame[];
}
