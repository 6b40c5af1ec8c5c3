// The webviews' own stylesheets, read as rules, to find which colour a given element gets: enough of CSS for
// our files (plain rules, @media blocks, custom properties with var() fallbacks), not a general CSS engine.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  selectors: string[];
  declarations: Map<string, string>;
}

export interface Stylesheets {
  /** The value of the last declaration of `property` in a rule listing exactly `selector`, or undefined. */
  declared(selector: string, property: string): string | undefined;
  /** A custom property's value from `:root`. */
  customProperty(name: string): string | undefined;
}

/** Every .css file under webview/ (shared first, then each app), in the order the bundles concatenate them. */
export function loadWebviewCss(root = 'webview'): Stylesheets {
  const files = ['shared', ...readdirSync(root).filter((name) => name !== 'shared')].flatMap((dir) =>
    readdirSync(join(root, dir))
      .filter((name) => name.endsWith('.css'))
      .map((name) => join(root, dir, name)),
  );
  return parseStylesheets(files.map((file) => readFileSync(file, 'utf8')).join('\n'));
}

export function parseStylesheets(text: string): Stylesheets {
  const rules = parseRules(text.replace(/\/\*[\s\S]*?\*\//g, ''));
  const declared = (selector: string, property: string): string | undefined => {
    const wanted = normalizeSelector(selector);
    let value: string | undefined;
    for (const rule of rules) if (rule.selectors.includes(wanted) && rule.declarations.has(property)) value = rule.declarations.get(property);
    return value;
  };
  return { declared, customProperty: (name) => declared(':root', name) };
}

/** Top-level rules and those inside @media blocks (which we treat as always applying). */
function parseRules(text: string): Rule[] {
  const rules: Rule[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{', i);
    if (open < 0) break;
    const prelude = text.slice(i, open).trim();
    const close = matchingBrace(text, open);
    const body = text.slice(open + 1, close);
    if (prelude.startsWith('@media') || prelude.startsWith('@supports')) rules.push(...parseRules(body));
    else if (!prelude.startsWith('@')) rules.push({ selectors: prelude.split(',').map(normalizeSelector), declarations: parseDeclarations(body) });
    i = close + 1;
  }
  return rules;
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return i;
  }
  throw new Error(`Unbalanced braces in the webview CSS after: ${text.slice(open - 60, open)}`);
}

function parseDeclarations(body: string): Map<string, string> {
  const declarations = new Map<string, string>();
  for (const part of body.split(';')) {
    const colon = part.indexOf(':');
    if (colon < 0) continue;
    declarations.set(part.slice(0, colon).trim(), part.slice(colon + 1).replace(/!important/, '').trim());
  }
  return declarations;
}

function normalizeSelector(selector: string): string {
  return selector.trim().replace(/\s+/g, ' ').replace(/"/g, "'");
}
