// `weft status --queue URL [--json]`: queue mode at a glance (spec section 15): job counts (waiting, active, delayed,
// completed, failed), the workers with a live heartbeat (host, pid, concurrency, active runs, last heartbeat), and
// the dead letter. `weft retry <jobId...> | --all --queue URL` moves dead-letter jobs back to the queue; a worker
// resumes each from its checkpoint.

import { Queue } from 'bullmq';
import { connected, failFastConnection, parseRedisUrl, shownRedisUrl } from '../../queue/queueConnection';
import { QUEUE_NAME, QUEUE_PREFIX } from '../../queue/queueKeys';
import { readQueueStatus, retryDeadLetter } from '../../queue/queueStatus';
import type { RunJobData } from '../../queue/runJob';
import { EXIT_FAILED, EXIT_OK, UsageError } from '../cliTypes';
import { dim, err, green, out, redErr, yellow } from '../terminal';
import { queueUrl } from './workerCommand';

export interface StatusOptions {
  queue?: string;
  json?: boolean;
  all?: boolean;
}

async function withQueue<T>(url: string, use: (queue: Queue<RunJobData>, redis: ReturnType<typeof failFastConnection>) => Promise<T>): Promise<T> {
  const redis = failFastConnection(parseRedisUrl(url), 'weft-status');
  try {
    await connected(redis, 5000, shownRedisUrl(url));
    const queue = new Queue<RunJobData>(QUEUE_NAME, { connection: redis, prefix: QUEUE_PREFIX });
    try {
      return await use(queue, redis);
    } finally {
      await queue.close().catch(() => undefined);
    }
  } finally {
    redis.disconnect();
  }
}

export async function statusCommand(options: StatusOptions): Promise<number> {
  const url = queueUrl(options.queue);
  let status;
  try {
    status = await withQueue(url, (queue, redis) => readQueueStatus(queue, redis));
  } catch (error) {
    err(redErr(`weft status: ${(error as Error).message}`));
    return EXIT_FAILED;
  }
  if (options.json) {
    out(JSON.stringify({ queue: shownRedisUrl(url), ...status }, null, 2));
    return EXIT_OK;
  }
  const { counts, workers, deadLetter } = status;
  out(green(`Queue ${shownRedisUrl(url)}`));
  out(`  waiting ${counts.waiting}  active ${counts.active}  delayed ${counts.delayed}  completed ${counts.completed}  failed ${counts.failed}`);
  out(workers.length === 0 ? yellow('No worker has sent a heartbeat lately (start one: weft worker --queue URL).') : `${workers.length} worker${workers.length === 1 ? '' : 's'}:`);
  for (const worker of workers) {
    const age = Math.max(0, Math.round((Date.now() - Date.parse(worker.lastHeartbeat)) / 1000));
    out(`  ${worker.host} pid ${worker.pid}  ${worker.activeRuns}/${worker.concurrency} running  ${dim(`heartbeat ${age} s ago · ${worker.id}`)}`);
  }
  if (deadLetter.length > 0) {
    out(yellow(`Dead letter (${counts.failed}; retry with weft retry <job> --queue URL, or --all):`));
    for (const job of deadLetter) out(`  ${job.jobId}  ${job.flowId}  ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}  ${dim(job.reason)}`);
  }
  return EXIT_OK;
}

export async function retryCommand(jobIds: readonly string[], options: StatusOptions): Promise<number> {
  const url = queueUrl(options.queue);
  if (jobIds.length === 0 && !options.all) throw new UsageError('Name the dead-letter jobs to retry (weft status lists them), or give --all.');
  let retried: string[];
  try {
    retried = await withQueue(url, (queue) => retryDeadLetter(queue, options.all ? 'all' : jobIds));
  } catch (error) {
    err(redErr(`weft retry: ${(error as Error).message}`));
    return EXIT_FAILED;
  }
  if (options.json) out(JSON.stringify({ retried }));
  else out(retried.length === 0 ? yellow('Nothing retried: no such job in the dead letter.') : green(`Retried ${retried.length}: ${retried.join(', ')}`));
  return retried.length === 0 && !options.all ? EXIT_FAILED : EXIT_OK;
}
