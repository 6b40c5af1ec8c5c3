// A Weft value type (engine/types/valueType.ts) as a TypeScript type, for the types `weft export` writes above
// a flow's code functions. What Weft does not know stays `any`, so TypeScript is as silent as `weft validate`
// there; a closed object becomes an exact object type, so a misspelled property is a `tsc` error.

import type { ValueType } from '../types/valueType';
import { propertyKey } from './tsLiteral';

/** Deeper than this, a type is written `any`: a readable file matters more than a deep schema. */
const MAX_DEPTH = 6;

export function valueTypeToTs(type: ValueType, indent = '', depth = 0): string {
  if (depth > MAX_DEPTH) return 'any';
  switch (type.kind) {
    case 'unknown':
    case 'any-json':
      return 'any';
    case 'null':
    case 'boolean':
    case 'number':
    case 'string':
      return type.kind;
    case 'array': {
      const element = valueTypeToTs(type.element, indent, depth + 1);
      return /^[\w.]+$/.test(element) ? `${element}[]` : `Array<${element}>`;
    }
    case 'union':
      return [...new Set(type.members.map((member) => valueTypeToTs(member, indent, depth + 1)))].join(' | ');
    case 'object': {
      const inner = `${indent}  `;
      const lines: string[] = [];
      for (const [key, prop] of type.props) {
        lines.push(`${inner}${propertyKey(key)}${prop.optional ? '?' : ''}: ${valueTypeToTs(prop.type, inner, depth + 1)};`);
      }
      if (type.index && type.props.size === 0) return `Record<string, ${valueTypeToTs(type.index, indent, depth + 1)}>`;
      // Other keys are possible: reading one is fine, as it is for `weft validate`.
      if (type.open || type.index) lines.push(`${inner}[key: string]: any;`);
      if (lines.length === 0) return 'Record<string, never>';
      const flat = `{ ${lines.map((l) => l.trim().replace(/;$/, '')).join('; ')} }`;
      return flat.length <= 80 && !flat.includes('\n') ? flat : `{\n${lines.join('\n')}\n${indent}}`;
    }
  }
}
