// The VS Code side of the flow debugger, against a stand-in for the parts of the VS Code API it uses: where a
// session is paused (from the adapter's custom events), the launch configuration F5 and the Debug CodeLens start
// (the active flow without launch.json, the input asked for when none is given, a dismissed form starts nothing),
// the adapter process, and Skip Node.
import { beforeEach, describe, expect, it, vi } from 'vitest';

type Listener<T> = (value: T) => void;
const listeners = { custom: [] as Listener<unknown>[], terminate: [] as Listener<unknown>[] };
const state = {
  activeEditorUri: undefined as unknown,
  activeSession: undefined as unknown,
  contexts: {} as Record<string, unknown>,
  inputBoxAnswer: undefined as string | undefined,
  messages: [] as string[],
  formAnswer: undefined as unknown,
};

vi.mock('vscode', async () => {
  const { FakeFileUri: Uri } = await import('../../../support/fakeFileUri');
  class EventEmitter<T> {
    private readonly handlers: Listener<T>[] = [];
    event = (handler: Listener<T>): { dispose: () => void } => (this.handlers.push(handler), { dispose: () => undefined });
    fire(value: T): void {
      for (const handler of this.handlers) handler(value);
    }
    dispose(): void {}
  }
  class DebugAdapterExecutable {
    constructor(
      readonly command: string,
      readonly args: string[],
      readonly options: unknown,
    ) {}
  }
  class TabInputText {}
  class TabInputCustom {}
  return {
    Uri,
    EventEmitter,
    DebugAdapterExecutable,
    TabInputText,
    TabInputCustom,
    debug: {
      onDidReceiveDebugSessionCustomEvent: (l: Listener<unknown>) => (listeners.custom.push(l), { dispose: () => undefined }),
      onDidTerminateDebugSession: (l: Listener<unknown>) => (listeners.terminate.push(l), { dispose: () => undefined }),
      get activeDebugSession() {
        return state.activeSession;
      },
    },
    commands: { executeCommand: async (id: string, key: string, value: unknown) => void (id === 'setContext' && (state.contexts[key] = value)) },
    window: {
      get activeTextEditor() {
        return state.activeEditorUri ? { document: { uri: state.activeEditorUri } } : undefined;
      },
      tabGroups: { activeTabGroup: { activeTab: undefined } },
      showInformationMessage: async (message: string) => void state.messages.push(message),
      showInputBox: async (options: { validateInput: (v: string) => string | undefined }) => {
        if (state.inputBoxAnswer !== undefined && options.validateInput(state.inputBoxAnswer)) throw new Error('invalid answer accepted by the test');
        return state.inputBoxAnswer;
      },
    },
  };
});
vi.mock('../../../../src/extension/inputForm', () => ({ askForInput: vi.fn(async () => state.formAnswer) }));

const vscode = await import('vscode');
const { DebugPauses } = await import('../../../../src/extension/debug/debugPauses');
const { FlowDebugConfigurationProvider } = await import('../../../../src/extension/debug/flowDebugConfiguration');
const { debugCommandHandlers } = await import('../../../../src/extension/debug/debugCommands');
const { askForInput } = await import('../../../../src/extension/inputForm');

const FLOW = '/w/order-intake.flow.json';
const requests: { command: string; args: unknown }[] = [];
const session = (id: string) => ({ id, type: 'weft', configuration: { flow: FLOW }, customRequest: async (command: string, args: unknown) => void requests.push({ command, args }) });

function adapterSays(sessionId: string, event: string, body?: unknown): void {
  for (const l of listeners.custom) l({ session: session(sessionId), event, body });
}

beforeEach(() => {
  listeners.custom.length = 0;
  listeners.terminate.length = 0;
  requests.length = 0;
  state.messages.length = 0;
  Object.assign(state, { activeEditorUri: undefined, activeSession: undefined, contexts: {}, inputBoxAnswer: undefined, formAnswer: undefined });
  vi.mocked(askForInput).mockClear();
});

describe('where a debug session is paused', () => {
  it('follows weftPaused and weftResumed, per flow file, and forgets a session that ended', () => {
    // ARRANGE
    const pauses = new DebugPauses();
    let changes = 0;
    pauses.onDidChange(() => changes++);
    // ACT
    adapterSays('s1', 'weftPaused', { executionId: 'r1', flowPath: FLOW, nodeId: 'tax', path: ['order-intake', 'tax'] });
    // ASSERT
    expect(pauses.pauseIn(vscode.Uri.file(FLOW) as never)).toEqual({ sessionId: 's1', executionId: 'r1', flowPath: FLOW, nodeId: 'tax', path: ['order-intake', 'tax'] });
    expect(pauses.pauseIn(vscode.Uri.file('/w/other.flow.json') as never)).toBeUndefined();
    expect(state.contexts['weft.debugPaused']).toBe(true);
    // ACT: it goes on
    adapterSays('s1', 'weftResumed', {});
    expect(pauses.pauseIn(vscode.Uri.file(FLOW) as never)).toBeUndefined();
    expect(state.contexts['weft.debugPaused']).toBe(false);
    // ACT: paused again, then the session ends without a weftResumed
    adapterSays('s1', 'weftPaused', { flowPath: FLOW, nodeId: 'done', path: 'order-intake › done' });
    expect(pauses.current()?.path).toEqual(['order-intake', 'done']);
    for (const l of listeners.terminate) l(session('s1'));
    expect(pauses.current()).toBeUndefined();
    expect(changes).toBe(4);
  });

  it('ignores other debuggers and malformed bodies', () => {
    const pauses = new DebugPauses();
    for (const l of listeners.custom) l({ session: { id: 'n', type: 'node', configuration: {} }, event: 'weftPaused', body: { flowPath: FLOW, nodeId: 'x' } });
    adapterSays('s1', 'weftPaused', { flowPath: FLOW });
    expect(pauses.current()).toBeUndefined();
  });

  it('takes the launched flow when the adapter names no file for the pause', () => {
    const pauses = new DebugPauses();
    adapterSays('s1', 'weftPaused', { executionId: 'r1', flowPath: undefined, nodeId: 'tax', path: ['order-intake', 'tax'] });
    expect(pauses.pauseIn(vscode.Uri.file(FLOW) as never)?.nodeId).toBe('tax');
  });
});

describe('launch configuration', () => {
  const deps = (inputs?: Record<string, unknown>) => ({
    compile: vi.fn(async () => ({ flowId: 'order-intake', inputs, secretNames: ['API_KEY'] })),
    lastInput: vi.fn(async () => ({ orderId: 'A-0', total: 1 })),
    secretValues: vi.fn(async (names: string[]) => Object.fromEntries(names.map((n) => [n, 'secret-value']))),
  });

  it('F5 with no launch.json debugs the flow in the active editor', () => {
    state.activeEditorUri = vscode.Uri.file(FLOW);
    const provider = new FlowDebugConfigurationProvider(deps(), '/ext/dist/cli.js');
    expect(provider.resolveDebugConfiguration(undefined, { type: '', request: '', name: '' })).toEqual({
      type: 'weft',
      request: 'launch',
      name: 'Debug order-intake.flow.json',
      flow: FLOW,
    });
  });

  it('says what to do when there is no flow to debug, and starts nothing', () => {
    const provider = new FlowDebugConfigurationProvider(deps(), '/ext/dist/cli.js');
    expect(provider.resolveDebugConfiguration(undefined, { type: '', request: '', name: '' })).toBeUndefined();
    expect(state.messages[0]).toMatch(/Open a \.flow\.json or \.flow\.ts/);
  });

  it('asks for the input with the Run form, prefilled with the last run, when the configuration gives none', async () => {
    // ARRANGE
    const provider = new FlowDebugConfigurationProvider(deps({ type: 'object', properties: { orderId: { type: 'string' } } }), '/ext/dist/cli.js');
    state.formAnswer = { orderId: 'A-9', total: 5 };
    const folder = { uri: vscode.Uri.file('/w'), name: 'w', index: 0 };
    // ACT
    const config = await provider.resolveDebugConfigurationWithSubstitutedVariables(folder as never, { type: 'weft', request: 'launch', name: 'x', flow: 'order-intake.flow.json' });
    // ASSERT: a relative flow is the folder's
    expect(config).toMatchObject({ flow: FLOW, input: { orderId: 'A-9', total: 5 } });
    expect(vi.mocked(askForInput).mock.calls[0]).toEqual(['order-intake', { type: 'object', properties: { orderId: { type: 'string' } } }, { orderId: 'A-0', total: 1 }]);
  });

  it('starts nothing when the input form is dismissed, and asks nothing when the configuration names a test', async () => {
    const provider = new FlowDebugConfigurationProvider(deps({ type: 'object' }), '/ext/dist/cli.js');
    expect(await provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, { type: 'weft', request: 'launch', name: 'x', flow: FLOW })).toBeUndefined();
    const fromTest = await provider.resolveDebugConfigurationWithSubstitutedVariables(undefined, { type: 'weft', request: 'launch', name: 'x', flow: FLOW, fromTest: 'large orders' });
    expect(fromTest).toMatchObject({ fromTest: 'large orders' });
    expect(askForInput).toHaveBeenCalledTimes(1);
  });

  it('runs `weft dap` in a Node process of its own, the secrets in its environment, not in the launch arguments', async () => {
    const provider = new FlowDebugConfigurationProvider(deps(), '/ext/dist/cli.js');
    const descriptor = (await provider.createDebugAdapterDescriptor({ configuration: { flow: FLOW }, workspaceFolder: { uri: vscode.Uri.file('/w') } } as never)) as unknown as {
      command: string;
      args: string[];
      options: { env: Record<string, string>; cwd: string };
    };
    expect(descriptor.command).toBe(process.execPath);
    expect(descriptor.args).toEqual(['/ext/dist/cli.js', 'dap']);
    expect(descriptor.options).toEqual({ env: { API_KEY: 'secret-value', ELECTRON_RUN_AS_NODE: '1' }, cwd: '/w' });
  });
});

describe('Skip Node', () => {
  it('sends weftSkipNode with the output the user typed to the paused session', async () => {
    // ARRANGE
    const pauses = new DebugPauses();
    adapterSays('s1', 'weftPaused', { flowPath: FLOW, nodeId: 'tax', path: ['order-intake', 'tax'] });
    state.inputBoxAnswer = '{ "tax": 0 }';
    // ACT
    await debugCommandHandlers(pauses)['weft.skipNode']();
    // ASSERT
    expect(requests).toEqual([{ command: 'weftSkipNode', args: { output: { tax: 0 } } }]);
  });

  it('says when no Weft session is paused, and sends nothing', async () => {
    const pauses = new DebugPauses();
    await debugCommandHandlers(pauses)['weft.skipNode']();
    expect(requests).toEqual([]);
    expect(state.messages[0]).toMatch(/while a Weft debug session is paused/);
  });
});
