// @vitest-environment happy-dom
// The inspector edits a node's config with a form generated from its type's config schema (the palette's JSON
// Schema, as the host computes it), a JSON textarea only for what a control cannot show.
import '../../../support/componentTests';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { createDefaultRegistry } from '../../../../src/engine/nodes/builtins';
import { canvasGraphFromText } from '../../../../src/language/canvasGraph';
import type { PaletteEntry } from '../../../../src/protocol/canvasProtocol';
import { Inspector } from '../../../../webview/canvas/components/Inspector';

const registry = createDefaultRegistry();
/** The palette entry of a type, its schema made as canvasEditor.ts makes it. */
function entryOf(type: string): PaletteEntry {
  const t = registry.get(type)!;
  return { type, title: t.title, description: t.description, configSchema: z.toJSONSchema(t.configSchema, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown> };
}

const FLOW = JSON.stringify({
  version: 1,
  id: 'x',
  nodes: [
    { id: 'fetch', type: 'http', config: { url: 'https://example.com/orders', method: 'GET' } },
    { id: 'shape', type: 'transform', config: { output: { id: '{{ input.id }}' } } },
  ],
});

afterEach(() => cleanup());

function renderInspector(id: string, type: string): ReturnType<typeof vi.fn> {
  const node = canvasGraphFromText(FLOW).nodes.find((n) => n.id === id)!;
  const onApply = vi.fn();
  render(<Inspector node={node} entry={entryOf(type)} readOnly={false} details={null} onApply={onApply} onOpenRun={() => {}} onReveal={() => {}} onClose={() => {}} />);
  return onApply;
}

describe('Inspector', () => {
  it('edits an http node with a text field for its url and suggestions for its method', () => {
    // ARRANGE
    const onApply = renderInspector('fetch', 'http');
    const url = screen.getByRole('textbox', { name: /^url/ }) as HTMLInputElement;
    // The method is one of a list or a template: a text field that suggests the list.
    const method = screen.getByRole('combobox', { name: /^method/ }) as HTMLInputElement;
    expect(url.value).toBe('https://example.com/orders');
    const suggestions = document.getElementById(method.getAttribute('list') ?? '')?.querySelectorAll('option') ?? [];
    expect([...suggestions].map((o) => o.getAttribute('value'))).toEqual(expect.arrayContaining(['GET', 'POST']));
    // ACT
    fireEvent.change(url, { target: { value: 'https://example.com/orders/{{ input.id }}' } });
    fireEvent.change(method, { target: { value: 'POST' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    // ASSERT
    expect(onApply).toHaveBeenCalledWith({ config: { url: 'https://example.com/orders/{{ input.id }}', method: 'POST' }, name: '', disabled: false });
  });

  it('falls back to a JSON textarea for an object value, and refuses JSON that does not parse', () => {
    const onApply = renderInspector('shape', 'transform');
    const output = screen.getByRole('textbox', { name: /^output/ }) as HTMLTextAreaElement;
    expect(output.tagName).toBe('TEXTAREA');
    expect(JSON.parse(output.value)).toEqual({ id: '{{ input.id }}' });
    fireEvent.change(output, { target: { value: '{ "id": ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(screen.getByRole('alert').textContent).toBe('output is not valid JSON.');
    expect(onApply).not.toHaveBeenCalled();
  });
});

describe('Inspector, a field of several shapes', () => {
  it('edits an if node\'s template condition as text, not as a quoted JSON string', () => {
    // ARRANGE: a condition is a template or a JSON Logic object.
    const text = JSON.stringify({ version: 1, id: 'x', nodes: [{ id: 'check', type: 'if', config: { condition: '{{ input.total > 100 }}' } }] });
    const node = canvasGraphFromText(text).nodes[0];
    const onApply = vi.fn();
    render(<Inspector node={node} entry={entryOf('if')} readOnly={false} details={null} onApply={onApply} onOpenRun={() => {}} onReveal={() => {}} onClose={() => {}} />);
    // ACT
    const condition = screen.getByRole('textbox', { name: /^condition/ }) as HTMLInputElement;
    // ASSERT
    expect(condition.tagName).toBe('INPUT');
    expect(condition.value).toBe('{{ input.total > 100 }}');
    fireEvent.change(condition, { target: { value: '{{ input.total > 500 }}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(onApply).toHaveBeenCalledWith({ config: { condition: '{{ input.total > 500 }}' }, name: '', disabled: false });
  });
});

describe('Inspector, a field of any shape', () => {
  it('edits a log message as text, and as JSON when the user switches it', () => {
    // ARRANGE: a log node as the palette adds it (message: any value, a text here).
    const text = JSON.stringify({ version: 1, id: 'x', nodes: [{ id: 'log1', type: 'log', config: { message: '' } }] });
    const node = canvasGraphFromText(text).nodes[0];
    const onApply = vi.fn();
    render(<Inspector node={node} entry={entryOf('log')} readOnly={false} details={null} onApply={onApply} onOpenRun={() => {}} onReveal={() => {}} onClose={() => {}} />);
    const message = screen.getByRole('textbox', { name: /^message/ }) as HTMLTextAreaElement;
    // ASSERT 1: plain text, no JSON quotes.
    expect(message.value).toBe('');
    // ACT 1
    fireEvent.change(message, { target: { value: 'Order {{ input.id }}' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(onApply).toHaveBeenLastCalledWith({ config: { message: 'Order {{ input.id }}' }, name: '', disabled: false });
    // ACT 2: switch to JSON: the text becomes a JSON string, and an object can be written.
    fireEvent.click(screen.getByRole('checkbox', { name: /^JSON/ }));
    const json = screen.getByRole('textbox', { name: /^message/ }) as HTMLTextAreaElement;
    expect(json.value).toBe('"Order {{ input.id }}"');
    fireEvent.change(json, { target: { value: '{ "orderId": "{{ input.id }}" }' } });
    fireEvent.click(screen.getByRole('button', { name: 'Apply' }));
    expect(onApply).toHaveBeenLastCalledWith({ config: { message: { orderId: '{{ input.id }}' } }, name: '', disabled: false });
  });

  it('has Config, Runs and Test tabs with the node inspector’s actions; Runs lists the node’s runs and opens one', async () => {
    // ARRANGE
    const node = canvasGraphFromText(FLOW).nodes.find((n) => n.id === 'fetch')!;
    const inspectorActions = {
      nodeRuns: vi.fn(() => Promise.resolve({ runs: [{ runId: 'run-7', runStatus: 'completed', mode: 'run', status: 'completed' as const, startedAt: new Date().toISOString(), durationMs: 12, attempts: 1 }], more: false })),
      nodeTestScope: vi.fn(),
      testNode: vi.fn(),
      cancelNodeTest: vi.fn(),
      openRun: vi.fn(),
    };
    const onTab = vi.fn();
    const { rerender } = render(
      <Inspector node={node} entry={entryOf('http')} readOnly={false} details={null} onApply={() => {}} onOpenRun={() => {}} onReveal={() => {}} onClose={() => {}} inspectorActions={inspectorActions} tab="config" onTab={onTab} />,
    );
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(['Config', 'Runs', 'Test']);
    screen.getByRole('button', { name: 'Apply' });

    // ACT
    fireEvent.click(screen.getByRole('tab', { name: 'Runs' }));
    expect(onTab).toHaveBeenCalledWith('runs');
    rerender(
      <Inspector node={node} entry={entryOf('http')} readOnly={false} details={null} onApply={() => {}} onOpenRun={() => {}} onReveal={() => {}} onClose={() => {}} inspectorActions={inspectorActions} tab="runs" onTab={onTab} />,
    );
    fireEvent.click(await screen.findByRole('button', { name: /^Open run run-7: completed/ }));

    // ASSERT
    expect(inspectorActions.nodeRuns).toHaveBeenCalledWith('fetch', {});
    expect(inspectorActions.openRun).toHaveBeenCalledWith('run-7');
    expect(screen.queryByRole('button', { name: 'Apply' })).toBeNull();
  });
});
