// The nodes a test of a .flow.json mocks: those whose type reaches the outside world (http, ai, ...), read from
// the file's text (what "Save Run as Test" and "Make test from feedback" mock from the run).

import { parse } from 'jsonc-parser';
import { createDefaultRegistry } from '../nodes/builtins';

export function sideEffectNodesOf(text: string): string[] {
  const registry = createDefaultRegistry();
  const flow = parse(text, [], { allowTrailingComma: true }) as { nodes?: { id?: unknown; type?: unknown }[] } | undefined;
  return (flow?.nodes ?? [])
    .filter((n) => typeof n?.id === 'string' && typeof n.type === 'string' && registry.get(n.type)?.sideEffect)
    .map((n) => n.id as string);
}
