// One node on the canvas: its type, id (or name), run status, one input handle on the left and a handle per
// output port on the right (`error` last, marked). A loop draws the same header over the box of its body.

import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { ReactElement } from 'react';
import { INPUT_HANDLE, type FlowNode } from '../toFlowElements';
import { Icon } from '../../shared/Icon';

export function FlowNodeView({ data, isConnectable, type }: NodeProps<FlowNode>): ReactElement {
  const { node, status, paused, insights } = data;
  return (
    <div className={type === 'weftGroup' ? 'weft-flow-node weft-flow-group' : 'weft-flow-node'}>
      <div className="weft-flow-node-header">
        <Handle type="target" position={Position.Left} id={INPUT_HANDLE} data-port={INPUT_HANDLE} isConnectable={isConnectable} aria-label={`input of ${node.id}`} />
        <div className="weft-flow-node-title">
          <span className="weft-flow-node-type">{node.type}</span>
          {node.disabled ? <span className="weft-flow-node-flag">disabled</span> : null}
        </div>
        <div className="weft-flow-node-id" title={node.name ? `${node.name} (${node.id})` : node.id}>
          {node.name ?? node.id}
        </div>
        {node.problems && node.problems.length > 0 ? (
          <div className="weft-flow-node-problem" title={node.problems.join('\n')}>
            {node.problems[0]}
            {node.problems.length > 1 ? ` (+${node.problems.length - 1} more)` : ''}
          </div>
        ) : null}
        {paused ? (
          <span className="weft-paused-badge" title="The debugger is paused before this node">
            <Icon name="debug-stackframe" /> paused
          </span>
        ) : status ? (
          <span className="weft-status" data-status={status}>
            {status}
          </span>
        ) : null}
        {insights ? <InsightsBadge nodeId={node.id} insights={insights} /> : null}
        <ul className="weft-flow-node-ports" aria-label="output ports">
          {node.ports.map((port) => (
            <li key={port} className={port === 'error' ? 'weft-port weft-port-error' : 'weft-port'}>
              <span className="weft-port-name">{port}</span>
              <Handle type="source" position={Position.Right} id={port} data-port={port} isConnectable={isConnectable} aria-label={`port ${port} of ${node.id}`} />
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/** Runs today · success · average time: from the history's stats, so a glance at the canvas says how each node does. */
function InsightsBadge({ nodeId, insights }: { nodeId: string; insights: NonNullable<FlowNode['data']['insights']> }): ReactElement {
  const success = `${Math.round(insights.successRatio * 100)}%`;
  const avg = insights.avgMs === undefined ? undefined : insights.avgMs < 1000 ? `${Math.round(insights.avgMs)} ms` : `${(insights.avgMs / 1000).toFixed(1)} s`;
  const text = `${insights.runsToday}× · ${success}${avg ? ` · ${avg}` : ''}`;
  const description = `${nodeId} today: ${insights.runsToday} run${insights.runsToday === 1 ? '' : 's'}, ${success} succeeded${avg ? `, ${avg} on average` : ''}`;
  return (
    <span className={insights.successRatio < 1 ? 'weft-node-insights weft-node-insights-failing' : 'weft-node-insights'} title={description} aria-label={description} data-node-insights={nodeId}>
      {text}
    </span>
  );
}
