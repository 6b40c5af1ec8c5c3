// The canvas in VS Code's dark and high-contrast themes, as screenshots for a reviewer to look at (the webviews use
// the theme's colours only): it closes the other editors, opens the canvas of the e2e flow, then switches themes.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import type { Page } from 'playwright-core';
import { e2eSession, editorTab, openFile, pickInQuickInput, runCommand, screenshot, webviewFrame } from './vsCodePage';

const FILE = 'e2e-timeline.flow.json';

/** Picks a color theme as a person does (Preferences: Color Theme, type its name, click it); then shows the canvas again. */
async function switchTheme(page: Page, theme: string): Promise<void> {
  const openPicker = (): Promise<void> => runCommand(page, 'Preferences: Color Theme');
  await openPicker();
  await pickInQuickInput(page, theme, theme, openPicker);
  await editorTab(page, FILE).nth(1).click();
}

/** The workbench's editor background as the browser computes it (`rgb(…)`). */
async function workbenchBackground(page: Page): Promise<string> {
  return page.evaluate(() => {
    const probe = document.createElement('div');
    probe.style.background = 'var(--vscode-editor-background)';
    document.querySelector('.monaco-workbench')!.appendChild(probe);
    const color = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return color;
  });
}

describe('Themes', () => {
  it('draws the canvas with the dark and high-contrast themes', async () => {
    // ARRANGE: the canvas of the flow the execution scenario ran.
    const { page } = e2eSession();
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, FILE);
    await runCommand(page, 'Weft: Open Canvas');
    await (await webviewFrame(page, '#weft-canvas')).locator('.react-flow__node[data-id="join"]').waitFor({ state: 'visible', timeout: 30_000 });
    const light = await workbenchBackground(page);

    for (const [theme, name] of [
      ['Dark Modern', 'dark'],
      ['Dark High Contrast', 'high-contrast'],
    ]) {
      // ACT
      await switchTheme(page, theme);

      // ASSERT: the webview follows the workbench's theme: its body gets the theme's class, and it paints the
      // editor background of that theme.
      const expectedClass = name === 'dark' ? 'vscode-dark' : 'vscode-high-contrast';
      const canvas = await webviewFrame(page, '#weft-canvas');
      await canvas.locator('.react-flow__node[data-id="join"]').waitFor({ state: 'visible', timeout: 30_000 });
      await canvas.waitForFunction((cls) => document.body.classList.contains(cls), expectedClass, { timeout: 10_000 });
      const workbench = await workbenchBackground(page);
      assert.notEqual(workbench, light);
      assert.equal(await canvas.evaluate(() => getComputedStyle(document.body).backgroundColor), workbench);
      await screenshot(page, `theme-${name}`);
    }
    await switchTheme(page, 'Light Modern');
    await runCommand(page, 'View: Close All Editors');
  });
});
