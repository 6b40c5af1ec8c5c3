// What is wrong with a node's config as its type's schema sees it, in one short sentence each, for the canvas to
// show on the node. A required text left empty is valid to zod but does nothing useful (a log with no message, an
// http call with no url): the palette writes such placeholders, so they are named here until the user fills them.
// Pure: no vscode.

import type { NodeTypeDefinition } from '../engine/nodes/nodeType';
import { isOptionalSchema, objectShape } from './zodShape';

/** At most this many problems per node: the node is a small box, the Problems view has the rest. */
const MAX_PROBLEMS = 3;

export function nodeConfigProblems(type: Pick<NodeTypeDefinition, 'configSchema'>, config: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const reported = new Set<string>();
  for (const [key, schema] of Object.entries(objectShape(type.configSchema) ?? {})) {
    if (isOptionalSchema(schema)) continue;
    const value = config[key];
    if (value === undefined) problems.push(`${key} is required`);
    else if (typeof value === 'string' && value.trim() === '') problems.push(`${key} is required and empty`);
    else continue;
    reported.add(key);
  }
  const parsed = type.configSchema.safeParse(config);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const key = issue.path.length > 0 ? String(issue.path[0]) : '';
      if (reported.has(key)) continue;
      reported.add(key);
      problems.push(issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message);
    }
  }
  return problems.slice(0, MAX_PROBLEMS);
}
