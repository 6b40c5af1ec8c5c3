// ISO timestamps for events and records. Formatting a Date costs more than running a small node, and a busy run
// stamps thousands of events within one millisecond, so the string is made once per millisecond.

let lastMs = -1;
let lastIso = '';

export function isoNow(): string {
  return isoAt(Date.now());
}

/** The ISO string of the epoch milliseconds `ms`, cached like isoNow's. */
export function isoAt(ms: number): string {
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
