// A person activates a flow with a webhook and watches: a request from outside the editor (the test's own fetch,
// as a curl or a SaaS sender would) starts a run, which appears in the Live Runs view as it runs and lights the
// canvas while its wait holds; the status bar says the live events are connected; opening the run from the view
// shows it in the execution panel.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { e2eSession, openFile, runCommand, screenshot, webviewFrame } from './vsCodePage';

/** A webhook flow whose wait holds the run long enough to be seen running. */
const LIVE_FLOW = {
  version: 1,
  id: 'e2e-live',
  name: 'E2E live',
  triggers: [{ type: 'webhook', path: 'e2e-live' }],
  nodes: [
    { id: 'receive', type: 'transform', config: { output: { order: '{{ trigger.order }}' } } },
    { id: 'hold', type: 'wait', config: { ms: 4000 } },
    { id: 'done', type: 'log', config: { message: 'order {{ input.order }} done' } },
  ],
  edges: [
    { from: 'receive', to: 'hold' },
    { from: 'hold', to: 'done' },
  ],
};

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Live runs', () => {
  it('shows a webhook run in the Live Runs view and on the canvas as it runs, and opens it in the panel', async () => {
    // ARRANGE: the flow, served on the port runE2e.mjs put in the workspace settings before VS Code started.
    const { page, workspace, liveWebhookPort: port } = e2eSession();
    writeFileSync(join(workspace, 'e2e-live.flow.json'), JSON.stringify(LIVE_FLOW, null, 2));
    await openFile(page, 'e2e-live.flow.json');
    await runCommand(page, 'Weft: Activate Flow (Serve Its Triggers)');
    const base = `http://127.0.0.1:${port}`;
    await until('the webhook served', async () => {
      const status = (await (await fetch(`${base}/_weft/status`)).json()) as { flows: { id: string }[] };
      return status.flows.some((flow) => flow.id === 'e2e-live') ? true : undefined;
    });
    const connected = page.locator('.part.statusbar [aria-label="Weft live events: Live"]').first();
    await connected.waitFor({ state: 'visible', timeout: 60_000 });
    await runCommand(page, 'Weft: Open Canvas');
    const canvas = await webviewFrame(page, '#weft-canvas');
    await runCommand(page, 'Focus on Live Runs View');
    const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Live Runs' }) });
    await view.waitFor({ state: 'visible', timeout: 30_000 });

    // ACT: a request from outside the editor.
    const answer = await fetch(`${base}/hooks/e2e-live`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ order: 'A-7' }) });
    assert.equal(answer.status, 202);
    const { executionId } = (await answer.json()) as { executionId: string };

    // ASSERT 1: while the wait holds, the run is in the view (running, from a webhook) and the canvas shows it live.
    const row = view.locator('.monaco-list-row[aria-label^="e2e-live, "]').first();
    await row.waitFor({ state: 'visible', timeout: 30_000 });
    await canvas.locator('.weft-toolbar .weft-status[data-status="running"]').waitFor({ state: 'visible', timeout: 30_000 });
    assert.match((await row.getAttribute('aria-label')) ?? '', /^e2e-live, running, webhook trigger/);
    await screenshot(page, 'live-runs-running');

    // ASSERT 2: it ends completed in both.
    await view.locator('.monaco-list-row[aria-label^="e2e-live, completed, webhook trigger"]').first().waitFor({ state: 'visible', timeout: 60_000 });
    await canvas.locator('.weft-toolbar .weft-status[data-status="completed"]').waitFor({ state: 'visible', timeout: 30_000 });

    // ACT + ASSERT 3: opening it from the view shows that run in the execution panel.
    await view.locator('.monaco-list-row[aria-label^="e2e-live, completed"]').first().click();
    const timeline = await webviewFrame(page, '#weft-timeline');
    await timeline.waitForFunction((id) => document.querySelector(`[data-run-id="${id}"]`) !== null, executionId, { timeout: 30_000 });
    await screenshot(page, 'live-runs-opened');

    await runCommand(page, 'Weft: Deactivate All Flows');
  });
});
