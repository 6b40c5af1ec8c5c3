import { describe, expect, it, vi } from 'vitest';
import { nextTimes, parseSchedule, planCatchUp, ScheduleError, ScheduleTimer } from '../../../src/live/schedules';
import { WeftError } from '../../../src/engine/errors';

const iso = (dates: Date[]): string[] => dates.map((d) => d.toISOString());

describe('parseSchedule', () => {
  it('reads five fields in the given time zone', () => {
    // ARRANGE
    const cron = parseSchedule('0 7 * * 1-5', 'Europe/Berlin');
    // ACT
    const times = nextTimes(cron, 3, new Date('2024-07-05T12:00:00Z')); // a Friday, summer time (UTC+2)
    // ASSERT
    expect(iso(times)).toEqual(['2024-07-08T05:00:00.000Z', '2024-07-09T05:00:00.000Z', '2024-07-10T05:00:00.000Z']);
  });

  it('defaults to UTC and accepts a sixth field for seconds', () => {
    // ACT
    const minutes = nextTimes(parseSchedule('*/15 * * * *'), 2, new Date('2024-01-01T00:00:00Z'));
    const seconds = nextTimes(parseSchedule('*/2 * * * * *'), 2, new Date('2024-01-01T00:00:00.500Z'));
    // ASSERT
    expect(iso(minutes)).toEqual(['2024-01-01T00:15:00.000Z', '2024-01-01T00:30:00.000Z']);
    expect(iso(seconds)).toEqual(['2024-01-01T00:00:02.000Z', '2024-01-01T00:00:04.000Z']);
  });

  it('says what is wrong with a pattern or a time zone', () => {
    // ACT / ASSERT
    expect(() => parseSchedule('0 7 * *')).toThrow(ScheduleError);
    expect(() => parseSchedule('0 7 * *')).toThrow(/4 fields/);
    expect(() => parseSchedule('0 0 7 * * * 2030')).toThrow(/7 fields/);
    expect(() => parseSchedule('61 * * * *')).toThrow(/not a cron pattern/);
    expect(() => parseSchedule('0 7 * * *', 'Mars/Olympus')).toThrow(/not a time zone/);
  });

  it('throws the user\'s error with the engine\'s invalid-trigger code', () => {
    // ACT
    const error = (() => {
      try {
        parseSchedule('61 * * * *');
      } catch (caught) {
        return caught;
      }
    })();

    // ASSERT
    expect(error).toBeInstanceOf(WeftError);
    expect(error).toMatchObject({ name: 'ScheduleError', code: 'invalid-trigger', kind: 'user' });
  });
});

describe('planCatchUp', () => {
  const hourly = parseSchedule('0 * * * *');

  it('owes nothing to a schedule that never ran', () => {
    // ACT / ASSERT
    expect(planCatchUp(hourly, undefined, new Date('2024-01-01T10:30:00Z'))).toBeUndefined();
  });

  it('owes nothing when no due time passed since the last run', () => {
    // ACT / ASSERT
    expect(planCatchUp(hourly, new Date('2024-01-01T10:00:00Z'), new Date('2024-01-01T10:59:59Z'))).toBeUndefined();
  });

  it('owes one run for the most recent missed time, counting all the missed ones', () => {
    // ARRANGE: last ran for 06:00; down until 10:30, so 07:00, 08:00, 09:00 and 10:00 were missed
    const last = new Date('2024-01-01T06:00:00Z');
    // ACT
    const plan = planCatchUp(hourly, last, new Date('2024-01-01T10:30:00Z'));
    // ASSERT
    expect(plan).toEqual({ dueAt: new Date('2024-01-01T10:00:00Z'), missed: 4 });
  });

  it('stops counting at the cap and still picks the most recent time', () => {
    // ARRANGE
    const everyMinute = parseSchedule('* * * * *');
    // ACT
    const plan = planCatchUp(everyMinute, new Date('2024-01-01T00:00:00Z'), new Date('2024-03-01T12:34:56Z'), 100);
    // ASSERT
    expect(plan).toEqual({ dueAt: new Date('2024-03-01T12:34:00Z'), missed: 100 });
  });
});

describe('ScheduleTimer', () => {
  it('fires a schedule of every second at each second, with the time it was due for, and not after stop()', () => {
    // ARRANGE: a fake clock, 300 ms into a second (the real timer's punctuality is served in test/integration/serve.test.ts).
    vi.useFakeTimers({ now: Date.parse('2024-01-01T00:00:00.300Z') });
    try {
      const fired: { dueAt: Date; at: number; missed: number }[] = [];
      const timer = new ScheduleTimer(parseSchedule('* * * * * *'), (dueAt, missed) => fired.push({ dueAt, at: Date.now(), missed }));
      // ACT
      timer.start();
      const next = timer.next!;
      vi.advanceTimersByTime(2300);
      timer.stop();
      vi.advanceTimersByTime(1100);
      // ASSERT
      expect(fired[0].dueAt).toEqual(next);
      expect(fired.map((f) => [f.dueAt.toISOString(), f.at - f.dueAt.getTime(), f.missed])).toEqual([
        ['2024-01-01T00:00:01.000Z', 0, 0],
        ['2024-01-01T00:00:02.000Z', 0, 0],
      ]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('fires once for the latest of several late times, counting every time it stands for', () => {
    // ARRANGE: a clock that jumps ahead while the timer waits (the machine slept from 00:00:30 to 00:10:30)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let now = Date.parse('2024-01-01T00:00:30Z');
      const fired: { dueAt: Date; missed: number }[] = [];
      const timer = new ScheduleTimer(parseSchedule('* * * * *'), (dueAt, missed) => fired.push({ dueAt, missed }), { now: () => now });
      timer.start();
      now = Date.parse('2024-01-01T00:10:30Z');
      // ACT
      vi.advanceTimersByTime(30_000);
      timer.stop();
      // ASSERT: 00:01 to 00:10 were all due; one run, for 00:10
      expect(fired).toEqual([{ dueAt: new Date('2024-01-01T00:10:00Z'), missed: 10 }]);
    } finally {
      vi.useRealTimers();
    }
  });
});
