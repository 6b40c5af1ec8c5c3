import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canvasGraphFromText } from '../../../../src/language/canvasGraph';
import { autoLayout } from '../../../../webview/canvas/autoLayout';
import { edgeId, toFlowElements } from '../../../../webview/canvas/toFlowElements';

const sample = (name: string): string => readFileSync(join(__dirname, '../../../../samples', name), 'utf8');

describe('toFlowElements', () => {
  const graph = canvasGraphFromText(sample('overdue-invoices.flow.json'));
  const placed = autoLayout(graph);

  it('labels nodes with type, id and status, and exposes them to the tests', () => {
    const { nodes } = toFlowElements(graph, placed, { statuses: { overdue: 'completed' }, ports: { overdue: ['out'] }, live: false });
    const overdue = nodes.find((n) => n.id === 'overdue')!;
    expect(overdue.ariaLabel).toBe('filter node overdue, completed');
    expect(overdue.domAttributes).toMatchObject({ 'data-node-id': 'overdue', 'data-node-status': 'completed' });
    expect(nodes.find((n) => n.id === 'summary')!.domAttributes).toMatchObject({ 'data-node-status': 'none' });
  });

  it('draws a loop as a group and its body nodes inside it', () => {
    const { nodes } = toFlowElements(graph, placed, { statuses: {}, ports: {}, live: false });
    expect(nodes.find((n) => n.id === 'remind')?.type).toBe('weftGroup');
    expect(nodes.find((n) => n.id === 'message')).toMatchObject({ parentId: 'remind', extent: 'parent', type: 'weft' });
  });

  it('connects edges to port handles and names body edges by their loop', () => {
    const { edges } = toFlowElements(graph, placed, { statuses: {}, ports: {}, live: false });
    expect(edges.find((e) => e.id === edgeId('remind', 1))).toMatchObject({ source: 'urgent', target: 'escalate', sourceHandle: 'true', targetHandle: 'in', label: 'true' });
    expect(edges.find((e) => e.id === edgeId(undefined, 0))).toMatchObject({ source: 'overdue', target: 'remind', sourceHandle: 'out', data: { owner: undefined, index: 0 } });
  });

  it('animates only the edges feeding a running node during a live run', () => {
    const run = { statuses: { overdue: 'completed', remind: 'running' } as const, ports: { overdue: ['out'] }, live: true };
    const { edges } = toFlowElements(graph, placed, run);
    expect(edges.find((e) => e.id === edgeId(undefined, 0))?.animated).toBe(true);
    expect(edges.find((e) => e.id === edgeId(undefined, 1))?.animated).toBe(false);
    const after = toFlowElements(graph, placed, { ...run, live: false });
    expect(after.edges.every((e) => !e.animated)).toBe(true);
  });

  it('lights exactly the edges that carried data: the ports that fired, not every edge into a running node', () => {
    // ARRANGE: an if with both ports into one merge; it fired `true`, and the merge is running on what it sent.
    const text = JSON.stringify({
      version: 1,
      id: 'both',
      nodes: [
        { id: 'check', type: 'if', config: { condition: true } },
        { id: 'join', type: 'merge', config: { mode: 'first' } },
      ],
      edges: [
        { from: 'check', port: 'true', to: 'join' },
        { from: 'check', port: 'false', to: 'join' },
      ],
    });
    const graph2 = canvasGraphFromText(text);
    const run = { statuses: { check: 'completed', join: 'running' } as const, ports: { check: ['true'] }, live: true };

    // ACT
    const { edges } = toFlowElements(graph2, autoLayout(graph2), run);

    // ASSERT
    const byPort = (port: string) => edges.find((e) => e.data?.port === port)!;
    expect(byPort('true').animated).toBe(true);
    expect(byPort('false').animated).toBe(false);
    expect(byPort('false').className).not.toContain('weft-edge-taken');
    const after = toFlowElements(graph2, autoLayout(graph2), { ...run, statuses: { check: 'completed', join: 'completed' }, live: false });
    expect(after.edges.find((e) => e.data?.port === 'true')!.className).toContain('weft-edge-taken');
    expect(after.edges.find((e) => e.data?.port === 'false')!.className).not.toContain('weft-edge-taken');
    // The same fact as a DOM attribute, which the e2e scenario reads from the drawn edges.
    expect(after.edges.find((e) => e.data?.port === 'true')!.domAttributes).toMatchObject({ 'data-carried': 'true' });
    expect(after.edges.find((e) => e.data?.port === 'false')!.domAttributes).toMatchObject({ 'data-carried': 'false' });
  });

  it('makes a read-only graph undraggable and keeps the selection', () => {
    const { nodes } = toFlowElements({ ...graph, readOnly: true }, placed, { statuses: {}, ports: {}, live: false }, new Set(['summary']));
    expect(nodes.every((n) => n.draggable === false && n.deletable === false)).toBe(true);
    expect(nodes.find((n) => n.id === 'summary')?.selected).toBe(true);
  });
});
