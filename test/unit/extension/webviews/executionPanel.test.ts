import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flowSourceHash, keepFlowVersion } from '../../../../src/engine/history/flowVersions';
import { HistoryStore } from '../../../../src/engine/history/historyStore';
import { readFeedback } from '../../../../src/engine/history/readFeedback';
import type { EngineEvent } from '../../../../src/engine/run/events';
import type { RunRecord } from '../../../../src/engine/run/runRecord';

// A stand-in for the parts of the VS Code API the panel uses: one webview panel whose posted messages are kept,
// and whose inbound messages the test sends.
const fake = vi.hoisted(() => {
  const state = {
    posted: [] as { kind: string; method: string; params: Record<string, unknown> }[],
    receive: undefined as ((message: unknown) => Promise<void> | void) | undefined,
    panels: 0,
    disposedPanels: 0,
    flowText: '{ "id": "f", "nodes": [ { "id": "a", "type": "http" }, { "id": "loop", "type": "loop", "config": { "body": { "nodes": [ { "id": "inner", "type": "ai" } ] } } } ] }',
    executed: [] as unknown[][],
  };
  return state;
});

vi.mock('vscode', () => {
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
    static file(path: string): Uri {
      return new Uri('file', path);
    }
    static joinPath(base: Uri, ...parts: string[]): Uri {
      return new Uri(base.scheme, [base.path, ...parts].join('/'));
    }
    static parse(text: string): Uri {
      return new Uri(text.split('://')[0], text.split('://')[1]);
    }
  }
  const disposable = { dispose: (): void => undefined };
  return {
    Uri,
    ViewColumn: { Active: -1, Beside: -2, One: 1 },
    window: {
      createWebviewPanel: () => {
        fake.panels++;
        return {
          title: '',
          webview: {
            options: {},
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
          reveal: (): void => undefined,
          onDidDispose: () => disposable,
          onDidChangeViewState: () => disposable,
          dispose: (): void => {
            fake.disposedPanels++;
          },
        };
      },
      setStatusBarMessage: () => disposable,
    },
    commands: {
      executeCommand: async (...args: unknown[]) => {
        fake.executed.push(args);
      },
    },
    workspace: {
      openTextDocument: async () => ({ getText: () => fake.flowText }),
      // Outside any folder: the history is `.weft/` next to the flow.
      getWorkspaceFolder: () => undefined,
    },
    env: { clipboard: { writeText: async () => undefined } },
  };
});

const { ExecutionPanelManager } = await import('../../../../src/extension/webviews/executionPanel');
const vscode = await import('vscode');

type StartHandler = (run: unknown) => void;
type WillStartHandler = (will: { file: unknown; started: Promise<unknown> }) => void;
type ChangeHandler = (change: { file: unknown; requestId: string; events: EngineEvent[]; record?: RunRecord }) => void;

function fakeRuns(): { runs: never; willStart: WillStartHandler; start: StartHandler; change: ChangeHandler; follow: StartHandler } {
  let willStart: WillStartHandler = () => undefined;
  let start: StartHandler = () => undefined;
  let follow: StartHandler = () => undefined;
  let change: ChangeHandler = () => undefined;
  const runs = {
    onWillStartRun: (handler: WillStartHandler) => ((willStart = handler), { dispose: () => undefined }),
    onDidStartRun: (handler: StartHandler) => ((start = handler), { dispose: () => undefined }),
    onDidChangeRun: (handler: ChangeHandler) => ((change = handler), { dispose: () => undefined }),
    onDidFollowServerRun: (handler: StartHandler) => ((follow = handler), { dispose: () => undefined }),
    activeRun: () => undefined,
    history: () => ({ get: async () => undefined }),
  };
  return { runs: runs as never, willStart: (will) => willStart(will), start: (run) => start(run), change: (c) => change(c), follow: (run) => follow(run) };
}

const log = { info: vi.fn(), warn: vi.fn(), error: vi.fn() } as never;

function event(seq: number, nodeId = 'a'): EngineEvent {
  return { type: 'node.started', executionId: 'r1', seq, ts: new Date().toISOString(), nodeId, attempt: 1, input: {} };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

describe('ExecutionPanelManager', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    fake.posted.length = 0;
    fake.executed.length = 0;
    fake.panels = 0;
    fake.disposedPanels = 0;
  });
  afterEach(() => vi.useRealTimers());

  it('opens as Run is clicked, before the run starts, and closes again when no run starts', async () => {
    // ARRANGE
    const { runs, willStart } = fakeRuns();
    new ExecutionPanelManager(vscode.Uri.file('/ext'), runs, log);
    let settleStarted!: (run: unknown) => void;

    // ACT 1: Run clicked; the flow is still compiling, or the input form is up.
    willStart({ file: vscode.Uri.file('/work/f.flow.json'), started: new Promise((resolve) => (settleStarted = resolve)) });

    // ASSERT 1: the panel is already loading.
    expect(fake.panels).toBe(1);
    expect(fake.disposedPanels).toBe(0);

    // ACT 2: the user dismissed the input form: no run.
    settleStarted(undefined);
    await settle();

    // ASSERT 2
    expect(fake.disposedPanels).toBe(1);
  });

  it('opens on a new run, sends it when the page is ready, then batches events at most once per 16 ms', async () => {
    // ARRANGE
    const { runs, start, change } = fakeRuns();
    const manager = new ExecutionPanelManager(vscode.Uri.file('/ext'), runs, log);
    const file = vscode.Uri.file('/work/f.flow.json');
    const run = { requestId: 'req-1', file, flowName: 'f', startedAt: Date.now(), events: [] as EngineEvent[] };

    // ACT 1: the run starts; nothing is posted before the page says ready.
    start(run);
    expect(fake.panels).toBe(1);
    expect(fake.posted).toHaveLength(0);
    await fake.receive!({ kind: 'command', method: 'ready', params: {} });
    await settle();

    // ASSERT 1: the snapshot, with node types read from the file (loop bodies too).
    expect(fake.posted.map((m) => m.method)).toEqual(['didChangeRun']);
    expect(fake.posted[0].params).toMatchObject({ requestId: 'req-1', live: true, events: [], nodeTypes: { a: 'http', loop: 'loop', inner: 'ai' } });

    // ACT 2: the first event goes at once; the next two within 16 ms wait and go together.
    const push = (e: EngineEvent): void => {
      run.events.push(e);
      change({ file, requestId: 'req-1', events: [e] });
    };
    push(event(1));
    const afterFirst = fake.posted.length;
    push(event(2));
    push(event(3));
    const beforeTimer = fake.posted.length;
    vi.advanceTimersByTime(16);

    // ASSERT 2
    expect(afterFirst).toBe(2);
    expect(beforeTimer).toBe(2);
    expect(fake.posted.slice(1).map((m) => (m.params.events as EngineEvent[]).map((e) => e.seq))).toEqual([[1], [2, 3]]);

    // ACT 3: two events inside the next 16 ms, then the end at once: they are flushed before the end.
    push(event(4));
    push(event(5));
    change({ file, requestId: 'req-1', events: [], record: { id: 'r1' } as RunRecord });

    // ASSERT 3
    expect(fake.posted.slice(3).map((m) => m.method)).toEqual(['didReceiveEvents', 'didFinishRun']);
    expect((fake.posted[3].params.events as EngineEvent[]).map((e) => e.seq)).toEqual([4, 5]);
    expect(fake.posted.at(-1)!.params).toMatchObject({ record: { id: 'r1' } });
    manager.dispose();
  });

  it('sends the whole run again when the page reloads, and forwards cancel and re-run', async () => {
    // ARRANGE
    const { runs, start, change } = fakeRuns();
    const manager = new ExecutionPanelManager(vscode.Uri.file('/ext'), runs, log);
    const file = vscode.Uri.file('/work/f.flow.json');
    const run = { requestId: 'req-2', file, flowName: 'f', startedAt: Date.now(), events: [] as EngineEvent[], runId: 'r1' };
    start(run);
    await fake.receive!({ kind: 'command', method: 'ready', params: {} });
    await settle();
    run.events.push(event(1), event(2));
    change({ file, requestId: 'req-2', events: run.events.slice() });

    // ACT: the page reloads (ready again), then asks to cancel and to re-run.
    await fake.receive!({ kind: 'command', method: 'ready', params: {} });
    await settle();
    await fake.receive!({ kind: 'command', method: 'cancel', params: { requestId: 'req-2' } });
    await fake.receive!({ kind: 'command', method: 'rerun', params: { runId: 'r1' } });
    await fake.receive!({ kind: 'command', method: 'cancel', params: { requestId: 42 } });

    // ASSERT: the second snapshot holds both events under a new view id; a malformed message does nothing.
    const snapshots = fake.posted.filter((m) => m.method === 'didChangeRun');
    expect(snapshots).toHaveLength(2);
    expect((snapshots[1].params.events as EngineEvent[]).map((e) => e.seq)).toEqual([1, 2]);
    expect(snapshots[1].params.viewId).not.toBe(snapshots[0].params.viewId);
    expect(fake.executed).toEqual([
      ['weft.cancel', 'req-2'],
      ['weft.rerun', file, 'r1'],
    ]);
    manager.dispose();
  });

  it('follows a webhook run of the flow it shows once the shown run has ended, and leaves a run still going alone', async () => {
    // ARRANGE: the panel shows an editor run of f that has ended.
    const { runs, start, change, follow } = fakeRuns();
    const manager = new ExecutionPanelManager(vscode.Uri.file('/ext'), runs, log);
    const file = vscode.Uri.file('/work/f.flow.json');
    start({ requestId: 'req-3', file, flowName: 'f', startedAt: Date.now(), events: [] as EngineEvent[], runId: 'r0' });
    await fake.receive!({ kind: 'command', method: 'ready', params: {} });
    await settle();
    change({ file, requestId: 'req-3', events: [], record: { id: 'r0' } as RunRecord });
    const webhookRun = { requestId: 'server:r1', file, flowName: 'f', startedAt: Date.now(), events: [] as EngineEvent[], runId: 'r1', server: { cancel: async () => undefined } };
    const otherFlowRun = { ...webhookRun, requestId: 'server:r2', runId: 'r2', file: vscode.Uri.file('/work/g.flow.json') };

    // ACT: a run of another flow, then a webhook run of f, then its first event.
    follow(otherFlowRun);
    follow(webhookRun);
    await settle();
    webhookRun.events.push(event(1));
    change({ file, requestId: 'server:r1', events: [event(1)] });

    // ASSERT: the panel switched to the webhook run (a snapshot for it, then its event), never to the other flow's.
    const snapshots = fake.posted.filter((m) => m.method === 'didChangeRun');
    expect(snapshots.map((m) => m.params.runId)).toEqual(['r0', 'r1']);
    expect(snapshots[1].params).toMatchObject({ requestId: 'server:r1', live: true });
    expect(fake.posted.at(-1)).toMatchObject({ method: 'didReceiveEvents' });
    expect(fake.panels).toBe(1);
    manager.dispose();
  });

  it('says plainly that the flow file changed since a recorded run, and labels its nodes with the types they ran', async () => {
    // ARRANGE: the run ran when `a` was a `code` node; the file now has `a` as an `http` node (fake.flowText).
    const dir = await mkdtemp(join(tmpdir(), 'weft-panel-'));
    try {
      const ran = '{ "id": "f", "nodes": [ { "id": "a", "type": "code" } ] }';
      await keepFlowVersion(join(dir, '.weft'), flowSourceHash(ran), ran);
      const record = { id: 'r9', flowId: 'f', flowHash: flowSourceHash(ran), status: 'failed', startedAt: '2025-06-01T10:00:00.000Z', nodes: {} } as unknown as RunRecord;
      const runs = { ...(fakeRuns().runs as object), activeRun: () => undefined, history: () => ({ get: async () => record }) } as never;
      const manager = new ExecutionPanelManager(vscode.Uri.file('/ext'), runs, log);
      // ACT
      await manager.showRun(vscode.Uri.file(join(dir, 'f.flow.json')), 'r9');
      await fake.receive!({ kind: 'command', method: 'ready', params: {} });
      // ASSERT
      await vi.waitFor(() => expect(fake.posted.map((m) => m.method)).toContain('didChangeRun'));
      const snapshot = fake.posted.find((m) => m.method === 'didChangeRun')!.params;
      expect(snapshot.message).toBe("The flow file changed since this run. Nodes are shown as they ran. 'a' was code, now http.");
      expect(snapshot.nodeTypes).toEqual({ a: 'code' });
      manager.dispose();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('ExecutionPanelManager: decision feedback', () => {
  it('stores a verdict from the panel beside the run in history, and sends it with the run when shown again', async () => {
    // ARRANGE: a recorded run in a real history.
    const dir = await mkdtemp(join(tmpdir(), 'weft-panel-feedback-'));
    const store = HistoryStore.open({ dir });
    try {
      const record = {
        id: 'run-fb-1', flowId: 'f', flowHash: 'h', status: 'completed', mode: 'run', trigger: { type: 'manual' }, input: {},
        startedAt: '2026-03-01T12:00:00.000Z', nodes: { a: { status: 'completed', attempts: 1, output: { label: 'low' } } },
      } as RunRecord;
      await store.save(record);
      await store.flush();
      const runs = { ...(fakeRuns().runs as object), activeRun: () => undefined, history: () => store } as never;
      const manager = new ExecutionPanelManager(vscode.Uri.file('/ext'), runs, log);
      manager.showRecord(vscode.Uri.file('/work/f.flow.json'), record);
      await fake.receive!({ kind: 'command', method: 'ready', params: {} });

      // ACT
      await fake.receive!({
        kind: 'request', id: 41, method: 'giveFeedback',
        params: { runId: 'run-fb-1', nodeId: 'a', verdict: 'incorrect', category: 'wrong-label', note: ' too low ', expected: '{"label":"high"}' },
      });
      await fake.receive!({ kind: 'command', method: 'ready', params: {} });
      // The run as shown again carries the verdict (the first ready's answer may arrive after it: wait for state).
      const withFeedback = (): (typeof fake.posted)[number] | undefined =>
        fake.posted.find((m) => m.method === 'didChangeRun' && (m.params as { feedback?: Record<string, unknown> }).feedback?.a !== undefined);
      await vi.waitFor(() => expect(withFeedback()).toBeDefined());

      // ASSERT
      const reply = fake.posted.find((m) => m.kind === 'reply' && (m as unknown as { id: number }).id === 41) as unknown as { result: { entry: unknown } };
      expect(reply.result.entry).toMatchObject({ verdict: 'incorrect', category: 'wrong-label', note: 'too low', expected: { label: 'high' } });
      expect(await readFeedback(dir)).toEqual([expect.objectContaining({ runId: 'run-fb-1', nodeId: 'a', verdict: 'incorrect' })]);
      const again = withFeedback()!;
      expect(again.params.feedback).toMatchObject({ a: { verdict: 'incorrect', category: 'wrong-label' } });
      manager.dispose();
    } finally {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
