import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

// A stand-in for the parts of the VS Code API the form's panel uses: one webview panel whose posted messages are
// kept and whose inbound messages the test sends; the workspace's file system is the real one, in a temp folder.
const fake = vi.hoisted(() => ({
  posted: [] as { kind: string; id?: number; method?: string; params?: Record<string, unknown>; result?: Record<string, unknown> }[],
  receive: undefined as ((message: unknown) => Promise<void> | void) | undefined,
  onDispose: undefined as (() => void) | undefined,
  disposed: 0,
  folder: '',
  warningAnswer: undefined as string | undefined,
  warnings: [] as string[],
}));

vi.mock('vscode', async () => {
  const fs = await import('node:fs/promises');
  const path = await import('node:path');
  class Uri {
    constructor(
      readonly scheme: string,
      readonly path: string,
    ) {}
    get fsPath(): string {
      return this.path;
    }
    toString(): string {
      return `${this.scheme}://${this.path}`;
    }
    static file(p: string): Uri {
      return new Uri('file', p);
    }
    static joinPath(base: Uri, ...parts: string[]): Uri {
      return new Uri(base.scheme, path.join(base.path, ...parts));
    }
  }
  const disposable = { dispose: (): void => undefined };
  return {
    Uri,
    ViewColumn: { Active: -1, Beside: -2 },
    window: {
      createWebviewPanel: () => ({
        webview: {
          html: '',
          cspSource: 'vscode-resource:',
          asWebviewUri: (uri: Uri) => uri,
          onDidReceiveMessage: (handler: (message: unknown) => Promise<void>) => {
            fake.receive = handler;
            return disposable;
          },
          postMessage: async (message: (typeof fake.posted)[number]) => {
            fake.posted.push(message);
            return true;
          },
        },
        onDidDispose: (handler: () => void) => {
          fake.onDispose = handler;
          return disposable;
        },
        dispose: (): void => {
          fake.disposed++;
          fake.onDispose?.();
        },
      }),
      showWarningMessage: async (message: string) => {
        fake.warnings.push(message);
        return fake.warningAnswer;
      },
    },
    workspace: {
      getWorkspaceFolder: (uri: Uri) => (uri.path.startsWith(fake.folder) ? { uri: Uri.file(fake.folder) } : undefined),
      asRelativePath: (uri: Uri) => path.relative(fake.folder, uri.path),
      fs: {
        readFile: async (uri: Uri) => new Uint8Array(await fs.readFile(uri.path)),
        writeFile: async (uri: Uri, bytes: Uint8Array) => fs.writeFile(uri.path, bytes),
        createDirectory: async (uri: Uri) => void (await fs.mkdir(uri.path, { recursive: true })),
      },
    },
  };
});

const vscode = await import('vscode');
const { showInputForm } = await import('../../../../src/extension/webviews/inputFormPanel');

const SCHEMA = { type: 'object', properties: { orderId: { type: 'string', minLength: 3 }, total: { type: 'number' } }, required: ['orderId'] };
const log = { warn: () => undefined, error: () => undefined };

let nextId = 1;
/** Sends a request from the page and returns the host's reply. */
async function request(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
  const id = nextId++;
  await fake.receive!({ kind: 'request', id, method, params });
  const reply = fake.posted.find((m) => m.kind === 'reply' && m.id === id);
  if (!reply) throw new Error(`no reply to ${method}`);
  return reply.result as Record<string, unknown>;
}

function open(previous?: unknown): Promise<unknown> {
  const file = vscode.Uri.file(join(fake.folder, 'flows', 'order.flow.json'));
  return showInputForm({
    flowName: 'order',
    schema: SCHEMA,
    previous,
    file,
    testInputs: [{ name: 'small', input: { orderId: 'S-1' } }],
    extensionUri: vscode.Uri.file('/nowhere'),
    log,
    defaults: {},
  });
}

beforeEach(async () => {
  fake.posted = [];
  fake.disposed = 0;
  fake.warnings = [];
  fake.warningAnswer = undefined;
  fake.folder = await mkdtemp(join(tmpdir(), 'weft-input-form-'));
});

afterEach(async () => {
  await rm(fake.folder, { recursive: true, force: true });
});

describe('input form panel', () => {
  it('sends the form, checks values with the engine\'s validator, runs only a valid input and resolves with it', async () => {
    const result = open({ orderId: 'A-1' });

    await fake.receive!({ kind: 'command', method: 'ready', params: {} });
    const load = fake.posted.find((m) => m.method === 'didLoadForm')!.params!;
    expect(load).toMatchObject({ flowName: 'order', initial: { orderId: 'A-1' }, initialSource: 'last run', testInputs: [{ name: 'small', input: { orderId: 'S-1' } }], presets: [] });

    expect(await request('validate', { value: { orderId: 'A', total: 'x' } })).toEqual({
      errors: [
        { path: '/orderId', message: 'must NOT have fewer than 3 characters' },
        { path: '/total', message: 'must be number' },
      ],
    });
    expect((await request('submit', { value: {} })).errors).toEqual([{ path: '/orderId', message: 'is required' }]);
    expect(fake.disposed).toBe(0);

    expect(await request('submit', { value: { orderId: 'A-42', total: 3 } })).toEqual({ errors: [] });
    expect(await result).toEqual({ orderId: 'A-42', total: 3 });
    await vi.waitFor(() => expect(fake.disposed).toBe(1));
  });

  it('resolves with undefined when the form is closed or cancelled: nothing runs', async () => {
    const closed = open();
    await fake.receive!({ kind: 'command', method: 'cancel', params: {} });
    expect(await closed).toBeUndefined();
  });

  it('saves presets in .vscode/weft-inputs.json by the flow\'s relative path, and deletes one only when confirmed', async () => {
    await mkdir(join(fake.folder, '.vscode'), { recursive: true });
    await writeFile(join(fake.folder, '.vscode', 'weft-inputs.json'), JSON.stringify({ presets: { 'other.flow.json': { keep: 1 } } }));
    void open();

    expect(await request('savePreset', { name: ' Big ', value: { orderId: 'B-1' } })).toEqual({ presets: [{ name: 'Big', input: { orderId: 'B-1' } }] });
    const file = join(fake.folder, '.vscode', 'weft-inputs.json');
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ presets: { 'other.flow.json': { keep: 1 }, 'flows/order.flow.json': { Big: { orderId: 'B-1' } } } });

    expect(await request('deletePreset', { name: 'Big' })).toEqual({ presets: [{ name: 'Big', input: { orderId: 'B-1' } }] });
    expect(fake.warnings).toEqual(['Delete the input preset "Big"?']);
    fake.warningAnswer = 'Delete';
    expect(await request('deletePreset', { name: 'Big' })).toEqual({ presets: [] });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ presets: { 'other.flow.json': { keep: 1 } } });
  });

  it('refuses a message the protocol does not allow (a blank preset name)', async () => {
    void open();
    await fake.receive!({ kind: 'request', id: 999, method: 'savePreset', params: { name: '  ', value: 1 } });
    expect(fake.posted.find((m) => m.id === 999)).toMatchObject({ kind: 'reply', error: { code: 'invalid-message' } });
  });
});
