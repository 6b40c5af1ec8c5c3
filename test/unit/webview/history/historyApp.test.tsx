// @vitest-environment happy-dom
import '../../../support/componentTests';
import { resolve } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import { summarize, type RunSummary } from '../../../../src/engine/history/runSummary';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import type { HistoryNotifications, RunPair } from '../../../../src/protocol/historyProtocol';
import { saveUiState } from '../../../../webview/history/actions';
import { App } from '../../../../webview/history/App';
import { EMPTY_FILTER } from '../../../../webview/history/filterRuns';

const SAMPLE = resolve(__dirname, '../../../../samples/order-intake.flow.json');
const SCOPE = { uri: 'file:///work/project', label: 'project' };

interface Sent {
  kind: string;
  id?: number;
  method: string;
  params: Record<string, unknown>;
}
const sent = (): Sent[] => (globalThis as { __weftSentMessages?: Sent[] }).__weftSentMessages ?? [];

/** What the host does: posts a message into the page. */
function fromHost(data: unknown): void {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data }));
  });
}

function sendRuns(runs: RunSummary[]): void {
  const params: HistoryNotifications['didChangeRuns'] = { scope: SCOPE, runs };
  fromHost({ kind: 'notification', method: 'didChangeRuns', params });
}

/** `count` summaries, newest first, a minute apart, flows rotating; every 5th failed. */
function manySummaries(count: number): RunSummary[] {
  const start = Date.UTC(2025, 0, 1);
  const out: RunSummary[] = [];
  for (let i = count - 1; i >= 0; i--) {
    out.push({
      id: `run-${i}`,
      flowId: ['order-intake', 'triage-ticket', 'follow-up'][i % 3],
      status: i % 5 === 0 ? 'failed' : 'completed',
      mode: 'run',
      triggerType: 'manual',
      startedAt: new Date(start + i * 60_000).toISOString(),
      durationMs: 12,
    });
  }
  return out;
}

const rows = (): HTMLElement[] => [...document.querySelectorAll<HTMLElement>('[data-run-id]')];
const grid = (): HTMLElement => screen.getByRole('grid');

beforeAll(() => {
  // happy-dom lays nothing out: give the list's scroll area a height so the virtualizer has a window to fill.
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return this.classList.contains('history-scroll') ? 520 : 0;
    },
  });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 800 });
  // …and a content height: the list's inner box, sized by the virtualizer to every row.
  Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
    configurable: true,
    get(this: HTMLElement) {
      return parseFloat((this.firstElementChild as HTMLElement | null)?.style.height ?? '') || 0;
    },
  });
});

beforeEach(() => {
  sent().length = 0;
  // Each test is a panel opened for the first time (the stand-in VS Code API keeps state for the whole file).
  saveUiState({ filter: EMPTY_FILTER, marked: [], scrollTop: 0 });
});

afterEach(() => {
  cleanup();
});

describe('history panel', () => {
  it('asks for the runs, then renders only a window of 10,000 rows, newest first', async () => {
    // ARRANGE
    render(<App />);
    expect(sent().some((m) => m.kind === 'command' && m.method === 'ready')).toBe(true);
    // ACT
    sendRuns(manySummaries(10_000));
    // ASSERT
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    expect(rows().length).toBeLessThan(100);
    expect(rows()[0].dataset.runId).toBe('run-9999');
    expect(rows()[0].dataset.status).toBe('completed');
    expect(rows()[4].dataset.runId).toBe('run-9995');
    expect(rows()[4].dataset.status).toBe('failed');
    // getBy* throws when nothing matches: finding it is the assertion.
    within(rows()[0]).getByText('order-intake');
    screen.getByText('Showing 10,000 of 10,000 runs');
    expect(grid().getAttribute('aria-rowcount')).toBe('10001');
  });

  it('filters as the user types in search, and by status', async () => {
    // ARRANGE
    render(<App />);
    sendRuns(manySummaries(10_000));
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    // ACT
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'run-9947' } });
    // ASSERT
    await waitFor(() => expect(rows().map((r) => r.dataset.runId)).toEqual(['run-9947']));
    screen.getByText('Showing 1 of 10,000 runs');
    // …and screen readers hear it once typing pauses
    await waitFor(() => expect(document.getElementById('weft-announcer')?.textContent).toBe('Showing 1 of 10,000 runs'));

    // ACT: failed runs (every 5th) whose id has 994 in it
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: '994' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'failed' }));
    // ASSERT
    await waitFor(() => expect(rows().map((r) => r.dataset.runId)).toEqual(['run-9945', 'run-9940']));
  });

  it('finds a run by a value of its input ("A-42"), and each row tells its input and short id', async () => {
    // ARRANGE: fifty runs of one flow, alike but for their input
    const records = await Promise.all(
      [41, 42, 43].map((n) => runFlow(SAMPLE, { history: false, input: { orderId: `A-${n}`, total: n * 10 } })),
    );
    render(<App />);
    sendRuns(records.map(summarize).reverse());
    await waitFor(() => expect(rows().length).toBe(3));
    // ACT
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'A-42' } });
    // ASSERT
    await waitFor(() => expect(rows().map((r) => r.dataset.runId)).toEqual([records[1].id]));
    within(rows()[0]).getByText(/^orderId A-42, total 420/);
    const shortId = records[1].id.slice(records[1].id.lastIndexOf('-') + 1);
    expect(within(rows()[0]).getByText(shortId).getAttribute('title')).toBe(records[1].id);
  });

  it('sorts by a column from its header, with the keyboard, and says so with aria-sort', async () => {
    // ARRANGE
    const runs: RunSummary[] = [
      { id: 'c-3', flowId: 'b-flow', status: 'completed', mode: 'run', triggerType: 'manual', startedAt: '2025-06-03T10:00:00.000Z', durationMs: 5 },
      { id: 'c-2', flowId: 'a-flow', status: 'failed', mode: 'run', triggerType: 'manual', startedAt: '2025-06-02T10:00:00.000Z', durationMs: 50 },
      { id: 'c-1', flowId: 'c-flow', status: 'completed', mode: 'run', triggerType: 'manual', startedAt: '2025-06-01T10:00:00.000Z', durationMs: 20 },
    ];
    render(<App />);
    sendRuns(runs);
    await waitFor(() => expect(rows().length).toBe(3));
    const header = (name: string): HTMLElement => screen.getByRole('columnheader', { name: new RegExp(name) });
    expect(header('Started').getAttribute('aria-sort')).toBe('descending');
    expect(header('Duration').getAttribute('aria-sort')).toBe('none');
    // ACT: the header's button, as Enter on it would press it
    const durationButton = within(header('Duration')).getByRole('button');
    expect(durationButton.tagName).toBe('BUTTON');
    fireEvent.click(durationButton);
    // ASSERT: longest first
    await waitFor(() => expect(rows().map((r) => r.dataset.runId)).toEqual(['c-2', 'c-1', 'c-3']));
    expect(header('Duration').getAttribute('aria-sort')).toBe('descending');
    expect(header('Started').getAttribute('aria-sort')).toBe('none');
    // ACT: Flow, then Flow again
    fireEvent.click(within(header('Flow')).getByRole('button'));
    await waitFor(() => expect(rows().map((r) => r.dataset.runId)).toEqual(['c-2', 'c-3', 'c-1']));
    fireEvent.click(within(header('Flow')).getByRole('button'));
    await waitFor(() => expect(rows().map((r) => r.dataset.runId)).toEqual(['c-1', 'c-3', 'c-2']));
    expect(header('Flow').getAttribute('aria-sort')).toBe('descending');

    // ACT: Enter and Space on a focused header button belong to the button, not to the list (no run opens)
    const flowButton = within(header('Flow')).getByRole('button');
    flowButton.focus();
    const opened = sent().filter((m) => m.method === 'openRun').length;
    const enter = fireEvent.keyDown(flowButton, { key: 'Enter' });
    fireEvent.keyDown(flowButton, { key: ' ' });
    // ASSERT: the key was left to the button (its default action is the click that sorts)
    expect(enter).toBe(true);
    expect(sent().filter((m) => m.method === 'openRun').length).toBe(opened);
    expect(rows().map((r) => r.getAttribute('aria-selected'))).toEqual(['false', 'false', 'false']);
  });

  it('opens the run under the cursor with Enter, and moves with the arrow keys and End', async () => {
    // ARRANGE
    render(<App />);
    sendRuns(manySummaries(50));
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    // ACT
    grid().focus();
    fireEvent.keyDown(grid(), { key: 'ArrowDown' });
    fireEvent.keyDown(grid(), { key: 'ArrowDown' });
    fireEvent.keyDown(grid(), { key: 'ArrowUp' });
    fireEvent.keyDown(grid(), { key: 'Enter' });
    // ASSERT: the cursor is on the second newest run
    expect(sent().at(-1)).toMatchObject({ kind: 'command', method: 'openRun', params: { runId: 'run-48' } });
    expect(grid().getAttribute('aria-activedescendant')).toBe('weft-run-run-48');

    // ACT: End goes to the oldest run, which the list then renders
    fireEvent.keyDown(grid(), { key: 'End' });
    fireEvent.keyDown(grid(), { key: 'Enter' });
    // ASSERT
    expect(sent().at(-1)).toMatchObject({ method: 'openRun', params: { runId: 'run-0' } });
    const scroller = document.querySelector<HTMLElement>('.history-scroll')!;
    await waitFor(() => {
      // happy-dom scrolls the list but fires no scroll event; a browser does.
      fireEvent.scroll(scroller);
      expect(rows().some((r) => r.dataset.runId === 'run-0')).toBe(true);
    });
    expect(scroller.scrollTop).toBeGreaterThan(0);
  });

  it('keeps the row under the cursor in the DOM when the list scrolls away from it', async () => {
    render(<App />);
    sendRuns(manySummaries(500));
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    fireEvent.keyDown(grid(), { key: 'ArrowDown' });
    const scroller = document.querySelector<HTMLElement>('.history-scroll')!;
    scroller.scrollTop = 300 * 26;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(rows().some((r) => r.dataset.runId === 'run-199')).toBe(true));
    // aria-activedescendant still names an element: the cursor's row
    expect(grid().getAttribute('aria-activedescendant')).toBe('weft-run-run-498');
    expect(document.getElementById('weft-run-run-498')).not.toBeNull();
    expect(rows().some((r) => r.dataset.runId === 'run-490')).toBe(false);
  });

  it('asks the host to delete the run under the cursor with the Delete key', async () => {
    render(<App />);
    sendRuns(manySummaries(5));
    await waitFor(() => expect(rows().length).toBe(5));
    fireEvent.keyDown(grid(), { key: 'Delete' });
    expect(sent().at(-1)).toMatchObject({ kind: 'request', method: 'deleteRuns', params: { runIds: ['run-4'] } });
  });

  it('asks the host for the flow version the run under the cursor ran: open, diff with current, run again', async () => {
    // ARRANGE
    render(<App />);
    sendRuns(manySummaries(5));
    await waitFor(() => expect(rows().length).toBe(5));
    fireEvent.keyDown(grid(), { key: 'ArrowDown' });
    // ACT + ASSERT
    fireEvent.click(screen.getByRole('button', { name: 'Open Version' }));
    expect(sent().at(-1)).toMatchObject({ kind: 'command', method: 'versionAction', params: { runId: 'run-3', action: 'open' } });
    fireEvent.click(screen.getByRole('button', { name: 'Diff with Current' }));
    expect(sent().at(-1)).toMatchObject({ method: 'versionAction', params: { runId: 'run-3', action: 'diff' } });
    fireEvent.click(screen.getByRole('button', { name: 'Run This Version' }));
    expect(sent().at(-1)).toMatchObject({ method: 'versionAction', params: { runId: 'run-3', action: 'run' } });
  });

  it('keeps its filters across hide and show, and the host sends the runs again', async () => {
    // ARRANGE
    const first = render(<App />);
    sendRuns(manySummaries(24));
    await waitFor(() => expect(rows().length).toBe(24));
    fireEvent.change(screen.getByLabelText('Flow'), { target: { value: 'triage-ticket' } });
    await waitFor(() => expect(rows().length).toBe(8));
    // ACT: the panel is hidden (the page goes) and shown again (a new page, the same saved state)
    first.unmount();
    sent().length = 0;
    render(<App />);
    expect(sent().some((m) => m.method === 'ready')).toBe(true);
    sendRuns(manySummaries(24));
    // ASSERT
    await waitFor(() => expect(rows().length).toBe(8));
    expect((screen.getByLabelText('Flow') as HTMLSelectElement).value).toBe('triage-ticket');
    expect(rows().every((r) => within(r).queryByText('triage-ticket'))).toBe(true);
  });

  it('comes back at the same scroll position after hide and show', async () => {
    // ARRANGE: scrolled to the 50th run (rows are 26 px)
    const first = render(<App />);
    sendRuns(manySummaries(200));
    await waitFor(() => expect(rows().length).toBeGreaterThan(0));
    const scroller = document.querySelector<HTMLElement>('.history-scroll')!;
    scroller.scrollTop = 50 * 26;
    fireEvent.scroll(scroller);
    await waitFor(() => expect(rows().some((r) => r.dataset.runId === 'run-149')).toBe(true));
    await new Promise((done) => setTimeout(done, 300)); // the position is saved once scrolling pauses
    // ACT
    first.unmount();
    render(<App />);
    sendRuns(manySummaries(200));
    // ASSERT
    await waitFor(() => expect(rows().some((r) => r.dataset.runId === 'run-149')).toBe(true));
    expect(document.querySelector<HTMLElement>('.history-scroll')!.scrollTop).toBe(50 * 26);
    expect(rows().some((r) => r.dataset.runId === 'run-198')).toBe(false); // scrolled away (run-199 stays: the cursor is on it)
  });

  it('preselects the flow the host asks for', async () => {
    render(<App />);
    fromHost({ kind: 'notification', method: 'didChangeFlowFilter', params: { flowId: 'follow-up' } });
    sendRuns(manySummaries(30));
    await waitFor(() => expect(rows().length).toBe(10));
    expect((screen.getByLabelText('Flow') as HTMLSelectElement).value).toBe('follow-up');
    // ACT: asked for every flow
    fromHost({ kind: 'notification', method: 'didChangeFlowFilter', params: { flowId: undefined } });
    // ASSERT: the window fills again (30 runs, of which the list renders what fits)
    await waitFor(() => expect(rows().length).toBeGreaterThan(10));
    expect((screen.getByLabelText('Flow') as HTMLSelectElement).value).toBe('');
  });

  it("shows the flow's recent webhook requests, refused ones included, when one flow is filtered", async () => {
    // ARRANGE: live mode answered two requests of follow-up, one accepted (a run) and one refused.
    render(<App />);
    const invocations = {
      'follow-up': [
        { at: '2025-01-01T10:00:01.000Z', method: 'POST', path: '/hooks/follow-up', status: 401, latencyMs: 0.4, error: 'bad signature' },
        { at: '2025-01-01T10:00:00.000Z', method: 'POST', path: '/hooks/follow-up', status: 202, latencyMs: 3.2, executionId: 'run-2' },
      ],
    };
    fromHost({ kind: 'notification', method: 'didChangeRuns', params: { scope: SCOPE, runs: manySummaries(30), invocations } });
    expect(document.querySelector('[data-invocations]')).toBeNull();

    // ACT: filter to follow-up, then open the accepted request's run.
    fromHost({ kind: 'notification', method: 'didChangeFlowFilter', params: { flowId: 'follow-up' } });
    const table = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('[data-invocations="follow-up"]');
      expect(found).not.toBeNull();
      return found!;
    });
    fireEvent.click(within(table).getByRole('button', { name: 'Open run run-2' }));

    // ASSERT
    expect([...table.querySelectorAll<HTMLElement>('tr[data-status-code]')].map((r) => r.dataset.statusCode)).toEqual(['401', '202']);
    expect(table.textContent).toContain('401 bad signature');
    expect(sent().at(-1)).toMatchObject({ kind: 'command', method: 'openRun', params: { runId: 'run-2' } });
  });

  describe('comparison', () => {
    let older: RunRecord;
    let newer: RunRecord;

    beforeAll(async () => {
      older = await runFlow(SAMPLE, { history: false, input: { orderId: 'A-1', total: 100 } });
      newer = await runFlow(SAMPLE, { history: false, input: { orderId: 'A-2', total: 900 } });
      older.startedAt = '2025-06-01T10:00:00.000Z';
      newer.startedAt = '2025-06-01T11:00:00.000Z';
    });

    it('marks two runs with Space, compares them, and shows a row per node', async () => {
      // ARRANGE
      render(<App />);
      sendRuns([summarize(newer), summarize(older)]);
      await waitFor(() => expect(rows().length).toBe(2));
      const compare = screen.getByRole('button', { name: /Compare/ });
      expect((compare as HTMLButtonElement).disabled).toBe(true);
      // ACT: mark both
      grid().focus();
      fireEvent.keyDown(grid(), { key: ' ' });
      fireEvent.keyDown(grid(), { key: 'ArrowDown' });
      fireEvent.keyDown(grid(), { key: ' ' });
      expect(rows().map((r) => r.getAttribute('aria-selected'))).toEqual(['true', 'true']);
      fireEvent.click(compare);
      // ASSERT: it asks for the pair, the older run as A
      const request = sent().find((m) => m.kind === 'request' && m.method === 'getRunPair');
      expect(request?.params).toEqual({ a: older.id, b: newer.id });
      const pair: RunPair = { a: older, b: newer, flowOrder: ['check', 'review', 'tax', 'done', 'note'] };
      fromHost({ kind: 'reply', id: request!.id, result: pair });
      const view = await waitFor(() => {
        const found = document.querySelector<HTMLElement>(`[data-compare="${older.id}..${newer.id}"]`);
        expect(found?.querySelector('[data-node-id]')).toBeTruthy();
        return found!;
      });
      const nodeRows = [...view.querySelectorAll<HTMLElement>('[data-node-id]')];
      expect(nodeRows.map((r) => r.dataset.nodeId)).toEqual(['check', 'review', 'tax', 'done', 'note']);
      const tax = nodeRows[2];
      within(tax).getByText('completed'); // A took the tax path
      within(tax).getByText('skipped'); // B went to review
      within(tax).getByText('different');

      // ACT: show the two outputs of tax side by side
      fireEvent.click(within(tax).getByRole('button', { name: /tax/ }));
      // ASSERT
      const outputA = screen.getByRole('tree', { name: 'A: output of tax value' });
      within(outputA).getByText('19');
      within(outputA).getByText('"auto"');
      expect(view.textContent).toContain('B: output of tax: none');

      // ACT: Escape goes back to the list
      fireEvent.keyDown(view, { key: 'Escape' });
      await waitFor(() => expect(rows().length).toBe(2));
    });

    it('marking a third run drops the first', async () => {
      render(<App />);
      sendRuns(manySummaries(3));
      await waitFor(() => expect(rows().length).toBe(3));
      grid().focus();
      for (let i = 0; i < 3; i++) {
        fireEvent.keyDown(grid(), { key: ' ' });
        fireEvent.keyDown(grid(), { key: 'ArrowDown' });
      }
      expect(rows().map((r) => r.getAttribute('aria-selected'))).toEqual(['false', 'true', 'true']);
    });
  });
});
