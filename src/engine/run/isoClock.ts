// ISO timestamps for events and records. Formatting a Date costs more than running a small node, and a busy run
// stamps thousands of events within one millisecond, so the string is made once per millisecond.

let lastMs = -1;
let lastIso = '';

export function isoNow(): string {
  const ms = Date.now();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}
