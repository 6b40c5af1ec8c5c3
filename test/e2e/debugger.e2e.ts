// A person debugs a flow like code: a click in the gutter on a node's line sets a breakpoint, Debug above the flow
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

/** Clicks the glyph margin (where breakpoints go, left of the line numbers) on `line`. */
async function clickGutter(page: Page, line: number): Promise<void> {
  const cell = lineNumber(page, line);
  await cell.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  const box = (await cell.boundingBox())!;
  // Hover first: the glyph margin shows its breakpoint hint on mouse move, as for a person.
  await page.mouse.move(box.x - 8, box.y + box.height / 2);
  await page.mouse.click(box.x - 8, box.y + box.height / 2);
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

function debugToolbarButton(page: Page, icon: 'debug-step-over' | 'debug-continue'): Locator {
  return page.locator(`.debug-toolbar .action-item .codicon-${icon}`).first();
}

function variablesRows(page: Page): Locator {
  return page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*Variables/ }) }).locator('.monaco-list-row');
}

describe('Debugger', () => {
  it('stops at a breakpoint set in the gutter on a node, steps to the next node, continues to the end', async () => {
    // ARRANGE: the flow, open, its lenses drawn
    const { page, workspace } = e2eSession();
    writeFileSync(join(workspace, 'e2e-debug.flow.json'), DEBUG_FLOW_TEXT);
    await openFile(page, 'e2e-debug.flow.json');
    const debugLens = codeLens(page, 'Debug').first();
    await debugLens.waitFor({ state: 'visible', timeout: 60_000 });

    // ACT 1: a click in the gutter on double's line
    await clickGutter(page, LINE_OF.double);
    // ASSERT 1: a breakpoint there (VS Code offers breakpoints in .flow.json because Weft contributes them)
    await editor(page).locator('.margin-view-overlays .codicon-debug-breakpoint').first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });

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
    await debugToolbarButton(page, 'debug-step-over').click();
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
    await debugToolbarButton(page, 'debug-continue').click();
    // ASSERT 5: the run ends, the session with it, and the canvas no longer shows a pause
    await page.locator('.debug-toolbar').waitFor({ state: 'hidden', timeout: 60_000 });
    await canvas.locator('[data-node-paused]').first().waitFor({ state: 'detached', timeout: STEP_TIMEOUT });
    await screenshot(page, 'debugger-ended');
  });
});
