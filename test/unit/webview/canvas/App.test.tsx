// @vitest-environment happy-dom
import '../../../support/componentTests';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, describe, expect, it } from 'vitest';
import { canvasGraphFromText } from '../../../../src/language/canvasGraph';
import { App } from '../../../../webview/canvas/App';

const sample = (name: string): string => readFileSync(join(__dirname, '../../../../samples', name), 'utf8');

function hostSends(method: string, params: unknown): void {
  window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method, params } }));
}

afterEach(() => cleanup());

describe('canvas App', () => {
  it('asks for the graph, then draws each node with its id, status and port handles', async () => {
    // ARRANGE
    const view = render(
      <ReactFlowProvider>
        <App />
      </ReactFlowProvider>,
    );
    const sent = (globalThis as { __weftSentMessages?: { method: string }[] }).__weftSentMessages ?? [];
    expect(sent.map((m) => m.method)).toContain('ready');
    // ACT
    await act(async () => {
      hostSends('didChangeGraph', { graph: canvasGraphFromText(sample('order-intake.flow.json')), fileName: 'order-intake.flow.json', title: 'order-intake (canvas)', palette: [] });
      hostSends('didChangeRun', { live: true, runId: 'r1', runStatus: 'running', statuses: { check: 'completed', tax: 'running' }, ports: {} });
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    // ASSERT
    const check = view.container.querySelector('[data-node-id="check"]');
    expect(check?.getAttribute('data-node-status')).toBe('completed');
    expect(check?.getAttribute('aria-label')).toBe('if node check, completed');
    expect([...(check?.querySelectorAll('[data-port]') ?? [])].map((h) => h.getAttribute('data-port'))).toEqual(['in', 'true', 'false', 'error']);
    expect(view.container.querySelector('[data-node-id="tax"]')?.getAttribute('data-node-status')).toBe('running');
    expect(view.container.querySelectorAll('[data-node-id]')).toHaveLength(5);
  });

  it('runs the flow from its toolbar', async () => {
    // ARRANGE
    render(
      <ReactFlowProvider>
        <App />
      </ReactFlowProvider>,
    );
    await act(async () => {
      hostSends('didChangeGraph', { graph: canvasGraphFromText(sample('order-intake.flow.json')), fileName: 'order-intake.flow.json', title: 'order-intake (canvas)', palette: [] });
      await new Promise((resolve) => setTimeout(resolve, 10));
    });
    const sent = (globalThis as { __weftSentMessages?: { kind: string; method: string }[] }).__weftSentMessages ?? [];
    // ACT
    fireEvent.click(screen.getByRole('button', { name: 'Run the flow' }));
    // ASSERT
    expect(sent.at(-1)).toMatchObject({ kind: 'command', method: 'runFlow' });
  });
});
