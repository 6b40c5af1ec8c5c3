// The corpus of correct flows the type checks are measured on: samples/ and the spec's examples.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '../..');

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
  walk(join(REPO_ROOT, 'samples'));
  walk(join(REPO_ROOT, 'test/fixtures/spec-examples'));
  return files.sort();
}

