// Schedule triggers (spec section 8): cron patterns read by croner, a timer per schedule, and the policy for the
// times that passed while nothing was serving.
//
// croner computes the times; the timer is ours (one setTimeout to the next due time, armed again after each
// firing) so that each firing knows the exact time it was due for (`scheduledFor` in the run's trigger), which a
// catch-up after a restart needs to find the last one that ran.
//
// Missed runs: a schedule that was due while no `weft serve` ran is not silently dropped, nor replayed once per
// missed time (a schedule every minute, down for a day, would start 1,440 runs at once). On start, if the
// schedule has run before (a run in history whose trigger names the same cron and time zone) and at least one due
// time has passed since that run's `scheduledFor`, ONE catch-up run starts, for the most recent missed time, with
// `catchUp: true` and `missed: <how many were missed>` in its trigger. A schedule that never ran has missed
// nothing.

import { Cron } from 'croner';

// Checking a pattern and its defaults are the compiler's (a bad one is an `invalid-trigger`); live mode arms the
// patterns the compiler read (CompiledFlow.triggers).
export { formatInZone, nextTimes, parseSchedule, ScheduleError } from '../engine/model/cronSchedule';

/** Missed times counted before giving up counting (the count then reads as "at least"). */
export const MAX_MISSED_COUNTED = 10_000;

/** The longest a single timer is set for; a due time further away is reached in several steps. */
const MAX_TIMER_MS = 2_147_483_647;

export interface CatchUp {
  /** The most recent due time that was missed: the catch-up run is for it. */
  dueAt: Date;
  /** How many due times were missed (capped at MAX_MISSED_COUNTED). */
  missed: number;
}

/**
 * The catch-up a schedule owes at `now`: undefined when it never ran (`lastScheduledFor` undefined) or when no
 * due time has passed since its last run.
 */
export function planCatchUp(cron: Cron, lastScheduledFor: Date | undefined, now: Date, maxCounted = MAX_MISSED_COUNTED): CatchUp | undefined {
  if (lastScheduledFor === undefined || Number.isNaN(lastScheduledFor.getTime())) return undefined;
  let missed = 0;
  let dueAt: Date | undefined;
  // enumerate yields times strictly after its start: the last run's own time is not counted again.
  for (const time of cron.enumerate(lastScheduledFor)) {
    if (time.getTime() > now.getTime()) break;
    dueAt = time;
    if (++missed >= maxCounted) {
      // Too many to count: the most recent one is still the one to run.
      dueAt = cron.previousRuns(1, now)[0] ?? dueAt;
      break;
    }
  }
  return dueAt === undefined ? undefined : { dueAt, missed };
}

export interface ScheduleTimerOptions {
  /** Milliseconds since the epoch. Default Date.now. */
  now?: () => number;
}

/**
 * Calls `onDue(dueAt, missed)` at each due time of `cron` from `start()` until `stop()`, with `missed` 0. A timer
 * that fires a little early (they may) is set again for the rest. One that fires so late that later due times have
 * passed too (the machine slept, the event loop was blocked) fires once, for the most recent of them, with
 * `missed` counting every due time it stands for: the same policy, and the same count, as a catch-up after a
 * restart.
 */
export class ScheduleTimer {
  private timer: NodeJS.Timeout | undefined;
  private due: Date | undefined;
  private stopped = true;
  private readonly now: () => number;

  constructor(
    private readonly cron: Cron,
    private readonly onDue: (dueAt: Date, missed: number) => void,
    options: ScheduleTimerOptions = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /** The next due time, while started. */
  get next(): Date | undefined {
    return this.due;
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.arm(new Date(this.now()));
  }

  stop(): void {
    this.stopped = true;
    this.due = undefined;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private arm(after: Date): void {
    this.due = this.cron.nextRun(after) ?? undefined;
    this.wait();
  }

  private wait(): void {
    if (this.stopped || this.due === undefined) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, this.due.getTime() - this.now()));
    this.timer = setTimeout(() => this.tick(), delay);
  }

  private tick(): void {
    this.timer = undefined;
    const due = this.due;
    if (this.stopped || due === undefined) return;
    const now = this.now();
    if (now < due.getTime()) {
      this.wait();
      return;
    }
    let fireAt = due;
    let missed = 0;
    const late = planCatchUp(this.cron, due, new Date(now));
    if (late) {
      // `due` itself and every later time that has passed as well.
      fireAt = late.dueAt;
      missed = late.missed + 1;
    }
    this.arm(fireAt);
    try {
      this.onDue(fireAt, missed);
    } catch {
      // onDue reports its own failures; the schedule goes on.
    }
  }
}
