// A person debugs a flow like code: F9 on a node's line sets a breakpoint (VS Code refuses its gutter click in
// jsonc documents, whatever a debugger contributes: see docs/decisions.md), Debug above the flow
// starts a session, the editor stops at that node (the debug toolbar shows, Variables shows the node's Input
// scope), step over stops at the next node, the canvas shows the paused node, continue runs the flow to its end
// and the session closes. Screenshots of both pauses.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import type { Locator, Page } from 'playwright-core';
import { codeLens, e2eSession, openFile, runCommand, screenshot, webviewFrame } from './vsCodePage';

/** Three nodes one after another, each on a line of its own (lines 6, 7 and 8 of the file). */
const DEBUG_FLOW_TEXT = `{
  "version": 1,
  "id": "e2e-debug",
  "name": "E2E debug",
  "nodes": [
    { "id": "start", "type": "transform", "config": { "output": { "amount": 42 } } },
    { "id": "double", "type": "transform", "config": { "output": { "amount": "{{ input.amount * 2 }}" } } },
    { "id": "finish", "type": "log", "config": { "message": "amount {{ input.amount }}" } }
  ],
  "edges": [
    { "from": "start", "to": "double" },
    { "from": "double", "to": "finish" }
  ]
}
`;
const LINE_OF = { start: 6, double: 7, finish: 8 };

const STEP_TIMEOUT = 30_000;

function editor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

/** The line number cell of `line` in the active editor's gutter. */
function lineNumber(page: Page, line: number): Locator {
  return editor(page).locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
}

/** Puts the cursor on `line` (a click in its text) and presses F9, as a person sets a breakpoint. */
async function toggleBreakpointOn(page: Page, line: number): Promise<void> {
  const cell = lineNumber(page, line);
  await cell.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  const box = (await cell.boundingBox())!;
  const text = editor(page).locator('.view-lines .view-line').filter({ hasText: '"double"' }).first();
  const textBox = (await text.boundingBox())!;
  assert.ok(Math.abs(textBox.y - box.y) < 4, `line ${line} holds double`);
  await page.mouse.click(textBox.x + 40, textBox.y + textBox.height / 2);
  await page.keyboard.press('F9');
}

/** Waits until the editor's current stack frame (the debugger's highlighted line) is `line`. */
async function waitForStackFrameLine(page: Page, line: number): Promise<void> {
  const frameLine = editor(page).locator('.debug-top-stack-frame-line').first();
  const deadline = Date.now() + STEP_TIMEOUT;
  let last = 'no stack frame line';
  for (;;) {
    const [frameBox, numberBox] = await Promise.all([frameLine.boundingBox().catch(() => null), lineNumber(page, line).boundingBox().catch(() => null)]);
    if (frameBox && numberBox && Math.abs(frameBox.y - numberBox.y) < 4) return;
    if (frameBox) last = `stack frame line at y=${frameBox.y}, line ${line} at y=${numberBox?.y}`;
    if (Date.now() > deadline) throw new Error(`The debugger did not stop at line ${line} within ${STEP_TIMEOUT} ms (${last}).`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

/** A button of the floating debug toolbar by its name ("Step Over (F10)"), not its icon: icons may repeat. */
function debugToolbarButton(page: Page, name: 'Step Over' | 'Continue'): Locator {
  return page.locator(`.debug-toolbar .action-item a.action-label[aria-label^="${name}"]`).first();
}

function variablesRows(page: Page): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*Variables/i }) }).locator('.monaco-list-row');
}

describe('Debugger', () => {
  it('stops at a breakpoint set with F9 on a node, steps to the next node, continues to the end', async () => {
    // ARRANGE: the flow, open, its lenses drawn
    const { page, workspace } = e2eSession();
    writeFileSync(join(workspace, 'e2e-debug.flow.json'), DEBUG_FLOW_TEXT);
    await openFile(page, 'e2e-debug.flow.json');
    const debugLens = codeLens(page, 'Debug').first();
    await debugLens.waitFor({ state: 'visible', timeout: 60_000 });

    // ACT 1: F9 on double's line
    await toggleBreakpointOn(page, LINE_OF.double);
    // ASSERT 1: a breakpoint drawn in the gutter on that line
    // Glyph margin decorations are drawn in the margin's widget layer, apart from the line numbers.
    const glyph = editor(page).locator('.margin .codicon-debug-breakpoint').first();
    await glyph.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    const glyphBox = (await glyph.boundingBox())!;
    const lineBox = (await lineNumber(page, LINE_OF.double).boundingBox())!;
    assert.ok(Math.abs(glyphBox.y + glyphBox.height / 2 - (lineBox.y + lineBox.height / 2)) < 6, `breakpoint on line ${LINE_OF.double}`);

    // ACT 2: Debug above the flow
    await debugLens.click();

    // ASSERT 2: stopped before double: the debug toolbar, the line highlighted, the Input scope in Variables
    await page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: 60_000 });
    await waitForStackFrameLine(page, LINE_OF.double);
    const inputScope = variablesRows(page).filter({ hasText: /^\s*Input\b/ }).first();
    await inputScope.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    console.log(`      variables: ${(await variablesRows(page).allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ')}`);
    await screenshot(page, 'debugger-paused-at-breakpoint');

    // ACT 3: step over
    await debugToolbarButton(page, 'Step Over').click();
    // ASSERT 3: stopped before the next node in execution order
    await waitForStackFrameLine(page, LINE_OF.finish);

    // ACT 4: the canvas, while paused
    await runCommand(page, 'Weft: Open Canvas');
    const canvas = await webviewFrame(page, '#weft-canvas');
    // ASSERT 4: the paused node stands out there
    await canvas.locator('.react-flow__node[data-id="finish"][data-node-paused="true"]').waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    assert.equal(await canvas.locator('[data-node-paused]').count(), 1);
    await screenshot(page, 'debugger-paused-canvas');

    // ACT 5: continue
    await debugToolbarButton(page, 'Continue').click();
    // ASSERT 5: the run ends, the session with it, and the canvas no longer shows a pause
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 60_000 });
    await canvas.locator('[data-node-paused]').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
    await screenshot(page, 'debugger-ended');
  });
});
