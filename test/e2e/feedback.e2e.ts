// Decision feedback in the execution panel: after a run, a person opens a node's card, marks its output
// Incorrect with a category, a note and the expected output, and saves: the verdict is stored beside the run in
// .weft/feedback/ (the flow file untouched). "Make test from feedback" then adds a test case to the flow file as
// an edit in the editor.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { codeLens, e2eSession, openFile, screenshot, webviewFrame } from './vsCodePage';

const FEEDBACK_FLOW = {
  version: 1,
  id: 'e2e-feedback',
  name: 'E2E feedback',
  nodes: [
    { id: 'classify', type: 'transform', config: { output: { priority: 'low' } } },
    { id: 'route', type: 'transform', config: { output: { queue: "{{ nodes.classify.priority == 'urgent' ? 'pager' : 'backlog' }}" } } },
  ],
  edges: [{ from: 'classify', to: 'route' }],
};

describe('Decision feedback', () => {
  it('marks a node incorrect from its card, stores it beside the run, and makes a test from it', async () => {
    // ARRANGE: a completed run in the panel.
    const { page, workspace } = e2eSession();
    const file = join(workspace, 'e2e-feedback.flow.json');
    const text = JSON.stringify(FEEDBACK_FLOW, null, 2);
    writeFileSync(file, text);
    await openFile(page, 'e2e-feedback.flow.json');
    const run = codeLens(page, 'Run').first();
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    await run.click();
    const frame = await webviewFrame(page, '#weft-timeline');
    await frame.waitForSelector('[data-run-status="completed"]', { timeout: 30_000 });
    const runId = await frame.evaluate(() => (document.querySelector<HTMLElement>('#weft-timeline [data-run-id]') ?? document.querySelector<HTMLElement>('#weft-timeline'))!.dataset.runId!);

    // ACT 1: open the classify card, Incorrect, fill in the form, save.
    const card = frame.locator('[data-node-id="classify"].weft-node-card');
    await card.locator('button.weft-node-toggle').click();
    const feedback = card.getByRole('region', { name: 'Feedback' });
    await feedback.getByRole('button', { name: 'Incorrect' }).click();
    await feedback.getByLabel('Category').fill('wrong-priority');
    await feedback.getByLabel('Note').fill('a fire is urgent');
    await feedback.getByLabel('Expected output (JSON)').fill('{"priority":"urgent"}');
    await feedback.getByRole('button', { name: 'Save feedback' }).click();
    await feedback.getByText('Saved: incorrect.').waitFor({ timeout: 30_000 });
    await screenshot(page, 'feedback-marked-incorrect');

    // ASSERT 1: stored beside the run, not in the flow file.
    const stored = JSON.parse(readFileSync(join(workspace, '.weft', 'feedback', `${runId}.json`), 'utf8'));
    assert.deepEqual(stored.nodes.classify.expected, { priority: 'urgent' });
    assert.equal(stored.nodes.classify.category, 'wrong-priority');
    assert.equal(readFileSync(file, 'utf8'), text);

    // ACT 2
    await feedback.getByRole('button', { name: 'Make test from feedback' }).click();

    // ASSERT 2: the panel says so, and the editor holds the new test (an unsaved edit: undo works).
    await feedback.getByText(/Added test/).waitFor({ timeout: 30_000 });
    // The test is appended at the end of the file: the end of the editor is where a person looks for it.
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.locator('.monaco-editor .view-lines', { hasText: 'corrected from run' }).first().waitFor({ timeout: 30_000 });
    await screenshot(page, 'feedback-test-made');
    assert.ok(existsSync(join(workspace, '.weft', 'feedback')));
  });
});
