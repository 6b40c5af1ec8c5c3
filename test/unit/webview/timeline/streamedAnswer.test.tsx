// @vitest-environment happy-dom
import '../../../support/componentTests';
import { act, cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import type { ExecutionNotifications, RunSnapshot } from '../../../../src/protocol/executionProtocol';
import { App } from '../../../../webview/timeline/App';
import { StreamedRun } from '../../../support/streamEvents';

afterEach(() => {
  cleanup();
  delete document.body.dataset.firstNodeEventAt;
});

function notify<M extends keyof ExecutionNotifications>(method: M, params: ExecutionNotifications[M]): void {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method, params } }));
  });
}

let requests = 0;

/** A new live run each time (the panel keeps the open cards of the same run shown again). */
function snapshot(run: StreamedRun): RunSnapshot {
  requests++;
  return {
    viewId: 1,
    file: 'file:///work/ask-model.flow.json',
    fileName: 'ask-model.flow.json',
    flowName: 'ask-model',
    requestId: `req-${requests}`,
    startedAt: Date.now(),
    live: true,
    nodeTypes: { ask: 'ai' },
    events: [...run.events],
  };
}

/** The record of the run: the final text only, no reasoning (the engine keeps none). */
function recordOf(run: StreamedRun, text: string): RunRecord {
  return {
    id: run.runId,
    flowId: 'ask-model',
    flowHash: 'h',
    status: 'completed',
    mode: 'run',
    trigger: { type: 'manual' },
    input: {},
    output: { text },
    startedAt: '2026-03-01T12:00:00.001Z',
    finishedAt: '2026-03-01T12:00:01.000Z',
    durationMs: 999,
    nodes: { ask: { status: 'completed', attempts: 1, startedAt: '2026-03-01T12:00:00.002Z', finishedAt: '2026-03-01T12:00:00.900Z', durationMs: 898, input: {}, output: { text, model: 'gpt-fast' } } },
  };
}

function card(nodeId: string): HTMLElement {
  return document.querySelector(`[data-node-id="${nodeId}"].weft-node-card`) as HTMLElement;
}

/** The card's live region: what a screen reader is told about the streamed answer. */
function announcement(nodeId: string): HTMLElement {
  return within(card(nodeId)).getByTestId('stream-announcement');
}

describe('execution panel: an ai node’s streamed answer', () => {
  it('grows in the running node’s card, reasoning collapsed apart, then gives way to the output', () => {
    // ARRANGE: the run has started; the ai node streams its reasoning, then its answer.
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    render(<App />);
    notify('didChangeRun', snapshot(run));

    // ACT 1: the reasoning and the first pieces of the answer.
    notify('didReceiveEvents', { viewId: 1, events: [...run.reasoning('Fire is ', 'dangerous.'), ...run.answer('Urg', 'ent')] });

    // ASSERT 1: shown without opening the card; the reasoning is closed and not part of the answer.
    const streaming = within(card('ask')).getByRole('region', { name: 'Streamed answer' });
    const answerBox = within(streaming).getByLabelText('Answer so far');
    expect(answerBox.textContent).toBe('Urgent');
    const reasoning = streaming.querySelector('details')!;
    expect(reasoning.open).toBe(false);
    expect(within(reasoning).getByText(/^Reasoning/).textContent).toContain('18 characters');
    expect(reasoning.textContent).toContain('Fire is dangerous.');
    expect(announcement('ask').getAttribute('aria-live')).toBe('polite');
    expect(announcement('ask').textContent).toBe('');

    // ACT 2: more of the answer.
    notify('didReceiveEvents', { viewId: 1, events: run.answer(': fi', 're') });

    // ASSERT 2: the same box grew; nothing was announced per piece.
    expect(within(card('ask')).getByLabelText('Answer so far')).toBe(answerBox);
    expect(answerBox.textContent).toBe('Urgent: fire');
    expect(announcement('ask').textContent).toBe('');

    // ACT 3: the node completes, then the run, with its record (which has no reasoning).
    notify('didReceiveEvents', { viewId: 1, events: run.completed('Urgent: fire') });
    notify('didFinishRun', { viewId: 1, record: recordOf(run, 'Urgent: fire') });

    // ASSERT 3: the streamed box is gone, the end is announced once, with the answer.
    expect(within(card('ask')).queryByRole('region', { name: 'Streamed answer' })).toBeNull();
    expect(announcement('ask').textContent).toBe('ask answered: Urgent: fire');

    // ACT 4: the user opens the card.
    fireEvent.click(within(card('ask')).getByRole('button', { expanded: false }));

    // ASSERT 4: the output as for any node, and the reasoning still there, closed.
    expect(within(card('ask')).getByRole('tree', { name: 'output value' }).textContent).toContain('Urgent: fire');
    const kept = card('ask').querySelector('details.weft-node-reasoning') as HTMLDetailsElement;
    expect(kept.open).toBe(false);
    expect(kept.textContent).toContain('Fire is dangerous.');
    expect(within(card('ask')).queryByLabelText('Answer so far')).toBeNull();
  });

  it('keeps the reasoning open when the user opened it while the node streamed', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    run.reasoning('Fire is dangerous.');
    render(<App />);
    notify('didChangeRun', snapshot(run));
    fireEvent.click(within(card('ask')).getByRole('button', { expanded: false }));
    const streaming = card('ask').querySelector('details.weft-node-reasoning') as HTMLDetailsElement;

    // ACT
    fireEvent.click(within(streaming).getByText(/^Reasoning/));
    notify('didReceiveEvents', { viewId: 1, events: [...run.answer('Urgent'), ...run.completed('Urgent')] });

    // ASSERT
    const kept = card('ask').querySelector('details.weft-node-reasoning') as HTMLDetailsElement;
    expect(kept.open).toBe(true);
    expect(kept.textContent).toContain('Fire is dangerous.');
  });

  it('keeps what a failed node streamed in its card, and says the answer stopped', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    run.answer('Urgent: the prin');
    render(<App />);
    notify('didChangeRun', snapshot(run));

    // ACT
    notify('didReceiveEvents', {
      viewId: 1,
      events: run.add({ type: 'node.failed', nodeId: 'ask', error: { message: 'The model took too long.', code: 'timeout' }, errorHandled: false, durationMs: 5 }),
    });
    fireEvent.click(within(card('ask')).getByRole('button', { expanded: false }));

    // ASSERT
    expect(within(card('ask')).getByRole('region', { name: 'Streamed before it stopped' }).textContent).toContain('Urgent: the prin');
    expect(announcement('ask').textContent).toBe('ask stopped before its answer was complete.');
  });

  it('shows no streamed answer for a node that streamed nothing', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    render(<App />);

    // ACT
    notify('didChangeRun', snapshot(run));

    // ASSERT
    expect(within(card('ask')).queryByRole('region', { name: 'Streamed answer' })).toBeNull();
    expect(within(card('ask')).queryByTestId('stream-announcement')).toBeNull();
  });
});

describe('execution panel: circuit breakers in the log', () => {
  it('shows a circuit opening as a warning and its closing as info, naming the target', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    render(<App />);
    notify('didChangeRun', snapshot(run));

    // ACT
    notify('didReceiveEvents', { viewId: 1, events: [...run.circuit('opened'), ...run.circuit('closed')] });

    // ASSERT
    const lines = within(screen.getByRole('list', { name: 'Log lines' })).getAllByRole('listitem');
    expect(lines.map((line) => line.dataset.level)).toEqual(['warn', 'info']);
    expect(lines[0].textContent).toContain('Circuit opened for ai http://127.0.0.1:9/v1 gpt-fast after 2 failures: calls to it fail fast');
    expect(lines[1].textContent).toContain('Circuit closed for ai http://127.0.0.1:9/v1 gpt-fast');

    // ACT: warnings and above only.
    fireEvent.change(screen.getByRole('combobox', { name: 'Minimum level' }), { target: { value: 'warn' } });

    // ASSERT
    const warnings = within(screen.getByRole('list', { name: 'Log lines' })).getAllByRole('listitem');
    expect(warnings).toHaveLength(1);
    expect(warnings[0].textContent).toContain('Circuit opened');
  });
});
