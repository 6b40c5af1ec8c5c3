// @vitest-environment happy-dom
import '../../../support/componentTests';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JsonTree } from '../../../../webview/shared/JsonTree';

afterEach(cleanup);

describe('JsonTree', () => {
  it('is an ARIA tree whose first level is open and deeper levels closed', () => {
    // ARRANGE / ACT
    render(<JsonTree label="output" value={{ order: { id: 'A-1', lines: [1, 2] }, total: 100 }} />);

    // ASSERT
    const tree = screen.getByRole('tree');
    expect(tree.getAttribute('aria-label')).toBe('output value');
    const items = screen.getAllByRole('treeitem');
    expect(items.map((i) => i.textContent?.replace(/[⧉▾▸]/g, ''))).toEqual(['output: {2}', 'order: {2 keys}', 'total: 100']);
    expect(items[0].getAttribute('aria-expanded')).toBe('true');
    expect(items[1].getAttribute('aria-expanded')).toBe('false');
    expect(items[2].hasAttribute('aria-expanded')).toBe(false);
    // One tab stop: the focused row.
    expect(items.filter((i) => i.tabIndex === 0)).toHaveLength(1);
  });

  it('moves with the arrow keys and opens and closes with Right, Left and Enter', () => {
    // ARRANGE
    render(<JsonTree value={{ order: { id: 'A-1' }, total: 100 }} />);
    const root = screen.getAllByRole('treeitem')[0];
    root.focus();

    // ACT: down to "order", open it with Right, move into it with Right again.
    fireEvent.keyDown(root, { key: 'ArrowDown' });
    const order = screen.getAllByRole('treeitem')[1];
    expect(document.activeElement).toBe(order);
    fireEvent.keyDown(order, { key: 'ArrowRight' });

    // ASSERT
    expect(order.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getAllByRole('treeitem').map((i) => i.getAttribute('aria-level'))).toEqual(['1', '2', '3', '2']);
    fireEvent.keyDown(order, { key: 'ArrowRight' });
    expect(document.activeElement?.textContent).toContain('id: "A-1"');

    // ACT: Left on a leaf goes to its parent; Left again closes it; Enter opens it again.
    fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(document.activeElement).toBe(order);
    fireEvent.keyDown(order, { key: 'ArrowLeft' });
    expect(order.getAttribute('aria-expanded')).toBe('false');
    expect(screen.getAllByRole('treeitem')).toHaveLength(3);
    fireEvent.keyDown(order, { key: 'Enter' });
    expect(order.getAttribute('aria-expanded')).toBe('true');
    fireEvent.keyDown(order, { key: ' ' });
    expect(order.getAttribute('aria-expanded')).toBe('false');
  });

  it('shows the first children of a big array and "Show all N", which calls onShowAll', () => {
    // ARRANGE
    const onShowAll = vi.fn();
    const big = Array.from({ length: 500 }, (_, i) => i);
    render(<JsonTree label="items" value={big} maxChildren={20} onShowAll={onShowAll} />);

    // ACT
    const showAll = screen.getByText('Show all 500');
    fireEvent.click(showAll);

    // ASSERT: the root, 20 children, and the "Show all" row.
    expect(screen.getAllByRole('treeitem')).toHaveLength(22);
    expect(onShowAll).toHaveBeenCalledTimes(1);
  });

  it('shows every child on "Show all" when there is no onShowAll', () => {
    // ARRANGE
    render(<JsonTree value={Array.from({ length: 30 }, (_, i) => i)} maxChildren={10} />);

    // ACT
    const row = screen.getByText('Show all 30').closest('[role="treeitem"]')!;
    fireEvent.keyDown(row, { key: 'Enter' });

    // ASSERT
    expect(screen.getAllByRole('treeitem')).toHaveLength(31);
    expect(screen.queryByText(/Show all/)).toBeNull();
  });

  it('cuts long strings and says how long they are', () => {
    // ARRANGE / ACT
    render(<JsonTree value={{ text: 'x'.repeat(5000) }} maxStringLength={100} />);

    // ASSERT
    const row = screen.getAllByRole('treeitem')[1];
    expect(row.textContent).toContain(`"${'x'.repeat(100)}…"`);
    expect(row.textContent).toContain('(5,000 chars)');
    expect(row.textContent).not.toContain('x'.repeat(101));
  });

  it('copies a value through onCopy: the button, and Ctrl+C on the focused row', () => {
    // ARRANGE
    const onCopy = vi.fn();
    render(<JsonTree label="output" value={{ order: { id: 'A-1' }, note: 'hi' }} onCopy={onCopy} />);

    // ACT
    fireEvent.click(screen.getByRole('button', { name: 'Copy order' }));
    const note = screen.getAllByRole('treeitem')[2];
    note.focus();
    fireEvent.keyDown(note, { key: 'c', ctrlKey: true });

    // ASSERT: objects as pretty JSON, strings as themselves.
    expect(onCopy.mock.calls).toEqual([[JSON.stringify({ id: 'A-1' }, null, 2)], ['hi']]);
  });
});
