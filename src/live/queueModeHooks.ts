// The seam between live mode and queue mode (spec section 15). Live mode may not import src/queue (queue mode
// builds on live mode), so the CLI passes `startLiveServer` a factory: given what the server owns, it returns the
// dispatcher that enqueues runs instead of running them, the schedules armed as queue job schedulers, and the
// queue's part of `/_weft/status`.

import type { CircuitSnapshot } from '../engine/circuit/circuitBreaker';
import type { HistoryStore } from '../engine/history/historyStore';
import type { EngineEvent } from '../engine/run/events';
import type { Activation } from './activateFlows';
import type { RunDispatcher } from './runDispatcher';
import type { LiveLogEntry } from './webhookHandler';

export interface QueueModeContext {
  history: HistoryStore;
  activation: Activation;
  /** Into the server's event hub: every event relayed from the workers, in order per run. */
  publish(event: EngineEvent, flowId: string): void;
  log(entry: LiveLogEntry): void;
  /** Told of each enqueue: `error` undefined when it succeeded (while Redis fails, requests are answered 503). */
  onEnqueue(error: unknown): void;
}

export interface QueueMode {
  dispatcher: RunDispatcher;
  /** Arms the served flows' schedules in the queue: each fires once per due time however many serves run. */
  armSchedules(): Promise<void>;
  /** The queue's part of `/_weft/status`: counts, workers, dead letter. */
  status(): Promise<unknown>;
  /** The circuit breakers the workers share: `/_weft/status` lists these instead of this process's. */
  circuits(): Promise<CircuitSnapshot[]>;
  /** Stops relaying (after what was read is in history) and closes the connections. */
  close(): Promise<void>;
}

export type QueueModeFactory = (context: QueueModeContext) => Promise<QueueMode>;
