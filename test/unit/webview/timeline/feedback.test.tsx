// @vitest-environment happy-dom
import '../../../support/componentTests';
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../../src/engine/run/runRecord';
import type { ExecutionNotifications, RunSnapshot } from '../../../../src/protocol/executionProtocol';
import { App } from '../../../../webview/timeline/App';

type Sent = { kind: string; id?: number; method: string; params: Record<string, unknown> };

afterEach(() => {
  cleanup();
});

function sent(): Sent[] {
  return (globalThis as { __weftSentMessages?: Sent[] }).__weftSentMessages ?? [];
}

function notify<M extends keyof ExecutionNotifications>(method: M, params: ExecutionNotifications[M]): void {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method, params } }));
  });
}

/** Answers the last request `method` the page sent. */
async function reply(method: string, result: unknown): Promise<Sent> {
  const request = await waitFor(() => {
    const found = sent().filter((m) => m.kind === 'request' && m.method === method).at(-1);
    expect(found).toBeDefined();
    return found!;
  });
  await act(async () => {
    window.dispatchEvent(new MessageEvent('message', { data: { kind: 'reply', id: request.id, result } }));
  });
  return request;
}

const record: RunRecord = {
  id: 'run-judged-1',
  flowId: 'triage',
  flowHash: 'h',
  status: 'completed',
  mode: 'run',
  trigger: { type: 'manual' },
  input: { text: 'printer on fire' },
  output: { queue: 'backlog' },
  startedAt: '2026-03-01T12:00:00.000Z',
  finishedAt: '2026-03-01T12:00:01.000Z',
  durationMs: 1000,
  nodes: { ask: { status: 'completed', attempts: 1, startedAt: '2026-03-01T12:00:00.010Z', finishedAt: '2026-03-01T12:00:00.900Z', durationMs: 890, input: {}, output: { text: 'low' } } },
};

let view = 0;
function showRecord(feedback?: RunSnapshot['feedback']): void {
  view++;
  notify('didChangeRun', {
    viewId: view,
    file: 'file:///work/triage.flow.json',
    fileName: 'triage.flow.json',
    flowName: 'triage',
    runId: record.id,
    live: false,
    nodeTypes: { ask: 'ai' },
    events: [],
    record,
    ...(feedback ? { feedback } : {}),
  });
}

function openCard(nodeId: string): HTMLElement {
  const card = document.querySelector(`[data-node-id="${nodeId}"].weft-node-card`) as HTMLElement;
  const toggle = within(card).getAllByRole('button')[0];
  if (toggle.getAttribute('aria-expanded') !== 'true') fireEvent.click(toggle);
  return card;
}

describe('execution panel: decision feedback on a node card', () => {
  it('marks a node incorrect with a category, a note and the expected output, and shows the verdict once stored', async () => {
    // ARRANGE
    render(<App />);
    showRecord();
    const card = openCard('ask');
    const feedback = within(card).getByRole('region', { name: 'Feedback' });

    // ACT: Incorrect, then fill in the form and save.
    fireEvent.click(within(feedback).getByRole('button', { name: 'Incorrect' }));
    const form = within(feedback).getByRole('form', { name: 'Feedback: incorrect' });
    fireEvent.change(within(form).getByLabelText('Category'), { target: { value: 'wrong-priority' } });
    fireEvent.change(within(form).getByLabelText('Note'), { target: { value: 'a fire is urgent' } });
    fireEvent.change(within(form).getByLabelText('Expected output (JSON)'), { target: { value: '{"text":"urgent"}' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save feedback' }));
    const request = await reply('giveFeedback', {
      entry: { verdict: 'incorrect', category: 'wrong-priority', note: 'a fire is urgent', expected: { text: 'urgent' }, at: '2026-03-01T13:00:00.000Z' },
    });

    // ASSERT: the host was asked to store exactly that; the form closed and the verdict shows as pressed.
    expect(request.params).toEqual({ runId: 'run-judged-1', nodeId: 'ask', verdict: 'incorrect', category: 'wrong-priority', note: 'a fire is urgent', expected: '{"text":"urgent"}' });
    await waitFor(() => expect(within(feedback).queryByRole('form')).toBeNull());
    expect(within(feedback).getByRole('button', { name: 'Incorrect' }).getAttribute('aria-pressed')).toBe('true');
    expect(within(feedback).getByRole('button', { name: 'Correct' }).getAttribute('aria-pressed')).toBe('false');
    expect(feedback.textContent).toContain('wrong-priority — a fire is urgent');
  });

  it('shows the host’s refusal and keeps the form open', async () => {
    // ARRANGE
    render(<App />);
    showRecord();
    const feedback = within(openCard('ask')).getByRole('region', { name: 'Feedback' });

    // ACT
    fireEvent.click(within(feedback).getByRole('button', { name: 'Incorrect' }));
    fireEvent.change(within(feedback).getByLabelText('Expected output (JSON)'), { target: { value: '{oops' } });
    fireEvent.click(within(feedback).getByRole('button', { name: 'Save feedback' }));
    await reply('giveFeedback', { error: 'The expected output is not JSON: Unexpected token o' });

    // ASSERT
    await waitFor(() => expect(within(feedback).getByRole('status').textContent).toMatch(/not JSON/));
    expect(within(feedback).getByRole('form', { name: 'Feedback: incorrect' })).toBeDefined();
  });

  it('offers "Make test from feedback" for a node that has feedback, and says what the host did', async () => {
    // ARRANGE: the run is shown with the feedback already stored.
    render(<App />);
    showRecord({ ask: { verdict: 'correct', at: '2026-03-01T13:00:00.000Z' } });
    const feedback = within(openCard('ask')).getByRole('region', { name: 'Feedback' });
    expect(within(feedback).getByRole('button', { name: 'Correct' }).getAttribute('aria-pressed')).toBe('true');

    // ACT
    fireEvent.click(within(feedback).getByRole('button', { name: 'Make test from feedback' }));
    const request = await reply('makeTestFromFeedback', { ok: true, message: 'Added test "ask decides as in run run-judged-1".' });

    // ASSERT
    expect(request.params).toEqual({ runId: 'run-judged-1', nodeId: 'ask' });
    await waitFor(() => expect(within(feedback).getByRole('status').textContent).toMatch(/Added test/));
    expect(screen.queryByRole('button', { name: 'Save feedback' })).toBeNull();
  });
});
