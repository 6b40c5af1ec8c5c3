// Where `input.<id>` names node <id>'s output: after a `merge` that combines its sources by id (`combine`
// "object", the default), the nodes it feeds read `input.<sourceId>` (spec section 7), as do the `map`s of its
// outgoing edges. Everywhere else `input.<id>` is a key of some output, which a rename must leave alone.

import { valueOf, type JsonNode } from './jsonTree';
import type { FlowModel, ModelNode } from './flowModel';

export interface MergedInputReaders {
  /** Nodes whose own templates read `input.<id>` as the merged output of node <id>. */
  nodes: Set<ModelNode>;
  /** Edge maps evaluated with `input` bound to such a merge's output. */
  maps: JsonNode[];
}

export function mergedInputReaders(model: FlowModel, sourceId: string): MergedInputReaders {
  const readers: MergedInputReaders = { nodes: new Set(), maps: [] };
  for (const into of model.edges) {
    if (into.from?.value !== sourceId) continue;
    const merge = typeof into.to?.value === 'string' ? model.byId.get(into.to.value) : undefined;
    if (merge?.type !== 'merge' || merge.graph !== into.graph || !combinesById(merge)) continue;
    for (const out of model.edges) {
      if (out.from?.value !== merge.id || out.graph !== merge.graph) continue;
      if (out.map) {
        readers.maps.push(out.map);
        continue;
      }
      const target = typeof out.to?.value === 'string' ? model.byId.get(out.to.value) : undefined;
      if (target) readers.nodes.add(target);
    }
  }
  return readers;
}

function combinesById(merge: ModelNode): boolean {
  const combine = valueOf(merge.config, 'combine');
  return combine === undefined || combine.value === 'object';
}

/** Whether `inner` lies within `outer` in the text. */
export function within(inner: JsonNode, outer: JsonNode): boolean {
  return inner.offset >= outer.offset && inner.offset + inner.length <= outer.offset + outer.length;
}
