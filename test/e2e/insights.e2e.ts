// A person opens the Insights of a flow from its CodeLens: the figures of the runs recorded in the last 24 hours
// (written here into the workspace's history, with known figures, and compacted so they come from the stats
// rollup), the trend and cost charts, the failures; then switches to 7 days with the keyboard.
import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { HistoryStore } from '../../src/engine/history/historyStore';
import type { RunRecord } from '../../src/engine/run/runRecord';
import { codeLens, e2eSession, openFile, screenshot, webviewFrame } from './vsCodePage';

const HOUR = 3_600_000;

/** Run i of triage-ticket, `hoursAgo` before now: classify (gpt-4o-mini, $0.002) then route and one branch; every 7th fails at classify. */
function triageRun(i: number, hoursAgo: number): RunRecord {
  const start = Date.now() - hoursAgo * HOUR;
  const failed = i % 7 === 3;
  const classifyMs = 600 + (i % 5) * 150;
  const iso = (ms: number): string => new Date(ms).toISOString();
  return {
    id: `e2e-insights-${i}`,
    flowId: 'triage-ticket',
    flowHash: 'e2e',
    status: failed ? 'failed' : 'completed',
    mode: 'run',
    trigger: { type: 'webhook' },
    input: { subject: `Ticket ${i}`, body: 'Cannot log in' },
    startedAt: iso(start),
    finishedAt: iso(start + classifyMs + 40),
    durationMs: classifyMs + 40,
    nodes: failed
      ? { classify: { status: 'failed', attempts: 2, durationMs: classifyMs, error: { message: 'HTTP 429 from the model API', code: 'http-status' } } }
      : {
          classify: { status: 'completed', attempts: 1, durationMs: classifyMs, usage: { model: 'gpt-4o-mini', inputTokens: 420, outputTokens: 35, costUsd: 0.002 } },
          route: { status: 'completed', attempts: 1, durationMs: 2 },
          general: { status: 'completed', attempts: 1, durationMs: 38 },
        },
    ...(failed ? { error: { message: 'HTTP 429 from the model API', code: 'http-status', nodeId: 'classify' } } : {}),
  };
}

describe('Insights', () => {
  it('shows a flow’s runs, success, durations, cost by node and failures from its CodeLens, and changes window by keyboard', async () => {
    // ARRANGE: 20 runs over the last 20 hours (3 failed), and 10 more two to five days ago
    const { page, workspace } = e2eSession();
    const history = HistoryStore.open({ dir: join(workspace, '.weft') });
    for (let i = 0; i < 20; i++) await history.save(triageRun(i, i + 0.5));
    for (let i = 20; i < 30; i++) await history.save(triageRun(i, 48 + (i - 20) * 8));
    await history.compact();
    await history.close();
    await openFile(page, 'triage-ticket.flow.json');

    // ACT
    await codeLens(page, 'Insights').first().click();
    const frame = await webviewFrame(page, '#weft-insights');
    const runsTile = frame.locator('.tile', { hasText: 'Runs' }).locator('.value');
    await frame.locator('.tile').first().waitFor({ state: 'visible', timeout: 30_000 });

    // ASSERT: 24 hours by default? The page starts on 7 days; choose 24 hours with the keyboard first.
    const group = frame.getByRole('radiogroup', { name: 'Time window' });
    await group.getByRole('radio', { name: 'Last 7 days' }).focus();
    await page.keyboard.press('ArrowLeft');
    await frame.waitForFunction(() => document.querySelector('[role="radio"][aria-checked="true"]')?.textContent === 'Last 24 hours', undefined, { timeout: 30_000 });
    await frame.waitForFunction(() => document.querySelector('.tile .value')?.textContent === '20', undefined, { timeout: 30_000 });
    assert.equal(await runsTile.textContent(), '20');
    assert.equal(await frame.locator('.tile', { hasText: 'Success' }).locator('.value').textContent(), '85%');
    assert.equal(await frame.locator('.tile', { hasText: 'Cost' }).locator('.value').textContent(), '$0.03');
    assert.equal(await frame.locator('.tile', { hasText: 'Decision accuracy' }).locator('.value').textContent(), 'no feedback yet');
    assert.ok((await frame.getByRole('img', { name: /^Cost by node: classify \$0\.03$/ }).count()) === 1, 'cost chart names classify');
    assert.match((await frame.locator('.failures li').first().textContent()) ?? '', /3×.*http-status.*classify.*HTTP 429 from the model API/);
    await screenshot(page, 'insights-24h');

    // ACT + ASSERT: 7 days counts the older runs too
    await page.keyboard.press('ArrowRight');
    await frame.waitForFunction(() => document.querySelector('.tile .value')?.textContent === '30', undefined, { timeout: 30_000 });
    await screenshot(page, 'insights-7d');

    // ACT + ASSERT: the canvas shows the same figures as badges on its nodes (runs since local midnight)
    await page.getByRole('tab', { name: /triage-ticket\.flow\.json/ }).first().click();
    await codeLens(page, 'Canvas').first().click();
    const canvas = await webviewFrame(page, '#weft-canvas', 60_000);
    await canvas.locator('[data-node-insights="classify"]').waitFor({ state: 'visible', timeout: 30_000 });
    const badge = (await canvas.locator('[data-node-insights="classify"]').textContent()) ?? '';
    assert.match(badge, /^\d+× · \d+% · \d/);
    await screenshot(page, 'insights-canvas-badges');
  });
});
