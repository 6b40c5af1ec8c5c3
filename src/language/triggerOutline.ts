// Where the triggers of a .flow.json are and what they say, from the text alone: the editor puts "Copy webhook
// URL", "Send test webhook" and the next times of a schedule above them, and hover on a cron pattern lists its next
// five times. Broken text yields the triggers that parse.
//
// What a trigger means is the compiler's (compileTriggers.ts, cronSchedule.ts): the same defaults, and a webhook
// is listed only as the compiler accepts it, so the editor never offers the URL of a webhook `weft serve` refuses
// to serve (the compiler's `invalid-trigger` diagnostic says why).

import { DEFAULT_WEBHOOK_METHOD, hookPathProblem, webhookPathOf } from '../engine/model/compileTriggers';
import { DEFAULT_TIMEZONE, formatInZone, nextTimes, parseSchedule, ScheduleError } from '../engine/model/cronSchedule';
import type { Range } from '../engine/model/diagnostics';
import { webhookTriggerSchema } from '../engine/model/flowSchema';
import { parseJsonSource, type JsonSource } from '../engine/model/jsonSource';

export interface WebhookTriggerOutline {
  type: 'webhook';
  index: number;
  range: Range;
  /** Without the `/hooks/` prefix; the flow id when the trigger names no path. */
  path: string;
  method: string;
  /** The secret's template as written (`{{ secrets.NAME }}`), never a value. */
  secret?: string;
}

export interface ScheduleTriggerOutline {
  type: 'schedule';
  index: number;
  range: Range;
  cron: string;
  cronRange?: Range;
  timezone: string;
}

export type TriggerOutline = WebhookTriggerOutline | ScheduleTriggerOutline;

/** The triggers of a .flow.json; pass the parsed source when the caller has one, so the text is parsed once. */
export function triggersOf(text: string | JsonSource): TriggerOutline[] {
  const source = typeof text === 'string' ? parseJsonSource(text) : text;
  const flow = source.value as { id?: unknown; triggers?: unknown } | undefined;
  if (!Array.isArray(flow?.triggers)) return [];
  const triggers: TriggerOutline[] = [];
  flow.triggers.forEach((trigger: Record<string, unknown> | null, index: number) => {
    const range = source.rangeOf(['triggers', index]);
    if (!range || typeof trigger !== 'object' || trigger === null) return;
    if (trigger.type === 'webhook') {
      const webhook = webhookTriggerSchema.safeParse(trigger);
      if (!webhook.success) return;
      const path = webhookPathOf(webhook.data, typeof flow.id === 'string' ? flow.id : '');
      if (hookPathProblem(path) !== undefined) return;
      triggers.push({ type: 'webhook', index, range, path, method: webhook.data.method ?? DEFAULT_WEBHOOK_METHOD, secret: webhook.data.secret });
    } else if (trigger.type === 'schedule' && typeof trigger.cron === 'string') {
      triggers.push({
        type: 'schedule',
        index,
        range,
        cron: trigger.cron,
        cronRange: source.rangeOf(['triggers', index, 'cron']),
        timezone: typeof trigger.timezone === 'string' ? trigger.timezone : DEFAULT_TIMEZONE,
      });
    }
  });
  return triggers;
}

/** The next `count` times of a schedule, as people read them in its time zone; or why there are none. */
export function nextScheduleTimes(cron: string, timezone: string, count = 5, after: Date = new Date()): { times: string[] } | { error: string } {
  try {
    return { times: nextTimes(parseSchedule(cron, timezone), count, after).map((time) => formatInZone(time, timezone)) };
  } catch (error) {
    if (error instanceof ScheduleError) return { error: error.message };
    throw error;
  }
}

/** Markdown for hover on a schedule's cron pattern. */
export function scheduleHover(trigger: ScheduleTriggerOutline, after: Date = new Date()): string {
  const next = nextScheduleTimes(trigger.cron, trigger.timezone, 5, after);
  if ('error' in next) return `**Schedule** \`${trigger.cron}\`\n\n${next.error}`;
  return `**Schedule** \`${trigger.cron}\` (${trigger.timezone}), next 5 times:\n\n${next.times.map((t) => `- ${t}`).join('\n')}`;
}
