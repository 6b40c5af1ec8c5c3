// How the history panel words times: the engine's own age and duration texts (runScope.ts, as the quick pick and
// hovers show them), plus what only a side-by-side view needs: a signed difference and a local start time.

import { describeAge, describeDuration } from '../../src/shared/describeTime';

export { describeAge, describeDuration };

/** "+12 ms", "−1.5 s", "±0 ms"; '' when either side is unknown. */
export function describeDelta(deltaMs: number | undefined): string {
  if (deltaMs === undefined) return '';
  if (deltaMs === 0) return '±0 ms';
  return `${deltaMs > 0 ? '+' : '−'}${describeDuration(Math.abs(deltaMs))}`;
}

/** "2025-06-12 09:03:27" in local time; the ISO text itself when it cannot be read. */
export function describeStart(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}

/**
 * The part of a run id that tells runs apart: ids are "<start time in base 36>-<random>", and runs of one day
 * share most of the time part, so a row shows the random part (the whole id is in its tooltip and search).
 */
export function shortRunId(id: string): string {
  const dash = id.lastIndexOf('-');
  const tail = dash >= 0 && dash < id.length - 1 ? id.slice(dash + 1) : id;
  return tail.length > 8 ? tail.slice(0, 8) : tail;
}
