// What a queued run carries from the `serve` that accepted it to the worker that runs it, and the BullMQ job
// options every run is added with (webhooks, the run API and schedules alike).

import { createHash } from 'node:crypto';
import type { JobsOptions } from 'bullmq';
import type { RunRecord, TriggerInfo } from '../engine/run/runRecord';

export interface RunJobData {
  /** Absent on a schedule's jobs: the worker derives it from the due time (scheduledExecutionId). */
  executionId?: string;
  flowId: string;
  /** The hash of the flow version the run was started with: a worker runs exactly this version or refuses. */
  flowHash: string;
  /** The serve's path of the flow file (where a worker without the flow compiles the carried source). */
  flowFile?: string;
  /** A `.flow.json`'s source text, whose hash is flowHash: a worker whose file differs runs this. */
  source?: string;
  input?: unknown;
  trigger: TriggerInfo;
  /** Run API resume: the run to reuse completed nodes from. */
  resumeFrom?: RunRecord;
  rerunFrom?: string;
  /** Input properties the record keeps masked (StartRunOptions.maskInputKeys). */
  maskInputKeys?: readonly string[];
  /** How many workers refused it for not having its version (see queueWorker.ts). */
  refusals?: number;
}

/** Queue-level retries, for infrastructure failures only (a failing node is a completed job with a failed record). */
export const JOB_ATTEMPTS = 5;
export const JOB_BACKOFF_MS = 1000;

export const RUN_JOB_OPTIONS: JobsOptions = {
  attempts: JOB_ATTEMPTS,
  backoff: { type: 'exponential', delay: JOB_BACKOFF_MS },
  // Completed jobs are history's business, not Redis's: a few are kept for `weft status`. Failed ones are the
  // dead letter: all kept until retried or removed.
  removeOnComplete: { count: 1000 },
  removeOnFail: false,
};

/** A schedule's job scheduler id: one per flow, cron and time zone, whichever serve upserts it. */
export function schedulerId(flowId: string, cron: string, timezone: string): string {
  return `weft-${flowId}-${createHash('sha256').update(`${cron}\n${timezone}`).digest('hex').slice(0, 12)}`;
}

/** The execution id of a schedule's run, the same on every attempt: the due time first, as newExecutionId does. */
export function scheduledExecutionId(jobSchedulerId: string, dueAtMs: number): string {
  return `${dueAtMs.toString(36).padStart(9, '0')}-${createHash('sha256').update(jobSchedulerId).digest('hex').slice(0, 8)}`;
}
