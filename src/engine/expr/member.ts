// Reading one step of a path (`a.b`, `a[0]`, `a[key]`) without ever leaving the data: only own properties of
// objects, indexes and `length` of arrays and strings. Inherited members (`toString`, `map`) and the three names
// that lead to prototypes and constructors are never read, whatever the value holds.

const BLOCKED_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/** True for the names a path must never read, even when a value holds them as its own keys. */
export function isBlockedKey(key: string): boolean {
  return BLOCKED_KEYS.has(key);
}

/**
 * One path step with a key known not to be blocked (checked once, at compile time).
 * Missing steps and steps into primitives give undefined, never a throw.
 */
export function readOwn(value: unknown, key: string): unknown {
  if (typeof value === 'object') {
    if (value === null) return undefined;
    return Object.hasOwn(value, key) ? (value as Record<string, unknown>)[key] : undefined;
  }
  if (typeof value === 'string') return readStringMember(value, key);
  return undefined;
}

/** One path step with an integer index known at compile time. */
export function readIndex(value: unknown, index: number): unknown {
  if (Array.isArray(value)) return index >= 0 && index < value.length ? value[index] : undefined;
  if (typeof value === 'string') return index >= 0 && index < value.length ? value[index] : undefined;
  if (typeof value === 'object' && value !== null) return readOwn(value, String(index));
  return undefined;
}

/** One path step with a key computed at run time (`a[expr]`): any value may arrive as the key. */
export function readMember(value: unknown, key: unknown): unknown {
  if (typeof key === 'number') {
    if (Number.isInteger(key)) return readIndex(value, key);
    return readOwn(value, String(key));
  }
  if (typeof key !== 'string' || BLOCKED_KEYS.has(key)) return undefined;
  return readOwn(value, key);
}

function readStringMember(value: string, key: string): unknown {
  if (key === 'length') return value.length;
  // Canonical indexes only ("1", not "01" or "1.0"), as JavaScript reads them.
  const index = Number(key);
  if (Number.isInteger(index) && index >= 0 && index < value.length && String(index) === key) return value[index];
  return undefined;
}
