// A person misspells a property in a template: the editor underlines it as an error (unknown-property), and
// the quick fix puts the right name back (issue 14).
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { e2eSession, openFile, screenshot } from './vsCodePage';

const TYPO_FLOW = {
  version: 1,
  id: 'e2e-typo',
  inputs: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
  nodes: [
    { id: 'lookup', type: 'transform', config: { output: { name: '{{ trigger.name }}', email: 'x@y.test' } } },
    { id: 'greet', type: 'transform', config: { output: 'Hello {{ nodes.lookup.nmae }}' } },
  ],
  edges: [{ from: 'lookup', to: 'greet' }],
};

describe('Typed templates', () => {
  it('underlines a misspelt property and fixes it with the quick fix', async () => {
    // ARRANGE
    const { page, workspace } = e2eSession();
    writeFileSync(join(workspace, 'e2e-typo.flow.json'), JSON.stringify(TYPO_FLOW, null, 2));

    // ACT: open the flow and wait for the error squiggle.
    await openFile(page, 'e2e-typo.flow.json');
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    await squiggle.waitFor({ state: 'attached', timeout: 60_000 });
    await screenshot(page, 'types-unknown-property-before');

    // The cursor to the error (Go to Next Problem), then the quick fix menu (Ctrl+.).
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('F8');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Period');
    const fix = page.locator('.action-widget').getByText("Change to 'name'").first();
    await fix.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'types-unknown-property-quick-fix');
    // The preferred fix is the first row, focused: Enter applies it.
    await page.keyboard.press('Enter');

    // ASSERT: the text reads the right property, and the error is gone.
    const lines = page.locator('.monaco-editor .view-lines').first();
    await page.waitForFunction(
      () => [...document.querySelectorAll('.monaco-editor .view-lines')].some((el) => (el.textContent ?? '').replace(/\u00a0/g, ' ').includes('nodes.lookup.name }}')),
      undefined,
      { timeout: 30_000 },
    );
    await page.locator('.monaco-editor .squiggly-error').first().waitFor({ state: 'detached', timeout: 30_000 });
    await screenshot(page, 'types-unknown-property-after');
    assert.ok((await lines.textContent())?.replace(/\u00a0/g, ' ').includes('nodes.lookup.name'));
  });
});
