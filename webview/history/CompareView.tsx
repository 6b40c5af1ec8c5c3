// Two runs side by side: the runs themselves (status, duration, input, output, error), then every node (status,
// duration, the difference, whether the outputs are equal), a node's two outputs one click away. Escape goes back.

import { useMemo, useState, type JSX, type KeyboardEvent } from 'react';
import type { RunPair } from '../../src/protocol/historyProtocol';
import { compareRuns, type NodeComparison, type RunFieldComparison } from './compareRuns';
import { describeDelta, describeDuration, describeStart } from './describe';
import { ValueView } from './ValueView';
import { Icon } from '../shared/Icon';

export interface CompareViewProps {
  ids: [string, string];
  pair: RunPair | undefined;
  error: string | undefined;
  onBack(): void;
  onOpen(runId: string): void;
}

export function CompareView({ ids, pair, error, onBack, onOpen }: CompareViewProps): JSX.Element {
  const comparison = useMemo(() => (pair ? compareRuns(pair.a, pair.b, pair.flowOrder) : undefined), [pair]);
  const [onlyDifferences, setOnlyDifferences] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const toggle = (key: string): void =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });

  function onKeyDown(event: KeyboardEvent<HTMLElement>): void {
    if (event.key === 'Escape') {
      event.preventDefault();
      onBack();
    }
  }

  const [idA, idB] = ids;
  const nodes = comparison ? (onlyDifferences ? comparison.nodes.filter((n) => n.differs) : comparison.nodes) : [];
  return (
    <section className="history-compare" data-compare={`${idA}..${idB}`} aria-labelledby="weft-compare-title" onKeyDown={onKeyDown}>
      <header className="history-compare-head">
        <button type="button" className="secondary" onClick={onBack} autoFocus>
          <Icon name="arrow-left" /> Back to runs
        </button>
        <h2 id="weft-compare-title">
          Compare <code>{idA}</code> (A) with <code>{idB}</code> (B)
        </h2>
        <button type="button" className="secondary" onClick={() => onOpen(idA)}>Open A</button>
        <button type="button" className="secondary" onClick={() => onOpen(idB)}>Open B</button>
      </header>
      {error ? <p className="weft-error-text" role="alert">{error}</p> : null}
      {!comparison && !error ? <p className="weft-muted">Loading the two runs…</p> : null}
      {comparison ? (
        <>
          <table className="history-table">
            <caption>
              Runs {comparison.a.flowId === comparison.b.flowId ? `of ${comparison.a.flowId}` : `of ${comparison.a.flowId} and ${comparison.b.flowId}`}:
              A started {describeStart(comparison.a.startedAt)}, B started {describeStart(comparison.b.startedAt)}
            </caption>
            <thead>
              <tr>
                <th scope="col">Field</th>
                <th scope="col">A</th>
                <th scope="col">B</th>
                <th scope="col">Same?</th>
              </tr>
            </thead>
            <tbody>
              {comparison.run.map((row) => (
                <RunFieldRow key={row.field} row={row} expanded={expanded.has(`run:${row.field}`)} onToggle={() => toggle(`run:${row.field}`)} />
              ))}
            </tbody>
          </table>
          <div className="history-compare-nodes-head">
            <h3>
              Nodes: {comparison.differingNodes === 0 ? 'no differences' : `${comparison.differingNodes} of ${comparison.nodes.length} differ`}
            </h3>
            <label>
              <input type="checkbox" checked={onlyDifferences} onChange={(e) => setOnlyDifferences(e.currentTarget.checked)} /> Only nodes that differ
            </label>
          </div>
          <table className="history-table history-nodes">
            <thead>
              <tr>
                <th scope="col">Node</th>
                <th scope="col">Status A</th>
                <th scope="col">Status B</th>
                <th scope="col" className="col-num">Duration A</th>
                <th scope="col" className="col-num">Duration B</th>
                <th scope="col" className="col-num">Difference</th>
                <th scope="col">Output</th>
              </tr>
            </thead>
            <tbody>
              {nodes.map((node) => (
                <NodeRow key={node.nodeId} node={node} expanded={expanded.has(`node:${node.nodeId}`)} onToggle={() => toggle(`node:${node.nodeId}`)} />
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}

function NodeRow({ node, expanded, onToggle }: { node: NodeComparison; expanded: boolean; onToggle(): void }): JSX.Element {
  const detailId = `weft-compare-node-${node.nodeId}`;
  return (
    <>
      <tr data-node-id={node.nodeId} data-differs={node.differs} className={node.differs ? 'differs' : undefined}>
        <th scope="row">
          <button type="button" className="icon history-toggle" aria-expanded={expanded} aria-controls={expanded ? detailId : undefined} onClick={onToggle}>
            <Icon name={expanded ? 'chevron-down' : 'chevron-right'} /> <span>{node.nodeId}</span>
          </button>
        </th>
        <td><Status status={node.statusA} /></td>
        <td><Status status={node.statusB} /></td>
        <td className="col-num">{describeDuration(node.durationA)}</td>
        <td className="col-num">{describeDuration(node.durationB)}</td>
        <td className="col-num">{describeDelta(node.durationDelta)}</td>
        <td>
          {node.outputEqual ? 'same' : <strong>different</strong>}
          {node.truncated ? <span className="weft-muted"> (cut to the size limit)</span> : null}
        </td>
      </tr>
      {expanded ? (
        <tr id={detailId} className="history-detail">
          <td colSpan={7}>
            <div className="history-side-by-side">
              <ValueView value={node.outputA} label={`A: output of ${node.nodeId}`} />
              <ValueView value={node.outputB} label={`B: output of ${node.nodeId}`} />
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function RunFieldRow({ row, expanded, onToggle }: { row: RunFieldComparison; expanded: boolean; onToggle(): void }): JSX.Element {
  const isValue = row.field === 'input' || row.field === 'output';
  const detailId = `weft-compare-run-${row.field}`;
  const cell = (value: unknown): JSX.Element | string => {
    if (row.field === 'status') return <Status status={value as string} />;
    if (row.field === 'duration') return describeDuration(value as number | undefined);
    if (row.field === 'error') return (value as string | undefined) ?? '—';
    return value === undefined ? '—' : 'value';
  };
  return (
    <>
      <tr data-run-field={row.field} className={row.equal ? undefined : 'differs'}>
        <th scope="row">
          {isValue ? (
            <button type="button" className="icon history-toggle" aria-expanded={expanded} aria-controls={expanded ? detailId : undefined} onClick={onToggle}>
              <Icon name={expanded ? 'chevron-down' : 'chevron-right'} /> {row.field}
            </button>
          ) : (
            row.field
          )}
        </th>
        <td>{cell(row.a)}</td>
        <td>{cell(row.b)}</td>
        <td>{row.field === 'duration' ? describeDelta(row.delta) : row.equal ? 'same' : <strong>different</strong>}</td>
      </tr>
      {isValue && expanded ? (
        <tr id={detailId} className="history-detail">
          <td colSpan={4}>
            <div className="history-side-by-side">
              <ValueView value={row.a} label={`A: ${row.field}`} />
              <ValueView value={row.b} label={`B: ${row.field}`} />
            </div>
          </td>
        </tr>
      ) : null}
    </>
  );
}

function Status({ status }: { status: string | undefined }): JSX.Element {
  if (!status) return <span className="weft-muted">not in this run</span>;
  return (
    <span className="weft-status" data-status={status}>
      {status}
    </span>
  );
}
