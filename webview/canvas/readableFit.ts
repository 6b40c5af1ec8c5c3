// The viewport that shows a flow at a zoom where its text can be read. xyflow's fitView shrinks a long flow until
// it fits, which in a narrow editor (palette, inspector and the execution panel beside it) left 5 px text. Here the
// zoom never goes below READABLE_ZOOM: a graph that does not fit at that zoom is shown from its start (its first
// node on the left, the top when it is too tall) and the rest is a scroll away. Pure: the App measures, this decides.

/** Below this zoom a node's 12 px text is under 9 px on screen: the smallest a fit will choose. */
export const READABLE_ZOOM = 0.75;
/** A fit never magnifies: a small flow is shown at its natural size. */
export const FIT_MAX_ZOOM = 1;
/** Room between the graph and the pane's edges, in screen pixels. */
export const FIT_PADDING = 24;

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface PaneSize {
  width: number;
  height: number;
}

export interface FitViewport {
  x: number;
  y: number;
  zoom: number;
}

export interface ReadableFitOptions {
  /** Smallest zoom chosen (default READABLE_ZOOM). */
  minZoom?: number;
  /** Largest zoom chosen (default FIT_MAX_ZOOM). */
  maxZoom?: number;
  /** Screen pixels kept free around the graph (default FIT_PADDING). */
  padding?: number;
}

/** The bounding box of `boxes` (top-level nodes), or undefined when there are none. */
export function boundsOf(boxes: readonly Box[]): Box | undefined {
  if (boxes.length === 0) return undefined;
  let left = Infinity;
  let top = Infinity;
  let right = -Infinity;
  let bottom = -Infinity;
  for (const b of boxes) {
    left = Math.min(left, b.x);
    top = Math.min(top, b.y);
    right = Math.max(right, b.x + b.width);
    bottom = Math.max(bottom, b.y + b.height);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/**
 * The viewport (xyflow's: screen = flow × zoom + x/y) showing `bounds` in `pane`: all of it when that is possible
 * at a readable zoom; otherwise the whole width when that is readable, else the readable zoom. An axis that fits
 * is centred; one that does not starts at the graph's left or top edge, where a left-to-right flow begins.
 */
export function readableFit(bounds: Box, pane: PaneSize, options: ReadableFitOptions = {}): FitViewport {
  const minZoom = options.minZoom ?? READABLE_ZOOM;
  const maxZoom = options.maxZoom ?? FIT_MAX_ZOOM;
  const padding = options.padding ?? FIT_PADDING;
  const room = { width: Math.max(1, pane.width - 2 * padding), height: Math.max(1, pane.height - 2 * padding) };
  const widthZoom = bounds.width > 0 ? room.width / bounds.width : maxZoom;
  const heightZoom = bounds.height > 0 ? room.height / bounds.height : maxZoom;
  let zoom = Math.min(widthZoom, heightZoom, maxZoom);
  if (zoom < minZoom) {
    // Too big to show whole and readable: a tall graph is shown across its width, a long one at the readable zoom.
    zoom = widthZoom >= minZoom ? Math.min(widthZoom, maxZoom) : minZoom;
  }
  const axis = (start: number, length: number, paneLength: number): number => {
    const drawn = length * zoom;
    return drawn <= paneLength - 2 * padding ? (paneLength - drawn) / 2 - start * zoom : padding - start * zoom;
  };
  return { x: axis(bounds.x, bounds.width, pane.width), y: axis(bounds.y, bounds.height, pane.height), zoom };
}
