// Where a flow, its nodes, its tests and (in JSON) its triggers are in the text of a .flow.json or .flow.ts, read
// from the text alone (no user code runs), for CodeLens, Test Explorer and commands: one parse for all of them.

import { createFlowSourceLocator } from '../engine/load/locateFlowSource';
import type { Range } from '../engine/model/diagnostics';
import { parseJsonSource } from '../engine/model/jsonSource';
import { triggersOf, type TriggerOutline } from '../language/triggerOutline';

export interface FlowOutline {
  flowId?: string;
  flowRange?: Range;
  nodes: { id: string; range: Range }[];
  /** The in-file test cases with a name, in order. */
  tests: { name: string; range?: Range }[];
  /** Webhook and schedule triggers (a .flow.json's; a .flow.ts's are not read from its text). */
  triggers: TriggerOutline[];
}

/** Where the flow and its nodes are in the text of a .flow.json or .flow.ts. */
export function outlineOf(text: string, isJson: boolean): FlowOutline {
  if (isJson) {
    const source = parseJsonSource(text);
    const value = source.value as { id?: unknown; nodes?: { id?: unknown }[]; tests?: { name?: unknown }[] } | undefined;
    const nodes: FlowOutline['nodes'] = [];
    (Array.isArray(value?.nodes) ? value!.nodes : []).forEach((node, i) => {
      const range = source.rangeOf(['nodes', i]);
      if (range && typeof node?.id === 'string') nodes.push({ id: node.id, range });
    });
    const tests = (Array.isArray(value?.tests) ? value!.tests : [])
      .map((t, i) => ({ name: typeof t?.name === 'string' ? t.name : '', range: source.rangeOf(['tests', i]) }))
      .filter((t) => t.name);
    return { flowId: typeof value?.id === 'string' ? value.id : undefined, flowRange: source.rangeOf([]), nodes, tests, triggers: triggersOf(source) };
  }
  const locator = createFlowSourceLocator(text);
  const lines = text.split(/\r?\n/);
  const literal = (range: Range): string => (range.start.line === range.end.line ? (lines[range.start.line]?.slice(range.start.character, range.end.character) ?? '') : '');
  const idRange = locator.locate(['id']);
  const flowId = idRange ? /^['"`]([^'"`]+)['"`]$/.exec(literal(idRange))?.[1] : undefined;
  const tests: FlowOutline['tests'] = [];
  for (let i = 0; ; i++) {
    const range = locator.locate(['tests', i, 'name']);
    if (!range || range === locator.flowCallRange) break;
    const name = /^['"`](.*)['"`]$/.exec(literal(range))?.[1];
    if (!name) break;
    tests.push({ name, range });
  }
  return {
    flowId,
    flowRange: locator.flowCallRange,
    nodes: [...locator.nodeRanges].map(([id, range]) => ({ id, range })),
    tests,
    triggers: [],
  };
}

