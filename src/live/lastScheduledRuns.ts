// When each schedule of a flow last ran, from history: the baseline of the missed-run policy (schedules.ts). A
// scheduled run records `{ type: 'schedule', cron, timezone, scheduledFor }` in its trigger; a schedule is known
// by its cron and time zone, so a schedule whose pattern changed starts afresh (it has missed nothing).

import type { HistoryStore } from '../engine/history/historyStore';

/** How many of a flow's newest scheduled runs are read to find each schedule's latest time. */
const RECORDS_READ = 20;

export function scheduleKey(cron: string, timezone: string): string {
  return `${cron.trim()}\u0000${timezone}`;
}

/** The latest `scheduledFor` of each schedule (by scheduleKey) among the flow's recent scheduled runs. */
export async function lastScheduledRuns(history: HistoryStore, flowId: string): Promise<Map<string, Date>> {
  const latest = new Map<string, Date>();
  const summaries = await history.list({ flowId, triggerType: 'schedule', limit: RECORDS_READ });
  for (const summary of summaries) {
    const record = await history.get(summary.id).catch(() => undefined);
    const trigger = record?.trigger;
    if (!trigger || typeof trigger.cron !== 'string' || typeof trigger.scheduledFor !== 'string') continue;
    const at = new Date(trigger.scheduledFor);
    if (Number.isNaN(at.getTime())) continue;
    const key = scheduleKey(trigger.cron, typeof trigger.timezone === 'string' ? trigger.timezone : 'UTC');
    const known = latest.get(key);
    if (known === undefined || at > known) latest.set(key, at);
  }
  return latest;
}
