// @vitest-environment happy-dom
// The node inspector's tabs: Runs (the node's executions across history, filtered by status, each opening its
// run) and Test (an input from a past run or edited as JSON, checked before it is sent, and the node's output,
// logs and error shown), reached by keyboard.
import '../../../support/componentTests';
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { NodeRunsPage } from '../../../../src/engine/history/nodeRuns';
import type { NodeTestResult } from '../../../../src/protocol/nodeInspectorProtocol';
import { NodeInspectorTabs, NodeRunsPanel, NodeTestPanel, type NodeInspectorActions } from '../../../../webview/shared/NodeInspector';
import { parseJsonInput } from '../../../../webview/shared/jsonInput';

afterEach(() => cleanup());

const NOW = Date.parse('2026-03-01T12:00:00.000Z');
const page: NodeRunsPage = {
  runs: [
    { runId: 'run-3', runStatus: 'failed', mode: 'run', status: 'failed', startedAt: '2026-03-01T11:58:00.000Z', durationMs: 1500, attempts: 3, errorCode: 'http-status', error: 'GET https://rates.example.test answered 503' },
    { runId: 'run-2', runStatus: 'completed', mode: 'run', status: 'completed', startedAt: '2026-03-01T11:00:00.000Z', durationMs: 120, attempts: 1 },
  ],
  more: false,
};

function fakeActions(overrides: Partial<NodeInspectorActions> = {}): NodeInspectorActions & { [K in keyof NodeInspectorActions]: ReturnType<typeof vi.fn> } {
  return {
    nodeRuns: vi.fn((_nodeId: string, options: { status?: string[] }) =>
      Promise.resolve(options.status ? { runs: page.runs.filter((r) => options.status!.includes(r.status)), more: false } : page),
    ),
    nodeTestScope: vi.fn((_nodeId: string, runId: string) =>
      Promise.resolve({ runId, input: { amount: runId === 'run-2' ? 20 : 30 }, trigger: { currency: 'USD' }, nodes: { rates: { body: { USD: 1.1 } } } }),
    ),
    testNode: vi.fn(() => Promise.resolve<NodeTestResult>({ nodeId: 'convert', status: 'completed', output: { converted: 22 }, logs: [{ ts: '', level: 'info', message: 'converted 20 EUR' }], attempts: 1, startedAt: '', durationMs: 3 })),
    openRun: vi.fn(),
    cancelNodeTest: vi.fn(),
    ...overrides,
  } as never;
}

describe('Runs of this node', () => {
  it('lists the node’s runs with status, age, duration, attempts and error, and opens a run', async () => {
    const actions = fakeActions();
    render(<NodeRunsPanel nodeId="rates" actions={actions} now={() => NOW} />);

    const list = await screen.findByRole('list', { name: 'Runs of rates' });
    const rows = within(list).getAllByRole('button');
    expect(rows.map((r) => r.textContent)).toEqual([
      expect.stringMatching(/^failed.*2 min.*1\.5 s.*3 attempts.*answered 503$/),
      expect.stringMatching(/^completed.*1 h.*120 ms$/),
    ]);
    fireEvent.click(rows[0]);
    expect(actions.openRun).toHaveBeenCalledWith('run-3');
  });

  it('filters by the node’s status', async () => {
    const actions = fakeActions();
    render(<NodeRunsPanel nodeId="rates" actions={actions} now={() => NOW} />);
    await screen.findByRole('list', { name: 'Runs of rates' });

    fireEvent.change(screen.getByRole('combobox', { name: 'Status' }), { target: { value: 'failed' } });

    await waitFor(() => expect(within(screen.getByRole('list', { name: 'Runs of rates' })).getAllByRole('button')).toHaveLength(1));
    expect(actions.nodeRuns).toHaveBeenLastCalledWith('rates', { status: ['failed'] });
  });

  it('says so when the node has not run', async () => {
    render(<NodeRunsPanel nodeId="rates" actions={fakeActions({ nodeRuns: () => Promise.resolve({ runs: [], more: false }) })} />);
    expect(await screen.findByText('rates has not run yet.')).toBeTruthy();
  });
});

describe('Test this node', () => {
  it('takes the input and scope from the latest run, runs the node, and shows its output and logs', async () => {
    const actions = fakeActions();
    render(<NodeTestPanel nodeId="convert" nodeType="transform" actions={actions} />);
    const input = screen.getByRole('textbox', { name: 'Input (JSON)' }) as HTMLTextAreaElement;
    await waitFor(() => expect(JSON.parse(input.value)).toEqual({ amount: 30 }));

    // Another past run's input
    fireEvent.change(screen.getByRole('combobox', { name: 'Input from' }), { target: { value: 'run-2' } });
    await waitFor(() => expect(JSON.parse(input.value)).toEqual({ amount: 20 }));
    fireEvent.click(screen.getByRole('button', { name: 'Test this node' }));

    const result = await screen.findByRole('region', { name: 'Test result' });
    expect(actions.testNode).toHaveBeenCalledWith({ nodeId: 'convert', input: { amount: 20 }, trigger: { currency: 'USD' }, nodes: { rates: { body: { USD: 1.1 } } } });
    expect(within(result).getByLabelText('Output').textContent).toContain('"converted": 22');
    expect(within(result).getByRole('list', { name: 'Logs' }).textContent).toContain('converted 20 EUR');
  });

  it('refuses JSON that does not parse, saying where, and sends nothing', async () => {
    const actions = fakeActions({ nodeRuns: () => Promise.resolve({ runs: [], more: false }) });
    render(<NodeTestPanel nodeId="convert" actions={actions} />);
    const input = screen.getByRole('textbox', { name: 'Input (JSON)' });

    fireEvent.change(input, { target: { value: '{\n  "amount": 20,\n}' } });
    fireEvent.keyDown(input, { key: 'Enter', ctrlKey: true });

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/^Line 3, column 1: /);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(actions.testNode).not.toHaveBeenCalled();
  });

  it('shows the node’s error with its code and hint', async () => {
    const failed: NodeTestResult = {
      nodeId: 'rates', status: 'failed', logs: [], attempts: 3, startedAt: '', durationMs: 40,
      error: { message: 'GET https://rates.example.test answered 503', code: 'http-status', hint: 'The service is down.' },
    };
    const actions = fakeActions({ nodeRuns: () => Promise.resolve({ runs: [], more: false }), testNode: () => Promise.resolve(failed) });
    render(<NodeTestPanel nodeId="rates" nodeType="http" actions={actions} />);

    fireEvent.click(screen.getByRole('button', { name: 'Test this node' }));

    const result = await screen.findByRole('region', { name: 'Test result' });
    expect(result.getAttribute('data-test-status')).toBe('failed');
    expect(within(result).getByRole('alert').textContent).toBe('http-status: GET https://rates.example.test answered 503The service is down.');
    expect(within(result).getByText(/3 attempts/)).toBeTruthy();
  });

  it('sends the http mock of an http node', async () => {
    const actions = fakeActions({ nodeRuns: () => Promise.resolve({ runs: [], more: false }) });
    render(<NodeTestPanel nodeId="rates" nodeType="http" actions={actions} />);

    fireEvent.click(screen.getByRole('checkbox', { name: /Answer the HTTP call with a mock/ }));
    fireEvent.change(screen.getByRole('textbox', { name: /Mock response/ }), { target: { value: '{ "status": 503, "body": "down" }' } });
    fireEvent.click(screen.getByRole('button', { name: 'Test this node' }));

    await waitFor(() => expect(actions.testNode).toHaveBeenCalledWith(expect.objectContaining({ nodeId: 'rates', mocks: { http: { status: 503, body: 'down' } } })));
  });
});

describe('Test this node, cancelled', () => {
  it('offers Cancel while the test runs, and shows the cancelled outcome', async () => {
    let answer!: (result: NodeTestResult) => void;
    const actions = fakeActions({
      nodeRuns: () => Promise.resolve({ runs: [], more: false }),
      testNode: () => new Promise<NodeTestResult>((resolve) => (answer = resolve)),
    });
    render(<NodeTestPanel nodeId="slow" actions={actions} />);
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Test this node' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(actions.cancelNodeTest).toHaveBeenCalledWith('slow');
    answer({ nodeId: 'slow', status: 'cancelled', logs: [], attempts: 1, startedAt: '', durationMs: 900, error: { message: 'The test of the node was cancelled.', code: 'cancelled' } });

    const result = await screen.findByRole('region', { name: 'Test result' });
    expect(result.getAttribute('data-test-status')).toBe('cancelled');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
  });
});

describe('the inspector tabs', () => {
  it('moves between tabs with the arrow keys, only the active tab in the tab order', async () => {
    const onTab = vi.fn();
    const { rerender } = render(<NodeInspectorTabs nodeId="convert" actions={fakeActions()} tab="runs" onTab={onTab} />);
    const runsTab = screen.getByRole('tab', { name: 'Runs' });
    expect(runsTab.getAttribute('aria-selected')).toBe('true');
    expect(screen.getByRole('tab', { name: 'Test' }).tabIndex).toBe(-1);

    fireEvent.keyDown(runsTab, { key: 'ArrowRight' });
    expect(onTab).toHaveBeenCalledWith('test');
    rerender(<NodeInspectorTabs nodeId="convert" actions={fakeActions()} tab="test" onTab={onTab} />);

    expect(screen.getByRole('tabpanel').contains(screen.getByRole('button', { name: 'Test this node' }))).toBe(true);
    await screen.findByRole('combobox', { name: 'Input from' });
  });
});

describe('parseJsonInput', () => {
  it('gives the line and column of a mistake', () => {
    expect(parseJsonInput('{ "a": 1 }')).toEqual({ ok: true, value: { a: 1 } });
    expect(parseJsonInput('[1,\n 2,,\n]')).toMatchObject({ ok: false, line: 2, column: 4 });
    expect(parseJsonInput('', { emptyAs: null })).toEqual({ ok: true, value: null });
    expect(parseJsonInput('  ')).toMatchObject({ ok: false, line: 1, column: 1 });
  });
});
