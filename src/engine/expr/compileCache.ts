// Flows repeat the same expressions (`{{ input }}`, `{{ item.id }}`) across nodes, files and recompiles on
// every keystroke, so each source text is parsed and compiled once. The cache is bounded; when full, the
// oldest entry goes (insertion order), which is plenty for a working set of a few thousand expressions.

import type { ExprNode } from './exprTypes';
import { compileExpression, type Evaluator } from './evaluate';
import { ExpressionSyntaxError } from './expressionSyntaxError';
import { parseExpression } from './parser';
import type { TemplateSegment } from './templateScan';

export type CompiledExpression =
  | { ok: true; node: ExprNode; evaluate: Evaluator }
  | { ok: false; error: ExpressionSyntaxError };

const MAX_ENTRIES = 5000;
const cache = new Map<string, CompiledExpression>();

/**
 * The expression `source` (the text between `{{` and `}}`, untrimmed) parsed and compiled, or its syntax
 * error with offsets into `source`. The node is shared between callers: do not modify it.
 */
export function getCompiledExpression(source: string): CompiledExpression {
  const cached = cache.get(source);
  if (cached !== undefined) return cached;
  let entry: CompiledExpression;
  try {
    const node = parseExpression(source);
    entry = { ok: true, node, evaluate: compileExpression(node) };
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    entry = { ok: false, error };
  }
  if (cache.size >= MAX_ENTRIES) cache.delete(cache.keys().next().value as string);
  cache.set(source, entry);
  return entry;
}

/**
 * getCompiledExpression for a template of a scanned string, kept on the segment: the segments of a string are
 * cached (templateScan.ts), so a string typed on every compile finds its expressions without a lookup each.
 */
export function compiledTemplate(segment: Extract<TemplateSegment, { kind: 'template' }>): CompiledExpression {
  return (segment.compiled ??= getCompiledExpression(segment.span.source));
}
