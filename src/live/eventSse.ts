// The events of one run as Server-Sent Events (spec section 14), for `curl -N` and EventSource:
// `GET /_weft/runs/<executionId>/events`. Each message is `id: <cursor>` and `data: <the event as on the
// WebSocket>`; a `Last-Event-ID` header (what EventSource sends when it reconnects) replays what came after it.
//
// - A run whose events are in the buffer (eventHub.ts): all of them, from its first still buffered, then live.
// - The response ends after the run's terminal event (execution.completed, .failed or .cancelled).
// - A run that has ended and whose events left the buffer: one message synthesized from its record,
//   `{ "type": "execution.<status>", "executionId", "flowId", "status", "synthesized": true, ... }` without an
//   `id:`, then the end.
// - A `Last-Event-ID` that cannot be honoured (too old, another server process): a `stream.reset` message
//   first (as on the WebSocket), then what the run does from now.
// - Unknown run: 404 (JSON, before any event).
//
// A client that reads too slowly is cut off once its response holds more than the limit unsent; it reconnects
// with Last-Event-ID. A comment line every 15 s keeps proxies from closing a quiet stream.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HistoryStore } from '../engine/history/historyStore';
import type { RunRecord } from '../engine/run/runRecord';
import type { HubEntry, ReplayFrom, RunEventHub, Subscription } from './eventHub';
import type { RunDispatcher } from './runDispatcher';
import { send } from './webhookHandler';

export const SSE_HEARTBEAT_MS = 15_000;

export interface EventSseContext {
  hub: RunEventHub;
  history: HistoryStore;
  runs: RunDispatcher;
  /** Bytes a response may hold unsent before the client is cut off. */
  maxClientBufferedBytes: number;
}

export class EventStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly context: EventSseContext) {}

  get size(): number {
    return this.open.size;
  }

  async handle(request: IncomingMessage, response: ServerResponse, executionId: string): Promise<void> {
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(response, 405, { error: { message: 'This accepts GET.', code: 'method-not-allowed' } }, { allow: 'GET, HEAD' });
      return;
    }
    const { hub, history, runs } = this.context;
    const lastEventId = single(request.headers['last-event-id'])?.trim();
    const record = await history.get(executionId).then(
      (found) => (found?.id === executionId ? found : undefined),
      () => undefined,
    );
    const known = record !== undefined || runs.ids().includes(executionId) || hub.bufferedOf(executionId).length > 0;
    if (!known) {
      send(response, 404, { error: { message: `No run ${executionId}.`, code: 'not-found' } });
      return;
    }
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    this.open.add(response);

    let ended = false;
    // Set once subscribe returns; deliveries during its replay come before.
    const held: { subscription?: Subscription } = {};
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), SSE_HEARTBEAT_MS);
    heartbeat.unref();
    const end = (): void => {
      if (ended) return;
      ended = true;
      clearInterval(heartbeat);
      held.subscription?.close();
      this.open.delete(response);
      response.end();
    };
    response.on('close', end);

    // Without Last-Event-ID: the run from its first buffered event; if that is not its first event, say so.
    const buffered = hub.bufferedOf(executionId);
    const from: ReplayFrom = lastEventId ? { kind: 'since', cursor: lastEventId } : { kind: 'buffered' };
    if (!lastEventId && buffered.length > 0 && buffered[0].seq !== 1) {
      response.write(data({ type: 'stream.reset', reason: 'too-old', message: "The run's first events are no longer buffered; its record has them.", cursor: hub.cursor }));
    }
    const deliver = (entry: HubEntry): void => {
      if (ended) return;
      if (response.writableLength > this.context.maxClientBufferedBytes) {
        held.subscription?.close(true);
        end(); // too slow: it reconnects with Last-Event-ID
        return;
      }
      response.write(`id: ${entry.cursor}\ndata: ${entry.json}\n\n`);
      if (entry.terminal) end();
    };
    const subscription = (held.subscription = hub.subscribe({ filter: { executionId }, from, onEntry: deliver, pendingBytes: () => response.writableLength }));
    if (ended) {
      subscription.close();
      return;
    }
    if (subscription.reset) response.write(data(subscription.reset));
    // An ended run whose terminal event this client will never get from the stream: from its record.
    if (record !== undefined && record.status !== 'running') {
      const terminalBuffered = buffered.some((entry) => entry.terminal);
      if (!terminalBuffered || subscription.reset) response.write(data(synthesizedEnd(record)));
      end();
    }
  }

  /** Ends every stream: the server stops. */
  closeAll(): void {
    for (const response of [...this.open]) response.end();
    this.open.clear();
  }
}

function synthesizedEnd(record: RunRecord): Record<string, unknown> {
  const message: Record<string, unknown> = {
    type: `execution.${record.status}`,
    executionId: record.id,
    flowId: record.flowId,
    status: record.status,
    synthesized: true,
  };
  if (record.finishedAt !== undefined) message.ts = record.finishedAt;
  if (record.durationMs !== undefined) message.durationMs = record.durationMs;
  if (record.status === 'completed') message.output = record.output ?? null;
  if (record.error !== undefined) message.error = record.error;
  return message;
}

function data(message: unknown): string {
  return `data: ${JSON.stringify(message)}\n\n`;
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}
