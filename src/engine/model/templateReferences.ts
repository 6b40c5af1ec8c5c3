// The references of a template value, for the compiler's checks: the same answer as collectTemplateReferences
// (expr/references.ts), made cheaper for compiling thousands of nodes: the walk reuses one path array and
// copies it only where a template is, and each parsed expression's references are computed once (the parse
// cache shares expression trees between equal sources, so they are the key).

import { getCompiledExpression } from '../expr/compileCache';
import type { ExprNode, Reference } from '../expr/exprTypes';
import { collectReferences } from '../expr/references';
import { findTemplates } from '../expr/template';
import type { JsonPath } from '../../shared/jsonPath';

/** Deeper values are not walked (compileValue reports them). */
const MAX_DEPTH = 1000;

const referencesOf = new WeakMap<ExprNode, Reference[]>();

export type OnReference = (reference: Reference, path: JsonPath) => void;

/** Calls `onReference` for each reference in each template of `value`; offsets are into the string at `path`. */
export function forEachTemplateReference(value: unknown, onReference: OnReference): void {
  walk(value, [], [], onReference);
}

function walk(value: unknown, path: JsonPath, ancestors: object[], onReference: OnReference): void {
  if (typeof value === 'string') {
    if (value.includes('{{')) stringReferences(value, path, onReference);
    return;
  }
  if (typeof value !== 'object' || value === null || ancestors.length >= MAX_DEPTH || ancestors.includes(value)) return;
  ancestors.push(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      walk(value[i], path, ancestors, onReference);
      path.pop();
    }
  } else {
    for (const key of Object.keys(value)) {
      path.push(key);
      walk((value as Record<string, unknown>)[key], path, ancestors, onReference);
      path.pop();
    }
  }
  ancestors.pop();
}

function stringReferences(text: string, path: JsonPath, onReference: OnReference): void {
  let copy: JsonPath | undefined;
  for (const span of findTemplates(text)) {
    const compiled = getCompiledExpression(span.source);
    if (!compiled.ok) continue;
    let references = referencesOf.get(compiled.node);
    if (references === undefined) {
      references = collectReferences(compiled.node);
      referencesOf.set(compiled.node, references);
    }
    for (const reference of references) {
      copy ??= [...path];
      onReference(
        { root: reference.root, path: reference.path, start: span.sourceStart + reference.start, end: span.sourceStart + reference.end },
        copy,
      );
    }
  }
}
