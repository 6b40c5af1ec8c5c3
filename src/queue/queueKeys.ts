// The names queue mode uses in Redis, in one place. BullMQ keeps its own keys under `weft:runs:*` (prefix
// `weft`, queue `runs`); Weft's own are beside them.

/** BullMQ's key prefix and queue name. */
export const QUEUE_PREFIX = 'weft';
export const QUEUE_NAME = 'runs';

/** The newest checkpoint of a run (its RunRecord as JSON): what a worker resumes from. */
export function runKey(executionId: string): string {
  return `weft:run:${executionId}`;
}

/** How long a run's checkpoint stays in Redis after its last write: long enough for any retry to find it. */
export const RUN_KEY_TTL_SECONDS = 7 * 24 * 3600;

/**
 * The stream every worker appends checkpoints and events to, and every `serve --queue` reads from its own cursor.
 * Trimmed (approximately) to this many entries: a serve stopped for longer than that many checkpoints misses the
 * oldest (their final records stay readable under runKey for RUN_KEY_TTL_SECONDS).
 */
export const EVENTS_STREAM = 'weft:events';
export const EVENTS_STREAM_MAX = 200_000;

/** Pub/sub channel on which a serve asks the workers to cancel a run (the message is its execution id). */
export const CANCEL_CHANNEL = 'weft:cancel';
/** Set with a TTL beside the message, so a worker that picks the run up later still sees it. */
export function cancelKey(executionId: string): string {
  return `weft:cancel:${executionId}`;
}

/** A worker's heartbeat (JSON, with a TTL). */
export const WORKER_KEY_PREFIX = 'weft:worker:';
export function workerKey(workerId: string): string {
  return `${WORKER_KEY_PREFIX}${workerId}`;
}

/**
 * The circuit breakers the workers share (src/queue/redisCircuitStore.ts): per target a hash (state, when it
 * opened, the probe in flight, the settings) and a sorted set of the failures in the window; an index of the
 * targets (member: target, score: when its keys expire) for `/_weft/status`. Every key has a TTL.
 */
export function circuitKey(target: string): string {
  return `weft:circuit:${target}`;
}
export function circuitFailuresKey(target: string): string {
  return `weft:circuit:${target}:failures`;
}
export const CIRCUITS_INDEX = 'weft:circuits';
/** An open circuit nobody calls is forgotten this long after its cooldown ended (it is closed again then). */
export const OPEN_CIRCUIT_KEEP_MS = 24 * 3600 * 1000;
