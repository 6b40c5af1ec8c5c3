import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadFlow } from '../../../../src/api/loadFlow';
import { loadNodeTypeModules } from '../../../../src/engine/load/loadNodeTypeModules';
import { MAX_SOURCE_FILE_BYTES, readSourceFile, SourceFileError } from '../../../../src/engine/load/readSourceFile';

const scratch = mkdtempSync(join(tmpdir(), 'weft-readsource-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A file of `bytes` bytes that takes no disk space (sparse). */
function sparseFile(name: string, bytes: number): string {
  const file = join(scratch, name);
  writeFileSync(file, '');
  truncateSync(file, bytes);
  return file;
}

function failure(read: () => unknown): SourceFileError {
  try {
    read();
  } catch (error) {
    if (error instanceof SourceFileError) return error;
    throw error;
  }
  throw new Error('expected a SourceFileError');
}

describe('readSourceFile', () => {
  it('reads a regular file as UTF-8 text', () => {
    const file = join(scratch, 'small.flow.json');
    writeFileSync(file, '{ "id": "café" }');
    expect(readSourceFile(file)).toBe('{ "id": "café" }');
  });

  it('reads a file of exactly the limit, and refuses one byte more with file-too-large naming the path', () => {
    expect(readSourceFile(sparseFile('at-limit.txt', 64), 64)).toHaveLength(64);
    const over = sparseFile('over-limit.txt', 65);
    const error = failure(() => readSourceFile(over, 64));
    expect(error.diagnosticCode).toBe('file-too-large');
    expect(error.message).toContain(over);
  });

  it('refuses a file over 5 MiB by default', () => {
    const big = sparseFile('big.flow.json', MAX_SOURCE_FILE_BYTES + 1);
    expect(failure(() => readSourceFile(big)).diagnosticCode).toBe('file-too-large');
  });

  it('refuses a symlink to /dev/zero at once: a device is not a regular file', () => {
    const link = join(scratch, 'zero.flow.json');
    symlinkSync('/dev/zero', link);
    const error = failure(() => readSourceFile(link));
    expect(error.diagnosticCode).toBe('load-error');
    expect(error.message).toBe(`Cannot read ${link}: it is a device, and Weft reads only regular files`);
  });

  it('refuses a FIFO without waiting for a writer, and a directory', () => {
    const fifo = join(scratch, 'pipe.flow.json');
    execFileSync('mkfifo', [fifo]);
    expect(failure(() => readSourceFile(fifo)).message).toContain('it is a pipe');
    const dir = join(scratch, 'folder.flow.json');
    mkdirSync(dir);
    expect(failure(() => readSourceFile(dir)).message).toContain('it is a directory');
  });

  it('says "no such file" for a missing path', () => {
    expect(failure(() => readSourceFile(join(scratch, 'nope.json'))).message).toBe(`Cannot read ${join(scratch, 'nope.json')}: no such file`);
  });
});

describe('the loaders read through readSourceFile', () => {
  it('loadFlow gives file-too-large for an oversized .flow.json and .flow.ts', () => {
    for (const name of ['huge.flow.json', 'huge.flow.ts']) {
      const file = sparseFile(name, MAX_SOURCE_FILE_BYTES + 1);
      const { flow, diagnostics } = loadFlow(file);
      expect(flow).toBeUndefined();
      expect(diagnostics.map((d) => [d.code, d.file])).toEqual([['file-too-large', file]]);
    }
  });

  it('an imported node type module that is /dev/zero or oversized is refused with a diagnostic', () => {
    const zero = join(scratch, 'zero.node.ts');
    symlinkSync('/dev/zero', zero);
    sparseFile('huge.node.ts', MAX_SOURCE_FILE_BYTES + 1);
    const fromFile = join(scratch, 'uses.flow.json');
    const zeroResult = loadNodeTypeModules(['./zero.node.ts'], fromFile);
    expect(zeroResult.diagnostics.map((d) => d.code)).toEqual(['load-error']);
    expect(zeroResult.diagnostics[0].message).toContain('Weft reads only regular files');
    const hugeResult = loadNodeTypeModules(['./huge.node.ts'], fromFile);
    expect(hugeResult.diagnostics.map((d) => d.code)).toEqual(['file-too-large']);
  });
});
