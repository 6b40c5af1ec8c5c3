// @vitest-environment happy-dom
import '../../../support/componentTests';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, render, waitFor } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, describe, expect, it } from 'vitest';
import { canvasGraphFromText } from '../../../../src/language/canvasGraph';
import type { CanvasNotifications } from '../../../../src/protocol/canvasProtocol';
import { App } from '../../../../webview/canvas/App';

const sample = (name: string): string => readFileSync(join(__dirname, '../../../../samples', name), 'utf8');

function hostSends(method: string, params: unknown): void {
  window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method, params } }));
}

afterEach(() => cleanup());

describe('canvas node badges', () => {
  it('shows runs today, success ratio and average time on the nodes that ran, from the host\'s figures', async () => {
    const view = render(
      <ReactFlowProvider>
        <App />
      </ReactFlowProvider>,
    );
    const insights: CanvasNotifications['didChangeNodeInsights'] = {
      nodes: { check: { runsToday: 12, successRatio: 1, avgMs: 4.2 }, tax: { runsToday: 12, successRatio: 0.75, avgMs: 1250 } },
    };
    act(() => {
      hostSends('didChangeGraph', { graph: canvasGraphFromText(sample('order-intake.flow.json')), fileName: 'order-intake.flow.json', title: 'order-intake (canvas)', palette: [] });
      hostSends('didChangeNodeInsights', insights);
    });

    await waitFor(() => expect(view.container.querySelector('[data-node-insights="tax"]')).not.toBeNull());
    const tax = view.container.querySelector('[data-node-insights="tax"]')!;
    expect(tax.textContent).toBe('12× · 75% · 1.3 s');
    expect(tax.getAttribute('aria-label')).toBe('tax today: 12 runs, 75% succeeded, 1.3 s on average');
    expect(tax.classList.contains('weft-node-insights-failing')).toBe(true);
    expect(view.container.querySelector('[data-node-insights="check"]')?.textContent).toBe('12× · 100% · 4 ms');
    // A node that did not run today has no badge
    const badged = [...view.container.querySelectorAll('[data-node-insights]')].map((e) => e.getAttribute('data-node-insights'));
    expect(badged.sort()).toEqual(['check', 'tax']);
  });
});
