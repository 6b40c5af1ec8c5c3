// What `/_weft/status` (queue mode) and `weft status --queue` show: the queue's job counts, the workers that sent a
// heartbeat within its TTL, and the dead letter (jobs that exhausted their retries, or that no worker could run).

import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { WORKER_KEY_PREFIX } from './queueKeys';
import type { RunJobData } from './runJob';
import type { WorkerHeartbeat } from './queueWorker';

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  completed: number;
  failed: number;
}

export interface DeadLetter {
  jobId: string;
  executionId?: string;
  flowId: string;
  reason: string;
  attempts: number;
  failedAt?: string;
}

export interface QueueStatus {
  counts: QueueCounts;
  workers: WorkerHeartbeat[];
  /** Newest first, at most `deadLetterLimit`. */
  deadLetter: DeadLetter[];
}

export async function readQueueStatus(queue: Queue<RunJobData>, redis: Redis, deadLetterLimit = 20): Promise<QueueStatus> {
  const raw = await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed', 'prioritized');
  const counts: QueueCounts = {
    waiting: (raw.waiting ?? 0) + (raw.prioritized ?? 0),
    active: raw.active ?? 0,
    delayed: raw.delayed ?? 0,
    completed: raw.completed ?? 0,
    failed: raw.failed ?? 0,
  };
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, found] = await redis.scan(cursor, 'MATCH', `${WORKER_KEY_PREFIX}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...found);
  } while (cursor !== '0');
  const beats = keys.length === 0 ? [] : await redis.mget(...keys);
  const workers = beats.flatMap((text) => {
    if (!text) return [];
    try {
      return [JSON.parse(text) as WorkerHeartbeat];
    } catch {
      return [];
    }
  });
  workers.sort((a, b) => a.id.localeCompare(b.id));
  const failed = await queue.getFailed(0, deadLetterLimit - 1);
  const deadLetter = failed.map((job) => ({
    jobId: String(job.id),
    ...(job.data.executionId ? { executionId: job.data.executionId } : {}),
    flowId: job.data.flowId,
    reason: job.failedReason,
    attempts: job.attemptsMade,
    ...(job.finishedOn ? { failedAt: new Date(job.finishedOn).toISOString() } : {}),
  }));
  return { counts, workers, deadLetter };
}

/** Moves dead-letter jobs back to waiting (their checkpoints are kept: a worker resumes them). Returns those retried. */
export async function retryDeadLetter(queue: Queue<RunJobData>, jobIds: readonly string[] | 'all'): Promise<string[]> {
  const jobs = jobIds === 'all' ? await queue.getFailed(0, -1) : await Promise.all(jobIds.map((id) => queue.getJob(id)));
  const retried: string[] = [];
  for (const job of jobs) {
    if (!job || !(await job.isFailed())) continue;
    // A fresh count of refusals: the worker with the right version may be running now.
    if (job.data.refusals) await job.updateData({ ...job.data, refusals: 0 });
    await job.retry('failed');
    retried.push(String(job.id));
  }
  return retried;
}
