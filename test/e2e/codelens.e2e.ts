// A person opens a flow and sees "Run" above it: the extension activated in a real VS Code, its CodeLens
// provider answered, and the workbench drew the lens.
import * as assert from 'node:assert/strict';
import { describe, it } from 'mocha';
import { codeLens, codeLensTexts, e2eSession, openFile, screenshot } from './vsCodePage';

describe('CodeLens', () => {
  it('shows a Run lens above order-intake.flow.json', async () => {
    // ARRANGE
    const { page } = e2eSession();

    // ACT
    await openFile(page, 'order-intake.flow.json');

    // ASSERT
    const run = codeLens(page, 'Run').first();
    await run.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(page, 'codelens-order-intake');
    const texts = await codeLensTexts(page);
    console.log(`      lenses: ${texts.join(' | ')}`);
    // The flow's own lenses come first, in this order, above its first line.
    assert.deepEqual(texts.slice(0, 3), ['Run', 'Debug', 'Test']);
    assert.match(texts[3], /^History: /);
  });
});
