// Expands the CLI's file and directory arguments into flow files, in a stable order.

import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { isFlowFile } from '../../shared/flowFiles';

const SKIPPED_DIRS = new Set(['node_modules', '.git', '.weft', 'dist', 'out']);

export interface FoundFiles {
  files: string[];
  missing: string[];
}

export function findFlowFiles(args: readonly string[]): FoundFiles {
  const files: string[] = [];
  const missing: string[] = [];
  for (const arg of args.length > 0 ? args : ['.']) {
    const path = resolve(arg);
    let stats;
    try {
      stats = statSync(path);
    } catch {
      missing.push(arg);
      continue;
    }
    if (stats.isDirectory()) walk(path, files);
    else files.push(path);
  }
  return { files: [...new Set(files)], missing };
}

function walk(dir: string, into: string[]): void {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) walk(join(dir, entry.name), into);
    } else if (isFlowFile(entry.name)) {
      into.push(join(dir, entry.name));
    }
  }
}
