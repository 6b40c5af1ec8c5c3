// The type of a `.flow.ts`'s run input, computed by TypeScript from the flow's `inputs` JSON Schema literal, so a
// hand-written code function's `input.emial` is a tsc error with no declaration to write and no build step.
// Type-level only (nothing here runs). It follows fromJsonSchema (types/valueType.ts), the same reading Weft's own
// checker makes: an object schema with `properties` is closed unless `additionalProperties` or
// `patternProperties` lets other keys in; a property with a `default` is always present (defaults are applied
// before the run); whatever this does not model (`$ref`, `allOf`, formats) is `unknown`, never a false error.

type JsonSchemaLiteral = { readonly [keyword: string]: unknown };

/** Spreads an intersection into one object type, so hovers show `{ email: string; ... }`. */
type Flatten<T> = { [K in keyof T]: T[K] } & {};

/** Deep enough for real inputs; a deeper (or recursive) schema ends in `unknown`. */
type MaxDepth = 8;

/** The values a JSON Schema accepts, as a TypeScript type. */
export type InputTypeOf<S, Depth extends unknown[] = []> = Depth['length'] extends MaxDepth
  ? unknown
  : S extends { readonly $ref: unknown }
    ? unknown
    : S extends { readonly const: infer C }
      ? C
      : S extends { readonly enum: readonly (infer E)[] }
        ? E
        : S extends { readonly anyOf: readonly (infer A)[] }
          ? InputTypeOf<A, [...Depth, 0]>
          : S extends { readonly oneOf: readonly (infer A)[] }
            ? InputTypeOf<A, [...Depth, 0]>
            : S extends { readonly type: readonly (infer T)[] }
              ? T extends unknown
                ? InputTypeOf<Omit<S, 'type'> & { readonly type: T }, [...Depth, 0]>
                : never
              : TypeKeywordOf<S, Depth>;

type TypeKeywordOf<S, Depth extends unknown[]> = S extends { readonly type: 'string' }
  ? string
  : S extends { readonly type: 'number' | 'integer' }
    ? number
    : S extends { readonly type: 'boolean' }
      ? boolean
      : S extends { readonly type: 'null' }
        ? null
        : S extends { readonly type: 'array' }
          ? S extends { readonly items: infer I extends JsonSchemaLiteral }
            ? InputTypeOf<I, [...Depth, 0]>[]
            : unknown[]
          : S extends { readonly type: 'object' } | { readonly properties: JsonSchemaLiteral }
            ? ObjectTypeOf<S, Depth>
            : unknown;

type RequiredKeysOf<S> = S extends { readonly required: readonly (infer R)[] } ? R : never;

/** Keys always present: required, or given a default. */
type PresentKeysOf<S, P> = RequiredKeysOf<S> | { [K in keyof P]: P[K] extends { readonly default: unknown } ? K : never }[keyof P];

/** Other keys an object schema lets in, as an index signature (none: the object is closed). */
type OtherKeysOf<S, HasProperties extends boolean, Depth extends unknown[]> = S extends { readonly patternProperties: unknown }
  ? { [key: string]: unknown }
  : S extends { readonly additionalProperties: true }
    ? { [key: string]: unknown }
    : S extends { readonly additionalProperties: infer A extends JsonSchemaLiteral }
      ? { [key: string]: InputTypeOf<A, [...Depth, 0]> | undefined }
      : S extends { readonly additionalProperties: false }
        ? unknown
        : HasProperties extends true
          ? unknown
          : { [key: string]: unknown };

type ObjectTypeOf<S, Depth extends unknown[]> = S extends { readonly properties: infer P extends JsonSchemaLiteral }
  ? Flatten<
      { -readonly [K in keyof P as K extends PresentKeysOf<S, P> ? K : never]: InputTypeOf<P[K], [...Depth, 0]> } & {
        -readonly [K in keyof P as K extends PresentKeysOf<S, P> ? never : K]?: InputTypeOf<P[K], [...Depth, 0]>;
      } & OtherKeysOf<S, keyof P extends never ? false : true, Depth>
    >
  : OtherKeysOf<S, false, Depth>;
