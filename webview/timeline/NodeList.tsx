// The node cards, in run order. Up to VIRTUAL_FROM nodes they are all in the page (simple, searchable with the
// find widget); beyond, only those in view are, with @tanstack/react-virtual measuring each card (opened cards
// are taller). Selecting a node elsewhere (the timeline, the log) scrolls its card into view.

import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, type ReactElement } from 'react';
import { NodeCard, type NodeCardActions } from './NodeCard';
import type { NodeView } from './runState';

export interface NodeListProps {
  nodes: readonly NodeView[];
  /** The view's version: the nodes change in place. */
  version: number;
  expanded: ReadonlySet<string>;
  selected?: string;
  /** Bumped to scroll the selected card into view. */
  scrollRequest: number;
  actions: NodeCardActions;
}

const VIRTUAL_FROM = 80;

/** Re-renders when `version` (or the UI state) changes; unchanged cards skip on their own `rev`. */
export const NodeList = memo(function NodeList(props: NodeListProps): ReactElement {
  return props.nodes.length >= VIRTUAL_FROM ? <VirtualNodeList {...props} /> : <PlainNodeList {...props} />;
});

function PlainNodeList({ nodes, expanded, selected, scrollRequest, actions }: NodeListProps): ReactElement {
  const list = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!selected || scrollRequest === 0) return;
    const card = list.current?.querySelector(`[data-node-id="${CSS.escape(selected)}"]`);
    card?.scrollIntoView?.({ block: 'nearest' });
  }, [scrollRequest]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="weft-node-list" ref={list}>
      {nodes.map((node) => (
        <NodeCard key={node.id} node={node} rev={node.rev} expanded={expanded.has(node.id)} selected={node.id === selected} actions={actions} />
      ))}
    </div>
  );
}

function VirtualNodeList({ nodes, expanded, selected, scrollRequest, actions }: NodeListProps): ReactElement {
  const scroller = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: nodes.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => 34,
    overscan: 10,
    getItemKey: (index) => nodes[index]?.id ?? index,
  });
  useEffect(() => {
    if (!selected || scrollRequest === 0) return;
    const index = nodes.findIndex((n) => n.id === selected);
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' });
  }, [scrollRequest]); // eslint-disable-line react-hooks/exhaustive-deps
  return (
    <div className="weft-node-list weft-node-list-virtual" ref={scroller}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        {virtualizer.getVirtualItems().map((item) => {
          const node = nodes[item.index];
          return (
            <div
              key={item.key}
              data-index={item.index}
              ref={virtualizer.measureElement}
              style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${item.start}px)` }}
            >
              <NodeCard node={node} rev={node.rev} expanded={expanded.has(node.id)} selected={node.id === selected} actions={actions} />
            </div>
          );
        })}
      </div>
    </div>
  );
}
