// `weft serve --queue URL`: the queue mode a live server is started with (src/live/queueModeHooks.ts). It connects
// to Redis (failing the start when Redis cannot be reached), reads the source text of every served `.flow.json`
// (what its jobs carry, so a worker with another version runs this one) and keeps a copy per version under
// `<history>/live/definitions/<hash>.flow.json` so a past run can be opened against the version it ran; then
// starts the relay and returns the dispatcher.

import { Queue } from 'bullmq';
import { flowSourceHash, keepFlowVersion } from '../engine/history/flowVersions';
import { readSourceFile } from '../engine/load/readSourceFile';
import type { QueueMode, QueueModeContext, QueueModeFactory } from '../live/queueModeHooks';
import { connected, durableConnection, failFastConnection, parseRedisUrl, shownRedisUrl } from './queueConnection';
import { QueueDispatcher } from './queueDispatcher';
import { QUEUE_NAME, QUEUE_PREFIX } from './queueKeys';
import { armQueueSchedules } from './queueSchedules';
import { readQueueStatus } from './queueStatus';
import { RecordRelay } from './recordRelay';
import { RedisCircuitStore } from './redisCircuitStore';
import type { RunJobData } from './runJob';

const CONNECT_TIMEOUT_MS = 10_000;

export function queueMode(url: string): QueueModeFactory {
  return async (context: QueueModeContext): Promise<QueueMode> => {
    const target = parseRedisUrl(url);
    const shown = shownRedisUrl(url);
    const producer = failFastConnection(target, 'weft-serve');
    const relayConnection = durableConnection(target, 'weft-serve-relay');
    try {
      await Promise.all([connected(producer, CONNECT_TIMEOUT_MS, shown), connected(relayConnection, CONNECT_TIMEOUT_MS, shown)]);
    } catch (error) {
      producer.disconnect();
      relayConnection.disconnect();
      throw error;
    }
    const queue = new Queue<RunJobData>(QUEUE_NAME, { connection: producer, prefix: QUEUE_PREFIX });
    queue.on('error', () => undefined); // each failed add is reported to its caller

    const sources = await flowSources(context);
    const relay = new RecordRelay(relayConnection, context.history, {
      publish: context.publish,
      onError: (error) => context.log({ level: 'warn', kind: 'server', message: `Queue relay: ${error.message}; retrying.` }),
    });
    await relay.start();
    const circuits = new RedisCircuitStore(producer);
    const dispatcher = new QueueDispatcher({ queue, redis: producer, relay, history: context.history, sources, onEnqueue: context.onEnqueue });
    context.log({ level: 'info', kind: 'server', message: `Queue mode: runs go to ${shown}; this serve runs none itself (start workers with \`weft worker --queue ${shown}\`).` });

    return {
      dispatcher,
      armSchedules: async () => {
        const ids = await armQueueSchedules(queue, context.activation.served, sources);
        if (ids.length > 0) context.log({ level: 'info', kind: 'schedule', message: `${ids.length} schedule${ids.length === 1 ? '' : 's'} armed in the queue (each fires once per due time, whichever serve armed it).` });
      },
      status: async () => ({ url: shown, ...(await readQueueStatus(queue, producer)) }),
      circuits: () => circuits.circuits(),
      close: async () => {
        await relay.stop();
        await queue.close().catch(() => undefined);
        producer.disconnect();
      },
    };
  };
}

/** The source texts of the served `.flow.json` files whose text still has the hash they were compiled with. */
async function flowSources(context: QueueModeContext): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const flow of context.activation.compiled.values()) {
    if (!flow.file?.endsWith('.flow.json')) continue;
    let text: string | undefined;
    try {
      text = readSourceFile(flow.file);
    } catch {
      continue;
    }
    if (text === undefined || flowSourceHash(text) !== flow.hash) continue;
    sources.set(flow.hash, text);
    await keepFlowVersion(context.history.dir, flow.hash, text);
  }
  return sources;
}
