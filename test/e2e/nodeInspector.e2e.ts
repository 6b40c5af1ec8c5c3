// A person runs a flow from its canvas, opens a node's inspector, sees the run in the node's Runs tab, and tests
// the node alone with the input it had in that run: its output is shown beside the canvas.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { e2eSession, openFile, runCommand, screenshot, webviewFrame } from './vsCodePage';

/** `start` gives 21; `double` doubles its input and reads `start` through `nodes` (both scopes a test must rebuild). */
const INSPECT_FLOW = {
  version: 1,
  id: 'e2e-inspect',
  name: 'E2E inspect',
  nodes: [
    { id: 'start', type: 'transform', config: { output: { amount: 21 } } },
    { id: 'double', type: 'transform', config: { output: { doubled: '{{ input.amount * 2 }}', from: '{{ nodes.start.amount }}' } } },
  ],
  edges: [{ from: 'start', to: 'double' }],
};

describe('Node inspector', () => {
  it('tests a node alone with its input from a past run and shows its output', async () => {
    // ARRANGE: the flow has run once from its canvas.
    const { page, workspace } = e2eSession();
    writeFileSync(join(workspace, 'e2e-inspect.flow.json'), JSON.stringify(INSPECT_FLOW, null, 2));
    await openFile(page, 'e2e-inspect.flow.json');
    await runCommand(page, 'Weft: Open Canvas');
    const frame = await webviewFrame(page, '#weft-canvas');
    await frame.locator('.react-flow__node[data-id="double"]').waitFor({ state: 'visible', timeout: 30_000 });
    await frame.getByRole('button', { name: 'Run the flow' }).click();
    await frame.getByText('last run completed', { exact: true }).waitFor({ state: 'visible', timeout: 60_000 });

    // ACT 1: select double; its inspector's Runs tab lists that run.
    await frame.locator('.react-flow__node[data-id="double"] .weft-flow-node-title').click();
    const inspector = frame.getByRole('complementary', { name: 'Node double' });
    await inspector.waitFor({ state: 'visible', timeout: 10_000 });
    await inspector.getByRole('tab', { name: 'Runs' }).click();
    const runs = inspector.getByRole('list', { name: 'Runs of double' });
    await runs.waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await runs.getByRole('button').count(), 1);
    assert.match(await runs.getByRole('button').first().innerText(), /completed/);

    // ACT 2: the Test tab, from the keyboard (arrow right from Runs), takes the input from that run; Test this node.
    await page.keyboard.press('ArrowRight');
    const input = inspector.getByRole('textbox', { name: 'Input (JSON)' });
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await frame.waitForFunction(() => {
      const area = document.querySelector<HTMLTextAreaElement>('.weft-node-test textarea');
      return area !== null && area.value.includes('21');
    }, undefined, { timeout: 30_000 });
    await inspector.getByRole('button', { name: 'Test this node' }).click();

    // ASSERT: the node ran in the worker with that input and that scope.
    const result = inspector.getByRole('region', { name: 'Test result' });
    await result.waitFor({ state: 'visible', timeout: 60_000 });
    assert.equal(await result.getAttribute('data-test-status'), 'completed');
    const output = JSON.parse(await result.getByLabel('Output').innerText()) as unknown;
    assert.deepEqual(output, { doubled: 42, from: 21 });
    await result.scrollIntoViewIfNeeded();
    await screenshot(page, 'node-inspector-test-this-node');
    await screenshot(page, 'node-inspector-panel', inspector);

    // ACT 3: the execution panel beside shows that run; from double's card, its inspector tests it the same way.
    const panel = await webviewFrame(page, '#weft-timeline');
    const card = panel.locator('[data-node-id="double"]');
    await card.waitFor({ state: 'visible', timeout: 30_000 });
    await card.locator('.weft-node-toggle').click();
    await card.getByRole('button', { name: 'Runs and test of this node' }).click();
    const panelInspector = panel.getByRole('region', { name: 'Inspector of double' });
    await panelInspector.getByRole('tab', { name: 'Test' }).click();
    await panel.waitForFunction(() => {
      const area = document.querySelector<HTMLTextAreaElement>('.weft-node-test textarea');
      return area !== null && area.value.includes('21');
    }, undefined, { timeout: 30_000 });
    await panelInspector.getByRole('button', { name: 'Test this node' }).click();

    // ASSERT 3
    const panelResult = panelInspector.getByRole('region', { name: 'Test result' });
    await panelResult.waitFor({ state: 'visible', timeout: 60_000 });
    assert.deepEqual(JSON.parse(await panelResult.getByLabel('Output').innerText()) as unknown, { doubled: 42, from: 21 });
    await panelResult.scrollIntoViewIfNeeded();
    await screenshot(page, 'node-inspector-execution-panel');
    await runCommand(page, 'View: Close All Editors');
  });
});
