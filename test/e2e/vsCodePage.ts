// Driving the VS Code workbench like a person, for the e2e scenarios (test/e2e/*.e2e.ts). Every helper waits on
// what a person would wait for (a result row, a CodeLens, a webview's content), never on a fixed sleep. The session
// (one code-server, one browser page) is started by test/e2e/runE2e.mjs and shared by all scenarios.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import type { VsCodeSession } from '../vscode/runVsCode';

/** Where the runner puts the session; a symbol on globalThis, because each scenario is its own bundle. */
export const E2E_SESSION_KEY = Symbol.for('weft.e2e.session');

/** Folder of the screenshots the scenarios take (the runner passes it; default test-artifacts/e2e). */
export const E2E_ARTIFACTS_KEY = Symbol.for('weft.e2e.artifacts');

/** The running VS Code of test/e2e/runE2e.mjs. */
export function e2eSession(): VsCodeSession & { workspace: string } {
  const session = (globalThis as Record<symbol, unknown>)[E2E_SESSION_KEY];
  if (!session) throw new Error('No VS Code session: run the e2e scenarios through test/e2e/runE2e.mjs.');
  return session as VsCodeSession & { workspace: string };
}

/** Escapes text for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The editor tab showing `fileName`. */
export function editorTab(page: Page, fileName: string): Locator {
  return page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(fileName)}$`) }) });
}

/**
 * Opens a workspace file through Quick Open (Ctrl+P), as a person would: types the name, waits for the result row
 * that shows it, presses Enter, and waits for its editor tab to be the active one.
 */
export async function openFile(page: Page, fileName: string, timeoutMs = 30_000): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  await page.keyboard.press('Control+P');
  const input = quickInput.locator('input.input');
  await input.waitFor({ state: 'visible', timeout: timeoutMs });
  await input.fill(fileName);
  // The search runs in the server (ripgrep): the row appears when it answers, and Enter before that opens nothing.
  const row = quickInput.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(fileName)}$`) }) });
  await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
  await row.first().click();
  await editorTab(page, fileName).and(page.locator('.tab.active')).first().waitFor({ state: 'visible', timeout: timeoutMs });
}

/** Runs a command from the Command Palette by its title (`Weft: Run Flow`), waiting for its row. */
export async function runCommand(page: Page, title: string, timeoutMs = 30_000): Promise<void> {
  const quickInput = page.locator('.quick-input-widget');
  const input = quickInput.locator('input.input');
  // Keys pressed while a webview has focus stay in the webview, and a webview that finishes loading may take the
  // focus back: give the focus to the workbench (the side bar's title; the active editor stays the active editor)
  // and press F1 until the palette shows.
  const sideBarTitle = page.locator('.part.sidebar .composite.title').first();
  for (let attempt = 1; ; attempt++) {
    if (await sideBarTitle.isVisible()) await sideBarTitle.click();
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: attempt < 3 ? 3000 : timeoutMs });
      break;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
  await input.fill(`>${title}`);
  const row = quickInput.locator('.monaco-list-row', { hasText: title });
  await row.first().waitFor({ state: 'visible', timeout: timeoutMs });
  // The row with this title, not whichever row is highlighted first.
  await row.first().click();
}

/**
 * CodeLens links in the visible editors whose text matches (a string matches the start of the text, ignoring a
 * leading icon). They appear only after the extension activated and answered: wait on the locator.
 */
export function codeLens(page: Page, text: string | RegExp): Locator {
  const pattern = typeof text === 'string' ? new RegExp(`^\\s*${escapeRegExp(text)}`) : text;
  return page.locator('.codelens-decoration a', { hasText: pattern });
}

/** The texts of every CodeLens link now shown, top to bottom. */
export async function codeLensTexts(page: Page): Promise<string[]> {
  return (await page.locator('.codelens-decoration a').allInnerTexts()).map((text) => text.trim());
}

/**
 * The frame holding a webview's own HTML. A webview is two nested iframes (`iframe.webview.ready`, then
 * `#active-frame`); with several panels open only a selector of the panel's content tells them apart, so give
 * each panel's root a unique id and pass it here. Polls until such a frame exists.
 */
export async function webviewFrame(page: Page, rootSelector: string, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      try {
        if ((await frame.locator(rootSelector).count()) > 0) return frame;
      } catch {
        // the frame navigated or went away while we looked
      }
    }
    if (Date.now() > deadline) throw new Error(`No webview frame with ${rootSelector} within ${timeoutMs} ms.`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

/** Saves a PNG of what a person sees now into the e2e artifacts folder; returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  const folder = ((globalThis as Record<symbol, unknown>)[E2E_ARTIFACTS_KEY] as string | undefined) ?? resolve('test-artifacts', 'e2e');
  const path = join(folder, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  mkdirSync(dirname(path), { recursive: true });
  await page.screenshot({ path });
  return path;
}
