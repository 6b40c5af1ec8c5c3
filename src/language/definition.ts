// Go to definition: from any place that names a node (an edge end, a test's mock or expectation key, a layout
// key, `nodes.x` in an expression or a JSON Logic `var`) to that node's `"id"` value; from `variables.x` to the
// variable's key.

import type { Position, Range } from '../engine/model/diagnostics';
import type { FlowDocument } from './flowDocument';
import { targetAt } from './targetAt';

export function definitionAt(doc: FlowDocument, position: Position): Range | undefined {
  const target = targetAt(doc, doc.offsetAt(position));
  if (!target) return undefined;
  switch (target.kind) {
    case 'nodeId':
      return nodeDefinition(doc, target.id);
    case 'variable':
      return variableDefinition(doc, target.name);
    case 'path': {
      // Deeper in a path (`nodes.fetch.body`), the definition is still the node's or the variable's.
      const first = target.reference.steps[0]?.value;
      if (typeof first !== 'string') return undefined;
      if (target.reference.root === 'nodes') return nodeDefinition(doc, first);
      if (target.reference.root === 'variables') return variableDefinition(doc, first);
      return undefined;
    }
    default:
      return undefined;
  }
}

function nodeDefinition(doc: FlowDocument, id: string): Range | undefined {
  const node = doc.model.byId.get(id);
  if (!node) return undefined;
  return doc.rangeOf(node.idNode ?? node.object);
}

function variableDefinition(doc: FlowDocument, name: string): Range | undefined {
  // The last key wins, as in the parsed value.
  const entry = doc.model.variables.filter((v) => v.name === name).at(-1);
  return entry ? doc.rangeOf(entry.key) : undefined;
}
