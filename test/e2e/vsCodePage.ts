// Driving the VS Code workbench like a person, for the e2e scenarios (test/e2e/*.e2e.ts). Every helper waits on
// what a person would wait for (a result row, a CodeLens, a webview's content), never on a fixed sleep. The session
// (one code-server, one browser page) is started by test/e2e/runE2e.mjs and shared by all scenarios.
import { mkdirSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Frame, Locator, Page } from 'playwright-core';
import type { VsCodeSession } from '../vscode/runVsCode';

/** Where the runner puts the session; a symbol on globalThis, because each scenario is its own bundle. */
export const E2E_SESSION_KEY = Symbol.for('weft.e2e.session');

/** Folder of the screenshots the scenarios take (the runner passes it; default test-artifacts/e2e). */
export const E2E_ARTIFACTS_KEY = Symbol.for('weft.e2e.artifacts');

/** The running VS Code of test/e2e/runE2e.mjs. */
/** The session runE2e.mjs started; `liveWebhookPort` is the free port it put in the workspace's settings. */
export function e2eSession(): VsCodeSession & { workspace: string; liveWebhookPort: number } {
  const session = (globalThis as Record<symbol, unknown>)[E2E_SESSION_KEY];
  if (!session) throw new Error('No VS Code session: run the e2e scenarios through test/e2e/runE2e.mjs.');
  return session as VsCodeSession & { workspace: string; liveWebhookPort: number };
}

/** Where each scenario bundle offers resetWorkbench to the runner's beforeEach (the first one loaded wins). */
export const E2E_RESET_KEY = Symbol.for('weft.e2e.reset');

/**
 * What every scenario starts from, whatever the one before it left (an execution panel beside the editor, a picker,
 * a failed scenario's hidden side bar): every file saved (the workspace is a throwaway copy), every editor and
 * the bottom panel closed, the Explorer shown. Called by runE2e.mjs before each scenario.
 */
export async function resetWorkbench(page: Page): Promise<void> {
  await page.keyboard.press('Escape');
  await runCommand(page, 'File: Save All Files');
  await runCommand(page, 'View: Close All Editors');
  await runCommand(page, 'View: Show Explorer');
  // The bottom panel (a debug console, a terminal) takes half the editor's height: lines a scenario looks for
  // would be scrolled out of view.
  if (await page.locator('[id="workbench.parts.panel"]').isVisible()) await runCommand(page, 'View: Hide Panel');
}
(globalThis as Record<symbol, unknown>)[E2E_RESET_KEY] ??= () => resetWorkbench(e2eSession().page);

/** Escapes text for use inside a RegExp. */
function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The editor tab showing `fileName`. */
export function editorTab(page: Page, fileName: string): Locator {
  return page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(fileName)}$`) }) });
}

/** How long one try of a Quick Open or Command Palette step may wait before the helper starts it again. */
const ATTEMPT_MS = 5_000;

/** A Playwright wait that gave up: a try to repeat, not a failure of the scenario (yet). */
function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/**
 * Repeats `attempt` until it returns without a Playwright timeout, or `timeoutMs` has passed: the workbench answers
 * later on a loaded machine, a picker can close under the pointer when a webview takes the focus, and a file
 * search can answer from an index older than the file. Each try waits for state with `ATTEMPT_MS` bounds; the
 * last timeout is the error when time is up. Errors other than timeouts fail at once.
 */
async function retryUntil(what: string, timeoutMs: number, attempt: (tryNumber: number) => Promise<void>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let tryNumber = 1; ; tryNumber++) {
    try {
      await attempt(tryNumber);
      // Printed, so that a workbench growing slower shows in the log before it fails a run.
      if (tryNumber > 1) console.log(`      (${what}: ${tryNumber} tries, ${Date.now() - deadline + timeoutMs} ms)`);
      return;
    } catch (error) {
      if (!isTimeout(error)) throw error;
      if (Date.now() > deadline) throw new Error(`${what}: gave up after ${tryNumber} tries in ${timeoutMs} ms. Last: ${(error as Error).message}`);
    }
  }
}

/** Closes whatever picker is open, so the next try starts from an empty one. */
async function closeQuickInput(page: Page): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  if (await widget.isVisible()) {
    await page.keyboard.press('Escape');
    await widget.waitFor({ state: 'hidden', timeout: ATTEMPT_MS }).catch(() => undefined);
  }
}

/**
 * Gives the keyboard to the workbench: keys pressed while a webview has the focus stay in the webview, and a webview
 * that finishes loading may take the focus back. The side bar's title takes it without changing the active editor.
 */
async function focusWorkbench(page: Page): Promise<void> {
  const sideBarTitle = page.locator('.part.sidebar .composite.title').first();
  if (await sideBarTitle.isVisible()) await sideBarTitle.click({ position: { x: 4, y: 4 }, timeout: ATTEMPT_MS });
}

/**
 * Opens a picker with `key` and types `text` into it, once its input has the focus. Throws a timeout (for
 * retryUntil) when the picker did not show or lost its input while typing.
 */
async function typeIntoPicker(page: Page, key: string, text: string): Promise<Locator> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  await closeQuickInput(page);
  await focusWorkbench(page);
  await page.keyboard.press(key);
  await input.waitFor({ state: 'visible', timeout: ATTEMPT_MS });
  await input.fill(text, { timeout: ATTEMPT_MS });
  return widget;
}

/**
 * Opens a workspace file through Quick Open (Ctrl+P) by its absolute path: Quick Open shows an existing absolute
 * path as a result from the file system itself, not from its file-search index, so a file written a moment ago
 * (after an earlier Quick Open filled that index) is found too. Types, waits for the row naming the file, picks
 * it, and waits for its editor tab to be the active one; starts again from an empty picker when a step does not
 * happen (no row yet, "No matching results", the picker closed by a webview taking the focus).
 */
export async function openFile(page: Page, fileName: string, timeoutMs = 60_000): Promise<void> {
  const path = join(e2eSession().workspace, fileName);
  const name = basename(fileName);
  const activeTab = editorTab(page, name).and(page.locator('.tab.active')).first();
  await retryUntil(`Opening ${fileName} through Quick Open`, timeoutMs, async () => {
    const widget = await typeIntoPicker(page, 'Control+P', path);
    const row = widget.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) }).first();
    await row.waitFor({ state: 'visible', timeout: ATTEMPT_MS });
    await row.click({ timeout: ATTEMPT_MS });
    await activeTab.waitFor({ state: 'visible', timeout: ATTEMPT_MS * 2 });
  });
}

/**
 * Runs a command from the Command Palette by its title (`Weft: Run Flow`): opens the palette (F1), types the title,
 * waits for the row with exactly that title and clicks it. Until the click, any step that does not happen starts
 * again from an empty palette (a reload still settling, a webview taking the focus, a command not registered yet);
 * the click itself is never repeated, so a command never runs twice.
 */
export async function runCommand(page: Page, title: string, timeoutMs = 60_000): Promise<void> {
  let row: Locator | undefined;
  await retryUntil(`Finding "${title}" in the Command Palette`, timeoutMs, async () => {
    const widget = await typeIntoPicker(page, 'F1', `>${title}`);
    // The palette shows "View: Reopen Editor with Text Editor" for "Reopen Editor With Text Editor": the category is
    // optional and the case is the palette's.
    const label = new RegExp(`^(?:[^:]+: )?${escapeRegExp(title)}$`, 'i');
    const candidate = widget.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: label }) }).first();
    await candidate.waitFor({ state: 'visible', timeout: ATTEMPT_MS });
    row = candidate;
  });
  // The row with this title, not whichever row is highlighted first.
  await row!.click({ timeout: ATTEMPT_MS });
}

/**
 * In a picker a command opened (Preferences: Color Theme), types `text` and picks the row showing `rowText`;
 * `reopen` opens the picker again when it closed before the pick (a webview took the focus).
 */
export async function pickInQuickInput(page: Page, text: string, rowText: string, reopen: () => Promise<void>, timeoutMs = 60_000): Promise<void> {
  const widget = page.locator('.quick-input-widget');
  const input = widget.locator('input.input');
  let row: Locator | undefined;
  await retryUntil(`Picking "${rowText}"`, timeoutMs, async (tryNumber) => {
    if (tryNumber > 1 || !(await input.isVisible())) {
      await closeQuickInput(page);
      await reopen();
    }
    // The picker's own rows first: typing while the Command Palette is still closing would type into that.
    const candidate = widget.locator('.monaco-list-row', { hasText: rowText }).first();
    await candidate.waitFor({ state: 'visible', timeout: ATTEMPT_MS });
    await input.fill(text, { timeout: ATTEMPT_MS });
    await candidate.waitFor({ state: 'visible', timeout: ATTEMPT_MS });
    row = candidate;
  });
  await row!.click({ timeout: ATTEMPT_MS });
}

/**
 * Waits until the workbench is usable: its editor area and status bar drawn, and the Command Palette opening and
 * taking typed text (after a reload the parts show before the keybindings and the quick input work).
 */
export async function waitForUsableWorkbench(page: Page, timeoutMs = 90_000): Promise<void> {
  await page.locator('.monaco-workbench .part.editor').waitFor({ state: 'visible', timeout: timeoutMs });
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ state: 'visible', timeout: timeoutMs });
  await retryUntil('The Command Palette after the workbench started', timeoutMs, async () => {
    const widget = await typeIntoPicker(page, 'F1', '>Help: About');
    await widget.locator('.monaco-list-row').first().waitFor({ state: 'visible', timeout: ATTEMPT_MS });
  });
  await closeQuickInput(page);
}

/**
 * Reloads the window through the Command Palette and waits for the new workbench to be usable. The old document
 * carries a mark the new one does not have, so the wait cannot be satisfied by the page before the reload.
 */
export async function reloadWindow(page: Page, timeoutMs = 120_000): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as Record<string, unknown>).weftBeforeReload = true;
  });
  await runCommand(page, 'Developer: Reload Window');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // While the page navigates, evaluate throws: that too means "not the new document yet".
    const reloaded = await page.evaluate(() => (window as unknown as Record<string, unknown>).weftBeforeReload !== true).catch(() => false);
    if (reloaded) break;
    if (Date.now() > deadline) throw new Error(`The window did not reload within ${timeoutMs} ms.`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
  await waitForUsableWorkbench(page, Math.max(1, deadline - Date.now()));
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

/** Saves a PNG of what a person sees now (or of `element` only) into the e2e artifacts folder; returns its path. */
export async function screenshot(page: Page, name: string, element?: Locator): Promise<string> {
  const folder = ((globalThis as Record<symbol, unknown>)[E2E_ARTIFACTS_KEY] as string | undefined) ?? resolve('test-artifacts', 'e2e');
  const path = join(folder, `${name.replace(/[^\w.-]+/g, '-')}.png`);
  mkdirSync(dirname(path), { recursive: true });
  if (element) await element.screenshot({ path });
  else await page.screenshot({ path });
  return path;
}
