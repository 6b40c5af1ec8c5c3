import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flowSourceHash, keepFlowVersion, readFlowVersion } from '../../../src/engine/history/flowVersions';
import { FLOW_CHANGED_NOTICE, flowChangeSinceRun, recordedFlowChange } from '../../../src/extension/flowVersionAtRun';

// The flow as it ran (tax was a `code` node), and as it is now (tax is a `transform`).
const RAN = '{ "id": "order-intake", "nodes": [ { "id": "check", "type": "if" }, { "id": "tax", "type": "code" } ] }';
const NOW = '{ "id": "order-intake", "nodes": [ { "id": "check", "type": "if" }, { "id": "tax", "type": "transform" } ] }';
const STARTED = '2025-06-01T10:00:00.000Z';

describe('flowChangeSinceRun', () => {
  it('says nothing and labels with the types of now when the file is the one that ran', () => {
    const change = flowChangeSinceRun({ recordHash: 'h1', hashNow: 'h1', startedAt: STARTED, typesNow: { tax: 'transform' } });
    expect(change).toEqual({ changed: false, nodeTypes: { tax: 'transform' }, retyped: [] });
  });

  it('says plainly that the file changed, and labels with no type it cannot vouch for, when the version was not kept', () => {
    const change = flowChangeSinceRun({ recordHash: 'h1', hashNow: 'h2', startedAt: STARTED, typesNow: { tax: 'transform' } });
    expect(change.changed).toBe(true);
    expect(change.notice).toContain(FLOW_CHANGED_NOTICE);
    expect(change.nodeTypes).toEqual({});
  });

  it('compares a .flow.ts by its modification time against the run start', () => {
    const base = { recordHash: 'h1', startedAt: STARTED, typesNow: {} };
    expect(flowChangeSinceRun({ ...base, modifiedMs: Date.parse(STARTED) + 1 }).changed).toBe(true);
    expect(flowChangeSinceRun({ ...base, modifiedMs: Date.parse(STARTED) - 1 }).changed).toBe(false);
  });
});

describe('recordedFlowChange, with the version kept in the history folder', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'weft-version-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("labels nodes as they ran and names the node whose type changed, so its status is not painted", async () => {
    // ARRANGE: the run kept its version
    const record = { flowHash: flowSourceHash(RAN), startedAt: STARTED };
    await keepFlowVersion(dir, record.flowHash, RAN);
    // ACT
    const change = await recordedFlowChange(record, { path: '/w/order-intake.flow.json', text: NOW }, dir);
    // ASSERT
    expect(change.changed).toBe(true);
    expect(change.nodeTypes).toEqual({ check: 'if', tax: 'code' });
    expect(change.retyped).toEqual(['tax']);
    expect(change.notice).toBe(`${FLOW_CHANGED_NOTICE} Nodes are shown as they ran. 'tax' was code, now transform.`);
  });

  it('keeps a version only under its own hash, once', async () => {
    await keepFlowVersion(dir, flowSourceHash(NOW), RAN);
    expect(await readFlowVersion(dir, flowSourceHash(NOW))).toBeUndefined();
    await keepFlowVersion(dir, flowSourceHash(RAN), RAN);
    expect(await readFlowVersion(dir, flowSourceHash(RAN))).toBe(RAN);
    expect(await readFlowVersion(dir, '../../etc/passwd')).toBeUndefined();
  });

  it('is unchanged when the text is the one that ran', async () => {
    const change = await recordedFlowChange({ flowHash: flowSourceHash(NOW), startedAt: STARTED }, { path: '/w/f.flow.json', text: NOW }, dir);
    expect(change).toEqual({ changed: false, nodeTypes: { check: 'if', tax: 'transform' }, retyped: [] });
  });
});
