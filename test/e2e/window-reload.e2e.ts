// The window reloads (as after an extension update or "Developer: Reload Window"): the execution panel comes back
// by itself, showing the same run, restored by the extension's panel serializer from the run id the webview kept.
// Runs last: it reloads the shared workbench.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Frame, Page } from 'playwright-core';
import { e2eSession, openFile, reloadWindow, runCommand, screenshot, webviewFrame } from './vsCodePage';

async function shownRunId(frame: Frame): Promise<string | undefined> {
  return frame.evaluate(() => (document.querySelector<HTMLElement>('#weft-timeline [data-run-id]') ?? document.querySelector<HTMLElement>('#weft-timeline'))?.dataset.runId);
}

/**
 * The restored panel's webview. VS Code loads a restored webview only once its tab is shown: if the tab came back
 * behind another editor of its group, show it, as a person would, then wait for its content.
 */
async function restoredPanel(page: Page, timeoutMs: number): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await webviewFrame(page, '#weft-timeline', 2_000).catch(() => undefined);
    if (frame) return frame;
    const hiddenTab = page.locator('.tabs-container .tab:not(.active)', { hasText: /^\s*Run: / }).first();
    if ((await hiddenTab.count()) > 0) await hiddenTab.click().catch(() => undefined);
    if (Date.now() > deadline) throw new Error(`The execution panel was not restored within ${timeoutMs} ms.`);
  }
}

/** Whether the workbench logged that its IndexedDB was closed under it (VS Code for the Web, not the extension). */
function lostWorkbenchStorage(logs: string[]): boolean {
  return logs.some((line) => /vscode-web-db.*closed/i.test(line));
}

describe('Window reload', () => {
  it('restores the execution panel with the run it showed', async function () {
    // A reload starts the workbench and the extension host again.
    this.timeout(300_000);
    // ARRANGE: the panel shows the last run of e2e-timeline (run it again if an earlier scenario closed it).
    const session = e2eSession();
    const { page } = session;
    await openFile(page, 'e2e-timeline.flow.json');
    await runCommand(page, 'Weft: Run Flow');
    const before = await webviewFrame(page, '#weft-timeline');
    await before.waitForSelector('[data-run-status="completed"]', { timeout: 30_000 });
    const runId = await shownRunId(before);
    assert.ok(runId);

    // ACT
    let logsBefore = session.logs.length;
    await reloadWindow(page);

    // ASSERT: the panel is back, with the same run, completed.
    let reloadedAt = Date.now();
    let after = await restoredPanel(page, 60_000).catch((error: unknown) => error as Error);
    if (after instanceof Error && lostWorkbenchStorage(session.logs.slice(logsBefore))) {
      // VS Code for the Web closed its own IndexedDB while saving the workbench on reload (a fault of the
      // workbench, logged as "database 'vscode-web-db' is closed"): the restored tab's webview never loads, whoever
      // owns it. A person reloads again; so does the scenario, once, and only for that logged fault.
      console.log('      the workbench lost its storage on reload; reloading once more');
      logsBefore = session.logs.length;
      await reloadWindow(page);
      reloadedAt = Date.now();
      after = await restoredPanel(page, 60_000).catch((error: unknown) => error as Error);
    }
    if (after instanceof Error) {
      console.log(session.logs.slice(logsBefore).slice(-60).join('\n'));
      throw after;
    }
    await after.waitForSelector('[data-run-status="completed"]', { timeout: 30_000 });
    assert.equal(await shownRunId(after), runId);
    console.log(`      panel restored ${Date.now() - reloadedAt} ms after the workbench came back`);
    await screenshot(page, 'window-reload-restored-panel');
  });
});
