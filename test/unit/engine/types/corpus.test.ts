// The samples and the spec's examples are correct flows: the type checks must say nothing about them (no
// false alarm is the promise that makes an error worth reading).

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileFlow } from '../../../../src/engine/model/compileFlow';

const ROOT = join(__dirname, '../../../..');
const TYPE_CODES = new Set(['unknown-property', 'type-mismatch', 'maybe-skipped']);

/** Every .flow.json under the directories, recursively. */
export function corpusFiles(): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules') continue;
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.flow.json')) files.push(full);
    }
  };
  walk(join(ROOT, 'samples'));
  walk(join(ROOT, 'test/fixtures/spec-examples'));
  return files.sort();
}

describe('type checks on the corpus', () => {
  const files = corpusFiles();

  it('has flows to check', () => {
    expect(files.length).toBeGreaterThanOrEqual(10);
  });

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s: no unknown-property, type-mismatch or maybe-skipped', (_name, file) => {
    const result = compileFlow(readFileSync(file, 'utf8'), { file });
    const found = result.diagnostics.filter((d) => TYPE_CODES.has(d.code)).map((d) => `${d.code} ${d.range?.start.line}:${d.range?.start.character} ${d.message}`);
    expect(found).toEqual([]);
  });
});
