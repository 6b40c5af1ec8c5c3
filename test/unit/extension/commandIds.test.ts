// Every `weft.*` command the extension registers, calls or attaches (CodeLens, status bar) is declared in
// package.json `contributes.commands`, and every declared command is registered: a command missing from either
// side fails silently in VS Code ("command not found", or a palette entry that does nothing).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { visit } from 'jsonc-parser';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../..');
const EXTENSION_DIR = join(ROOT, 'src/extension');

interface PackageJson {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command: string }[]>;
    keybindings: { command: string }[];
  };
}

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
const declared = new Set(manifest.contributes.commands.map((c) => c.command));

function sources(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => {
      const file = join(entry.parentPath, entry.name);
      return { file, text: readFileSync(file, 'utf8') };
    });
}

function matches(pattern: RegExp): Set<string> {
  const found = new Set<string>();
  for (const { text } of sources(EXTENSION_DIR)) for (const match of text.matchAll(pattern)) found.add(match[1]!);
  return found;
}

/** The ids `activate()` registers: the `COMMANDS` table of extension.ts. */
function registered(): Set<string> {
  const text = readFileSync(join(EXTENSION_DIR, 'extension.ts'), 'utf8');
  const table = /const COMMANDS = \[([^\]]*)\]/.exec(text)?.[1];
  if (table === undefined) throw new Error('extension.ts has no COMMANDS table');
  return new Set([...table.matchAll(/'(weft\.\w+)'/g)].map((m) => m[1]!));
}

describe('command ids', () => {
  it('are the same set in package.json, in the registration table and in the handlers', () => {
    // ASSERT: each side against the manifest, so a failure names the missing id
    expect([...registered()].sort()).toEqual([...declared].sort());
    expect([...matches(/^\s*'(weft\.\w+)': /gm)].sort()).toEqual([...declared].sort());
  });

  it('called by the extension, or attached to CodeLens and the status bar, are declared', () => {
    const used = new Set([
      ...matches(/executeCommand\(\s*'(weft\.\w+)'/g),
      ...matches(/command: '(weft\.\w+)'/g),
      ...matches(/\.command = '(weft\.\w+)'/g),
    ]);
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((id) => !declared.has(id))).toEqual([]);
  });

  it('named in package.json menus and keybindings are declared', () => {
    const named = [...Object.values(manifest.contributes.menus).flat(), ...manifest.contributes.keybindings].map((item) => item.command);
    expect(named.filter((id) => !declared.has(id))).toEqual([]);
  });
});

describe('package.json', () => {
  it('repeats no key in any object (JSON keeps the last one: the menus of the first would be lost without a word)', () => {
    const repeated: string[] = [];
    const keysByObject: Set<string>[] = [];
    visit(readFileSync(join(ROOT, 'package.json'), 'utf8'), {
      onObjectBegin: () => void keysByObject.push(new Set()),
      onObjectEnd: () => void keysByObject.pop(),
      onObjectProperty: (name, offset) => {
        const keys = keysByObject[keysByObject.length - 1];
        if (keys.has(name)) repeated.push(`${name} at offset ${offset}`);
        keys.add(name);
      },
    });
    expect(repeated).toEqual([]);
  });
});
