import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { activateFlows } from '../../../src/live/activateFlows';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-activate-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function flowFile(name: string, definition: object | string): Promise<string> {
  const file = join(dir, name);
  await mkdir(join(file, '..'), { recursive: true });
  await writeFile(file, typeof definition === 'string' ? definition : JSON.stringify(definition, null, 2));
  return file;
}

function flow(id: string, triggers: object[], extra: object = {}): object {
  return { version: 1, id, triggers, nodes: [{ id: 'out', type: 'transform', config: { output: { ok: true } } }], ...extra };
}

describe('activateFlows', () => {
  it('serves only the flow files it is given, as the editor activates them one by one', async () => {
    // ARRANGE: three flows with webhooks; the editor activated two of them.
    const orders = await flowFile('orders.flow.json', flow('orders', [{ type: 'webhook' }]));
    const tickets = await flowFile('support/tickets.flow.json', flow('tickets', [{ type: 'webhook' }]));
    await flowFile('other.flow.json', flow('other', [{ type: 'webhook' }]));
    // ACT
    const activation = activateFlows([orders, tickets]);
    // ASSERT
    expect(activation.served.map((s) => s.flow.id).sort()).toEqual(['orders', 'tickets']);
    expect(activation.files.sort()).toEqual([orders, tickets].sort());
  });

  it('serves the webhooks and schedules of flows that compile, with defaults filled in', async () => {
    // ARRANGE
    await flowFile('orders.flow.json', flow('orders', [{ type: 'manual' }, { type: 'webhook' }, { type: 'webhook', path: 'v2/orders', method: 'PUT', respond: 'result' }]));
    await flowFile('nested/nightly.flow.json', flow('nightly', [{ type: 'schedule', cron: '0 2 * * *' }]));
    await flowFile('manual.flow.json', flow('manual', []));
    // ACT
    const activation = activateFlows(dir);
    // ASSERT
    expect(activation.problems).toEqual([]);
    expect(activation.served.map((s) => s.flow.id).sort()).toEqual(['nightly', 'orders']);
    const orders = activation.served.find((s) => s.flow.id === 'orders')!;
    expect(orders.webhooks.map(({ path, method, respond }) => ({ path, method, respond }))).toEqual([
      { path: 'orders', method: 'POST', respond: 'ack' },
      { path: 'v2/orders', method: 'PUT', respond: 'result' },
    ]);
    const nightly = activation.served.find((s) => s.flow.id === 'nightly')!;
    expect(nightly.schedules[0]).toMatchObject({ cron: '0 2 * * *', timezone: 'UTC' });
    expect(activation.manualOnly).toEqual([join(dir, 'manual.flow.json')]);
    expect(activation.compiled.size).toBe(3);
  });

  it('does not serve a flow that does not compile, and says why with its diagnostics', async () => {
    // ARRANGE
    await flowFile('broken.flow.json', flow('broken', [{ type: 'webhook' }], { edges: [{ from: 'out', to: 'nowhere' }] }));
    await flowFile('fine.flow.json', flow('fine', [{ type: 'webhook' }]));
    // ACT
    const activation = activateFlows(dir);
    // ASSERT
    expect(activation.served.map((s) => s.flow.id)).toEqual(['fine']);
    expect(activation.problems).toHaveLength(1);
    expect(activation.problems[0]).toMatchObject({ file: join(dir, 'broken.flow.json'), code: 'invalid-flow' });
    expect(activation.problems[0].diagnostics?.map((d) => d.code)).toContain('unknown-node');
  });

  it('evaluates the webhook secret from the given secrets, and refuses to serve without it', async () => {
    // ARRANGE
    await flowFile('signed.flow.json', flow('signed', [{ type: 'webhook', secret: '{{ secrets.HOOK_KEY }}' }]));
    // ACT
    const withSecret = activateFlows(dir, { secrets: { HOOK_KEY: 'k3y' } });
    const without = activateFlows(dir, { secrets: {} });
    // ASSERT
    expect(withSecret.served[0].webhooks[0].secret).toBe('k3y');
    expect(withSecret.served[0].secrets).toEqual({ HOOK_KEY: 'k3y' });
    expect(without.served).toEqual([]);
    expect(without.problems[0]).toMatchObject({ code: 'missing-secret', flowId: 'signed' });
    expect(without.problems[0].message).toContain('HOOK_KEY');
    expect(without.problems[0].range?.start.line).toBeGreaterThan(0);
  });

  it('refuses taken routes and duplicate flow ids; odd paths, bad schedules and schedule inputs do not compile (invalid-trigger)', async () => {
    // ARRANGE
    await flowFile('a.flow.json', flow('a', [{ type: 'webhook', path: 'shared' }]));
    await flowFile('b.flow.json', flow('b', [{ type: 'webhook', path: 'shared' }]));
    await flowFile('c.flow.json', flow('a', [{ type: 'webhook', path: 'other' }]));
    await flowFile('d.flow.json', flow('d', [{ type: 'webhook', path: '../up' }]));
    await flowFile('e.flow.json', flow('e', [{ type: 'schedule', cron: '0 7 * *' }]));
    await flowFile('f.flow.json', flow('f', [{ type: 'schedule', cron: '0 7 * * *', timezone: 'Nowhere/City' }]));
    await flowFile('g.flow.json', flow('g', [{ type: 'schedule', cron: '0 7 * * *', input: {} }], { inputs: { type: 'object', required: ['day'] } }));
    await flowFile('h.flow.json', flow('h', [{ type: 'webhook', path: 'shared', method: 'GET' }]));
    // ACT
    const activation = activateFlows(dir);
    // ASSERT
    const codes = Object.fromEntries(activation.problems.map((p) => [p.file.slice(dir.length + 1), p.code]));
    expect(codes).toEqual({
      'b.flow.json': 'duplicate-webhook',
      'c.flow.json': 'duplicate-flow-id',
      'd.flow.json': 'invalid-flow',
      'e.flow.json': 'invalid-flow',
      'f.flow.json': 'invalid-flow',
      'g.flow.json': 'invalid-flow',
    });
    // The per-flow trigger rules are the compiler's: the problem carries its invalid-trigger diagnostic.
    for (const problem of activation.problems.filter((p) => p.code === 'invalid-flow')) {
      expect(problem.diagnostics?.map((d) => d.code)).toEqual(['invalid-trigger']);
    }
    // One path, another method: a second route, not a conflict.
    expect(activation.served.map((s) => s.flow.id)).toEqual(['a', 'h']);
  });

  it('points at the trigger in a .flow.ts too when its secret is not set or its route is taken', async () => {
    // ARRANGE: a .flow.json and a .flow.ts on one route; the .flow.ts also needs a secret that is not set.
    await flowFile('a.flow.json', flow('a', [{ type: 'webhook', path: 'shared' }]));
    const module = [
      "import { flow } from 'weft';",
      'export default flow({',
      "  version: 1, id: 'b',",
      '  triggers: [',
      "    { type: 'webhook', path: 'shared' },",
      "    { type: 'webhook', path: 'signed', secret: '{{ secrets.B_KEY }}' },",
      '  ],',
      "  nodes: [{ id: 'out', type: 'transform', config: { output: { ok: true } } }],",
      '});',
      '',
    ];
    await flowFile('b.flow.ts', module.join('\n'));
    // ACT
    const activation = activateFlows(dir, { secrets: {} });
    // ASSERT
    const problems = activation.problems.filter((p) => p.flowId === 'b').map((p) => [p.code, p.range?.start.line]);
    expect(problems).toEqual([
      ['duplicate-webhook', 4],
      ['missing-secret', 5],
    ]);
    expect(activation.problems.find((p) => p.code === 'missing-secret')?.message).toContain('set the environment variable B_KEY');
  });
});
