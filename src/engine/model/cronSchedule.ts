// A schedule trigger's cron pattern and time zone (spec section 8), read by croner. The compiler checks them (a
// bad one is an `invalid-trigger`, so `weft validate` and the editor see it); live mode arms its timers with the
// Cron this returns.

import { Cron } from 'croner';
import { WeftError } from '../errors';

export const DEFAULT_TIMEZONE = 'UTC';

/** A cron pattern or time zone that cannot be used: the user's error, code `invalid-trigger`. */
export class ScheduleError extends WeftError {
  constructor(message: string) {
    super('invalid-trigger', message, { kind: 'user', name: 'ScheduleError' });
  }
}

/**
 * A schedule's pattern, checked: five fields (minute hour day-of-month month day-of-week), as the spec says, or
 * six with seconds first (a finer schedule for tests and demos). Throws a ScheduleError saying what is wrong.
 */
export function parseSchedule(pattern: string, timezone: string = DEFAULT_TIMEZONE): Cron {
  const fields = pattern.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) {
    throw new ScheduleError(
      `"${pattern}" has ${fields} field${fields === 1 ? '' : 's'}: a schedule is "minute hour day-of-month month day-of-week" (or six fields, seconds first).`,
    );
  }
  let cron: Cron;
  try {
    cron = new Cron(pattern, { timezone, mode: '5-or-6-parts' });
  } catch (error) {
    throw new ScheduleError(`"${pattern}" is not a cron pattern: ${stripPrefix((error as Error).message)}`);
  }
  try {
    // croner checks the time zone only when it computes a time.
    cron.nextRun();
  } catch {
    throw new ScheduleError(`"${timezone}" is not a time zone: use an IANA name such as "UTC" or "Europe/Berlin".`);
  }
  return cron;
}

function stripPrefix(message: string): string {
  return message.replace(/^CronPattern:\s*/, '');
}

/** The next `count` due times strictly after `after` (default now). */
export function nextTimes(cron: Cron, count: number, after: Date = new Date()): Date[] {
  return cron.nextRuns(count, after);
}

/** `Mon 2025-01-06 07:00:00 Europe/Berlin`: how a person checks a schedule. */
export function formatInZone(time: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(time);
  const part = (type: Intl.DateTimeFormatPartTypes): string => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('weekday')} ${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} ${timeZone}`;
}
