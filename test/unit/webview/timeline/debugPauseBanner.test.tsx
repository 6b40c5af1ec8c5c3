// @vitest-environment happy-dom
// The execution panel while a Weft debug session is paused: it says before which node (and where, and in which
// file), with the debugger's stack frame icon, and says nothing once the session goes on.
import '../../../support/componentTests';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { ExecutionNotifications } from '../../../../src/protocol/executionProtocol';
import { App } from '../../../../webview/timeline/App';

function notify<M extends keyof ExecutionNotifications>(method: M, params: ExecutionNotifications[M]): void {
  act(() => {
    window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method, params } }));
  });
}

afterEach(() => cleanup());

describe('execution panel while debugging', () => {
  it('shows the node the debugger is paused before, until it resumes', () => {
    // ARRANGE
    const view = render(<App />);
    expect(view.container.querySelector('.weft-debug-pause')).toBeNull();
    // ACT
    notify('didChangeDebugPause', { nodeId: 'tax', path: ['order-intake', 'tax'], fileName: 'order-intake.flow.json' });
    // ASSERT
    const banner = screen.getByRole('status');
    expect(banner.textContent?.trim()).toBe('Paused in the debugger before tax · order-intake.flow.json');
    expect(banner.getAttribute('data-paused-node')).toBe('tax');
    expect(banner.querySelector('.codicon-debug-stackframe')).not.toBeNull();
    // ACT: inside a loop iteration, the path says where
    notify('didChangeDebugPause', { nodeId: 'charge', path: ['orders', 'each[2]', 'charge'], fileName: 'orders.flow.ts' });
    expect(screen.getByRole('status').textContent).toContain('(orders › each[2] › charge)');
    // ACT: the session goes on
    notify('didChangeDebugPause', {});
    // ASSERT
    expect(view.container.querySelector('.weft-debug-pause')).toBeNull();
  });
});
