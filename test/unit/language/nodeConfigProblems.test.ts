import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDefaultRegistry } from '../../../src/engine/nodes/builtins';
import { canvasGraphFromText } from '../../../src/language/canvasGraph';
import { starterConfig } from '../../../src/language/canvasEdits';
import { nodeConfigProblems } from '../../../src/language/nodeConfigProblems';

const samples = join(__dirname, '../../../samples');
const registry = createDefaultRegistry();

describe('nodeConfigProblems', () => {
  it('names the empty required field of a node just added from the palette', () => {
    // ARRANGE: the config the palette writes for a new log node.
    const log = registry.get('log')!;
    const config = starterConfig(log.configSchema);
    // ACT
    const problems = nodeConfigProblems(log, config);
    // ASSERT
    expect(problems).toEqual(['message is required and empty']);
    expect(nodeConfigProblems(log, { message: 'hello {{ input.name }}' })).toEqual([]);
  });

  it('names a missing required field, and what the schema refuses', () => {
    const http = registry.get('http')!;
    expect(nodeConfigProblems(http, {})).toContain('url is required');
    expect(nodeConfigProblems(registry.get('wait')!, { ms: { not: 'a duration' } }).length).toBeGreaterThan(0);
  });

  it('finds nothing in the sample flows, and the canvas graph carries the problems on the node', () => {
    for (const name of readdirSync(samples).filter((n) => n.endsWith('.flow.json'))) {
      const graph = canvasGraphFromText(readFileSync(join(samples, name), 'utf8'));
      const flagged = graph.nodes.filter((n) => n.problems).map((n) => `${n.id}: ${n.problems!.join('; ')}`);
      expect(flagged, name).toEqual([]);
    }
    const graph = canvasGraphFromText('{ "version": 1, "id": "x", "nodes": [ { "id": "log1", "type": "log", "config": { "message": "" } } ], "edges": [] }');
    expect(graph.nodes[0].problems).toEqual(['message is required and empty']);
  });
});
