// VS Code's own colour themes, as a webview sees them: each theme file (with its "include" chain) from the
// theme-defaults extension shipped in code-server, and for the tokens a theme does not set, the default VS Code
// registers for that kind of theme. Plus WCAG 2.x contrast, to check that what the webviews draw is readable.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const VSCODE = resolve('node_modules/code-server/lib/vscode');
const THEME_DEFAULTS = join(VSCODE, 'extensions/theme-defaults');
/** Where VS Code registers its colours (`registerColor(id, defaults, description)`, minified). */
export const WORKBENCH_JS = join(VSCODE, 'out/vs/code/browser/workbench/workbench.js');

export type ThemeKind = 'light' | 'dark' | 'hcDark' | 'hcLight';

/** A registered default: a colour, none (`null`: the variable is not defined, so a CSS fallback applies), or another token's colour, optionally made transparent. */
type DefaultColor = string | null | { token: string; alpha?: number };

/**
 * The defaults VS Code registers for the tokens the webviews use, copied from WORKBENCH_JS (search for `"<token>",`;
 * the same values are in src/vs/platform/theme/common/colors/*.ts and
 * src/vs/workbench/contrib/testing/browser/theme.ts of microsoft/vscode). `defaultsDrift()` checks the literal ones
 * against that file. A token missing here and in a theme makes the resolver throw: add it, with its source.
 */
export const REGISTERED_DEFAULTS: Record<string, Record<ThemeKind, DefaultColor>> = {
  foreground: { dark: '#CCCCCC', light: '#616161', hcDark: '#FFFFFF', hcLight: '#292929' },
  // ht(ki,.7): transparent(foreground, 0.7) except in light themes.
  descriptionForeground: { light: '#717171', dark: { token: 'foreground', alpha: 0.7 }, hcDark: { token: 'foreground', alpha: 0.7 }, hcLight: { token: 'foreground', alpha: 0.7 } },
  disabledForeground: { dark: '#CCCCCC80', light: '#61616180', hcDark: '#A5A5A5', hcLight: '#7F7F7F' },
  errorForeground: { dark: '#F48771', light: '#A1260D', hcDark: '#F48771', hcLight: '#B5200D' },
  'icon.foreground': { dark: '#C5C5C5', light: '#424242', hcDark: '#FFFFFF', hcLight: '#292929' },
  contrastBorder: { light: null, dark: null, hcDark: '#6FC3DF', hcLight: '#0F4A85' },
  'editor.background': { light: '#ffffff', dark: '#1E1E1E', hcDark: '#000000', hcLight: '#ffffff' },
  'editorWidget.background': { dark: '#252526', light: '#F3F3F3', hcDark: '#0C141F', hcLight: '#ffffff' },
  'editorWidget.foreground': { dark: { token: 'foreground' }, light: { token: 'foreground' }, hcDark: { token: 'foreground' }, hcLight: { token: 'foreground' } },
  'sideBar.background': { dark: '#252526', light: '#F3F3F3', hcDark: '#000000', hcLight: '#FFFFFF' },
  'sideBar.foreground': { dark: null, light: null, hcDark: null, hcLight: null },
  'list.hoverBackground': { dark: '#2A2D2E', light: '#F0F0F0', hcDark: '#FFFFFF1A', hcLight: '#0F4A851A' },
  'list.inactiveSelectionBackground': { dark: '#37373D', light: '#E4E6F1', hcDark: null, hcLight: '#0F4A851A' },
  'list.activeSelectionBackground': { dark: '#04395E', light: '#0060C0', hcDark: null, hcLight: '#0F4A851A' },
  'list.activeSelectionForeground': { dark: '#ffffff', light: '#ffffff', hcDark: null, hcLight: null },
  'list.errorForeground': { dark: '#F88070', light: '#B01011', hcDark: null, hcLight: null },
  'list.warningForeground': { dark: '#CCA700', light: '#855F00', hcDark: null, hcLight: null },
  'editorError.foreground': { dark: '#F14C4C', light: '#E51400', hcDark: '#F48771', hcLight: '#B5200D' },
  'editorWarning.foreground': { dark: '#CCA700', light: '#BF8803', hcDark: '#FFD370', hcLight: '#895503' },
  'editorInfo.foreground': { dark: '#3794FF', light: '#1a85ff', hcDark: '#3794FF', hcLight: '#1a85ff' },
  // charts.red/blue/yellow are registered as editorError/editorInfo/editorWarning.foreground (Cy, Tf, wp).
  'charts.red': { dark: { token: 'editorError.foreground' }, light: { token: 'editorError.foreground' }, hcDark: { token: 'editorError.foreground' }, hcLight: { token: 'editorError.foreground' } },
  'charts.blue': { dark: { token: 'editorInfo.foreground' }, light: { token: 'editorInfo.foreground' }, hcDark: { token: 'editorInfo.foreground' }, hcLight: { token: 'editorInfo.foreground' } },
  'charts.yellow': { dark: { token: 'editorWarning.foreground' }, light: { token: 'editorWarning.foreground' }, hcDark: { token: 'editorWarning.foreground' }, hcLight: { token: 'editorWarning.foreground' } },
  'charts.green': { dark: '#89D185', light: '#388A34', hcDark: '#89D185', hcLight: '#374e06' },
  'progressBar.background': { dark: '#0E70C0', light: '#0E70C0', hcDark: { token: 'contrastBorder' }, hcLight: { token: 'contrastBorder' } },
  'textLink.foreground': { light: '#006AB1', dark: '#3794FF', hcDark: '#21A6FF', hcLight: '#0F4A85' },
  'inputValidation.warningBackground': { dark: '#352A05', light: '#F6F5D2', hcDark: '#000000', hcLight: '#ffffff' },
  'inputValidation.warningForeground': { dark: null, light: null, hcDark: null, hcLight: { token: 'foreground' } },
  'testing.iconPassed': { dark: '#73c991', light: '#73c991', hcDark: '#73c991', hcLight: '#007100' },
  'testing.iconFailed': { dark: '#f14c4c', light: '#f14c4c', hcDark: '#f14c4c', hcLight: '#B5200D' },
  'testing.iconSkipped': { dark: '#848484', light: '#848484', hcDark: '#848484', hcLight: '#848484' },
};

export interface Theme {
  label: string;
  kind: ThemeKind;
  /** The token's colour (#RRGGBBAA), or undefined when this theme leaves the variable undefined. */
  color(token: string): string | undefined;
}

const UI_THEME_KIND: Record<string, ThemeKind> = { vs: 'light', 'vs-dark': 'dark', 'hc-black': 'hcDark', 'hc-light': 'hcLight' };

/** A theme of the theme-defaults extension by its id ("Default Light Modern"), with its includes resolved. */
export function loadTheme(id: string): Theme {
  const manifest = JSON.parse(readFileSync(join(THEME_DEFAULTS, 'package.json'), 'utf8')) as {
    contributes: { themes: { id: string; uiTheme: string; path: string }[] };
  };
  const entry = manifest.contributes.themes.find((theme) => theme.id === id);
  if (!entry) throw new Error(`No theme "${id}" in ${THEME_DEFAULTS}/package.json.`);
  const kind = UI_THEME_KIND[entry.uiTheme];
  const colors = themeColors(join(THEME_DEFAULTS, entry.path));
  const color = (token: string, seen: string[] = []): string | undefined => {
    if (seen.includes(token)) throw new Error(`Colour defaults loop: ${[...seen, token].join(' -> ')}.`);
    const set = colors[token];
    if (set !== undefined) return normalizeHex(set);
    const defaults = REGISTERED_DEFAULTS[token];
    if (!defaults) throw new Error(`"${token}" is not set by ${id} and its registered default is not in REGISTERED_DEFAULTS: add it from ${WORKBENCH_JS}.`);
    const value = defaults[kind];
    if (value === null) return undefined;
    if (typeof value === 'string') return normalizeHex(value);
    const base = color(value.token, [...seen, token]);
    return base === undefined || value.alpha === undefined ? base : withAlpha(base, value.alpha);
  };
  return { label: id, kind, color: (token) => color(token) };
}

/** A theme file's colours, the included file's first (VS Code applies the including theme's over them). */
function themeColors(path: string): Record<string, string> {
  const theme = JSON.parse(readFileSync(path, 'utf8')) as { include?: string; colors?: Record<string, string> };
  const included = theme.include ? themeColors(join(dirname(path), theme.include)) : {};
  return { ...included, ...theme.colors };
}

/**
 * The registered defaults above that are plain colours but do not appear in VS Code's registration of that token
 * (a VS Code update changed them): `token: value` strings, empty when all match. Undefined without code-server.
 */
export function defaultsDrift(): string[] | undefined {
  if (!existsSync(WORKBENCH_JS)) return undefined;
  const source = readFileSync(WORKBENCH_JS, 'utf8');
  const drift: string[] = [];
  for (const [token, defaults] of Object.entries(REGISTERED_DEFAULTS)) {
    // The registration's arguments, up to its localized description (`d(1234,null)`); the token's name also
    // appears elsewhere (as another colour's default), so every occurrence is looked at.
    let registration = '';
    for (let at = source.indexOf(`"${token}",`); at >= 0; at = source.indexOf(`"${token}",`, at + 1)) {
      registration += source.slice(at, source.indexOf('d(', at)).toLowerCase();
    }
    for (const value of Object.values(defaults)) {
      if (typeof value !== 'string') continue;
      const hex = value.toLowerCase();
      // ce.white / ce.black and ce.fromHex(...).transparent(a) are written differently from a literal.
      const opaque = hex.slice(0, 7);
      const equivalents = [hex, opaque, ...(opaque === '#ffffff' ? ['ce.white'] : []), ...(opaque === '#000000' ? ['ce.black'] : [])];
      if (!equivalents.some((text) => registration.includes(text))) drift.push(`${token}: ${value}`);
    }
  }
  return drift;
}

/** #RGB, #RRGGBB or #RRGGBBAA as #RRGGBBAA (upper case). */
export function normalizeHex(color: string): string {
  const hex = color.trim().replace(/^#/, '');
  const full = hex.length === 3 || hex.length === 4 ? [...hex].map((c) => c + c).join('') : hex;
  if (!/^[0-9a-f]{6}([0-9a-f]{2})?$/i.test(full)) throw new Error(`Not a hex colour: ${color}.`);
  return `#${(full.length === 6 ? `${full}FF` : full).toUpperCase()}`;
}

function withAlpha(color: string, alpha: number): string {
  const [r, g, b, a] = rgba(color);
  return rgbaToHex([r, g, b, a * alpha]);
}

type Rgba = [number, number, number, number];

function rgba(color: string): Rgba {
  const hex = normalizeHex(color);
  const channel = (i: number): number => parseInt(hex.slice(1 + 2 * i, 3 + 2 * i), 16);
  return [channel(0), channel(1), channel(2), channel(3) / 255];
}

function rgbaToHex([r, g, b, a]: Rgba): string {
  const two = (n: number): string => Math.round(n).toString(16).padStart(2, '0');
  return `#${two(r)}${two(g)}${two(b)}${two(a * 255)}`.toUpperCase();
}

/** `top` painted over `bottom` (source-over compositing); an opaque result when `bottom` is opaque. */
export function blend(top: string, bottom: string): string {
  const [r1, g1, b1, a1] = rgba(top);
  const [r2, g2, b2, a2] = rgba(bottom);
  const a = a1 + a2 * (1 - a1);
  if (a === 0) return '#00000000';
  const mix = (c1: number, c2: number): number => (c1 * a1 + c2 * a2 * (1 - a1)) / a;
  return rgbaToHex([mix(r1, r2), mix(g1, g2), mix(b1, b2), a]);
}

/** WCAG 2.x relative luminance of an opaque colour. */
function luminance(color: string): number {
  const [r, g, b] = rgba(color).slice(0, 3).map((channel) => {
    const c = channel / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2.x contrast ratio of `foreground` (blended over the background if translucent) on an opaque `background`. */
export function contrastRatio(foreground: string, background: string): number {
  const shown = blend(foreground, background);
  const [lighter, darker] = [luminance(shown), luminance(background)].sort((a, b) => b - a);
  return (lighter + 0.05) / (darker + 0.05);
}
