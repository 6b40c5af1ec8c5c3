// @vitest-environment happy-dom
import '../../../support/componentTests';
import { resolve } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runFlow } from '../../../../src/api/runFlow';
import { compileFlow } from '../../../../src/engine/model/compileFlow';
import { createDefaultRegistry } from '../../../../src/engine/nodes/builtins';
import type { EngineEvent } from '../../../../src/engine/run/events';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import type { ExecutionNotifications, RunSnapshot } from '../../../../src/protocol/executionProtocol';
import { App } from '../../../../webview/timeline/App';

const events: EngineEvent[] = [];
let record: RunRecord;

beforeAll(async () => {
  // A real run of the order-intake sample: check → (review skipped) → tax → done → note (logs).
  record = await runFlow(resolve(__dirname, '../../../../samples/order-intake.flow.json'), {
    input: { orderId: 'A-1', total: 100, country: 'DE' },
    history: false,
    onEvent: (e) => events.push(e),
  });
});

afterEach(() => {
  cleanup();
  sent().length = 0;
  delete document.body.dataset.firstNodeEventAt;
});

function sent(): { kind: string; method: string; params: unknown }[] {
  return (globalThis as { __weftSentMessages?: { kind: string; method: string; params: unknown }[] }).__weftSentMessages ?? [];
}

function notify<M extends keyof ExecutionNotifications>(method: M, params: ExecutionNotifications[M]): void {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method, params } }));
  });
}

/** A run of the flow that fails on `input.total / input.orderId` with orderId a string. */
async function failedRun(onEvent?: (event: EngineEvent) => void): Promise<RunRecord> {
  const text = JSON.stringify({
    version: 1,
    id: 'order-intake',
    nodes: [{ id: 'tax', type: 'transform', config: { output: { tax: '{{ round(input.total / input.orderId, 2) }}' } } }],
    edges: [],
  });
  const { flow } = compileFlow(text, { registry: createDefaultRegistry(), file: '/work/order-intake.flow.json' });
  return runFlow(flow!, { input: { total: 120, orderId: 'A-42' }, history: false, onEvent });
}

function snapshot(overrides: Partial<RunSnapshot> = {}): RunSnapshot {
  return {
    viewId: 1,
    file: 'file:///work/order-intake.flow.json',
    fileName: 'order-intake.flow.json',
    flowName: 'order-intake',
    requestId: 'req-1',
    startedAt: Date.now(),
    live: true,
    nodeTypes: { check: 'if', review: 'transform', tax: 'code', done: 'transform', note: 'log' },
    events: [],
    ...overrides,
  };
}

const restoreLayout: (() => void)[] = [];
afterEach(() => restoreLayout.splice(0).forEach((restore) => restore()));

function layout(sizes: Record<'clientHeight' | 'offsetHeight', number>): void {
  for (const [name, value] of Object.entries(sizes)) {
    const own = Object.getOwnPropertyDescriptor(HTMLElement.prototype, name);
    Object.defineProperty(HTMLElement.prototype, name, { configurable: true, get: () => value });
    restoreLayout.push(() => (own ? Object.defineProperty(HTMLElement.prototype, name, own) : delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name]));
  }
}

function card(nodeId: string): HTMLElement {
  return document.querySelector(`[data-node-id="${nodeId}"].weft-node-card`) as HTMLElement;
}

describe('execution panel App', () => {
  it('asks the host for the run once it listens', () => {
    // ACT
    render(<App />);

    // ASSERT
    expect(sent()).toContainEqual({ kind: 'command', method: 'ready', params: {} });
  });

  it('follows a live run: statuses per card, progress, the end, and the first-event mark', () => {
    // ARRANGE
    const { container } = render(<App />);
    const firstCompleted = events.findIndex((e) => e.type === 'node.completed');

    // ACT 1: the run starts (no event yet).
    notify('didChangeRun', snapshot());

    // ASSERT 1
    expect(container.dataset.runStatus).toBe('starting');
    // getBy* throws when nothing matches: finding it is the assertion.
    screen.getByRole('button', { name: 'Cancel' });
    expect(document.body.dataset.firstNodeEventAt).toBeUndefined();

    // ACT 2: events up to the first node that completes.
    notify('didReceiveEvents', { viewId: 1, events: events.slice(0, firstCompleted + 1) });

    // ASSERT 2
    expect(container.dataset.runStatus).toBe('running');
    expect(container.dataset.runId).toBe(record.id);
    expect(card('check').dataset.nodeStatus).toBe('completed');
    expect(card('tax').dataset.nodeStatus).toBe('pending');
    expect(screen.getByTestId('progress').textContent).toBe('1 of 5 nodes');
    expect(Number(document.body.dataset.firstNodeEventAt)).toBeGreaterThan(0);

    // ACT 3: a batch of an older showing is dropped; the rest arrives, then the end.
    notify('didReceiveEvents', { viewId: 0, events: events.slice(firstCompleted + 1) });
    expect(screen.getByTestId('progress').textContent).toBe('1 of 5 nodes');
    expect(card('tax').dataset.nodeStatus).toBe('pending');
    notify('didReceiveEvents', { viewId: 1, events: events.slice(firstCompleted + 1) });
    notify('didFinishRun', { viewId: 1, record });

    // ASSERT 3
    expect(container.dataset.runStatus).toBe('completed');
    expect(card('review').dataset.nodeStatus).toBe('skipped');
    expect(card('note').dataset.nodeStatus).toBe('completed');
    expect(screen.getByTestId('progress').textContent).toBe('5 of 5 nodes');
    expect(screen.queryByRole('button', { name: 'Cancel' })).toBeNull();
    screen.getByRole('button', { name: 'Re-run' });
    expect(screen.getByRole('list', { name: 'Log lines' }).textContent).toContain('Order A-1 queued for auto');
  });

  it('sends cancel with the run’s request id, and re-run with its run id', () => {
    // ARRANGE
    render(<App />);
    notify('didChangeRun', snapshot({ events: events.slice(0, 3) }));

    // ACT
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));

    // ASSERT
    expect(sent()).toContainEqual({ kind: 'command', method: 'cancel', params: { requestId: 'req-1' } });

    // ACT: the run ends; Re-run names it.
    notify('didFinishRun', { viewId: 1, record });
    fireEvent.click(screen.getByRole('button', { name: 'Re-run' }));

    // ASSERT
    expect(sent()).toContainEqual({ kind: 'command', method: 'rerun', params: { runId: record.id } });
  });

  it('opens a recorded run: a card expands to its output and reveals its node in the flow file', () => {
    // ARRANGE
    render(<App />);
    notify('didChangeRun', snapshot({ viewId: 2, live: false, requestId: undefined, record, runId: record.id }));

    // ACT
    const tax = card('tax');
    fireEvent.click(within(tax).getByRole('button', { expanded: false }));

    // ASSERT
    expect(within(tax).getByRole('tree', { name: 'output value' }).textContent).toContain('rate: 0.19');
    within(tax).getByText('code');

    // ACT
    fireEvent.click(within(tax).getByRole('button', { name: 'Reveal in flow file' }));

    // ASSERT
    expect(sent()).toContainEqual({ kind: 'command', method: 'revealNode', params: { nodeId: 'tax' } });
    expect(screen.queryByRole('button', { name: 'Resume' })).toBeNull();
  });

  it('selects a node from the timeline, by click and with the arrow keys', () => {
    // ARRANGE: the real record, with its nodes 100 ms apart and 50 ms long (the real ones take microseconds), so
    // that the bars are on one lane in start order.
    const spaced: RunRecord = structuredClone(record);
    const t0 = Date.parse(spaced.startedAt);
    Object.values(spaced.nodes)
      .filter((node) => node.startedAt)
      .sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!))
      .forEach((node, i) => {
        node.startedAt = new Date(t0 + i * 100).toISOString();
        node.finishedAt = new Date(t0 + i * 100 + 50).toISOString();
        node.durationMs = 50;
      });
    spaced.finishedAt = new Date(t0 + 500).toISOString();
    spaced.durationMs = 500;
    render(<App />);
    notify('didChangeRun', snapshot({ viewId: 5, live: false, requestId: undefined, record: spaced }));
    const timeline = screen.getByRole('group', { name: /^Timeline: 4 nodes/ });

    // ACT
    fireEvent.click(document.querySelector('[data-bar-node="tax"]')!);

    // ASSERT
    expect(timeline.parentElement!.textContent).toMatch(/tax, completed/);
    expect(card('tax').classList.contains('weft-node-selected')).toBe(true);

    // ACT: the next node in start order.
    fireEvent.keyDown(timeline, { key: 'ArrowRight' });

    // ASSERT
    expect(card('done').classList.contains('weft-node-selected')).toBe(true);
    expect(card('tax').classList.contains('weft-node-selected')).toBe(false);
  });

  it('a failed run opens the failed card by itself, with the error, its way out, and a line in the log', async () => {
    // ARRANGE: the flow: tax divides a number by a string
    const failed = await failedRun();
    render(<App />);

    // ACT
    notify('didChangeRun', snapshot({ viewId: 7, live: false, requestId: undefined, record: failed, runId: failed.id, nodeTypes: { tax: 'transform' } }));

    // ASSERT: the card is open and selected, without a click
    const tax = card('tax');
    expect(tax.classList.contains('weft-node-selected')).toBe(true);
    const error = within(tax).getByRole('region', { name: 'Error' });
    expect(error.textContent).toContain('`input.total / input.orderId`: cannot divide number by string');
    expect(error.textContent).toContain('give a fallback: {{ input.total / input.orderId ?? 0 }}');
    // The Log view has the failure as an error line of the node.
    const log = screen.getByRole('list', { name: 'Log lines' });
    expect(log.textContent).toContain('Failed [expression-error]: `input.total / input.orderId`: cannot divide number by string');
    fireEvent.change(screen.getByRole('combobox', { name: 'Minimum level' }), { target: { value: 'error' } });
    expect(within(log).getAllByRole('listitem')).toHaveLength(1);
    // Once: the card shows the error above its own logs, which do not repeat it.
    expect(tax.textContent).not.toContain('Failed [expression-error]');

    // ACT: Reveal asks the host for the node; the host selects the failing part (executionPanel.revealNode).
    fireEvent.click(within(tax).getByRole('button', { name: 'Reveal in flow file' }));
    expect(sent()).toContainEqual({ kind: 'command', method: 'revealNode', params: { nodeId: 'tax' } });
  });

  it('a failed live run opens the failed card when its events say so, and logs the failure once', async () => {
    // ARRANGE
    const liveEvents: EngineEvent[] = [];
    const failed = await failedRun((e) => liveEvents.push(e));
    render(<App />);
    notify('didChangeRun', snapshot({ viewId: 8, nodeTypes: { tax: 'transform' } }));

    // ACT
    notify('didReceiveEvents', { viewId: 8, events: liveEvents });
    notify('didFinishRun', { viewId: 8, record: failed });

    // ASSERT
    expect(card('tax').classList.contains('weft-node-selected')).toBe(true);
    const lines = within(screen.getByRole('list', { name: 'Log lines' })).getAllByRole('listitem');
    expect(lines.filter((li) => li.textContent!.includes('cannot divide number by string'))).toHaveLength(1);
  });

  it('filters the log by level', () => {
    // ARRANGE
    render(<App />);
    notify('didChangeRun', snapshot({ viewId: 3, live: false, requestId: undefined, record }));

    // ACT
    fireEvent.change(screen.getByRole('combobox', { name: 'Minimum level' }), { target: { value: 'warn' } });

    // ASSERT
    expect(screen.getByRole('list', { name: 'Log lines' }).textContent).toContain('No line matches.');
  });

  it('draws only the cards in view for a run with many nodes', () => {
    // ARRANGE: 2,000 nodes, all completed. happy-dom has no layout: the list says it is 600 px tall, a card 34.
    layout({ clientHeight: 600, offsetHeight: 34 });
    const ids = Array.from({ length: 2000 }, (_, i) => `n${i}`);
    const base = { executionId: 'big', ts: new Date().toISOString() };
    const t0 = Date.now();
    const many: EngineEvent[] = [{ ...base, seq: 1, type: 'execution.started', flowId: 'big', mode: 'run', trigger: { type: 'manual' }, input: {}, nodeIds: ids }];
    // One after another, 1 ms each: one lane.
    ids.forEach((nodeId, i) => many.push({ ...base, ts: new Date(t0 + i + 1).toISOString(), seq: i + 2, type: 'node.completed', nodeId, output: i, durationMs: 1, ports: ['out'] }));
    render(<App />);

    // ACT
    notify('didChangeRun', snapshot({ viewId: 4, events: many }));

    // ASSERT
    expect(screen.getByTestId('progress').textContent).toBe('2000 of 2000 nodes');
    const drawn = document.querySelectorAll('.weft-node-card').length;
    expect(drawn).toBeGreaterThan(0);
    expect(drawn).toBeLessThan(100);
    expect(card('n0').dataset.nodeStatus).toBe('completed');
  });

  it('opens the node inspector from a card: its Test tab asks the host for the shown run’s scope of the node', async () => {
    // ARRANGE: a recorded run shown whole.
    render(<App />);
    notify('didChangeRun', snapshot({ live: false, requestId: undefined, events, record }));
    fireEvent.click(within(card('tax')).getByRole('button', { name: /^tax/ }));

    // ACT
    fireEvent.click(within(card('tax')).getByRole('button', { name: 'Runs and test of this node' }));

    // ASSERT: the inspector of tax, on its Test tab, takes its input from the run shown.
    const inspector = screen.getByRole('region', { name: 'Inspector of tax' });
    expect(within(inspector).getByRole('tab', { name: 'Test' }).getAttribute('aria-selected')).toBe('true');
    await waitFor(() => expect(sent()).toContainEqual(expect.objectContaining({ kind: 'request', method: 'nodeTestScope', params: { nodeId: 'tax', runId: record.id } })));
    fireEvent.click(within(inspector).getByRole('button', { name: 'Close the node inspector' }));
    expect(screen.queryByRole('region', { name: 'Inspector of tax' })).toBeNull();
  });
});
