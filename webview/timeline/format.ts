// How the panel writes times, durations, tokens and money. Pure, shared by the components and the log download.

export { formatDuration } from '../../src/shared/formatDuration';

/** "1,234". */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** "$0.0042": AI calls cost fractions of a cent, so small amounts keep four decimals. */
export function formatCost(usd: number): string {
  return usd >= 1 ? `$${usd.toFixed(2)}` : `$${usd.toFixed(4)}`;
}

/** "14:03:55.100" in local time. */
export function formatClock(epochMs: number): string {
  const d = new Date(epochMs);
  const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Round tick positions (ms from the start) for a time axis `spanMs` long, about `count` of them. */
export function axisTicks(spanMs: number, count = 5): number[] {
  if (!(spanMs > 0)) return [0];
  const raw = spanMs / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = 0; t <= spanMs + 1e-9; t += step) ticks.push(t);
  return ticks;
}
