// How a value turns into text when a template splices it into a string (spec section 6): objects and arrays
// as JSON, undefined and null as nothing, everything else as JavaScript's String() would write it.

export function stringifyValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'undefined':
      return '';
    case 'object':
      if (value === null) return '';
      if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString();
      return toJson(value);
    default:
      // Functions and symbols have no text a user would want to see in their output.
      return '';
  }
}

/** JSON text of a value; cyclic or otherwise unserialisable values give undefined instead of a throw. */
export function toJsonText(value: unknown, indent?: number): string | undefined {
  try {
    return JSON.stringify(value, bigintReplacer, indent);
  } catch {
    return undefined;
  }
}

function toJson(value: object): string {
  return toJsonText(value) ?? '';
}

function bigintReplacer(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
