// How long ago, and how long, in the words of a sentence (CodeLens, hovers, the history picker and panel).

import { formatDuration } from './formatDuration';

/** "just now", "5 min ago", "3 h ago", "2 days ago". */
export function describeAge(iso: string | undefined, now: number): string {
  const time = iso === undefined ? Number.NaN : Date.parse(iso);
  if (Number.isNaN(time)) return 'time unknown';
  const seconds = Math.max(0, Math.round((now - time) / 1000));
  if (seconds < 45) return 'just now';
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.round(hours / 24);
  return days === 1 ? 'yesterday' : `${days} days ago`;
}

/** A run's duration for a sentence ("completed in 4.2 s"); empty when the record has none. */
export function describeDuration(ms: number | undefined): string {
  return ms === undefined ? '' : formatDuration(ms);
}
