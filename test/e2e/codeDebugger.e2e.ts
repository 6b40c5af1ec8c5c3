// A person debugs a .flow.ts together with the workspace TypeScript it calls: F9 on a line inside a helper in
// lib/, Debug above the flow, and the editor stops in the helper's .ts source (VS Code's JavaScript debugger,
// attached to the Weft session as a child session, maps the line through the module's source map), with its
// locals in Variables; step out goes back to the flow's code function; continue, and the run completes and the
// session closes. Screenshots of both stops.
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import type { Locator, Page } from 'playwright-core';
import { codeLens, e2eSession, editorTab, openFile, screenshot } from './vsCodePage';

/** The helper; the breakpoint goes on the `let total` line (line 3), which runs once per call. */
const HELPER_TEXT = `export interface Line { price: number; quantity: number }
export function orderTotal(lines: Line[]): number {
  let total = 0;
  for (const line of lines) total += line.price * line.quantity;
  return total;
}
`;
const HELPER_LINE = 3;

const FLOW_TEXT = `import { flow } from 'weft';
import { orderTotal, type Line } from './lib/e2e-pricing';

export default flow({
  version: 1,
  id: 'e2e-code-debug',
  nodes: [
    { id: 'lines', type: 'transform', config: { output: { lines: [{ price: 3, quantity: 2 }, { price: 5, quantity: 1 }] } } },
    { id: 'total', type: 'code', config: { code: ({ input }: { input: { lines: Line[] } }) => ({ total: orderTotal(input.lines) }) } },
  ],
  edges: [{ from: 'lines', to: 'total' }],
});
`;

/** The line of the flow's code function that calls the helper. */
const FLOW_CODE_LINE = 9;

const STEP_TIMEOUT = 30_000;

function editor(page: Page): Locator {
  return page.locator('.editor-group-container.active .monaco-editor').first();
}

function lineNumber(page: Page, line: number): Locator {
  return editor(page).locator('.margin-view-overlays .line-numbers', { hasText: new RegExp(`^\\s*${line}\\s*$`) }).first();
}

/** Puts the cursor in the text of `line` (checked to hold `text`) and presses F9, as a person sets a breakpoint. */
async function toggleBreakpointOn(page: Page, line: number, text: string): Promise<void> {
  const cell = lineNumber(page, line);
  await cell.waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
  const box = (await cell.boundingBox())!;
  const lineText = editor(page).locator('.view-lines .view-line').filter({ hasText: text }).first();
  const textBox = (await lineText.boundingBox())!;
  assert.ok(Math.abs(textBox.y - box.y) < 4, `line ${line} holds ${text}`);
  await page.mouse.click(textBox.x + 40, textBox.y + textBox.height / 2);
  await page.keyboard.press('F9');
}

/** Waits until the editor's current stack frame (the debugger's highlighted line) is `line` of the active editor. */
async function waitForStackFrameLine(page: Page, line: number): Promise<void> {
  const frameLine = editor(page).locator('.debug-top-stack-frame-line').first();
  const deadline = Date.now() + 60_000;
  let last = 'no stack frame line';
  for (;;) {
    const [frameBox, numberBox] = await Promise.all([frameLine.boundingBox().catch(() => null), lineNumber(page, line).boundingBox().catch(() => null)]);
    if (frameBox && numberBox && Math.abs(frameBox.y - numberBox.y) < 4) return;
    if (frameBox) last = `stack frame line at y=${frameBox.y}, line ${line} at y=${numberBox?.y}`;
    if (Date.now() > deadline) throw new Error(`The debugger did not stop at line ${line} (${last}).`);
    await new Promise((wait) => setTimeout(wait, 100));
  }
}

function continueButton(page: Page): Locator {
  return page.locator('.debug-toolbar .action-item a.action-label[aria-label^="Continue"]').first();
}

describe('Debugging a .flow.ts with its code', () => {
  it('stops at a breakpoint in a workspace helper the flow calls, in the helper’s .ts source, and runs to the end', async () => {
    // ARRANGE: the helper in lib/, the flow that calls it, a breakpoint in the helper's body
    const { page, workspace } = e2eSession();
    mkdirSync(join(workspace, 'lib'), { recursive: true });
    writeFileSync(join(workspace, 'lib', 'e2e-pricing.ts'), HELPER_TEXT);
    writeFileSync(join(workspace, 'e2e-code-debug.flow.ts'), FLOW_TEXT);
    await openFile(page, 'lib/e2e-pricing.ts');
    await toggleBreakpointOn(page, HELPER_LINE, 'let total');
    await editor(page).locator('.margin .codicon-debug-breakpoint, .margin .codicon-debug-breakpoint-unverified').first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await openFile(page, 'e2e-code-debug.flow.ts');
    const debugLens = codeLens(page, 'Debug').first();
    await debugLens.waitFor({ state: 'visible', timeout: 60_000 });

    // ACT 1: Debug above the flow
    await debugLens.click();

    // ASSERT 1: the editor stops in the helper's source, on the breakpoint's line, with orderTotal in the call stack
    await page.locator('.debug-toolbar').waitFor({ state: 'visible', timeout: 60_000 });
    await editorTab(page, 'e2e-pricing.ts').and(page.locator('.tab.active')).first().waitFor({ state: 'visible', timeout: 60_000 });
    await waitForStackFrameLine(page, HELPER_LINE);
    const callStack = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*Call Stack/i }) }).locator('.monaco-list-row');
    await callStack.filter({ hasText: 'orderTotal' }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    console.log(`      call stack: ${(await callStack.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim()).join(' | ')}`);
    // The helper's locals in Variables (js-debug's Local scope, expanded: `lines`)
    const variables = page.locator('.pane', { has: page.locator('.pane-header', { hasText: /^\s*Variables/i }) }).locator('.monaco-list-row');
    await variables.filter({ hasText: /^\s*lines\b/ }).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    // js-debug reads the adapter's own sources too: none of them may pass for a broken source map.
    assert.equal(await page.locator('.repl').getByText('Could not read source map').count(), 0, 'no source map error in the Debug Console');
    await screenshot(page, 'code-debugger-stopped-in-helper');

    // ACT 2: step out of the helper
    await page.locator('.debug-toolbar .action-item a.action-label[aria-label^="Step Out"]').first().click();
    // ASSERT 2: back in the flow's code function, at its call of the helper (the engine's frames are skipped)
    await editorTab(page, 'e2e-code-debug.flow.ts').and(page.locator('.tab.active')).first().waitFor({ state: 'visible', timeout: STEP_TIMEOUT });
    await waitForStackFrameLine(page, FLOW_CODE_LINE);
    await screenshot(page, 'code-debugger-stepped-out-to-flow');

    // ACT 3: continue
    const toolbar = page.locator('.debug-toolbar');
    await continueButton(page).click();

    // ASSERT 3: the session ends, and the run it recorded completed with the helper's result
    await toolbar.waitFor({ state: 'hidden', timeout: 60_000 });
    const runs = join(workspace, '.weft', 'runs');
    const records = existsSync(runs) ? readdirSync(runs).map((f) => JSON.parse(readFileSync(join(runs, f), 'utf8')) as { flowId: string; status: string; output?: unknown }) : [];
    const run = records.find((r) => r.flowId === 'e2e-code-debug');
    assert.equal(run?.status, 'completed', `the debugged run completed (runs: ${records.map((r) => `${r.flowId}:${r.status}`).join(', ')})`);
    assert.deepEqual(run?.output, { total: 11 });
    await screenshot(page, 'code-debugger-ended');
  });
});
