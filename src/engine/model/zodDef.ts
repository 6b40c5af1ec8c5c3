// Reading zod 4 schemas' definitions (`schema._zod.def`): the compiler's messages and the language service's
// completion both walk a schema this way.

export interface SchemaDef {
  type?: string;
  shape?: Record<string, unknown>;
  innerType?: unknown;
  element?: unknown;
  valueType?: unknown;
  options?: unknown[];
  in?: unknown;
  getter?: () => unknown;
  entries?: Record<string, unknown>;
  values?: unknown[];
  checks?: unknown[];
}

export function defOf(schema: unknown): SchemaDef | undefined {
  return (schema as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
}
