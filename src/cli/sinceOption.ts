// `--since`: a duration back from now (30m, 24h, 7d) or an ISO date or date-time (2026-11-30, 2026-11-30T08:00Z).

import { UsageError } from './cliTypes';

const UNIT_MS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };
const RELATIVE = /^(\d+)([mhd])$/;
const ISO_DATE = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** The start of the window as epoch ms. A date without a time is midnight UTC, as Date.parse reads it. */
export function parseSince(text: string, now: number): number {
  const trimmed = text.trim();
  const relative = RELATIVE.exec(trimmed);
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]];
  if (ISO_DATE.test(trimmed)) {
    const ms = Date.parse(trimmed.replace(' ', 'T'));
    if (!Number.isNaN(ms)) return ms;
  }
  throw new UsageError(`--since takes a duration back from now (30m, 24h, 7d) or an ISO date (2026-11-30): "${text}".`);
}
