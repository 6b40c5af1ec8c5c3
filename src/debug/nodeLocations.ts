// Where each node of a flow file is written, to place line breakpoints on nodes: a breakpoint anywhere inside a
// node's object stops before that node and is shown on the node's first line.
//
// - .flow.json: the exact extent of each node's object (jsonc-parser), loop bodies' nodes included; a line
//   inside a body node belongs to it, not to its loop (the innermost node wins).
// - .flow.ts: the source locator finds each node's `id` literal but not the object's end, so a node is taken to
//   run from its `id` line (or the `{` line just above it) to the line before the next node starts; lines
//   before the first node or from the `edges` key on belong to no node.

import { readFileSync } from 'node:fs';
import { parseTree, type Node as JsonNode } from 'jsonc-parser';
import { createFlowSourceLocator } from '../engine/load/locateFlowSource';

export interface NodeLocation {
  nodeId: string;
  /** 0-based lines, inclusive. */
  startLine: number;
  endLine: number;
}

export interface FlowNodeLocations {
  /** Every node, outer ones before the nodes of their loop bodies. */
  readonly nodes: readonly NodeLocation[];
  /** The innermost node whose text holds `line` (0-based). */
  nodeAtLine(line: number): NodeLocation | undefined;
  /** The node with this id (the first, when a loop body repeats an outer id). */
  byId(nodeId: string): NodeLocation | undefined;
}

export function locateFlowNodes(file: string, text = readFileSync(file, 'utf8')): FlowNodeLocations {
  const nodes = file.endsWith('.flow.ts') ? locateTypeScriptNodes(text) : locateJsonNodes(text);
  return {
    nodes,
    nodeAtLine(line) {
      let best: NodeLocation | undefined;
      for (const node of nodes) {
        if (line < node.startLine || line > node.endLine) continue;
        if (best === undefined || node.endLine - node.startLine <= best.endLine - best.startLine) best = node;
      }
      return best;
    },
    byId(nodeId) {
      return nodes.find((node) => node.nodeId === nodeId);
    },
  };
}

function locateJsonNodes(text: string): NodeLocation[] {
  const lineStarts = lineStartsOf(text);
  const lineAt = (offset: number): number => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (lineStarts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  };
  const found: NodeLocation[] = [];
  const visitNodesArray = (array: JsonNode | undefined): void => {
    if (array?.type !== 'array') return;
    for (const element of array.children ?? []) {
      if (element.type !== 'object') continue;
      const id = propertyValue(element, 'id');
      if (id?.type !== 'string' || typeof id.value !== 'string') continue;
      found.push({ nodeId: id.value, startLine: lineAt(element.offset), endLine: lineAt(element.offset + element.length - 1) });
      // A loop's body holds nodes of its own.
      const body = propertyValue(propertyValue(element, 'config'), 'body');
      visitNodesArray(propertyValue(body, 'nodes'));
    }
  };
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  visitNodesArray(propertyValue(root, 'nodes'));
  return found;
}

function propertyValue(object: JsonNode | undefined, key: string): JsonNode | undefined {
  if (object?.type !== 'object') return undefined;
  for (const property of object.children ?? []) {
    const [name, value] = property.children ?? [];
    if (name?.value === key) return value;
  }
  return undefined;
}

function locateTypeScriptNodes(text: string): NodeLocation[] {
  const locator = createFlowSourceLocator(text);
  const lines = text.split(/\r?\n/);
  const starts = [...locator.nodeRanges].map(([nodeId, range]) => {
    let startLine = range.start.line;
    // `{` alone (or ending the line) just above the id opens the node's object.
    if (startLine > 0 && /[{]\s*$/.test(lines[startLine - 1]) && !/\bid\s*:/.test(lines[startLine - 1])) startLine--;
    return { nodeId, startLine };
  });
  starts.sort((a, b) => a.startLine - b.startLine);
  const edges = locator.locate(['edges']);
  const afterNodes = edges && edges !== locator.flowCallRange ? edges.start.line : lines.length;
  return starts.map((start, i) => {
    const next = i + 1 < starts.length ? starts[i + 1].startLine : afterNodes;
    const endLine = Math.max(start.startLine, Math.min(next, afterNodes) - 1);
    return { nodeId: start.nodeId, startLine: start.startLine, endLine };
  });
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return starts;
}
