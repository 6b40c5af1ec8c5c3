// The window reloads (as after an extension update or "Developer: Reload Window"): the execution panel comes back
// by itself, showing the same run, restored by the extension's panel serializer from the run id the webview kept.
// Runs last: it reloads the shared workbench.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Frame } from 'playwright-core';
import { e2eSession, openFile, reloadWindow, runCommand, screenshot, webviewFrame } from './vsCodePage';

async function shownRunId(frame: Frame): Promise<string | undefined> {
  return frame.evaluate(() => (document.querySelector<HTMLElement>('#weft-timeline [data-run-id]') ?? document.querySelector<HTMLElement>('#weft-timeline'))?.dataset.runId);
}

describe('Window reload', () => {
  it('restores the execution panel with the run it showed', async function () {
    // A reload starts the workbench and the extension host again.
    this.timeout(300_000);
    // ARRANGE: the panel shows the last run of e2e-timeline (run it again if an earlier scenario closed it).
    const { page } = e2eSession();
    await openFile(page, 'e2e-timeline.flow.json');
    await runCommand(page, 'Weft: Run Flow');
    const before = await webviewFrame(page, '#weft-timeline');
    await before.waitForSelector('[data-run-status="completed"]', { timeout: 30_000 });
    const runId = await shownRunId(before);
    assert.ok(runId);

    // ACT
    await reloadWindow(page);

    // ASSERT: the panel is back, with the same run, completed.
    const reloadedAt = Date.now();
    const after = await webviewFrame(page, '#weft-timeline', 90_000);
    await after.waitForSelector('[data-run-status="completed"]', { timeout: 30_000 });
    assert.equal(await shownRunId(after), runId);
    console.log(`      panel restored ${Date.now() - reloadedAt} ms after the workbench came back`);
    await screenshot(page, 'window-reload-restored-panel');
  });
});
