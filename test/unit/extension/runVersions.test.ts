// "Open Version", "Diff with Current" and "Run This Version" from a past run (issue 14): the kept .flow.json
// text of the run's flowHash is shown read-only (weft-version scheme), diffed against the file, and run again
// with the run's input; a run whose version was not kept says so instead of showing the file as it is now.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flowSourceHash, keepFlowVersion } from '../../../src/engine/history/flowVersions';
import type { RunRecord } from '../../../src/engine/run/runRecord';

const fake = vi.hoisted(() => ({
  shown: [] as unknown[],
  commands: [] as unknown[][],
  infos: [] as string[],
  workspaceDir: '',
}));

vi.mock('vscode', async () => {
  const { FakeFileUri } = await import('../../support/fakeFileUri');
  class Uri extends FakeFileUri {
    scheme = 'file';
    query = '';
    static from(parts: { scheme: string; path: string; query: string }): Uri {
      const uri = new Uri(parts.path);
      uri.scheme = parts.scheme;
      uri.query = parts.query;
      return uri;
    }
    static override file(path: string): Uri {
      return new Uri(path);
    }
  }
  return {
    Uri,
    window: {
      showTextDocument: async (uri: unknown) => void fake.shown.push(uri),
      showInformationMessage: async (message: string) => void fake.infos.push(message),
      showWarningMessage: async (message: string) => void fake.infos.push(message),
      showQuickPick: async () => undefined,
      activeTextEditor: undefined,
      tabGroups: { activeTabGroup: { activeTab: undefined } },
    },
    commands: { executeCommand: async (...args: unknown[]) => void fake.commands.push(args) },
    workspace: { getWorkspaceFolder: () => ({ uri: { fsPath: fake.workspaceDir } }) },
    TabInputCustom: class {},
    TabInputText: class {},
  };
});

const { runVersionHandlers, FlowVersionContentProvider, VERSION_SCHEME } = await import('../../../src/extension/runVersions');
const vscode = await import('vscode');

const RAN = '{ "version": 1, "id": "f", "nodes": [{ "id": "a", "type": "transform", "config": { "output": 1 } }] }';

let dir: string;
let runs: { history: () => { get: (id: string) => Promise<RunRecord | undefined> }; run: ReturnType<typeof vi.fn> };
let record: RunRecord;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'weft-run-versions-'));
  fake.workspaceDir = dir;
  fake.shown = [];
  fake.commands = [];
  fake.infos = [];
  record = { id: 'run-1234567890', flowId: 'f', flowFile: join(dir, 'f.flow.json'), flowHash: flowSourceHash(RAN), input: { n: 2 } } as RunRecord;
  runs = { history: () => ({ get: async (id) => (id === record.id ? record : undefined) }), run: vi.fn(async () => undefined) };
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function handlers(): Record<string, (...args: unknown[]) => Promise<unknown>> {
  return runVersionHandlers(runs as never) as Record<string, (...args: unknown[]) => Promise<unknown>>;
}

describe('flow versions from a past run', () => {
  it('opens the version the run ran as a read-only document with that text', async () => {
    // ARRANGE
    await keepFlowVersion(join(dir, '.weft'), record.flowHash, RAN);
    const file = vscode.Uri.file(record.flowFile!);
    // ACT
    const uri = (await handlers()['weft.openRunVersion'](file, record.id)) as { scheme: string; path: string; query: string };
    // ASSERT
    expect(fake.shown).toEqual([uri]);
    expect(uri.scheme).toBe(VERSION_SCHEME);
    expect(uri.path).toMatch(/\/f\.flow\.json$/);
    expect(await new FlowVersionContentProvider().provideTextDocumentContent(uri as never)).toBe(RAN);
  });

  it('diffs the version with the file as it is now', async () => {
    // ARRANGE
    await keepFlowVersion(join(dir, '.weft'), record.flowHash, RAN);
    // ACT
    const uri = await handlers()['weft.diffRunVersion'](vscode.Uri.file(record.flowFile!), record.id);
    // ASSERT
    expect(fake.commands).toHaveLength(1);
    const [command, left, right, title] = fake.commands[0] as [string, unknown, { fsPath: string }, string];
    expect(command).toBe('vscode.diff');
    expect(left).toBe(uri);
    expect(right.fsPath).toBe(record.flowFile);
    expect(title).toContain('run run-1234');
  });

  it('runs the version again with the run’s input', async () => {
    // ARRANGE
    await keepFlowVersion(join(dir, '.weft'), record.flowHash, RAN);
    // ACT
    await handlers()['weft.runRunVersion'](vscode.Uri.file(record.flowFile!), record.id);
    // ASSERT
    expect(runs.run).toHaveBeenCalledTimes(1);
    const [file, options] = runs.run.mock.calls[0] as [{ fsPath: string }, { text: string; input: unknown }];
    expect(file.fsPath).toBe(record.flowFile);
    expect(options).toEqual({ text: RAN, input: { n: 2 } });
  });

  it('says the version was not kept instead of showing something else', async () => {
    // ACT (nothing kept)
    await handlers()['weft.openRunVersion'](vscode.Uri.file(record.flowFile!), record.id);
    await handlers()['weft.runRunVersion'](vscode.Uri.file(record.flowFile!), record.id);
    // ASSERT
    expect(fake.shown).toEqual([]);
    expect(runs.run).not.toHaveBeenCalled();
    expect(fake.infos[0]).toContain('was not kept');
  });
});
