// The webviews in VS Code's light, dark and high-contrast themes, as screenshots for a reviewer to look at (the
// webviews use the theme's colours only): the canvas of the e2e flow in the dark themes, then the execution panel
// and the run history of a run that has every status in Light Modern and High Contrast Light.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import type { Frame, Page } from 'playwright-core';
import { contrastRatio } from '../unit/webview/vsCodeThemes';
import { codeLens, e2eSession, editorTab, openFile, pickInQuickInput, runCommand, screenshot, webviewFrame } from './vsCodePage';

const FILE = 'e2e-timeline.flow.json';

/** A run that ends with each status a node can end with: completed, skipped (a dead branch), failed, cancelled. */
const STATUSES_FLOW = {
  version: 1,
  id: 'e2e-themes',
  name: 'E2E themes',
  nodes: [
    { id: 'receive-order', type: 'transform', config: { output: { amount: 42, orderId: 'A-42' } } },
    { id: 'check-amount', type: 'if', config: { condition: '{{ input.amount > 1000 }}' } },
    { id: 'manual-review', type: 'log', config: { message: 'needs review' } },
    { id: 'wait-for-stock', type: 'wait', config: { ms: 1500 } },
    { id: 'reserve-stock', type: 'transform', config: { output: { reserved: true } } },
    // The failure comes after a wait, so the bars are wide enough for their labels and wait-for-stock is cut short.
    { id: 'look-up-customer', type: 'wait', config: { ms: 400 } },
    { id: 'reject-order', type: 'fail', config: { message: 'Order A-42 has no customer' } },
  ],
  edges: [
    { from: 'receive-order', to: 'check-amount' },
    { from: 'check-amount', to: 'manual-review', port: 'true' },
    { from: 'receive-order', to: 'wait-for-stock' },
    { from: 'wait-for-stock', to: 'reserve-stock' },
    { from: 'check-amount', to: 'look-up-customer', port: 'false' },
    { from: 'look-up-customer', to: 'reject-order' },
  ],
};

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

/** In a webview: the codicon font (from dist/webview/codicon.ttf, through the webview's resource URI) has loaded. */
function codiconFontLoaded(): boolean {
  return [...document.fonts].some((font) => font.family.replace(/["']/g, '') === 'codicon' && font.status === 'loaded');
}

/** Every status word in a webview: its computed colour, the first opaque background behind it, their contrast. */
async function statusContrasts(frame: Frame): Promise<{ text: string; color: string; background: string; ratio: number }[]> {
  const shown = await frame.evaluate(() => {
    const hex = (rgb: string): string => {
      const [r, g, b, a = 1] = (rgb.match(/[\d.]+/g) ?? []).map(Number);
      return `#${[r, g, b].map((n) => Math.round(n!).toString(16).padStart(2, '0')).join('')}${Math.round(a * 255).toString(16).padStart(2, '0')}`;
    };
    return [...document.querySelectorAll<HTMLElement>('.weft-status')].map((status) => {
      let behind: HTMLElement | null = status;
      // The first ancestor that paints a background (translucent row highlights are ignored: the page shows through).
      while (behind && !/^rgb\(/.test(getComputedStyle(behind).backgroundColor)) behind = behind.parentElement;
      return { text: status.textContent ?? '', color: hex(getComputedStyle(status).color), background: hex(getComputedStyle(behind ?? document.body).backgroundColor) };
    });
  });
  return shown.map((s) => ({ ...s, ratio: contrastRatio(s.color, s.background) }));
}

/** Picks a color theme from Preferences: Color Theme. */
async function pickTheme(page: Page, theme: string): Promise<void> {
  const openPicker = (): Promise<void> => runCommand(page, 'Preferences: Color Theme');
  await openPicker();
  await pickInQuickInput(page, theme, theme, openPicker);
}

describe('Themes', () => {
  it('shows the execution panel and the run history in Light Modern and High Contrast Light', async () => {
    // ARRANGE: a flow whose run ends with a node of each status.
    const { page, workspace } = e2eSession();
    const flowFile = 'e2e-themes.flow.json';
    writeFileSync(join(workspace, flowFile), JSON.stringify(STATUSES_FLOW, null, 2));
    await runCommand(page, 'View: Close All Editors');

    for (const [theme, name, bodyClass] of [
      ['Light Modern', 'light-modern', 'vscode-light'],
      ['Light High Contrast', 'high-contrast-light', 'vscode-high-contrast-light'],
    ]) {
      // ACT: in this theme, run the flow and open its history.
      await pickTheme(page, theme);
      await openFile(page, flowFile);
      const run = codeLens(page, 'Run').first();
      await run.waitFor({ state: 'visible', timeout: 30_000 });
      await run.click();
      const timeline = await webviewFrame(page, '#weft-timeline');
      await timeline.waitForSelector('[data-run-status="failed"]', { timeout: 30_000 });
      await timeline.waitForFunction((cls) => document.body.classList.contains(cls), bodyClass, { timeout: 10_000 });
      // ASSERT: every status is on screen (a word and an icon each), in this theme's colours.
      for (const status of ['completed', 'skipped', 'failed', 'cancelled']) {
        await timeline.locator(`.weft-status[data-status="${status}"]`).first().waitFor({ state: 'visible', timeout: 10_000 });
      }
      // The icons are drawn by the codicon font, not as empty boxes: the font has loaded in the webview.
      await timeline.waitForFunction(codiconFontLoaded, undefined, { timeout: 10_000 });
      // Each status word as the browser paints it, on what is behind it: AA contrast.
      for (const shown of await statusContrasts(timeline)) {
        assert.ok(shown.ratio >= 4.5, `${theme}: the "${shown.text}" status is ${shown.ratio.toFixed(2)}:1 (${shown.color} on ${shown.background})`);
      }
      const shot = await screenshot(page, `theme-${name}-execution`);
      // The timeline close up: its bars and their labels are small on the whole screen.
      await timeline.locator('.weft-exec-timeline').screenshot({ path: shot.replace(/\.png$/, '-timeline.png') });

      await openFile(page, flowFile);
      await runCommand(page, 'Weft: Open Run History');
      const history = await webviewFrame(page, '#weft-history');
      await history.locator('[role="row"][data-run-id] .weft-status[data-status="failed"]').first().waitFor({ state: 'visible', timeout: 30_000 });
      await history.waitForFunction((cls) => document.body.classList.contains(cls), bodyClass, { timeout: 10_000 });
      await history.waitForFunction(codiconFontLoaded, undefined, { timeout: 10_000 });
      for (const shown of await statusContrasts(history)) {
        assert.ok(shown.ratio >= 4.5, `${theme}: the "${shown.text}" status is ${shown.ratio.toFixed(2)}:1 (${shown.color} on ${shown.background})`);
      }
      await screenshot(page, `theme-${name}-history`);
      await runCommand(page, 'View: Close All Editors');
    }
    await pickTheme(page, 'Light Modern');
  });

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
