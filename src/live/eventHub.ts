// The live event stream of a server (spec section 14): every engine event of every run this server knows of, in
// the order they were published, each given a `cursor`, kept in a bounded buffer for clients that reconnect, and
// fanned out to the subscribers (WebSocket clients, SSE requests) whose filter it matches.
//
// Who publishes: runs in this process through StartRunOptions.onEvent (liveServer wires every start); in queue
// mode, the events workers relay through Redis. Publishing is synchronous and never throws: a subscriber that
// fails is the subscriber's problem.
//
// The cursor is `<stream>.<n>`: `stream` is random per hub (so per server process), `n` rises by one per event
// from 1. A client that passes back a cursor of another process (a restart, another `serve` behind a load
// balancer) can never have it taken for one of ours: it gets a reset, as it does when its cursor is older than
// the buffer.
//
// Replay and subscription happen in one synchronous call, so a subscriber sees every event after its `since`
// exactly once: nothing can be published between the replay and the start of live delivery.

import { randomBytes } from 'node:crypto';
import type { EngineEvent } from '../engine/run/events';
import type { RunDispatcher } from './runDispatcher';

/** A message of the stream: an engine event (spec section 11) plus the flow it belongs to and its cursor. */
export type StreamEvent = EngineEvent & { flowId: string; cursor: string };

/** Sent instead of a replay when `since` cannot be honoured: what was missed is no longer known here. */
export interface StreamReset {
  type: 'stream.reset';
  /** `too-old`: the events after `since` left the buffer; `other-stream`: `since` is not a cursor of this process (or not a cursor). */
  reason: 'too-old' | 'other-stream';
  message: string;
  /** The newest cursor now (absent before the first event): pass it as `since` next time. */
  cursor?: string;
}

/** One published event as the hub keeps it: serialized once, sent as it is to every subscriber. */
export interface HubEntry {
  n: number;
  cursor: string;
  executionId: string;
  /** The event's per-run `seq`. */
  seq: number;
  flowId: string;
  /** execution.completed, execution.failed or execution.cancelled: the run's last event. */
  terminal: boolean;
  /** The StreamEvent as JSON. */
  json: string;
}

/** Which events a subscriber gets: those of one run, of one flow, or (neither) all. */
export interface EventFilter {
  executionId?: string;
  flowId?: string;
}

/** Where a subscription starts: only what is published from now on, everything still buffered, or after a cursor. */
export type ReplayFrom = { kind: 'now' } | { kind: 'buffered' } | { kind: 'since'; cursor: string };

export interface SubscribeOptions {
  filter: EventFilter;
  from: ReplayFrom;
  /** Called for each matching entry: first the replay, synchronously inside subscribe, then as they are published. */
  onEntry: (entry: HubEntry) => void;
  /** Bytes this subscriber holds and has not yet handed to its client (summed in stats). */
  pendingBytes?: () => number;
}

export interface Subscription {
  /** Set when `from` could not be honoured; nothing was replayed then, and live delivery has started. */
  readonly reset: StreamReset | undefined;
  /** Stops delivery. `dropped`: the subscriber is ended for being too slow (counted in stats). */
  close(dropped?: boolean): void;
}

export interface RunEventHubOptions {
  /** Events kept for replay. Default 10,000. */
  bufferEvents?: number;
  /** Bytes of serialized events kept for replay. Default 16 MiB. */
  bufferBytes?: number;
  /** The stream id; default random. For tests. */
  streamId?: string;
}

export interface RunEventHubStats {
  streamId: string;
  /** The newest cursor, if any event was published. */
  cursor: string | undefined;
  published: number;
  bufferedEvents: number;
  bufferedBytes: number;
  subscribers: number;
  /** Sum over subscribers of the bytes they hold and have not yet handed to their client. */
  subscriberPendingBytes: number;
  /** Subscribers ended for being too slow, since the start. */
  dropped: number;
}

export const DEFAULT_EVENT_BUFFER_EVENTS = 10_000;
export const DEFAULT_EVENT_BUFFER_BYTES = 16 * 1024 * 1024;

interface Subscriber {
  filter: EventFilter;
  onEntry: (entry: HubEntry) => void;
  pendingBytes?: () => number;
}

const TERMINAL_TYPES: ReadonlySet<string> = new Set(['execution.completed', 'execution.failed', 'execution.cancelled']);

export function isTerminalEvent(type: string): boolean {
  return TERMINAL_TYPES.has(type);
}

export class RunEventHub {
  readonly streamId: string;
  private readonly maxEvents: number;
  private readonly maxBytes: number;
  /** The buffer: entries[start..] are live, oldest first, with consecutive `n`. */
  private entries: HubEntry[] = [];
  private start = 0;
  private bytes = 0;
  private n = 0;
  private droppedCount = 0;
  private readonly everything = new Set<Subscriber>();
  private readonly byExecution = new Map<string, Set<Subscriber>>();
  private readonly byFlow = new Map<string, Set<Subscriber>>();

  constructor(options: RunEventHubOptions = {}) {
    this.streamId = options.streamId ?? randomBytes(4).toString('hex');
    this.maxEvents = Math.max(1, options.bufferEvents ?? DEFAULT_EVENT_BUFFER_EVENTS);
    this.maxBytes = Math.max(1, options.bufferBytes ?? DEFAULT_EVENT_BUFFER_BYTES);
  }

  /** The newest cursor, or undefined before the first event. */
  get cursor(): string | undefined {
    return this.n === 0 ? undefined : this.cursorOf(this.n);
  }

  /**
   * Gives the event its cursor, keeps it for replay and hands it to every matching subscriber. The event must be
   * the redacted one the engine emitted (it is: the engine redacts secrets before emitting).
   */
  publish(event: EngineEvent, flowId: string): HubEntry {
    const n = ++this.n;
    const cursor = this.cursorOf(n);
    const json = serialize({ ...event, flowId, cursor });
    const entry: HubEntry = { n, cursor, executionId: event.executionId, seq: event.seq, flowId, terminal: TERMINAL_TYPES.has(event.type), json };
    this.keep(entry);
    this.deliver(this.everything, entry);
    const ofRun = this.byExecution.get(entry.executionId);
    if (ofRun) this.deliver(ofRun, entry);
    const ofFlow = this.byFlow.get(flowId);
    if (ofFlow) this.deliver(ofFlow, entry);
    return entry;
  }

  subscribe(options: SubscribeOptions): Subscription {
    const subscriber: Subscriber = { filter: options.filter, onEntry: options.onEntry, pendingBytes: options.pendingBytes };
    let reset: StreamReset | undefined;
    const from = options.from;
    if (from.kind === 'buffered') {
      this.replay(this.start, subscriber);
    } else if (from.kind === 'since') {
      const position = this.positionAfter(from.cursor);
      if (typeof position === 'number') this.replay(position, subscriber);
      else reset = position;
    }
    const set = this.setFor(subscriber.filter, true)!;
    set.add(subscriber);
    let closed = false;
    return {
      reset,
      close: (dropped = false) => {
        if (closed) return;
        closed = true;
        if (dropped) this.droppedCount++;
        set.delete(subscriber);
        if (set.size === 0 && set !== this.everything) {
          if (subscriber.filter.executionId !== undefined) this.byExecution.delete(subscriber.filter.executionId);
          else if (subscriber.filter.flowId !== undefined) this.byFlow.delete(subscriber.filter.flowId);
        }
      },
    };
  }

  /** The buffered entries of one run, oldest first. */
  bufferedOf(executionId: string): HubEntry[] {
    const out: HubEntry[] = [];
    for (let i = this.start; i < this.entries.length; i++) if (this.entries[i].executionId === executionId) out.push(this.entries[i]);
    return out;
  }

  stats(): RunEventHubStats {
    let subscribers = 0;
    let pending = 0;
    const count = (set: Set<Subscriber>): void => {
      for (const subscriber of set) {
        subscribers++;
        pending += subscriber.pendingBytes?.() ?? 0;
      }
    };
    count(this.everything);
    for (const set of this.byExecution.values()) count(set);
    for (const set of this.byFlow.values()) count(set);
    return {
      streamId: this.streamId,
      cursor: this.cursor,
      published: this.n,
      bufferedEvents: this.entries.length - this.start,
      bufferedBytes: this.bytes,
      subscribers,
      subscriberPendingBytes: pending,
      dropped: this.droppedCount,
    };
  }

  private cursorOf(n: number): string {
    return `${this.streamId}.${n}`;
  }

  /** The buffer index of the first entry after `cursor`, or why there is none to start from. */
  private positionAfter(cursor: string): number | StreamReset {
    const dot = cursor.lastIndexOf('.');
    const stream = dot === -1 ? '' : cursor.slice(0, dot);
    const digits = dot === -1 ? '' : cursor.slice(dot + 1);
    const n = /^\d{1,15}$/.test(digits) ? Number(digits) : NaN;
    if (stream !== this.streamId || !(n <= this.n)) {
      return this.makeReset('other-stream', `The cursor "${cursor.slice(0, 64)}" is not one of this server's event stream (it restarted, or the cursor came from another server): reload the runs you follow.`);
    }
    const oldest = this.start < this.entries.length ? this.entries[this.start].n : this.n + 1;
    if (n + 1 < oldest) {
      return this.makeReset('too-old', `The events after ${cursor} are no longer buffered: reload the runs you follow.`);
    }
    return this.start + (n + 1 - oldest);
  }

  private makeReset(reason: StreamReset['reason'], message: string): StreamReset {
    const reset: StreamReset = { type: 'stream.reset', reason, message };
    if (this.n > 0) reset.cursor = this.cursorOf(this.n);
    return reset;
  }

  private replay(from: number, subscriber: Subscriber): void {
    for (let i = from; i < this.entries.length; i++) {
      const entry = this.entries[i];
      if (matches(subscriber.filter, entry)) call(subscriber, entry);
    }
  }

  private keep(entry: HubEntry): void {
    this.entries.push(entry);
    this.bytes += entry.json.length;
    while (this.entries.length - this.start > this.maxEvents || (this.bytes > this.maxBytes && this.entries.length - this.start > 1)) {
      this.bytes -= this.entries[this.start].json.length;
      this.entries[this.start] = undefined as unknown as HubEntry;
      this.start++;
    }
    // Compact the array once half of it is evicted entries: amortized O(1) per event.
    if (this.start > 1024 && this.start * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.start);
      this.start = 0;
    }
  }

  private deliver(set: Set<Subscriber>, entry: HubEntry): void {
    for (const subscriber of set) call(subscriber, entry);
  }

  private setFor(filter: EventFilter, create: boolean): Set<Subscriber> | undefined {
    if (filter.executionId !== undefined) return getSet(this.byExecution, filter.executionId, create);
    if (filter.flowId !== undefined) return getSet(this.byFlow, filter.flowId, create);
    return this.everything;
  }
}

/** JSON of a message; a value JSON refuses (a BigInt, a cycle from a .flow.ts code node) becomes a string. */
function serialize(message: object): string {
  try {
    return JSON.stringify(message);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(message, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'object' && value !== null) {
        if (seen.has(value)) return '[Circular]';
        seen.add(value);
      }
      return value;
    });
  }
}

function getSet(map: Map<string, Set<Subscriber>>, key: string, create: boolean): Set<Subscriber> | undefined {
  let set = map.get(key);
  if (!set && create) map.set(key, (set = new Set()));
  return set;
}

function matches(filter: EventFilter, entry: HubEntry): boolean {
  if (filter.executionId !== undefined) return entry.executionId === filter.executionId;
  if (filter.flowId !== undefined) return entry.flowId === filter.flowId;
  return true;
}

function call(subscriber: Subscriber, entry: HubEntry): void {
  try {
    subscriber.onEntry(entry);
  } catch {
    // A subscriber's failure is its own (it closes itself); the others still get the event.
  }
}

/**
 * A dispatcher whose runs publish their events into `hub` (as well as to the starter's own onEvent). For runs that
 * execute in this process; a dispatcher whose runs execute elsewhere publishes the events it relays itself.
 */
export function publishingEvents(dispatcher: RunDispatcher, hub: RunEventHub): RunDispatcher {
  return {
    get size() {
      return dispatcher.size;
    },
    ids: () => dispatcher.ids(),
    start: (flow, options) => {
      const own = options.onEvent;
      const flowId = flow.id;
      return dispatcher.start(flow, {
        ...options,
        onEvent: (event) => {
          hub.publish(event, flowId);
          own?.(event);
        },
      });
    },
    cancel: (executionId, reason) => dispatcher.cancel(executionId, reason),
    settle: (timeoutMs) => dispatcher.settle(timeoutMs),
    cancelAll: () => dispatcher.cancelAll(),
    suspendAll: (reason) => dispatcher.suspendAll(reason),
  };
}
