// @vitest-environment happy-dom
// The canvas while a debug session is paused: the node paused before stands out (a border in the debugger's
// colour, the stack frame icon and the word "paused", said to screen readers too), until the session resumes; and
// the toolbar starts a debug session like the Debug CodeLens.
import '../../../support/componentTests';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, describe, expect, it } from 'vitest';
import { canvasGraphFromText } from '../../../../src/language/canvasGraph';
import { App } from '../../../../webview/canvas/App';

const sample = (name: string): string => readFileSync(join(__dirname, '../../../../samples', name), 'utf8');

function hostSends(method: string, params: unknown): void {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method, params } }));
  });
}

async function openCanvas(): Promise<HTMLElement> {
  const view = render(
    <ReactFlowProvider>
      <App />
    </ReactFlowProvider>,
  );
  hostSends('didChangeGraph', { graph: canvasGraphFromText(sample('order-intake.flow.json')), fileName: 'order-intake.flow.json', title: 'order-intake (canvas)', palette: [] });
  await waitFor(() => expect(view.container.querySelector('[data-node-id="tax"]')).not.toBeNull());
  return view.container;
}

afterEach(() => cleanup());

describe('canvas while debugging', () => {
  it('marks the node the debugger is paused before, and only that one, until it resumes', async () => {
    // ARRANGE
    const canvas = await openCanvas();
    hostSends('didChangeRun', { live: true, runId: 'r1', runStatus: 'running', statuses: { check: 'completed' }, ports: { check: ['true'] } });
    // ACT
    hostSends('didChangeDebugPause', { nodeId: 'tax' });
    // ASSERT
    await waitFor(() => expect(canvas.querySelector('[data-node-id="tax"]')?.getAttribute('data-node-paused')).toBe('true'));
    const tax = canvas.querySelector('[data-node-id="tax"]')!;
    expect(tax.classList.contains('weft-node-paused')).toBe(true);
    expect(tax.querySelector('.weft-paused-badge .codicon-debug-stackframe')).not.toBeNull();
    expect(tax.querySelector('.weft-paused-badge')?.textContent).toContain('paused');
    expect(tax.getAttribute('aria-label')).toContain('paused here by the debugger');
    expect(canvas.querySelectorAll('[data-node-paused]')).toHaveLength(1);
    // The completed node keeps its status.
    expect(canvas.querySelector('[data-node-id="check"]')?.getAttribute('data-node-status')).toBe('completed');

    // ACT: the session goes on
    hostSends('didChangeDebugPause', {});
    // ASSERT
    await waitFor(() => expect(canvas.querySelectorAll('[data-node-paused]')).toHaveLength(0));
    expect(canvas.querySelector('.weft-paused-badge')).toBeNull();
  });

  it('starts a debug session from its toolbar', async () => {
    // ARRANGE
    await openCanvas();
    const sent = (globalThis as { __weftSentMessages?: { kind: string; method: string }[] }).__weftSentMessages ?? [];
    // ACT
    fireEvent.click(screen.getByRole('button', { name: 'Debug the flow' }));
    // ASSERT
    expect(sent.at(-1)).toMatchObject({ kind: 'command', method: 'debugFlow' });
  });
});
