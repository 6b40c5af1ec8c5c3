// A person opens a flow in the canvas (at a readable fit, the inspector open), drags a node, connects nodes with
// the mouse and with the keyboard, adds one from the palette: each change is a small edit of the .flow.json text
// (saved here to read it back from disk), `layout` for the node moved or added only, a new edge for a connection.
// A back edge is routed around the nodes. Then runs a flow with a branch from the canvas: only the edge that
// carried data lights up.
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'jsonc-parser';
import { describe, it } from 'mocha';
import type { Frame, Page } from 'playwright-core';
import { e2eSession, openFile, runCommand, screenshot, webviewFrame } from './vsCodePage';

interface FlowOnDisk {
  nodes: unknown[];
  layout?: Record<string, { x: number; y: number }>;
  edges: { from: string; to: string; port?: string }[];
}

/** The flow file as it is on disk now; undefined while VS Code is writing it (it truncates, then writes). */
function flowOnDisk(workspace: string): FlowOnDisk | undefined {
  const flow = parse(readFileSync(join(workspace, 'order-intake.flow.json'), 'utf8')) as FlowOnDisk | undefined;
  return flow && Array.isArray(flow.nodes) && Array.isArray(flow.edges) ? flow : undefined;
}

async function waitForDisk<T>(read: () => T | undefined, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function center(frame: Frame, selector: string): Promise<{ x: number; y: number }> {
  const box = await frame.locator(selector).first().boundingBox();
  if (!box) throw new Error(`${selector} is not on screen.`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 8 });
  await page.mouse.move(to.x, to.y, { steps: 8 });
  await page.mouse.up();
}

/** Where xyflow drew each node, in flow coordinates (its transform). */
async function drawnPositions(frame: Frame): Promise<Record<string, { x: number; y: number }>> {
  return frame.evaluate(() => {
    const positions: Record<string, { x: number; y: number }> = {};
    for (const node of document.querySelectorAll<HTMLElement>('.react-flow__node[data-id]')) {
      const match = /translate\((-?[\d.]+)px,\s*(-?[\d.]+)px\)/.exec(node.style.transform);
      if (match) positions[node.dataset.id!] = { x: Number(match[1]), y: Number(match[2]) };
    }
    return positions;
  });
}

/** Waits until the element's box is inside the window (after a zoom animation). */
async function onScreen(page: Page, frame: Frame, selector: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const viewport = page.viewportSize()!;
  let last = '';
  for (;;) {
    const box = await frame.locator(selector).first().boundingBox();
    const key = JSON.stringify(box);
    if (box && box.x > 0 && box.y > 0 && box.x + box.width < viewport.width && box.y + box.height < viewport.height && key === last) return;
    if (Date.now() > deadline) throw new Error(`${selector} did not come on screen: ${key}`);
    last = key;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function saveAll(page: Page): Promise<void> {
  await runCommand(page, 'File: Save All Files');
}

describe('Canvas', () => {
  it('opens at a readable fit, writes only what the user moved, adds and connects nodes from the keyboard, and routes back edges around nodes', async () => {
    // ARRANGE
    const { page, workspace } = e2eSession();
    await openFile(page, 'order-intake.flow.json');
    await runCommand(page, 'Weft: Open Canvas');
    const frame = await webviewFrame(page, '#weft-canvas');
    for (const id of ['check', 'review', 'tax', 'done', 'note']) {
      await frame.locator(`.react-flow__node[data-id="${id}"]`).waitFor({ state: 'visible', timeout: 30_000 });
    }
    assert.equal((await waitForDisk(() => flowOnDisk(workspace), 'order-intake.flow.json')).layout, undefined, 'the sample starts without a layout');
    // The canvas is titled by the flow's id, not by the file name the text editor shows (the tab itself: see
    // docs/decisions.md).
    assert.equal((await frame.locator('h1.weft-toolbar-title').innerText()).trim(), 'order-intake (canvas)');
    console.log(`[e2e] canvas tab label: ${await page.locator('.tabs-container .tab.active .label-name').first().innerText()}`);
    await screenshot(page, 'canvas-order-intake');

    // ACT 1: the side bar closed (the editor as wide as the window), select check: the inspector opens beside the
    // graph, and the view refits into what is left.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await frame.locator('.react-flow__node[data-id="check"] .weft-flow-node-title').click();
    await frame.getByRole('complementary', { name: 'Node check' }).waitFor({ state: 'visible', timeout: 10_000 });
    await onScreen(page, frame, '.react-flow__node[data-id="note"]');
    await onScreen(page, frame, '.react-flow__node[data-id="check"]');

    // ASSERT 1: readable zoom, and the minimap (when shown) clear of the zoom controls.
    const zoom = await frame.evaluate(() => Number(/scale\(([\d.]+)\)/.exec((document.querySelector('.react-flow__viewport') as HTMLElement).style.transform)?.[1]));
    assert.ok(zoom >= 0.75, `zoom at fit ${zoom}`);
    const controls = await frame.locator('.react-flow__controls').boundingBox();
    const minimap = (await frame.locator('.react-flow__minimap').count()) > 0 ? await frame.locator('.react-flow__minimap').boundingBox() : null;
    if (controls && minimap) {
      const apart = controls.x + controls.width <= minimap.x || minimap.x + minimap.width <= controls.x || controls.y + controls.height <= minimap.y || minimap.y + minimap.height <= controls.y;
      assert.ok(apart, `minimap ${JSON.stringify(minimap)} covers the controls ${JSON.stringify(controls)}`);
    }
    await screenshot(page, 'canvas-fit-inspector-open');

    // ACT 2: drag "review" 120 px down and 60 px right (into free space: nothing is below it).
    const before = await drawnPositions(frame);
    const start = await center(frame, '.react-flow__node[data-id="review"] .weft-flow-node-title');
    await drag(page, start, { x: start.x + 60, y: start.y + 120 });
    await saveAll(page);

    // ASSERT 2: layout holds review alone; the nodes nobody touched are drawn where they were.
    const afterMove = await waitForDisk(() => flowOnDisk(workspace)?.layout, 'layout in order-intake.flow.json');
    assert.deepEqual(Object.keys(afterMove), ['review']);
    assert.ok(afterMove.review.x > before.review.x + 10 && afterMove.review.y > before.review.y + 40, `review moved: ${JSON.stringify([before.review, afterMove.review])}`);
    const redrawn = await drawnPositions(frame);
    for (const id of ['check', 'tax', 'done', 'note']) {
      assert.ok(Math.abs(redrawn[id].x - before[id].x) < 1 && Math.abs(redrawn[id].y - before[id].y) < 1, `${id} stayed: ${JSON.stringify([before[id], redrawn[id]])}`);
    }

    // ACT 3: zoom to fit, then connect review's "out" handle to note's input with the mouse.
    await frame.getByRole('button', { name: 'Zoom to fit' }).click();
    await onScreen(page, frame, '.react-flow__node[data-id="note"] .react-flow__handle.target');
    const source = await center(frame, '.react-flow__node[data-id="review"] .react-flow__handle.source[data-port="out"]');
    const target = await center(frame, '.react-flow__node[data-id="note"] .react-flow__handle.target');
    await drag(page, source, target);
    await saveAll(page);

    // ASSERT 3: the edge is in the file, once, with no port written (out is the default).
    const edgesTo = async (from: string, to: string) =>
      waitForDisk(() => {
        const found = flowOnDisk(workspace)?.edges.filter((e) => e.from === from && e.to === to);
        return found && found.length > 0 ? found : undefined;
      }, `the ${from} → ${to} edge`);
    const edges = await edgesTo('review', 'note');
    assert.equal(edges.length, 1);
    assert.equal(edges[0].port, undefined);

    // ACT 4: the keyboard: select tax, C ("Connect to…"), type the target, Enter.
    await frame.locator('.react-flow__node[data-id="tax"] .weft-flow-node-title').click();
    await page.keyboard.press('c');
    await frame.getByRole('dialog', { name: 'Connect tax to…' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.type('note');
    await page.keyboard.press('Enter');
    await saveAll(page);
    // ASSERT 4
    assert.equal((await edgesTo('tax', 'note')).length, 1);

    // ACT 5: add a log node from the palette, tax still selected.
    await frame.getByRole('button', { name: /^Add log node/ }).click();
    await frame.locator('.react-flow__node[data-id="log1"]').waitFor({ state: 'visible', timeout: 10_000 });
    await saveAll(page);
    // ASSERT 5: its position alone is added to the layout; it covers no node; its empty message is flagged on it.
    const afterAdd = await waitForDisk(() => (flowOnDisk(workspace)?.layout?.log1 ? flowOnDisk(workspace)?.layout : undefined), 'log1 in layout');
    assert.deepEqual(Object.keys(afterAdd).sort(), ['log1', 'review']);
    const boxes = await frame.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('.react-flow__node[data-id]')].map((n) => ({ id: n.dataset.id!, ...n.getBoundingClientRect().toJSON() as DOMRect })),
    );
    const added = boxes.find((b) => b.id === 'log1')!;
    const covered = boxes.filter((b) => b.id !== 'log1' && b.x < added.x + added.width && added.x < b.x + b.width && b.y < added.y + added.height && added.y < b.y + b.height);
    assert.deepEqual(covered.map((b) => b.id), []);
    assert.equal((await frame.locator('.react-flow__node[data-id="log1"] .weft-flow-node-problem').innerText()).trim(), 'message is required and empty');
    await frame.getByRole('button', { name: 'Zoom to fit' }).click();
    await onScreen(page, frame, '.react-flow__node[data-id="log1"]');
    await screenshot(page, 'canvas-after-edits');

    // ACT 6: drag note below check, left of the nodes that feed it: their edges become back edges.
    const noteAt = await center(frame, '.react-flow__node[data-id="note"] .weft-flow-node-title');
    const checkBox = (await frame.locator('.react-flow__node[data-id="check"]').boundingBox())!;
    await drag(page, noteAt, { x: checkBox.x + checkBox.width / 2, y: checkBox.y + checkBox.height + 140 });
    await frame.getByRole('button', { name: 'Zoom to fit' }).click();
    await onScreen(page, frame, '.react-flow__node[data-id="note"]');
    // ASSERT 6: the done → note edge leaves done to the right (a routed path), not backwards through the nodes.
    const path = await frame.locator('.react-flow__edge[data-edge-from="done"][data-edge-to="note"] path.react-flow__edge-path').getAttribute('d');
    assert.match(path ?? '', / Q /, `done → note is routed: ${path}`);
    await screenshot(page, 'canvas-back-edge');
    await saveAll(page);
    // Leave the workbench as found: the side bar open, and the next scenario opens order-intake.flow.json as text
    // (Quick Open opens a file in the editor it was last shown in).
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await runCommand(page, 'Reopen Editor With Text Editor');
    await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 10_000 });
  });

  it('shows a .flow.ts read-only, its graph from the run worker, and double-click reveals a node in the code', async () => {
    // ARRANGE
    const { page, workspace } = e2eSession();
    await openFile(page, 'score-lead.flow.ts');

    // ACT
    await runCommand(page, 'Weft: Open Canvas');
    const frame = await webviewFrame(page, '#weft-canvas');
    for (const id of ['score', 'hot', 'notify', 'nurture']) {
      await frame.locator(`.react-flow__node[data-id="${id}"]`).waitFor({ state: 'visible', timeout: 30_000 });
    }
    await screenshot(page, 'canvas-flow-ts-read-only');
    await frame.locator('.react-flow__node[data-id="score"] .weft-flow-node-title').dblclick();

    // ASSERT: read-only (no palette), and a text editor shows the code with the cursor in score's definition (the
    // object from the line before `id: 'score'` to its closing brace, eight lines on).
    assert.equal(await frame.getByText('read-only', { exact: true }).count(), 1);
    assert.equal(await frame.getByText('Add a node').count(), 0);
    const idLine = readFileSync(join(workspace, 'score-lead.flow.ts'), 'utf8').split('\n').findIndex((l) => l.includes("id: 'score'")) + 1;
    const position = page.locator('.statusbar-item', { hasText: /^Ln \d+, Col \d+/ }).first();
    await position.waitFor({ state: 'visible', timeout: 10_000 });
    const cursorLine = Number(/^Ln (\d+)/.exec((await position.innerText()).trim())![1]);
    assert.ok(cursorLine >= idLine - 1 && cursorLine <= idLine + 8, `cursor on line ${cursorLine}, score is defined from line ${idLine - 1}`);
    await runCommand(page, 'View: Close All Editors');
  });

  it('lights only the edges that carried data when a flow with a branch runs', async () => {
    // ARRANGE: an if whose condition is false, so its `false` edge carries the input on and its `true` edge does not.
    const { page, workspace } = e2eSession();
    writeFileSync(join(workspace, 'e2e-branch.flow.json'), JSON.stringify(BRANCH_FLOW, null, 2));
    await openFile(page, 'e2e-branch.flow.json');
    await runCommand(page, 'Weft: Open Canvas');
    const frame = await webviewFrame(page, '#weft-canvas');
    for (const id of ['start', 'big', 'large', 'small']) {
      await frame.locator(`.react-flow__node[data-id="${id}"]`).waitFor({ state: 'visible', timeout: 30_000 });
    }
    const edge = (from: string, port: string) => frame.locator(`.react-flow__edge[data-edge-from="${from}"][data-edge-port="${port}"]`);
    assert.equal(await edge('big', 'false').getAttribute('data-carried'), 'false', 'nothing has run yet');

    // ACT: Run from the canvas's toolbar (the flow has no inputs, so nothing is asked).
    await frame.getByRole('button', { name: 'Run the flow' }).click();
    await frame.locator('.react-flow__node[data-id="small"][data-node-status="completed"]').waitFor({ state: 'attached', timeout: 60_000 });
    await frame.getByText('last run completed', { exact: true }).waitFor({ state: 'visible', timeout: 60_000 });

    // ASSERT: the taken edges carried data and are lit; the edge of the branch not taken did not and is not.
    assert.equal(await edge('start', 'out').getAttribute('data-carried'), 'true');
    assert.equal(await edge('big', 'false').getAttribute('data-carried'), 'true');
    assert.match((await edge('big', 'false').getAttribute('class')) ?? '', /weft-edge-taken/);
    assert.equal(await edge('big', 'true').getAttribute('data-carried'), 'false');
    assert.doesNotMatch((await edge('big', 'true').getAttribute('class')) ?? '', /weft-edge-(taken|active)/);
    assert.equal(await frame.locator('.react-flow__node[data-id="large"]').getAttribute('data-node-status'), 'skipped');
    // The whole graph in view for the screenshot: the execution panel opened beside the canvas and takes half the width.
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await frame.getByRole('button', { name: 'Zoom to fit' }).click();
    await onScreen(page, frame, '.react-flow__node[data-id="small"]');
    await onScreen(page, frame, '.react-flow__node[data-id="large"]');
    await screenshot(page, 'canvas-run-branch-edges');
    await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
    await runCommand(page, 'View: Close All Editors');
  });
});

/** A branch that goes one way: `big` is false for 42, so `small` runs and `large` is skipped. */
const BRANCH_FLOW = {
  version: 1,
  id: 'e2e-branch',
  name: 'E2E branch',
  nodes: [
    { id: 'start', type: 'transform', config: { output: { amount: 42 } } },
    { id: 'big', type: 'if', config: { condition: '{{ input.amount > 1000 }}' } },
    { id: 'large', type: 'log', config: { message: 'large order' } },
    { id: 'small', type: 'log', config: { message: 'small order' } },
  ],
  edges: [
    { from: 'start', to: 'big' },
    { from: 'big', to: 'large', port: 'true' },
    { from: 'big', to: 'small', port: 'false' },
  ],
};
