// Readable in every theme (issue 15, item 4): each status the webviews show (its word, its icon, its timeline bar
// and the bar's label) against the background it is drawn on, in VS Code's own Light Modern, Dark Modern, High
// Contrast and High Contrast Light themes. The colours come from the webviews' CSS (so a token changed there is
// checked here) and the themes' files, with VS Code's registered defaults for what a theme leaves unset (see
// vsCodeThemes.ts). WCAG 2.1 AA: 4.5:1 for text (1.4.3), 3:1 for icons and bars (1.4.11, non-text contrast).

import { describe, expect, it } from 'vitest';
import { blend, contrastRatio, defaultsDrift, loadTheme, normalizeHex, type Theme, type ThemeKind } from './vsCodeThemes';
import { loadWebviewCss, type Stylesheets } from './webviewCss';

const TEXT = 4.5;
const NON_TEXT = 3;

const THEMES = ['Default Light Modern', 'Default Dark Modern', 'Default High Contrast', 'Default High Contrast Light'].map(loadTheme);

/** The classes VS Code puts on a webview's body for each kind of theme (webview/browser/pre/index.html). */
const BODY_CLASSES: Record<ThemeKind, string[]> = {
  light: ['vscode-light'],
  dark: ['vscode-dark'],
  hcDark: ['vscode-high-contrast'],
  hcLight: ['vscode-high-contrast-light', 'vscode-high-contrast'],
};

const STATUSES = ['completed', 'failed', 'running', 'skipped', 'cancelled', 'interrupted', 'pending'] as const;
const BAR_STATUSES = ['completed', 'failed', 'running', 'skipped', 'cancelled', 'pending'] as const;

/**
 * Where a status pill (`.weft-status`) is drawn: the rule that paints the background there, and the rule that
 * gives the text colour the pill inherits. Translucent backgrounds are blended over the page's.
 */
const STATUS_PLACES: { where: string; background: string; text: string; icon?: string }[] = [
  { where: 'execution panel header, history list', background: 'body', text: 'body' },
  { where: 'execution panel node card', background: '.weft-card', text: '.weft-node-toggle' },
  { where: 'history row under the mouse', background: '.history-item:hover', text: 'body' },
  { where: 'history selected row', background: ".history-item[aria-selected='true']", text: 'body' },
  {
    where: 'history focused row',
    background: '.history-grid:focus .history-item[data-active]',
    text: '.history-grid:focus .history-item[data-active]',
    icon: '.history-grid:focus .history-item[data-active] .weft-status::before',
  },
  { where: 'canvas node', background: '.weft-canvas .react-flow__node.weft-node', text: '.weft-canvas .react-flow__node.weft-node' },
];

/** Other texts that say how a run or a node went, on the page's background. */
const STATE_TEXTS = [
  { what: 'error message', selector: '.weft-error-text', background: 'body' },
  { what: 'error message in a node card', selector: '.weft-error-text', background: '.weft-card' },
  { what: 'log level "warn"', selector: ".weft-log-lines li[data-level='warn'] .weft-log-level", background: 'body' },
  { what: 'log level "error"', selector: ".weft-log-lines li[data-level='error'] .weft-log-level", background: 'body' },
  { what: 'log message of level "error"', selector: ".weft-log-lines li[data-level='error'] .weft-log-message", background: 'body' },
  { what: 'value that differs between two runs', selector: '.history-table strong', background: 'body' },
  { what: "canvas's list of flow problems", selector: '.weft-problems', background: '.weft-problems' },
];

const css = loadWebviewCss();

describe('webview colours in VS Code themes', () => {
  it('copies VS Code registered colour defaults as VS Code registers them', () => {
    const drift = defaultsDrift();
    if (drift === undefined) return; // code-server is not installed: nothing to compare with
    expect(drift).toEqual([]);
  });

  it('resolves a theme token through the theme, its includes and the registered defaults', () => {
    const lightModern = THEMES[0]!;
    // Set by light_modern.json itself, by light_vs.json (included twice over), and by nobody (registered default).
    expect(lightModern.color('editorWidget.background')).toBe('#F8F8F8FF');
    expect(lightModern.color('charts.green')).toBe('#388A34FF');
    expect(lightModern.color('list.errorForeground')).toBe('#B01011FF');
    // The contrast of black on white is 21:1, and a half-transparent black on white is blended first.
    expect(contrastRatio('#000000', '#FFFFFF')).toBeCloseTo(21, 5);
    expect(contrastRatio('#00000080', '#FFFFFF')).toBeCloseTo(contrastRatio('#7F7F7F', '#FFFFFF'), 1);
  });

  for (const theme of THEMES) {
    describe(theme.label, () => {
      const page = backgroundOf(theme, 'body');

      it(`shows every status word at ${TEXT}:1 and its icon at ${NON_TEXT}:1 wherever a status is drawn`, () => {
        const failures: string[] = [];
        for (const place of STATUS_PLACES) {
          const background = backgroundOf(theme, place.background, page);
          const inherited = colorOf(theme, [place.text], 'color', 'body');
          for (const status of STATUSES) {
            const word = colorOf(theme, [`.weft-status[data-status='${status}']`, '.weft-status'], 'color', inherited);
            const iconRules = [...(place.icon ? [place.icon] : []), `.weft-status[data-status='${status}']::before`, '.weft-status::before'];
            const icon = colorOf(theme, iconRules, 'color', word);
            check(failures, `${status} word in the ${place.where}`, word, background, TEXT);
            check(failures, `${status} icon in the ${place.where}`, icon, background, NON_TEXT);
          }
        }
        expect(failures).toEqual([]);
      });

      it(`draws every timeline bar at ${NON_TEXT}:1 and its label at ${TEXT}:1 on it`, () => {
        const failures: string[] = [];
        const label = colorOf(theme, ['.weft-bar-label'], 'fill', 'body');
        for (const status of BAR_STATUSES) {
          const selectors = status === 'pending' ? ['.weft-bar'] : [`.weft-bar[data-status='${status}']`, '.weft-bar'];
          const fill = colorOf(theme, selectors, 'fill', '#00000000');
          const opacity = Number(declared(theme, selectors, 'fill-opacity') ?? '1');
          const bar = blend(withOpacity(fill, opacity), page);
          // The bar's shape is told from the page by its outline when it has one, else by its fill.
          const stroke = declared(theme, selectors, 'stroke') !== undefined ? colorOf(theme, selectors, 'stroke', '#00000000') : undefined;
          check(failures, `${status} bar`, stroke ?? bar, page, NON_TEXT);
          check(failures, `label on the ${status} bar`, label, bar, TEXT);
        }
        expect(failures).toEqual([]);
      });

      it(`shows run and node state texts at ${TEXT}:1`, () => {
        const failures: string[] = [];
        for (const text of STATE_TEXTS) {
          const color = colorOf(theme, [text.selector], 'color', 'body');
          check(failures, text.what, color, backgroundOf(theme, text.background, page), TEXT);
        }
        expect(failures).toEqual([]);
      });
    });
  }
});

function check(failures: string[], what: string, color: string, background: string, minimum: number): void {
  const ratio = contrastRatio(color, background);
  if (ratio < minimum) failures.push(`${what}: ${ratio.toFixed(2)}:1 (${color} on ${background}), needs ${minimum}:1`);
}

/** The declaration for the first selector that has one, the theme's body-class rules before the plain ones. */
function declared(theme: Theme, selectors: string[], property: string): string | undefined {
  for (const selector of selectors) {
    for (const bodyClass of BODY_CLASSES[theme.kind]) {
      const value = css.declared(`body.${bodyClass} ${selector}`, property);
      if (value !== undefined) return value;
    }
    const value = css.declared(selector, property);
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * The colour an element gets for `property`: from the first rule that declares it and resolves in this theme,
 * else what it inherits (`inherited`: a colour, or the selector of the rule whose text colour it inherits).
 */
function colorOf(theme: Theme, selectors: string[], property: string, inherited: string): string {
  const fallback = (): string => (inherited.startsWith('#') ? normalizeHex(inherited) : colorOf(theme, [inherited], 'color', '#000000'));
  const value = declared(theme, selectors, property);
  if (value === undefined) return fallback();
  const color = resolveColor(theme, value, css);
  return color === undefined || color === 'inherit' ? fallback() : color;
}

/** The opaque colour behind what the rule `selector` paints: its background over `under` (or the page's). */
function backgroundOf(theme: Theme, selector: string, under?: string): string {
  const value = declared(theme, [selector], 'background') ?? declared(theme, [selector], 'background-color');
  const color = value === undefined ? undefined : resolveColor(theme, value, css);
  const base = under ?? normalizeHex('#FFFFFF');
  return color === undefined || color === 'inherit' ? base : blend(color, base);
}

/**
 * A CSS colour value in a theme: `var(--vscode-token, fallback)` (a webview gets every theme colour as
 * --vscode-<token with dots as dashes>), our own `--weft-*` custom properties, hex, `transparent`, `inherit`.
 * Undefined when the value names a variable that is undefined and has no fallback (the declaration then does nothing).
 */
function resolveColor(theme: Theme, value: string, stylesheets: Stylesheets): string | 'inherit' | undefined {
  const text = value.trim();
  if (text === 'inherit' || text === 'currentColor') return 'inherit';
  if (text === 'transparent') return '#00000000';
  if (text.startsWith('#')) return normalizeHex(text);
  const rgba = /^rgba?\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*(?:,\s*([\d.]+)\s*)?\)$/.exec(text);
  if (rgba) return withOpacity(`#${rgba.slice(1, 4).map((n) => Number(n).toString(16).padStart(2, '0')).join('')}`, Number(rgba[4] ?? '1'));
  const variable = /^var\(\s*(--[\w-]+)\s*(?:,([\s\S]*))?\)$/.exec(text);
  if (!variable) throw new Error(`Cannot read the colour "${value}" (the test knows var(), hex, rgb(a), transparent, inherit).`);
  const [, name, fallback] = variable;
  const own = name!.startsWith('--vscode-') ? theme.color(name!.slice('--vscode-'.length).replace(/-/g, '.')) : resolveCustom(theme, name!, stylesheets);
  if (own !== undefined) return own;
  return fallback === undefined ? undefined : resolveColor(theme, fallback, stylesheets);
}

function resolveCustom(theme: Theme, name: string, stylesheets: Stylesheets): string | 'inherit' | undefined {
  const value = stylesheets.customProperty(name);
  if (value === undefined) throw new Error(`The webview CSS uses ${name} but :root does not define it.`);
  return resolveColor(theme, value, stylesheets);
}

function withOpacity(color: string, opacity: number): string {
  const hex = normalizeHex(color);
  const alpha = (parseInt(hex.slice(7, 9), 16) / 255) * opacity;
  return `${hex.slice(0, 7)}${Math.round(alpha * 255)
    .toString(16)
    .padStart(2, '0')
    .toUpperCase()}`;
}
