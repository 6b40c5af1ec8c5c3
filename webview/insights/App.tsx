// The Insights view of one flow over a window (24 h, 7 d, 30 d): runs, success, durations, retries, cost and tokens
// by node and by model, decision accuracy, the most common failures and where the time goes. Charts are inline SVG
// drawn with the theme's chart colours; each has a text alternative (its figures are also in the tables below).

import { useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { FlowStats } from '../../src/engine/history/runStats';
import { INSIGHTS_WINDOWS, type InsightsNotifications, type InsightsWindow } from '../../src/protocol/insightsProtocol';
import { loadUiState, onInsights, openHistory, ready, setWindow } from './actions';
import { CostByNodeChart, TrendChart } from './charts';
import { formatDuration, formatPercent, formatUsd } from './format';

type Insights = InsightsNotifications['didChangeInsights'];

const WINDOW_LABELS: Record<InsightsWindow, string> = { '24h': '24 hours', '7d': '7 days', '30d': '30 days' };

export function App() {
  const [insights, setInsights] = useState<Insights | undefined>();
  const [window, setWindowState] = useState<InsightsWindow>(() => loadUiState()?.window ?? '7d');
  useEffect(() => {
    const off = onInsights((next) => {
      setInsights(next);
      setWindowState(next.window);
    });
    ready(loadUiState()?.window);
    return off;
  }, []);
  const choose = (next: InsightsWindow): void => {
    setWindowState(next);
    setWindow(next);
  };
  return (
    <main className="insights" aria-busy={insights === undefined}>
      <header className="insights-header">
        <h1>
          <span className="codicon codicon-graph" aria-hidden="true" /> Insights{insights ? <>: {insights.flowLabel}</> : null}
        </h1>
        <WindowPicker value={window} onChange={choose} />
        <button type="button" className="link-button" onClick={openHistory}>
          <span className="codicon codicon-history" aria-hidden="true" /> Open history
        </button>
      </header>
      {insights === undefined ? <p className="muted">Reading the run history…</p> : <Body insights={insights} />}
    </main>
  );
}

/** Three radio buttons: arrow keys move between them (and choose), Tab leaves the group, as ARIA's radio group does. */
function WindowPicker({ value, onChange }: { value: InsightsWindow; onChange: (window: InsightsWindow) => void }) {
  const refs = useRef<Array<HTMLButtonElement | null>>([]);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const index = (INSIGHTS_WINDOWS.indexOf(value) + step + INSIGHTS_WINDOWS.length) % INSIGHTS_WINDOWS.length;
    onChange(INSIGHTS_WINDOWS[index]);
    refs.current[index]?.focus();
  };
  return (
    <div className="window-picker" role="radiogroup" aria-label="Time window" onKeyDown={onKeyDown}>
      {INSIGHTS_WINDOWS.map((w, i) => (
        <button
          key={w}
          ref={(element) => {
            refs.current[i] = element;
          }}
          type="button"
          role="radio"
          aria-checked={w === value}
          tabIndex={w === value ? 0 : -1}
          className={w === value ? 'selected' : ''}
          onClick={() => onChange(w)}
        >
          Last {WINDOW_LABELS[w]}
        </button>
      ))}
    </div>
  );
}

function Body({ insights }: { insights: Insights }) {
  const stats = insights.stats;
  if (!stats) {
    return <p className="muted">No ended runs of {insights.flowId} in the last {WINDOW_LABELS[insights.window]}. Runs from the editor, the CLI and live mode count; test runs do not.</p>;
  }
  return (
    <>
      <Tiles stats={stats} accuracy={insights.accuracy} />
      <section aria-labelledby="trend-title">
        <h2 id="trend-title">Runs and duration over time</h2>
        <TrendChart points={insights.trend} stepMs={insights.stepMs} />
      </section>
      <div className="two-columns">
        <section aria-labelledby="cost-title">
          <h2 id="cost-title">Cost by node</h2>
          <CostByNodeChart nodes={stats.nodes} />
        </section>
        <section aria-labelledby="slow-title">
          <h2 id="slow-title">Where the time goes</h2>
          {stats.slowestNodes.length === 0 ? (
            <p className="muted">No node durations recorded.</p>
          ) : (
            <ol className="slowest">
              {stats.slowestNodes.map((n) => (
                <li key={n.nodeId}>
                  <span className="share" style={{ width: `${Math.max(2, n.timeShare * 100)}%` }} aria-hidden="true" />
                  <span className="label">
                    <code>{n.nodeId}</code> {formatPercent(n.timeShare)} <span className="muted">({formatDuration(n.totalMs)} in all)</span>
                  </span>
                </li>
              ))}
            </ol>
          )}
        </section>
      </div>
      <section aria-labelledby="nodes-title">
        <h2 id="nodes-title">Nodes</h2>
        <NodeTable stats={stats} />
      </section>
      {stats.models.length > 0 ? (
        <section aria-labelledby="models-title">
          <h2 id="models-title">Models</h2>
          <table className="figures">
            <thead>
              <tr>
                <th scope="col">Model</th>
                <th scope="col">Calls</th>
                <th scope="col">Input tokens</th>
                <th scope="col">Output tokens</th>
                <th scope="col">Cost</th>
              </tr>
            </thead>
            <tbody>
              {stats.models.map((m) => (
                <tr key={m.model}>
                  <th scope="row">{m.model}</th>
                  <td>{m.calls}</td>
                  <td>{m.inputTokens}</td>
                  <td>{m.outputTokens}</td>
                  <td>{formatUsd(m.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <section aria-labelledby="failures-title">
        <h2 id="failures-title">Most common failures</h2>
        {stats.failures.length === 0 ? (
          <p className="muted">No failures in this window.</p>
        ) : (
          <ul className="failures">
            {stats.failures.map((f) => (
              <li key={`${f.code}:${f.nodeId ?? ''}:${f.message}`}>
                <span className="count">{f.count}×</span> <span className="codicon codicon-error failed-icon" aria-hidden="true" /> <code>{f.code}</code>
                {f.nodeId ? (
                  <>
                    {' '}
                    at <code>{f.nodeId}</code>
                  </>
                ) : null}
                : {f.message}
              </li>
            ))}
          </ul>
        )}
      </section>
    </>
  );
}

function Tiles({ stats, accuracy }: { stats: FlowStats; accuracy: Insights['accuracy'] }) {
  const tokens = stats.inputTokens + stats.outputTokens;
  const judged = accuracy.state === 'some' ? accuracy.correct + accuracy.incorrect : 0;
  return (
    <dl className="tiles">
      <Tile label="Runs" value={String(stats.runs)} detail={`${stats.failed} failed${stats.other > 0 ? `, ${stats.other} cancelled or interrupted` : ''}`} />
      <Tile label="Success" value={formatPercent(stats.successRatio)} />
      <Tile label="p50 / p95" value={`${formatDuration(stats.p50Ms)} / ${formatDuration(stats.p95Ms)}`} />
      <Tile label="Retries" value={String(stats.retries)} />
      <Tile label="Cost" value={formatUsd(stats.costUsd)} detail={tokens > 0 ? `${tokens} tokens` : undefined} />
      <Tile
        label="Decision accuracy"
        value={accuracy.state === 'some' && judged > 0 ? formatPercent(accuracy.correct / judged) : 'no feedback yet'}
        detail={accuracy.state === 'some' && judged > 0 ? `${accuracy.correct} of ${judged} marked correct` : undefined}
      />
    </dl>
  );
}

function Tile({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="tile">
      <dt>{label}</dt>
      <dd>
        <span className="value">{value}</span>
        {detail ? <span className="detail">{detail}</span> : null}
      </dd>
    </div>
  );
}

function NodeTable({ stats }: { stats: FlowStats }) {
  return (
    <table className="figures">
      <thead>
        <tr>
          <th scope="col">Node</th>
          <th scope="col">Runs</th>
          <th scope="col">Success</th>
          <th scope="col">p50</th>
          <th scope="col">p95</th>
          <th scope="col">Retries</th>
          <th scope="col">Time</th>
          <th scope="col">Tokens</th>
          <th scope="col">Cost</th>
        </tr>
      </thead>
      <tbody>
        {stats.nodes.map((n) => (
          <tr key={n.nodeId} data-node-id={n.nodeId}>
            <th scope="row">
              <code>{n.nodeId}</code>
            </th>
            <td>{n.runs}</td>
            <td>{formatPercent(n.successRatio)}</td>
            <td>{formatDuration(n.p50Ms)}</td>
            <td>{formatDuration(n.p95Ms)}</td>
            <td>{n.retries}</td>
            <td>{formatPercent(n.timeShare)}</td>
            <td>{n.inputTokens + n.outputTokens || '–'}</td>
            <td>{formatUsd(n.costUsd)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
