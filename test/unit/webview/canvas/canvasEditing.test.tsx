// @vitest-environment happy-dom
// What a person does on the canvas of issue 15's "A canvas you can read and edit", through the App: the fit at a
// readable zoom when the pane changes, collapsible panes, a move that writes only the node moved, "Save layout",
// a palette node placed in free space, a config problem shown on the node, and "Connect to…" from the keyboard.
import '../../../support/componentTests';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ReactFlowProvider } from '@xyflow/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canvasGraphFromText } from '../../../../src/language/canvasGraph';
import type { CanvasUiState, PaletteEntry } from '../../../../src/protocol/canvasProtocol';
import { App } from '../../../../webview/canvas/App';
import { saveUiState } from '../../../../webview/canvas/actions';
import { autoLayout } from '../../../../webview/canvas/autoLayout';
import { READABLE_ZOOM } from '../../../../webview/canvas/readableFit';

const sample = (name: string): string => readFileSync(join(__dirname, '../../../../samples', name), 'utf8');

interface Sent {
  kind: string;
  method: string;
  params: Record<string, unknown>;
}
const sent = (): Sent[] => (globalThis as { __weftSentMessages?: Sent[] }).__weftSentMessages ?? [];

/** A ResizeObserver the test drives: happy-dom lays nothing out, so the pane's size is what the test says. */
class TestResizeObserver {
  static all: TestResizeObserver[] = [];
  targets: Element[] = [];
  constructor(private readonly callback: ResizeObserverCallback) {
    TestResizeObserver.all.push(this);
  }
  observe(target: Element): void {
    this.targets.push(target);
  }
  unobserve(): void {}
  disconnect(): void {
    this.targets = [];
  }
  static resize(target: Element, width: number, height: number): void {
    for (const observer of TestResizeObserver.all) {
      if (!observer.targets.includes(target)) continue;
      const entry = { target, contentRect: { width, height, x: 0, y: 0, top: 0, left: 0, right: width, bottom: height } } as unknown as ResizeObserverEntry;
      observer.callback([entry], observer as unknown as ResizeObserver);
    }
  }
}

const PALETTE: PaletteEntry[] = [{ type: 'log', title: 'Log a message', description: '', configSchema: {} }];

function hostSends(method: string, params: unknown): void {
  window.dispatchEvent(new MessageEvent('message', { data: { kind: 'notification', method, params } }));
}

async function openCanvas(text: string, ui: CanvasUiState = {}): Promise<HTMLElement> {
  saveUiState({ viewport: undefined, selected: [], inspectorOpen: true, paletteOpen: true, ...ui });
  const view = render(
    <ReactFlowProvider>
      <App />
    </ReactFlowProvider>,
  );
  await act(async () => {
    const graph = canvasGraphFromText(text);
    hostSends('didChangeGraph', { graph, fileName: 'order-intake.flow.json', title: `${graph.flowId} (canvas)`, palette: PALETTE });
  });
  await waitFor(() => expect(view.container.querySelectorAll('[data-node-id]').length).toBeGreaterThan(0));
  return view.container;
}

function pane(container: HTMLElement): Element {
  return container.querySelector('.weft-flow')!;
}

function zoomOf(container: HTMLElement): number {
  const transform = (container.querySelector('.react-flow__viewport') as HTMLElement).style.transform;
  return Number(/scale\(([\d.]+)\)/.exec(transform)?.[1]);
}

beforeEach(() => {
  TestResizeObserver.all = [];
  globalThis.ResizeObserver = TestResizeObserver as unknown as typeof ResizeObserver;
  sent().length = 0;
});
afterEach(() => cleanup());

describe('canvas: its title', () => {
  it('is "<flow id> (canvas)", in the toolbar and the page, not the file name the text editor shows', async () => {
    await openCanvas(sample('order-intake.flow.json'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('order-intake (canvas)');
    expect(document.title).toBe('order-intake (canvas)');
  });
});

describe('canvas: fit at a readable zoom', () => {
  it('fits a narrow pane at the readable zoom, and refits when the pane grows (a pane closed, the editor widened)', async () => {
    // ARRANGE
    const container = await openCanvas(sample('order-intake.flow.json'));
    // ACT 1: the pane is narrow (palette, inspector and the execution panel beside it).
    act(() => TestResizeObserver.resize(pane(container), 420, 600));
    // ASSERT 1: never below the readable zoom (xyflow's fit gave 0.42 here).
    await waitFor(() => expect(zoomOf(container)).toBe(READABLE_ZOOM));
    // ACT 2: the pane widens.
    act(() => TestResizeObserver.resize(pane(container), 1800, 900));
    // ASSERT 2: refitted, the whole flow at its natural size.
    await waitFor(() => expect(zoomOf(container)).toBe(1));
  });

  it('hides the minimap in a pane too small for it and the zoom controls, and shows it in a large one', async () => {
    const container = await openCanvas(sample('order-intake.flow.json'));
    act(() => TestResizeObserver.resize(pane(container), 420, 600));
    await waitFor(() => expect(container.querySelector('.react-flow__controls')).not.toBeNull());
    expect(container.querySelector('.react-flow__minimap')).toBeNull();
    act(() => TestResizeObserver.resize(pane(container), 1200, 420));
    await waitFor(() => expect(container.querySelector('.react-flow__minimap')).not.toBeNull());
    // Opposite corners: the minimap cannot cover the controls.
    expect(container.querySelector('.react-flow__controls')?.className).toMatch(/bottom left/);
    expect(container.querySelector('.react-flow__minimap')?.className).toMatch(/bottom right/);
    // And the graph at fit ends above the minimap's band (150 px and its margin), so the minimap covers none of it.
    const transform = (container.querySelector('.react-flow__viewport') as HTMLElement).style.transform;
    const [, y, zoom] = /translate\(-?[\d.]+px, ?(-?[\d.]+)px\) scale\(([\d.]+)\)/.exec(transform)!.map(Number);
    const placed = autoLayout(canvasGraphFromText(sample('order-intake.flow.json')));
    const graphBottom = Math.max(...placed.map((p) => p.position.y + p.height));
    expect(graphBottom * zoom + y).toBeLessThanOrEqual(420 - 165);
  });

  it('collapses and reopens the palette and the inspector with keyboard-reachable toggles', async () => {
    // ARRANGE: check selected, so the inspector shows it.
    await openCanvas(sample('order-intake.flow.json'), { selected: ['check'] });
    const paletteToggle = screen.getByRole('button', { name: 'Palette' });
    const inspectorToggle = screen.getByRole('button', { name: 'Inspector' });
    expect(screen.getByRole('navigation', { name: 'Add a node' })).toBeTruthy();
    expect(screen.getByRole('complementary', { name: 'Node check' })).toBeTruthy();
    expect(paletteToggle.getAttribute('aria-pressed')).toBe('true');
    // ACT
    fireEvent.click(paletteToggle);
    fireEvent.click(inspectorToggle);
    // ASSERT
    expect(screen.queryByRole('navigation', { name: 'Add a node' })).toBeNull();
    expect(screen.queryByRole('complementary', { name: 'Node check' })).toBeNull();
    expect(paletteToggle.getAttribute('aria-pressed')).toBe('false');
    expect(inspectorToggle.getAttribute('aria-pressed')).toBe('false');
    fireEvent.click(paletteToggle);
    expect(screen.getByRole('navigation', { name: 'Add a node' })).toBeTruthy();
  });
});

describe('canvas: what an edit writes', () => {
  it('a keyboard nudge of one node writes that node\'s position only', async () => {
    // ARRANGE: the sample has no layout; review is selected.
    const container = await openCanvas(sample('order-intake.flow.json'), { selected: ['review'] });
    const review = container.querySelector('.react-flow__node[data-id="review"]') as HTMLElement;
    // ACT
    act(() => {
      review.focus();
      fireEvent.keyDown(review, { key: 'ArrowRight' });
    });
    // ASSERT
    await waitFor(() => expect(sent().some((m) => m.method === 'moveNodes')).toBe(true));
    const move = sent().find((m) => m.method === 'moveNodes')!;
    expect(Object.keys(move.params.positions as object)).toEqual(['review']);
  });

  it('"Save layout" writes every node where it is drawn', async () => {
    const text = sample('order-intake.flow.json');
    await openCanvas(text);
    fireEvent.click(screen.getByRole('button', { name: 'Save layout' }));
    const move = sent().find((m) => m.method === 'moveNodes')!;
    const drawn = Object.fromEntries(autoLayout(canvasGraphFromText(text)).map((p) => [p.id, p.position]));
    expect(move.params.positions).toEqual(drawn);
  });

  it('a node added from the palette goes beside the selected node, on top of none, and nothing else is written', async () => {
    // ARRANGE
    const text = sample('order-intake.flow.json');
    await openCanvas(text, { selected: ['tax'] });
    const placed = autoLayout(canvasGraphFromText(text));
    // ACT
    fireEvent.click(screen.getByRole('button', { name: 'Add log node: Log a message' }));
    // ASSERT
    const request = sent().find((m) => m.method === 'addNode')!;
    expect(request.params.positions).toBeUndefined();
    const at = request.params.position as { x: number; y: number };
    const tax = placed.find((p) => p.id === 'tax')!;
    expect(at.x).toBeGreaterThan(tax.position.x + tax.width);
    const box = { x: at.x, y: at.y, width: 200, height: 80 };
    const covered = placed.filter((p) => box.x < p.position.x + p.width && p.position.x < box.x + box.width && box.y < p.position.y + p.height && p.position.y < box.y + box.height);
    expect(covered.map((p) => p.id)).toEqual([]);
  });

  it('shows an empty required field of a new node on the node', async () => {
    // ARRANGE: a log node as the palette adds it, its message still empty.
    const text = sample('order-intake.flow.json').replace(
      '{ "id": "note", "type": "log", "config": { "message": "Order {{ input.orderId }} queued for {{ input.queue }}" } }',
      '{ "id": "note", "type": "log", "config": { "message": "Order {{ input.orderId }} queued for {{ input.queue }}" } },\n    { "id": "log1", "type": "log", "config": { "message": "" } }',
    );
    // ACT
    const container = await openCanvas(text);
    // ASSERT
    const node = container.querySelector('[data-node-id="log1"]');
    expect(node?.querySelector('.weft-flow-node-problem')?.textContent).toBe('message is required and empty');
    expect(node?.getAttribute('aria-label')).toContain('1 problem: message is required and empty');
    expect(container.querySelector('[data-node-id="note"] .weft-flow-node-problem')).toBeNull();
  });
});

describe('canvas: Connect to… without a mouse', () => {
  it('connects the selected node\'s chosen port to a target picked from a list', async () => {
    // ARRANGE: check (an if: ports true, false, error) selected.
    await openCanvas(sample('order-intake.flow.json'), { selected: ['check'] });
    // ACT: the key binding opens the dialog; the port and target are picked with the keyboard.
    const canvas = document.querySelector('.weft-canvas')!;
    fireEvent.keyDown(canvas, { key: 'c' });
    const dialog = screen.getByRole('dialog', { name: 'Connect check to…' });
    expect(dialog).toBeTruthy();
    fireEvent.change(screen.getByRole('combobox', { name: 'Output port' }), { target: { value: 'false' } });
    const input = screen.getByRole('textbox', { name: 'Target node' });
    fireEvent.change(input, { target: { value: 'not' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    // ASSERT
    expect(sent().at(-1)).toMatchObject({ kind: 'command', method: 'connect', params: { from: 'check', port: 'false', to: 'note' } });
    expect(screen.queryByRole('dialog', { name: 'Connect check to…' })).toBeNull();
  });

  it('offers the toolbar button only with one node selected, and lists the nodes it can feed without a cycle', async () => {
    // check ─true→ review ─┐
    //       └false→ tax ───┴→ done → note      from done: only note (the others lead to done)
    await openCanvas(sample('order-intake.flow.json'), { selected: ['done'] });
    fireEvent.click(screen.getByRole('button', { name: 'Connect to…' }));
    const targets = screen.getByRole('list', { name: 'Target nodes' });
    expect([...targets.querySelectorAll('button')].map((b) => b.textContent?.split(' ')[0])).toEqual(['note']);
    cleanup();
    await openCanvas(sample('order-intake.flow.json'), { selected: [] });
    expect((screen.getByRole('button', { name: 'Connect to…' }) as HTMLButtonElement).disabled).toBe(true);
  });
});
