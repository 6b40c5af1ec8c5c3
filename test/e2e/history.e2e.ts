// A person opens the run history (after the execution scenario ran e2e-timeline twice), finds the flow's runs,
// marks two and compares them node by node; then opens one, which shows it in the execution panel.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { e2eSession, openFile, runCommand, screenshot, webviewFrame } from './vsCodePage';

describe('Run history', () => {
  it('lists the runs of a flow, compares two node by node, and opens one', async () => {
    // ARRANGE: e2e-timeline.flow.json ran twice in the execution scenario.
    const { page } = e2eSession();
    await openFile(page, 'e2e-timeline.flow.json');

    // ACT: open the history for this flow, mark the two runs, compare.
    await runCommand(page, 'Weft: Open Run History');
    const frame = await webviewFrame(page, '#weft-history');
    const rows = frame.locator('[role="row"][data-run-id]');
    await rows.nth(1).waitFor({ state: 'visible', timeout: 30_000 });
    const ids = await rows.evaluateAll((elements) => elements.map((e) => (e as HTMLElement).dataset.runId!));
    await frame.getByLabel(`Mark run ${ids[0]} for comparison`).check();
    await frame.getByLabel(`Mark run ${ids[1]} for comparison`).check();
    await frame.getByRole('button', { name: /^Compare/ }).click();
    const compare = frame.locator('[data-compare]');
    await compare.waitFor({ state: 'visible', timeout: 30_000 });
    await frame.locator('[data-compare] [data-node-id="join"]').first().waitFor({ state: 'visible', timeout: 30_000 });

    // ASSERT: the pair is the two runs (older first), and every node of the flow has a row.
    const pair = (await compare.getAttribute('data-compare'))!.split('..');
    assert.deepEqual([...pair].sort(), [ids[0], ids[1]].sort());
    const nodeRows = await frame.locator('[data-compare] [data-node-id]').evaluateAll((elements) => [...new Set(elements.map((e) => (e as HTMLElement).dataset.nodeId))]);
    for (const node of ['start', 'slow', 'fast', 'big', 'review', 'join']) assert.ok(nodeRows.includes(node), `compare shows ${node}: ${nodeRows.join(', ')}`);
    await screenshot(page, 'history-compare');

    // ACT + ASSERT: back to the list, open the older run (the execution panel still shows the newer one, from the
    // execution scenario): the panel switches to it.
    await page.keyboard.press('Escape');
    await rows.nth(1).waitFor({ state: 'visible', timeout: 10_000 });
    await rows.nth(1).dblclick();
    const timeline = await webviewFrame(page, '#weft-timeline');
    await timeline.waitForFunction((id) => document.querySelector<HTMLElement>(`[data-run-id="${id}"]`) !== null, ids[1], { timeout: 30_000 });
    await screenshot(page, 'history-opened-run');
  });

  it('finds a run by a value of its input ("A-42"), and says plainly when its flow file changed since', async () => {
    // ARRANGE: three runs of order-intake alike but for their input, recorded by the CLI into the workspace's history
    // (which keeps the version that ran); then the file changes: `note` becomes a transform.
    const { page, workspace } = e2eSession();
    // Scenarios run from the repository root (node test/e2e/runE2e.mjs): the CLI is its dist/cli.js.
    const cli = join(process.cwd(), 'dist', 'cli.js');
    for (const orderId of ['A-41', 'A-42', 'A-43']) {
      execFileSync(process.execPath, [cli, 'run', 'order-intake.flow.json', '--input', JSON.stringify({ orderId, total: 120 })], { cwd: workspace, stdio: 'ignore' });
    }
    const flowPath = join(workspace, 'order-intake.flow.json');
    const original = readFileSync(flowPath, 'utf8');
    const noteAsLog = '{ "id": "note", "type": "log", "config": { "message": "Order {{ input.orderId }} queued for {{ input.queue }}" } }';
    assert.ok(original.includes(noteAsLog), 'the sample still has its log node');
    writeFileSync(flowPath, original.replace(noteAsLog, '{ "id": "note", "type": "transform", "config": { "output": { "queued": "{{ input.orderId }}" } } }'));
    try {
      await openFile(page, 'order-intake.flow.json');
      await runCommand(page, 'Weft: Open Run History');
      const frame = await webviewFrame(page, '#weft-history');
      await frame.getByRole('button', { name: 'Refresh' }).click();
      const rows = frame.locator('[role="row"][data-run-id]');
      await frame.locator('.col-input', { hasText: 'orderId A-41' }).first().waitFor({ state: 'visible', timeout: 30_000 });

      // ACT
      await frame.getByLabel('Search').fill('A-42');

      // ASSERT: one run, its input on the row, a short run id
      await frame.waitForFunction(() => document.querySelectorAll('[role="row"][data-run-id]').length === 1, undefined, { timeout: 30_000 });
      const input = await rows.first().locator('.col-input').textContent();
      assert.match(input ?? '', /^orderId A-42, total 120/);
      const shortId = (await rows.first().locator('.col-id').textContent()) ?? '';
      assert.ok(shortId.length > 0 && shortId.length <= 8, `short id: ${shortId}`);
      await screenshot(page, 'history-search-a42');

      // ACT + ASSERT: open it; the panel says the file changed since, and which node changed type. VS Code reads
      // the changed file when its watcher tells it: the run is opened again until the panel has the new text.
      const notice = /The flow file changed since this run/;
      let timeline = undefined as Awaited<ReturnType<typeof webviewFrame>> | undefined;
      for (let attempt = 0; attempt < 5; attempt++) {
        await rows.first().dblclick();
        timeline = await webviewFrame(page, '#weft-timeline');
        const seen = await timeline.getByText(notice).waitFor({ state: 'visible', timeout: 6_000 }).then(() => true, () => false);
        if (seen) break;
      }
      const message = (await timeline!.getByText(notice).textContent()) ?? '';
      assert.match(message, /'note' was log, now transform/);
      await screenshot(page, 'history-opened-changed-flow');
    } finally {
      writeFileSync(flowPath, original);
    }
  });
});
