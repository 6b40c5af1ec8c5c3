import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { flowSourceHash } from '../../../src/engine/history/flowVersions';
import type { RunRecord } from '../../../src/engine/run/runRecord';

// A stand-in for the parts of the VS Code API the run controller uses: toasts and status bar items are recorded,
// diagnostics are set by the test.
const fake = vi.hoisted(() => ({
  toasts: [] as { kind: string; message: string }[],
  items: [] as { id: string; text: string; visible: boolean }[],
  diagnostics: new Map<string, { severity: number }[]>(),
  diagnosticListeners: [] as ((e: { uris: { toString(): string }[] }) => void)[],
  flowText: '{ "id": "f", "nodes": [] }',
  order: [] as string[],
  formArgs: [] as unknown[][],
}));

vi.mock('vscode', async () => {
  const { FakeFileUri: Uri } = await import('../../support/fakeFileUri');
  class EventEmitter<T> {
    private listeners: ((value: T) => void)[] = [];
    event = (listener: (value: T) => void): { dispose(): void } => {
      this.listeners.push(listener);
      return { dispose: () => undefined };
    };
    fire(value: T): void {
      for (const listener of this.listeners) listener(value);
    }
    dispose(): void {}
  }
  const toast = (kind: string) => async (message: string) => {
    fake.toasts.push({ kind, message });
    return undefined;
  };
  return {
    Uri,
    EventEmitter,
    ThemeColor: class {
      constructor(readonly id: string) {}
    },
    StatusBarAlignment: { Left: 1 },
    DiagnosticSeverity: { Error: 0, Warning: 1 },
    window: {
      createStatusBarItem: (id: string) => {
        const item = { id, text: '', visible: false, show: () => (item.visible = true), hide: () => (item.visible = false), dispose: () => undefined };
        fake.items.push(item);
        return item;
      },
      showInformationMessage: toast('info'),
      showWarningMessage: toast('warning'),
      showErrorMessage: toast('error'),
    },
    languages: {
      onDidChangeDiagnostics: (listener: (e: { uris: { toString(): string }[] }) => void) => {
        fake.diagnosticListeners.push(listener);
        return { dispose: () => undefined };
      },
      getDiagnostics: (uri: { toString(): string }) => fake.diagnostics.get(uri.toString()) ?? [],
    },
    commands: { executeCommand: async () => undefined },
    workspace: {
      openTextDocument: async () => ({ getText: () => fake.flowText, isDirty: false }),
      getConfiguration: () => ({ get: (_key: string, fallback?: unknown) => fallback }),
      getWorkspaceFolder: () => undefined,
    },
  };
});

vi.mock('../../../src/extension/inputForm', () => ({
  askForInput: async (...args: unknown[]) => {
    fake.formArgs.push(args);
    fake.order.push('input form');
    return { orderId: 'A-42' };
  },
}));

const vscode = await import('vscode');
const { RunController, mayAskForInput } = await import('../../../src/extension/runController');

const FILE = vscode.Uri.file('/work/flows/order.flow.json');

function record(status: RunRecord['status']): RunRecord {
  return { id: 'r1', flowId: 'f', flowHash: 'x', status, mode: 'run', trigger: { type: 'manual' }, input: {}, startedAt: new Date().toISOString(), durationMs: 3, nodes: {} };
}

function fakeWorker(
  options: { errors?: string[]; inputs?: Record<string, unknown>; status?: RunRecord['status']; flowHash?: string; testInputs?: { name: string; input: unknown }[] } = {},
): never {
  return {
    compile: async () => {
      fake.order.push('compile');
      return {
        flowId: 'f',
        secretNames: [],
        inputs: options.inputs,
        testInputs: options.testInputs,
        diagnostics: (options.errors ?? []).map((message) => ({ code: 'invalid-schema', severity: 'error', message })),
      };
    },
    run: () => ({ requestId: 'q1', done: Promise.resolve({ ...record(options.status ?? 'completed'), ...(options.flowHash ? { flowHash: options.flowHash } : {}) }) }),
  } as never;
}

const secrets = { values: async () => ({}) } as never;
const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() } as never;

beforeEach(() => {
  fake.toasts.length = 0;
  fake.items.length = 0;
  fake.diagnostics.clear();
  fake.diagnosticListeners.length = 0;
  fake.order.length = 0;
  fake.flowText = '{ "id": "f", "nodes": [] }';
});

describe('RunController, quiet where the panel already speaks', () => {
  it('shows no "completed" toast when the execution panel shows the run, and one when it does not', async () => {
    // ARRANGE
    const runs = new RunController(fakeWorker(), secrets, log);
    runs.history = (() => ({ list: async () => [] })) as never;
    runs.setRunViewer({ isShowing: (requestId) => requestId === 'q1' });
    // ACT
    await runs.run(FILE);
    // ASSERT
    expect(fake.toasts).toEqual([]);

    // ARRANGE: the panel was closed
    runs.setRunViewer({ isShowing: () => false });
    // ACT
    await runs.run(FILE);
    // ASSERT
    expect(fake.toasts.map((t) => t.kind)).toEqual(['info']);
    expect(fake.toasts[0].message).toMatch(/^f completed/);
  });

  it('says a run failed where the panel does not show it, and only there', async () => {
    // ARRANGE: the panel shows the run
    const runs = new RunController(fakeWorker({ status: 'failed' }), secrets, log);
    runs.history = (() => ({ list: async () => [] })) as never;
    runs.setRunViewer({ isShowing: () => true });
    // ACT
    await runs.run(FILE);
    // ASSERT: its failure is on screen already (the failed card, the diagnostic)
    expect(fake.toasts).toEqual([]);

    // ARRANGE: the panel was closed
    runs.setRunViewer({ isShowing: () => false });
    // ACT
    await runs.run(FILE);
    // ASSERT
    expect(fake.toasts.map((t) => t.kind)).toEqual(['error']);
  });

  it('says "does not compile" in the status bar, not a toast, and takes it back once the Problems view has no error', async () => {
    // ARRANGE
    const runs = new RunController(fakeWorker({ errors: ['Unknown node type "htpp"'] }), secrets, log);
    // ACT
    await runs.run(FILE);
    // ASSERT
    expect(fake.toasts).toEqual([]);
    const item = fake.items.find((i) => i.id === 'weft.compileFailure')!;
    expect(item.visible).toBe(true);
    expect(item.text).toBe('$(error) order.flow.json does not compile');

    // ACT: the user fixes the file; the language features clear its diagnostics
    fake.diagnostics.set(FILE.toString(), [{ severity: vscode.DiagnosticSeverity.Warning }]);
    for (const listener of fake.diagnosticListeners) listener({ uris: [FILE] });
    // ASSERT
    expect(item.visible).toBe(false);
  });
});

describe('RunController, when the execution panel opens', () => {
  it('announces the run only once the input form is filled, for a flow with inputs', async () => {
    // ARRANGE
    fake.flowText = '{ "id": "f", "inputs": { "type": "object" }, "nodes": [] }';
    const testInputs = [{ name: 'small order', input: { orderId: 'S-1' } }];
    const runs = new RunController(fakeWorker({ inputs: { type: 'object', properties: { orderId: { type: 'string' } } }, testInputs }), secrets, log);
    runs.history = (() => ({ list: async () => [] })) as never;
    runs.onWillStartRun(() => fake.order.push('panel opens'));
    // ACT
    await runs.run(FILE);
    // ASSERT
    expect(fake.order).toEqual(['compile', 'input form', 'panel opens']);
    // The form gets the flow file (its folder keeps the presets) and the flow's test inputs to offer.
    expect(fake.formArgs.at(-1)?.[3]).toMatchObject({ file: FILE, testInputs });
  });

  it('announces it at once, while the flow compiles, when no form will be asked', async () => {
    const runs = new RunController(fakeWorker(), secrets, log);
    runs.history = (() => ({ list: async () => [] })) as never;
    runs.onWillStartRun(() => fake.order.push('panel opens'));
    await runs.run(FILE);
    expect(fake.order).toEqual(['panel opens', 'compile']);
  });

  it('knows from the text whether a form may be asked', () => {
    expect(mayAskForInput({}, '{ "inputs": {} }')).toBe(true);
    expect(mayAskForInput({}, 'export default flow({ inputs: {} })')).toBe(true);
    expect(mayAskForInput({}, '{ "nodes": [] }')).toBe(false);
    expect(mayAskForInput({ input: {} }, '{ "inputs": {} }')).toBe(false);
    expect(mayAskForInput({ resumeFrom: 'r0' }, '{ "inputs": {} }')).toBe(false);
  });
});

describe('RunController, keeping the version a run ran', () => {
  it('keeps the .flow.json text under its hash in the history folder, so that the run can be shown against it later', async () => {
    // ARRANGE
    const dir = await mkdtemp(join(tmpdir(), 'weft-runs-'));
    try {
      const hash = flowSourceHash(fake.flowText);
      const runs = new RunController(fakeWorker({ flowHash: hash }), secrets, log);
      runs.history = (() => ({ list: async () => [] })) as never;
      // ACT
      await runs.run(vscode.Uri.file(join(dir, 'order.flow.json')));
      // ASSERT
      const kept = join(dir, '.weft', 'live', 'definitions', `${hash}.flow.json`);
      await vi.waitFor(async () => expect(await readFile(kept, 'utf8')).toBe(fake.flowText));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
