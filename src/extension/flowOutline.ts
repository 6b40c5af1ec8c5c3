// Where a flow and its nodes are in the text of a .flow.json or .flow.ts, read from the text alone (no user code
// runs), for CodeLens and commands.

import { createFlowSourceLocator } from '../engine/load/locateFlowSource';
import type { Range } from '../engine/model/diagnostics';
import { parseJsonSource } from '../engine/model/jsonSource';

export interface FlowOutline {
  flowId?: string;
  flowRange?: Range;
  nodes: { id: string; range: Range }[];
}

/** Where the flow and its nodes are in the text of a .flow.json or .flow.ts. */
export function outlineOf(text: string, isJson: boolean): FlowOutline {
  if (isJson) {
    const source = parseJsonSource(text);
    const value = source.value as { id?: unknown; nodes?: { id?: unknown }[] } | undefined;
    const nodes: FlowOutline['nodes'] = [];
    (Array.isArray(value?.nodes) ? value!.nodes : []).forEach((node, i) => {
      const range = source.rangeOf(['nodes', i]);
      if (range && typeof node?.id === 'string') nodes.push({ id: node.id, range });
    });
    return { flowId: typeof value?.id === 'string' ? value.id : undefined, flowRange: source.rangeOf([]), nodes };
  }
  const locator = createFlowSourceLocator(text);
  const idRange = locator.locate(['id']);
  const flowId = idRange ? /^['"`]([^'"`]+)['"`]$/.exec(sliceRange(text, idRange))?.[1] : undefined;
  return {
    flowId,
    flowRange: locator.flowCallRange,
    nodes: [...locator.nodeRanges].map(([id, range]) => ({ id, range })),
  };
}

function sliceRange(text: string, range: Range): string {
  const lines = text.split(/\r?\n/);
  if (range.start.line !== range.end.line) return '';
  return lines[range.start.line]?.slice(range.start.character, range.end.character) ?? '';
}

