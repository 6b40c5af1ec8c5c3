// @vitest-environment happy-dom
import '../../../support/componentTests';
import { act, cleanup, render, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ToolCallProgress } from '../../../../src/engine/nodes/nodeType';
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

function snapshot(run: StreamedRun): RunSnapshot {
  return {
    viewId: 1,
    file: 'file:///work/ask-model.flow.json',
    fileName: 'ask-model.flow.json',
    flowName: 'ask-model',
    requestId: 'req-tools',
    startedAt: Date.now(),
    live: true,
    nodeTypes: { ask: 'ai' },
    events: [...run.events],
  };
}

function card(nodeId: string): HTMLElement {
  return document.querySelector(`[data-node-id="${nodeId}"].weft-node-card`) as HTMLElement;
}

const lookup: ToolCallProgress = { id: 'call_1', name: 'lookup-order', status: 'started', arguments: { orderId: 'A-17' }, executionId: 'child-run-1' };

describe('execution panel: an ai node’s tool calls', () => {
  it('shows each call nested under the ai node as it runs and completes, with its arguments, result and child run', () => {
    // ARRANGE: the ai node is running.
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    render(<App />);
    notify('didChangeRun', snapshot(run));

    // ACT 1: the model calls a tool.
    notify('didReceiveEvents', { viewId: 1, events: run.add({ type: 'node.progress', nodeId: 'ask', toolCall: lookup }) });

    // ASSERT 1: shown in the ai node's card without opening it, running, with its arguments and child run.
    const calls = within(card('ask')).getByRole('region', { name: 'Tool calls' });
    const call = within(calls).getByRole('listitem', { name: 'Tool call lookup-order, running' });
    expect(call.textContent).toContain('{"orderId":"A-17"}');
    expect(call.textContent).toContain('run child-run-1');

    // ACT 2: the call completes, then a second one is refused (bad arguments), then the node completes.
    notify('didReceiveEvents', {
      viewId: 1,
      events: [
        ...run.add({ type: 'node.progress', nodeId: 'ask', toolCall: { ...lookup, status: 'completed', output: { status: 'shipped' }, durationMs: 12 } }),
        ...run.add({
          type: 'node.completed',
          nodeId: 'ask',
          durationMs: 30,
          ports: ['out'],
          output: {
            text: 'It shipped.',
            model: 'gpt-fast',
            toolCalls: [
              { id: 'call_1', name: 'lookup-order', flow: './lookup.flow.json', arguments: { orderId: 'A-17' }, output: { status: 'shipped' }, executionId: 'child-run-1', durationMs: 12 },
              { id: 'call_2', name: 'lookup-order', flow: './lookup.flow.json', arguments: { order: 17 }, error: 'The arguments do not match the parameters', durationMs: 0 },
            ],
          },
        }),
      ],
    });

    // ASSERT 2: both calls, in order, under the completed node, the result and the refusal shown.
    const items = within(within(card('ask')).getByRole('region', { name: 'Tool calls' })).getAllByRole('listitem');
    expect(items.map((item) => item.getAttribute('aria-label'))).toEqual(['Tool call lookup-order, completed', 'Tool call lookup-order, failed']);
    expect(items[0].textContent).toContain('{"status":"shipped"}');
    expect(items[1].textContent).toContain('The arguments do not match the parameters');
  });

  it('shows no tool calls section for an ai node that called none', () => {
    // ARRANGE
    const run = new StreamedRun();
    run.started();
    run.nodeStarted();
    run.answer('Hello');
    run.completed('Hello');

    // ACT
    render(<App />);
    notify('didChangeRun', snapshot(run));

    // ASSERT
    expect(within(card('ask')).queryByRole('region', { name: 'Tool calls' })).toBeNull();
  });
});
