// An ai node that calls a subflow as a tool, against the fake OpenAI-compatible server on 127.0.0.1: the
// execution panel shows the call nested under the ai node's card (tool, arguments, result, child run) and the
// answer the model gave after it.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'mocha';
import { answer, callTools, startFakeOpenAi, type FakeOpenAi } from '../support/fakeOpenAi';
import { codeLens, e2eSession, openFile, runCommand, screenshot, webviewFrame } from './vsCodePage';

let api: FakeOpenAi;

before(async () => {
  api = await startFakeOpenAi();
});
after(async () => {
  await api?.close();
});

describe('AI tools in the execution panel', () => {
  it('shows the subflow call nested under the ai node with its arguments and result', async () => {
    // ARRANGE: the tool, the flow, a key for the fake server (set as a secret, as a user does).
    const { page, workspace } = e2eSession();
    writeFileSync(
      join(workspace, 'e2e-lookup-order.flow.json'),
      JSON.stringify({
        version: 1,
        id: 'lookup-order',
        description: 'Finds an order by its id.',
        inputs: { type: 'object', properties: { orderId: { type: 'string' } }, required: ['orderId'] },
        nodes: [{ id: 'find', type: 'transform', config: { output: { orderId: '{{ input.orderId }}', status: 'shipped' } } }],
      }),
    );
    writeFileSync(
      join(workspace, 'e2e-agent.flow.json'),
      JSON.stringify(
        {
          version: 1,
          id: 'e2e-agent',
          nodes: [
            {
              id: 'agent',
              type: 'ai',
              config: { baseUrl: api.baseUrl, model: 'gpt-e2e', apiKeySecret: 'E2E_TOOLS_KEY', prompt: 'Where is order A-17?', tools: [{ flow: './e2e-lookup-order.flow.json' }] },
            },
          ],
        },
        null,
        2,
      ),
    );
    api.script('gpt-e2e', callTools({ id: 'call_1', name: 'lookup-order', arguments: { orderId: 'A-17' } }), answer('Order A-17 has shipped.'));
    await runCommand(page, 'Weft: Set Secret');
    const input = page.locator('.quick-input-widget input');
    await input.fill('E2E_TOOLS_KEY');
    await input.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'Value of E2E_TOOLS_KEY' }).waitFor({ timeout: 30_000 });
    await input.fill('sk-e2e-fake');
    await input.press('Enter');
    await openFile(page, 'e2e-agent.flow.json');

    // ACT
    const run = codeLens(page, 'Run').first();
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    await run.click();
    const frame = await webviewFrame(page, '#weft-timeline');
    await frame.waitForSelector('[data-run-status="completed"]', { timeout: 60_000 });

    // ASSERT
    const card = frame.locator('[data-node-id="agent"].weft-node-card');
    const call = card.getByRole('listitem', { name: 'Tool call lookup-order, completed' });
    await call.waitFor({ timeout: 30_000 });
    const text = await call.innerText();
    assert.match(text, /"orderId":"A-17"/);
    assert.match(text, /"status":"shipped"/);
    await card.locator('button.weft-node-toggle').click();
    await card.getByText('Order A-17 has shipped.').first().waitFor({ timeout: 30_000 });
    assert.equal(api.requests.length, 2);
    await screenshot(page, 'ai-tool-call-nested');
  });
});
