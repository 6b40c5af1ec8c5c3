import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDuration } from '../../../src/shared/formatDuration';

/** Reads a formatted duration back as milliseconds: an independent model of what the text says. */
function readBack(text: string): number {
  const units: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };
  let total = 0;
  for (const [, amount, unit] of text.matchAll(/([\d.]+) (ms|s|min|h)\b/g)) total += Number(amount) * units[unit!]!;
  return total;
}

const durations = fc.oneof(
  fc.double({ min: 0, max: 10, noNaN: true }),
  fc.double({ min: 0, max: 200_000, noNaN: true }),
  fc.double({ min: 0, max: 100 * 3_600_000, noNaN: true }),
  fc.integer({ min: 0, max: 10_000_000 }),
);

describe('formatDuration', () => {
  it('carries a value that rounds up to the next unit into that unit', () => {
    // Two of the three former formatters printed "1 min 60 s" and "60.0 s" here.
    expect(formatDuration(119_600)).toBe('2 min 00 s');
    expect(formatDuration(59_990)).toBe('1 min 00 s');
    expect(formatDuration(999.6)).toBe('1.0 s');
    expect(formatDuration(0.999)).toBe('1 ms');
    expect(formatDuration(3_599_600)).toBe('1 h 00 min');
  });

  it('writes each unit the way people read it', () => {
    expect(formatDuration(0.42)).toBe('0.42 ms');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(4_230)).toBe('4.2 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_720_000)).toBe('1 h 02 min');
    expect(formatDuration(undefined)).toBe('–');
    expect(formatDuration(Number.NaN)).toBe('–');
  });

  it('never writes a unit at or past its limit', () => {
    fc.assert(
      fc.property(durations, (ms) => {
        const text = formatDuration(ms);
        expect(text).not.toMatch(/^(60(\.0)? s|1000 ms|1\.00 ms)$/);
        expect(text).not.toMatch(/ 60 s$| 60 min$/);
        expect(text).toMatch(/^(\d\.\d\d ms|\d{1,3} ms|\d{1,2}\.\d s|\d{1,2} min \d\d s|\d+ h \d\d min)$/);
      }),
    );
  });

  it('is monotone: a longer duration never reads as less time', () => {
    fc.assert(
      fc.property(durations, durations, (a, b) => {
        const [shorter, longer] = a <= b ? [a, b] : [b, a];
        expect(readBack(formatDuration(shorter))).toBeLessThanOrEqual(readBack(formatDuration(longer)));
      }),
    );
  });

  it('is close to the value: off by at most half of its last digit', () => {
    fc.assert(
      fc.property(durations, (ms) => {
        const text = formatDuration(ms);
        const step = text.endsWith(' min') && text.includes(' h ') ? 60_000 : text.includes(' min ') ? 1000 : text.endsWith(' s') ? 100 : text.includes('.') ? 0.01 : 1;
        expect(Math.abs(readBack(text) - ms)).toBeLessThanOrEqual(step / 2 + 1e-9 * Math.max(1, ms));
      }),
    );
  });
});
