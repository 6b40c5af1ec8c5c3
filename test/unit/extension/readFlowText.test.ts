// A flow file the extension reads to discover tests and flows: read unless it is too large or not a file.

import { mkdtemp, rm, truncate, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const reads = vi.hoisted(() => ({ paths: [] as string[] }));

vi.mock('vscode', async () => {
  const { FakeFileUri: Uri } = await import('../../support/fakeFileUri');
  const { readFile, stat } = await import('node:fs/promises');
  return {
    Uri,
    FileType: { File: 1, Directory: 2 },
    workspace: {
      textDocuments: [],
      fs: {
        stat: async (uri: { fsPath: string }) => {
          const s = await stat(uri.fsPath);
          return { type: s.isFile() ? 1 : s.isDirectory() ? 2 : 0, size: s.size };
        },
        readFile: async (uri: { fsPath: string }) => {
          reads.paths.push(uri.fsPath);
          return new Uint8Array(await readFile(uri.fsPath));
        },
      },
    },
  };
});

const { readFlowText } = await import('../../../src/extension/readFlowText');
const { FakeFileUri } = await import('../../support/fakeFileUri');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-read-flow-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readFlowText', () => {
  it('reads a flow file', async () => {
    const file = join(dir, 'small.flow.json');
    await writeFile(file, '{ "version": 1, "id": "small", "nodes": [] }');
    await expect(readFlowText(FakeFileUri.file(file) as never)).resolves.toContain('"id": "small"');
  });

  it('refuses a file over 5 MiB without reading it, with the file-too-large code', async () => {
    const file = join(dir, 'huge.flow.json');
    await writeFile(file, '');
    await truncate(file, 64 * 1024 * 1024); // sparse: 64 MiB of zeros that take no disk
    reads.paths.length = 0;
    await expect(readFlowText(FakeFileUri.file(file) as never)).rejects.toMatchObject({ diagnosticCode: 'file-too-large' });
    expect(reads.paths).toEqual([]);
  });

  it('refuses a directory named like a flow', async () => {
    const folder = join(dir, 'folder.flow.json');
    await mkdir(folder);
    await expect(readFlowText(FakeFileUri.file(folder) as never)).rejects.toMatchObject({ diagnosticCode: 'load-error' });
  });
});
