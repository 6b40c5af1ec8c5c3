// @vitest-environment happy-dom
import '../../../support/componentTests';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { aggregateStats } from '../../../../src/engine/history/runStats';
import { indexedRun, summarize } from '../../../../src/engine/history/runSummary';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import type { InsightsNotifications } from '../../../../src/protocol/insightsProtocol';
import { App } from '../../../../webview/insights/App';

interface Sent {
  kind: string;
  method: string;
  params: Record<string, unknown>;
}
const sent = (): Sent[] => (globalThis as { __weftSentMessages?: Sent[] }).__weftSentMessages ?? [];

afterEach(() => {
  cleanup();
  sent().splice(0);
});

const HOUR = 3_600_000;
const START = Date.UTC(2026, 2, 1);

function record(id: string, hour: number, failed: boolean): RunRecord {
  return {
    id,
    flowId: 'triage',
    flowHash: 'h',
    status: failed ? 'failed' : 'completed',
    mode: 'run',
    trigger: { type: 'manual' },
    input: {},
    startedAt: new Date(START + hour * HOUR).toISOString(),
    durationMs: failed ? 3000 : 1000,
    nodes: {
      fetch: failed
        ? { status: 'failed', attempts: 3, durationMs: 3000, error: { message: 'HTTP 503 from api.example.test', code: 'http-status' } }
        : { status: 'completed', attempts: 1, durationMs: 200 },
      ...(failed ? {} : { ask: { status: 'completed' as const, attempts: 1, durationMs: 800, usage: { model: 'gpt-4o-mini', inputTokens: 100, outputTokens: 20, costUsd: 0.25 } } }),
    },
    ...(failed ? { error: { message: 'HTTP 503 from api.example.test', code: 'http-status', nodeId: 'fetch' } } : {}),
  };
}

/** 3 completed runs and 1 failed one, as the host would send them. */
function insights(): InsightsNotifications['didChangeInsights'] {
  const runs = [record('a', 0, false), record('b', 1, false), record('c', 1, true), record('d', 5, false)];
  const stats = aggregateStats(runs.map((r) => indexedRun(summarize(r), 1))).flows[0];
  return {
    flowId: 'triage',
    flowLabel: 'Ticket triage',
    window: '24h',
    sinceMs: START,
    untilMs: START + 24 * HOUR,
    stats,
    trend: Array.from({ length: 24 }, (_, i) => ({ startMs: START + i * HOUR, runs: i === 1 ? 2 : i === 0 || i === 5 ? 1 : 0, failed: i === 1 ? 1 : 0, costUsd: 0, ...(i === 0 ? { p50Ms: 1000 } : {}) })),
    stepMs: HOUR,
    accuracy: { state: 'none' },
  };
}

function fromHost(params: InsightsNotifications['didChangeInsights']): void {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method: 'didChangeInsights', params } }));
  });
}

describe('Insights view', () => {
  it('says ready, then shows the figures, charts, failures and "no feedback yet"', async () => {
    render(<App />);
    expect(sent().map((m) => m.method)).toContain('ready');
    fromHost(insights());

    expect(await screen.findByRole('heading', { level: 1 })).toHaveProperty('textContent', expect.stringContaining('Ticket triage'));
    const tiles = document.querySelector<HTMLElement>('dl.tiles')!;
    expect(within(tiles).getByText('4')).toBeTruthy();
    expect(within(tiles).getByText('75%')).toBeTruthy();
    expect(within(tiles).getByText('$0.75')).toBeTruthy();
    expect(within(tiles).getByText('no feedback yet')).toBeTruthy();
    // The trend is one image with its figures in words; the cost chart names the node that cost
    expect(screen.getByRole('img', { name: /4 runs \(1 failed\) in 24 hours/ })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Cost by node: ask $0.75' })).toBeTruthy();
    expect(document.querySelectorAll('.trend-chart .bar-failed')).toHaveLength(1);
    expect(screen.getByText(/HTTP 503 from api.example.test/).textContent).toContain('http-status');
    const fetchRow = document.querySelector<HTMLElement>('[data-node-id="fetch"]')!;
    expect(within(fetchRow).getByText('75%')).toBeTruthy();
  });

  it('changes the window with the keyboard and asks the host for it', async () => {
    render(<App />);
    fromHost(insights());
    const group = await screen.findByRole('radiogroup', { name: 'Time window' });
    const day = within(group).getByRole('radio', { name: 'Last 24 hours' });
    expect(day.getAttribute('aria-checked')).toBe('true');
    day.focus();
    fireEvent.keyDown(day, { key: 'ArrowRight' });
    const week = within(group).getByRole('radio', { name: 'Last 7 days' });
    expect(week.getAttribute('aria-checked')).toBe('true');
    expect(document.activeElement).toBe(week);
    expect(sent().filter((m) => m.method === 'setWindow').map((m) => m.params)).toEqual([{ window: '7d' }]);
  });

  it('says when the window holds no run, and opens the history on request', async () => {
    render(<App />);
    fromHost({ ...insights(), stats: undefined, trend: [] });
    expect(await screen.findByText(/No ended runs of triage in the last 24 hours/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Open history/ }));
    expect(sent().map((m) => m.method)).toContain('openHistory');
  });
});
