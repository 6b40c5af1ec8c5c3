// Inline SVG charts of the Insights view (no chart library): a bar per step for the runs (failed part in the
// failure colour) with the p50 duration as a line on its own scale, and a horizontal bar per node for cost. Each
// chart is one image for a screen reader, its figures said in its label; the tables hold every number.

import type { NodeStats } from '../../src/engine/history/runStats';
import type { TrendPoint } from '../../src/engine/history/statsRollup';
import { formatDuration, formatUsd } from './format';

const WIDTH = 640;
const HEIGHT = 160;
const PAD = { left: 36, right: 44, top: 8, bottom: 22 };

export function TrendChart({ points, stepMs }: { points: TrendPoint[]; stepMs: number }) {
  if (points.length === 0) return null;
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const maxRuns = Math.max(1, ...points.map((p) => p.runs));
  const durations = points.map((p) => p.p50Ms).filter((d): d is number => d !== undefined);
  const maxMs = Math.max(1, ...durations);
  const slot = plotW / points.length;
  const barW = Math.max(1, slot * 0.7);
  const y = (runs: number): number => PAD.top + plotH - (runs / maxRuns) * plotH;
  const yMs = (ms: number): number => PAD.top + plotH - (ms / maxMs) * plotH;
  const line = points
    .map((p, i) => (p.p50Ms === undefined ? undefined : `${(PAD.left + slot * i + slot / 2).toFixed(1)},${yMs(p.p50Ms).toFixed(1)}`))
    .filter((xy): xy is string => xy !== undefined);
  const total = points.reduce((sum, p) => sum + p.runs, 0);
  const failed = points.reduce((sum, p) => sum + p.failed, 0);
  const label = `${total} runs (${failed} failed) in ${points.length} ${stepMs < 86_400_000 ? 'hours' : 'days'}; busiest step ${maxRuns} runs; p50 duration up to ${formatDuration(maxMs)}.`;
  const tick = (p: TrendPoint): string => {
    const date = new Date(p.startMs);
    return stepMs < 86_400_000 ? `${String(date.getHours()).padStart(2, '0')}:00` : `${date.getMonth() + 1}/${date.getDate()}`;
  };
  const every = Math.max(1, Math.ceil(points.length / 8));
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={label} className="trend-chart">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + plotH} y2={PAD.top + plotH} className="axis" />
        <text x={PAD.left - 4} y={PAD.top + 8} className="tick" textAnchor="end">
          {maxRuns}
        </text>
        <text x={PAD.left - 4} y={PAD.top + plotH} className="tick" textAnchor="end">
          0
        </text>
        <text x={WIDTH - PAD.right + 4} y={PAD.top + 8} className="tick duration-tick">
          {formatDuration(maxMs)}
        </text>
        {points.map((p, i) => {
          const x = PAD.left + slot * i + (slot - barW) / 2;
          return (
            <g key={p.startMs} data-step={p.startMs}>
              {p.runs > 0 ? <rect x={x} y={y(p.runs)} width={barW} height={y(0) - y(p.runs)} className="bar-runs" /> : null}
              {p.failed > 0 ? <rect x={x} y={y(p.failed)} width={barW} height={y(0) - y(p.failed)} className="bar-failed" /> : null}
              {i % every === 0 ? (
                <text x={PAD.left + slot * i + slot / 2} y={HEIGHT - 6} className="tick" textAnchor="middle">
                  {tick(p)}
                </text>
              ) : null}
            </g>
          );
        })}
        {line.length > 1 ? <polyline points={line.join(' ')} className="line-duration" fill="none" /> : null}
      </svg>
      <figcaption className="legend">
        <span className="swatch runs" aria-hidden="true" /> runs <span className="swatch failed" aria-hidden="true" /> failed <span className="swatch duration" aria-hidden="true" /> p50 duration
      </figcaption>
    </figure>
  );
}

export function CostByNodeChart({ nodes }: { nodes: NodeStats[] }) {
  const costly = nodes.filter((n) => n.costUsd > 0).sort((a, b) => b.costUsd - a.costUsd);
  if (costly.length === 0) return <p className="muted">No model costs recorded in this window.</p>;
  const rowH = 22;
  const labelW = 140;
  const height = costly.length * rowH + 4;
  const max = costly[0].costUsd;
  const label = costly.map((n) => `${n.nodeId} ${formatUsd(n.costUsd)}`).join(', ');
  return (
    <svg viewBox={`0 0 ${WIDTH / 2} ${height}`} role="img" aria-label={`Cost by node: ${label}`} className="cost-chart">
      {costly.map((n, i) => {
        const w = Math.max(2, ((WIDTH / 2 - labelW - 70) * n.costUsd) / max);
        return (
          <g key={n.nodeId} transform={`translate(0 ${i * rowH + 2})`}>
            <text x={labelW - 6} y={rowH / 2 + 4} textAnchor="end" className="tick">
              {n.nodeId}
            </text>
            <rect x={labelW} y={3} width={w} height={rowH - 8} className="bar-cost" />
            <text x={labelW + w + 4} y={rowH / 2 + 4} className="tick">
              {formatUsd(n.costUsd)}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
