import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../../../src/api/loadFlow';
import { compileFlow } from '../../../../src/engine/model/compileFlow';

const scratch = mkdtempSync(join(tmpdir(), 'weft-recursion-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Writes `name` as a flow whose nodes are subflow calls to `targets` (one node each), as JSONC lines. */
function flowCalling(name: string, targets: string[], extraNodes: string[] = []): string[] {
  const lines = [
    `{ "version": 1, "id": "${name.replace('.flow.json', '')}",`,
    '  "nodes": [',
    ...[...targets.map((t, i) => `    { "id": "call${i}", "type": "subflow", "config": { "flow": "${t}" } }`), ...extraNodes].map((l, i, all) =>
      i < all.length - 1 ? `${l},` : l,
    ),
    '  ] }',
  ];
  writeFileSync(join(scratch, name), lines.join('\n'));
  return lines;
}

describe('compileFlow: a subflow chain that leads back to the flow (recursive-subflow)', () => {
  it('warns on a flow that calls itself, at the node\'s `flow`, and still compiles', () => {
    const lines = flowCalling('self.flow.json', ['./self.flow.json']);
    const { flow, diagnostics } = loadFlow(join(scratch, 'self.flow.json'));
    expect(flow).toBeDefined();
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d).toMatchObject({ code: 'recursive-subflow', severity: 'warning', path: ['nodes', 0, 'config', 'flow'] });
    expect(d.message).toBe(
      'This subflow leads back to this flow (self.flow.json → self.flow.json): unless a condition stops the recursion, a run fails when subflows nest 32 deep',
    );
    expect(d.range?.start).toEqual({ line: 2, character: lines[2].indexOf('"./self.flow.json"') });
  });

  it('follows a chain through other files, loop bodies included, and names it', () => {
    flowCalling('b.flow.json', ['./c.flow.json']);
    const loopNode = `    { "id": "each", "type": "loop", "config": { "items": "{{ input.list }}", "body": { "nodes": [{ "id": "inner", "type": "subflow", "config": { "flow": "./a.flow.json" } }] } } }`;
    flowCalling('c.flow.json', [], [loopNode]);
    flowCalling('a.flow.json', ['./b.flow.json', './leaf.flow.json']);
    flowCalling('leaf.flow.json', []);
    const { diagnostics } = loadFlow(join(scratch, 'a.flow.json'));
    expect(diagnostics.map((d) => [d.code, d.path, d.message.split(':')[0]])).toEqual([
      ['recursive-subflow', ['nodes', 0, 'config', 'flow'], 'This subflow leads back to this flow (a.flow.json → b.flow.json → c.flow.json → a.flow.json)'],
    ]);
  });

  it('says nothing for a chain that ends, for a cycle between other files, or for a flow with no file', () => {
    flowCalling('x.flow.json', ['./y.flow.json']);
    flowCalling('y.flow.json', ['./x.flow.json']);
    flowCalling('top.flow.json', ['./x.flow.json', './leaf.flow.json', './missing.flow.json']);
    expect(loadFlow(join(scratch, 'top.flow.json')).diagnostics).toEqual([]);
    const text = flowCalling('nofile.flow.json', ['./nofile.flow.json']).join('\n');
    expect(compileFlow(text).diagnostics).toEqual([]);
  });
});
