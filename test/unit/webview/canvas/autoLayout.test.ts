import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canvasGraphFromText } from '../../../../src/language/canvasGraph';
import { autoLayout, GROUP_HEADER, type PlacedNode } from '../../../../webview/canvas/autoLayout';

const sample = (name: string): string => readFileSync(join(__dirname, '../../../../samples', name), 'utf8');

function overlap(a: PlacedNode, b: PlacedNode): boolean {
  return a.position.x < b.position.x + b.width && b.position.x < a.position.x + a.width && a.position.y < b.position.y + b.height && b.position.y < a.position.y + a.height;
}

function siblingsOverlap(placed: PlacedNode[]): [string, string][] {
  const found: [string, string][] = [];
  for (const a of placed) for (const b of placed) if (a.id < b.id && a.parentId === b.parentId && overlap(a, b)) found.push([a.id, b.id]);
  return found;
}

describe('autoLayout', () => {
  it('lays a flow without layout out left to right along its edges, without overlaps', () => {
    // check ─true→ review ─┐
    //       └false→ tax ───┴→ done → note
    const graph = canvasGraphFromText(sample('order-intake.flow.json'));
    const placed = autoLayout(graph);
    const at = Object.fromEntries(placed.map((p) => [p.id, p.position]));
    expect(siblingsOverlap(placed)).toEqual([]);
    for (const edge of graph.edges) expect(at[edge.from].x).toBeLessThan(at[edge.to].x);
    expect(at.review.x).toBe(at.tax.x);
  });

  it('keeps the positions the file gives, and places the others clear of them', () => {
    const graph = canvasGraphFromText(sample('order-intake.flow.json'));
    const placed = autoLayout(graph, { check: { x: 1000, y: 1000 }, done: { x: 0, y: 0 } });
    const at = Object.fromEntries(placed.map((p) => [p.id, p.position]));
    expect(at.check).toEqual({ x: 1000, y: 1000 });
    expect(at.done).toEqual({ x: 0, y: 0 });
    expect(siblingsOverlap(placed)).toEqual([]);
  });

  it('lays a loop body out inside its group, the group big enough, parents before children', () => {
    const graph = canvasGraphFromText(sample('overdue-invoices.flow.json'));
    const placed = autoLayout(graph);
    const group = placed.find((p) => p.id === 'remind')!;
    const body = placed.filter((p) => p.parentId === 'remind');
    expect(group.group).toBe(true);
    expect(body.map((p) => p.id).sort()).toEqual(['escalate', 'message', 'send', 'urgent']);
    for (const child of body) {
      expect(child.position.x).toBeGreaterThanOrEqual(0);
      expect(child.position.y).toBeGreaterThanOrEqual(GROUP_HEADER);
      expect(child.position.x + child.width).toBeLessThanOrEqual(group.width);
      expect(child.position.y + child.height).toBeLessThanOrEqual(group.height);
    }
    expect(placed.findIndex((p) => p.id === 'remind')).toBeLessThan(placed.findIndex((p) => p.id === 'message'));
    expect(siblingsOverlap(placed)).toEqual([]);
    const at = Object.fromEntries(placed.map((p) => [p.id, p.position]));
    expect(at.overdue.x).toBeLessThan(at.remind.x);
    expect(at.remind.x + group.width).toBeLessThan(at.summary.x + 1);
  });
});

describe('autoLayout keeps untouched nodes still', () => {
  const text = readFileSync(join(__dirname, '../../../../samples', 'order-intake.flow.json'), 'utf8');

  it('a node placed by the user (its one layout entry) leaves the auto-laid nodes where they were', () => {
    // ARRANGE
    const graph = canvasGraphFromText(text);
    const before = Object.fromEntries(autoLayout(graph).map((p) => [p.id, p.position]));
    // ACT: review dragged down (its layout entry is the only one written).
    const after = Object.fromEntries(autoLayout(graph, { review: { x: before.review.x + 60, y: before.review.y + 300 } }).map((p) => [p.id, p.position]));
    // ASSERT
    for (const id of ['check', 'tax', 'done', 'note']) expect(after[id], id).toEqual(before[id]);
  });

  it('a node added from the palette (placed, no edges yet) leaves the others where they were', () => {
    const graph = canvasGraphFromText(text);
    const before = Object.fromEntries(autoLayout(graph).map((p) => [p.id, p.position]));
    const added = { ...graph, nodes: [...graph.nodes, { id: 'log1', type: 'log', ports: ['out', 'error'], config: {}, knownType: true }], layout: { log1: { x: 2000, y: 0 } } };
    const after = Object.fromEntries(autoLayout(added).map((p) => [p.id, p.position]));
    for (const id of ['check', 'review', 'tax', 'done', 'note']) expect(after[id], id).toEqual(before[id]);
    expect(after.log1).toEqual({ x: 2000, y: 0 });
  });
});
