// What Save Run as Test proposes: a name from the run's input ("orderId A-42", not the run id) and which output
// keys to assert (by default those that are neither timestamps nor ids: they differ on every run and would make the
// test fail for no reason). The user confirms both; nothing here asks.

/** The test name proposed for a run with `input`, distinct from the names in `taken`. */
export function defaultTestName(input: unknown, taken: Iterable<string>): string {
  const base = nameFromInput(input) || 'recorded run';
  const names = new Set(taken);
  if (!names.has(base)) return base;
  for (let n = 2; ; n++) if (!names.has(`${base} (${n})`)) return `${base} (${n})`;
}

/** "orderId A-42" for an input with an id-like key; else its first two keys and values; '' when it has none. */
function nameFromInput(input: unknown): string {
  if (input === null || input === undefined) return '';
  if (typeof input !== 'object') return cut(String(input));
  if (Array.isArray(input)) return `${input.length} item${input.length === 1 ? '' : 's'}`;
  const scalars = Object.entries(input as Record<string, unknown>).filter(([, v]) => v !== null && typeof v !== 'object');
  const id = scalars.find(([key]) => ID_KEY.test(key));
  const chosen = id ? [id] : scalars.slice(0, 2);
  return cut(chosen.map(([key, value]) => `${key} ${String(value)}`).join(', '));
}

const ID_KEY = /(^id$|Id$|_id$|^uuid$|Uuid$|_uuid$|^key$|Key$)/;
const TIME_KEY = /(At$|_at$|^timestamp$|Timestamp$|^time$|Time$|^date$|Date$|^ts$|^now$)/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether an output key holds a timestamp or an id, by its name or its value. */
export function isVolatileKey(key: string, value: unknown): boolean {
  if (ID_KEY.test(key) || TIME_KEY.test(key)) return true;
  return typeof value === 'string' && (ISO_TIME.test(value) || UUID.test(value));
}

/** The keys of an object output, each with whether it is asserted by default; undefined for any other output. */
export function assertableKeys(output: unknown): { key: string; picked: boolean }[] | undefined {
  if (output === null || typeof output !== 'object' || Array.isArray(output)) return undefined;
  return Object.entries(output as Record<string, unknown>).map(([key, value]) => ({ key, picked: !isVolatileKey(key, value) }));
}

/** The output restricted to `keys` (tests match an object output by the keys they name); undefined for none. */
export function pickOutput(output: unknown, keys: readonly string[]): Record<string, unknown> | undefined {
  if (keys.length === 0 || output === null || typeof output !== 'object') return undefined;
  const source = output as Record<string, unknown>;
  return Object.fromEntries(keys.filter((key) => key in source).map((key) => [key, source[key]]));
}

function cut(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 59)}…` : line;
}
