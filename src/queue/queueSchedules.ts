// Schedules in queue mode (spec section 15): each schedule trigger of a served flow becomes a BullMQ job scheduler,
// keyed by flow id, cron and time zone (schedulerId). Every `serve --queue` upserts the same schedulers, and BullMQ
// adds one job per due time (its id is the scheduler's and the due time's), so a schedule fires once per due time
// however many serves run, and keeps firing while none runs. The worker gives each such job its execution id
// (from the due time) and the trigger its `scheduledFor`.
//
// A scheduler of a served flow that its file no longer has is removed. Schedules of flows this serve does not
// serve are left alone: another serve may serve them. Missed due times while no worker ran are BullMQ's: the
// next job waits until a worker takes it (no catch-up run of their own, unlike single-process serve).

import type { Queue } from 'bullmq';
import type { ServedFlow } from '../live/activateFlows';
import { RUN_JOB_OPTIONS, schedulerId, type RunJobData } from './runJob';

export async function armQueueSchedules(queue: Queue<RunJobData>, served: readonly ServedFlow[], sources: ReadonlyMap<string, string>): Promise<string[]> {
  const wanted = new Set<string>();
  for (const { flow, schedules } of served) {
    const source = sources.get(flow.hash);
    for (const schedule of schedules) {
      const id = schedulerId(flow.id, schedule.cron, schedule.timezone);
      wanted.add(id);
      const data: RunJobData = {
        flowId: flow.id,
        flowHash: flow.hash,
        ...(flow.file ? { flowFile: flow.file } : {}),
        ...(source !== undefined ? { source } : {}),
        input: schedule.input,
        trigger: { type: 'schedule', cron: schedule.cron, timezone: schedule.timezone },
      };
      await queue.upsertJobScheduler(id, { pattern: schedule.cron, tz: schedule.timezone }, { name: 'schedule', data, opts: RUN_JOB_OPTIONS });
    }
  }
  const servedIds = new Set(served.map(({ flow }) => flow.id));
  for (const scheduler of await queue.getJobSchedulers(0, -1)) {
    const id = scheduler.id ?? scheduler.key;
    const flowId = served.find(({ flow }) => id.startsWith(`weft-${flow.id}-`))?.flow.id;
    if (flowId !== undefined && servedIds.has(flowId) && !wanted.has(id)) await queue.removeJobScheduler(id);
  }
  return [...wanted];
}
