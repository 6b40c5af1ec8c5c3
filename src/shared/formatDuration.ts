// How every surface (the CLI, the timeline, CodeLens, hovers, history) writes a duration people read.
// Each unit rounds first and then checks whether the rounding reached the next unit, so a value just under a
// boundary reads as the next unit ("1 min 00 s", never "60.0 s" or "1 min 60 s").

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/** "0.42 ms", "850 ms", "4.2 s", "3 min 05 s", "1 h 02 min"; "–" for a value that is not a finite number. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '–';
  const value = Math.max(0, ms);
  const hundredths = Math.round(value * 100);
  if (hundredths < 100) return `${(hundredths / 100).toFixed(2)} ms`;
  const wholeMs = Math.round(value);
  if (wholeMs < SECOND) return `${wholeMs} ms`;
  const tenthsOfSecond = Math.round(value / 100);
  if (tenthsOfSecond < 600) return `${(tenthsOfSecond / 10).toFixed(1)} s`;
  const seconds = Math.round(value / SECOND);
  if (seconds < HOUR / SECOND) return `${Math.floor(seconds / 60)} min ${pad(seconds % 60)} s`;
  const minutes = Math.round(value / MINUTE);
  return `${Math.floor(minutes / 60)} h ${pad(minutes % 60)} min`;
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
