// A person watches a served flow whose http node calls a service that is down: a webhook run fails and opens the
// service's circuit breaker; the status bar says "1 circuit open", and its tooltip names the target and when it is
// tried again.
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { describe, it } from 'mocha';
import { e2eSession, openFile, runCommand, screenshot } from './vsCodePage';

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('Live circuits', () => {
  it('shows an open circuit breaker of the served flow in the status bar, with its target and retry time', async () => {
    // ARRANGE: a service that is down, and a flow calling it through a circuit breaker.
    const down = createServer((_request, response) => {
      response.writeHead(503, { 'content-type': 'application/json' });
      response.end('{"error":"down"}');
    });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const downHost = `127.0.0.1:${(down.address() as { port: number }).port}`;
    const { page, workspace, liveWebhookPort: port } = e2eSession();
    const flow = {
      version: 1,
      id: 'e2e-circuit',
      triggers: [{ type: 'webhook', path: 'e2e-circuit' }],
      nodes: [{ id: 'charge', type: 'http', config: { url: `http://${downHost}/charge`, method: 'POST', circuitBreaker: { failures: 1, cooldownMs: 600000 } } }],
    };
    writeFileSync(join(workspace, 'e2e-circuit.flow.json'), JSON.stringify(flow, null, 2));
    try {
      await openFile(page, 'e2e-circuit.flow.json');
      await runCommand(page, 'Weft: Activate Flow (Serve Its Triggers)');
      const base = `http://127.0.0.1:${port}`;
      await until('the webhook served', async () => {
        const status = (await (await fetch(`${base}/_weft/status`)).json()) as { flows: { id: string }[] };
        return status.flows.some((served) => served.id === 'e2e-circuit') ? true : undefined;
      });
      await page.locator('.part.statusbar [aria-label="Weft live events: Live"]').first().waitFor({ state: 'visible', timeout: 60_000 });

      // ACT: a request from outside the editor; the call fails and opens the circuit.
      const answer = await fetch(`${base}/hooks/e2e-circuit`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
      assert.equal(answer.status, 202);

      // ASSERT: the status bar item, and its tooltip on hover.
      const item = page.locator('.part.statusbar [aria-label^="Weft: 1 circuit open"]').first();
      await item.waitFor({ state: 'visible', timeout: 60_000 });
      assert.match((await item.getAttribute('aria-label')) ?? '', new RegExp(`http ${downHost.replace(/\./g, '\\.')}`));
      // Hovered again until the tooltip shows: the status bar moves the item when another item's text changes
      // ("Live: reconnecting"), taking it from under the pointer.
      const tooltip = page.locator('.monaco-hover', { hasText: 'Open circuits on' }).first();
      await until('the circuit tooltip on hover', async () => {
        await page.mouse.move(0, 0);
        await item.hover();
        return (await tooltip.waitFor({ state: 'visible', timeout: 5_000 }).then(() => true).catch(() => false)) || undefined;
      });
      assert.match((await tooltip.textContent()) ?? '', /open after 1 failure within 60 s; retries at/);
      await screenshot(page, 'live-circuit-open');
    } finally {
      await runCommand(page, 'Weft: Deactivate All Flows').catch(() => undefined);
      down.close();
    }
  });
});
