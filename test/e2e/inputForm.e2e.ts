// A person clicks Run above a flow that takes an input: the input form opens with every field at once, a wrong
// value is called out at its field as it is typed and the call-out goes when it is fixed, Run starts the run, and
// the run completes with the input typed in the form.
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { codeLens, e2eSession, openFile, runCommand, screenshot, webviewFrame } from './vsCodePage';

/** Inputs of each kind the form draws: text, number, enum, a nested object with a format, an array. */
const INPUT_FORM_FLOW = {
  version: 1,
  id: 'e2e-input-form',
  name: 'E2E input form',
  inputs: {
    type: 'object',
    properties: {
      orderId: { type: 'string', title: 'Order id', description: 'As printed on the invoice', minLength: 3 },
      quantity: { type: 'integer', minimum: 1, description: 'Items ordered' },
      priority: { enum: ['low', 'normal', 'high'], default: 'normal' },
      customer: { type: 'object', properties: { name: { type: 'string' }, email: { type: 'string', format: 'email' } }, required: ['email'] },
      tags: { type: 'array', items: { type: 'string' } },
    },
    required: ['orderId', 'quantity'],
  },
  nodes: [{ id: 'echo', type: 'transform', config: { output: { orderId: '{{ trigger.orderId }}', quantity: '{{ trigger.quantity }}' } } }],
  edges: [],
  tests: [{ name: 'small order', input: { orderId: 'S-1', quantity: 1, customer: { email: 's@example.com' } }, expect: { status: 'completed' } }],
};

/** Polls for a file the extension host writes once the run has ended (it may land just after the panel shows it). */
async function waitForFile(path: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(path)) {
    if (Date.now() > deadline) throw new Error(`${path} was not written within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('Run input form', () => {
  it('asks the input with a form: a wrong value is called out as typed and cleared when fixed, and the run gets the input', async () => {
    // ARRANGE
    const { page, workspace } = e2eSession();
    const flowFile = 'e2e-input-form.flow.json';
    writeFileSync(join(workspace, flowFile), JSON.stringify(INPUT_FORM_FLOW, null, 2));
    await runCommand(page, 'View: Close All Editors');
    await openFile(page, flowFile);

    // ACT: Run from the CodeLens opens the form.
    const run = codeLens(page, 'Run').first();
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    await run.click();
    const form = await webviewFrame(page, '#weft-inputForm');
    await form.getByRole('heading', { name: 'Run e2e-input-form' }).waitFor({ timeout: 30_000 });

    const orderId = form.getByLabel(/^Order id/);
    const quantity = form.getByLabel(/^quantity/);
    await orderId.fill('A-42');
    await form.getByRole('group', { name: /customer/ }).getByLabel(/^email/).fill('a@example.com');
    await quantity.fill('0');

    // ASSERT: the error shows at the field as typed…
    await form.locator('[data-pointer="/quantity"] .field-error').getByText('Must be >= 1.').waitFor({ timeout: 15_000 });
    assert.equal(await quantity.getAttribute('aria-invalid'), 'true');
    const shot = await screenshot(page, 'input-form-dark-error');
    console.log(`      screenshot: ${shot}`);

    // …and goes when the value is fixed.
    await quantity.fill('3');
    await form.locator('[data-pointer="/quantity"] .field-error').waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await quantity.getAttribute('aria-invalid'), null);
    // The flow's in-file test is offered as a pick.
    assert.ok((await form.getByLabel('Load an input').locator('option', { hasText: 'small order' }).count()) === 1);
    await screenshot(page, 'input-form-dark-valid');
    // JSON mode shows the same value; back in the form, nothing is lost.
    const jsonToggle = form.getByRole('button', { name: 'Edit as JSON' });
    await jsonToggle.click();
    const json = form.getByLabel('Input as JSON');
    assert.deepEqual(JSON.parse(await json.inputValue()), { orderId: 'A-42', quantity: 3, priority: 'normal', customer: { email: 'a@example.com' } });
    await screenshot(page, 'input-form-dark-json');
    await jsonToggle.click();
    assert.equal(await quantity.inputValue(), '3');

    // ACT: Run.
    await form.getByRole('button', { name: 'Run' }).click();

    // ASSERT: the run completes, with the input typed in the form.
    const timeline = await webviewFrame(page, '#weft-timeline');
    const runId = await (
      await timeline.waitForFunction(
        () => {
          const root = document.querySelector<HTMLElement>('#weft-timeline[data-run-status="completed"]');
          return root?.dataset.runId ?? false;
        },
        undefined,
        { timeout: 60_000 },
      )
    ).jsonValue();
    const recordFile = join(workspace, '.weft', 'runs', `${runId}.json`);
    await waitForFile(recordFile);
    const record = JSON.parse(readFileSync(recordFile, 'utf8')) as { status: string; input: unknown; nodes: Record<string, { output?: unknown }> };
    assert.equal(record.status, 'completed');
    assert.deepEqual(record.input, { orderId: 'A-42', quantity: 3, priority: 'normal', customer: { email: 'a@example.com' } });
    assert.deepEqual(record.nodes.echo.output, { orderId: 'A-42', quantity: 3 });
    // The form closed once the run started.
    assert.equal(await page.locator('.tabs-container .tab', { hasText: 'Run e2e-input-form' }).count(), 0);
  });
});
