// Flow versions are content-addressed (issue 14): a version is kept once under the sha256 of its text, however
// many runs ran it, and a text that does not match the hash it is given is never kept under it.

import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flowSourceHash, keepFlowVersion, readFlowVersion } from '../../../../src/engine/history/flowVersions';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-versions-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const V1 = '{ "version": 1, "id": "f", "nodes": [] }';
const V2 = '{ "version": 1, "id": "f", "nodes": [], "name": "two" }';

describe('keepFlowVersion', () => {
  it('stores identical versions once and different ones apart', async () => {
    // ACT: three runs of V1 (two at once), one of V2
    await Promise.all([keepFlowVersion(dir, flowSourceHash(V1), V1), keepFlowVersion(dir, flowSourceHash(V1), V1)]);
    const first = await stat(join(dir, 'live', 'definitions', `${flowSourceHash(V1)}.flow.json`));
    await keepFlowVersion(dir, flowSourceHash(V1), V1);
    await keepFlowVersion(dir, flowSourceHash(V2), V2);
    // ASSERT
    expect((await readdir(join(dir, 'live', 'definitions'))).sort()).toEqual([`${flowSourceHash(V1)}.flow.json`, `${flowSourceHash(V2)}.flow.json`].sort());
    expect((await stat(join(dir, 'live', 'definitions', `${flowSourceHash(V1)}.flow.json`))).mtimeMs).toBe(first.mtimeMs);
    expect(await readFlowVersion(dir, flowSourceHash(V1))).toBe(V1);
    expect(await readFlowVersion(dir, flowSourceHash(V2))).toBe(V2);
  });

  it('keeps nothing under a hash that is not the text’s', async () => {
    // ACT
    await keepFlowVersion(dir, flowSourceHash(V1), V2);
    // ASSERT
    expect(await readFlowVersion(dir, flowSourceHash(V1))).toBeUndefined();
  });
});
