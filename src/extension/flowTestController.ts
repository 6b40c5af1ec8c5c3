// Every flow's in-file tests in VS Code's Testing view: one item per flow file, one child per test case, kept in
// sync with the files. Runs go to the run worker; a failure shows expected against actual on the expected value
// that differs (its path inside `expect`), or, for a run that failed where `expect` says nothing of its status,
// on the failing template part, else the node that failed (or the test case).

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { readFlowText } from './readFlowText';
import type { Range } from '../engine/model/diagnostics';
import type { WorkerTestResult } from '../protocol/runWorkerProtocol';
import { outlineOf } from './flowOutline';
import { errorLocationRange, expectedValueRange } from '../language/runFailurePlaces';
import { toVsRange } from './vsRange';
import type { RunWorkerClient } from './runWorkerClient';
import { historyDirFor, isFlowFile } from './workspacePaths';

const FLOW_GLOB = '**/*.flow.{json,ts}';
const UPDATE_DELAY_MS = 300;

export class FlowTestController implements vscode.Disposable {
  readonly controller = vscode.tests.createTestController('weft', 'Weft flows');
  private readonly disposables: vscode.Disposable[] = [];
  private readonly nodeRanges = new Map<string, Map<string, Range>>();
  private readonly pendingUpdates = new Map<string, NodeJS.Timeout>();
  readonly runProfile: vscode.TestRunProfile;
  /** The outcome of each test item's latest run, by item id (Test Explorer shows it; tests read it). */
  readonly lastOutcomes = new Map<string, TestOutcome>();
  /** How long each test item's latest run took, by item id, when it ran. */
  private readonly lastDurations = new Map<string, number>();
  private readonly finished = new vscode.EventEmitter<vscode.Uri[]>();
  /** Fires when a test run has ended, with the flow files whose tests ran (the CodeLens shows their results). */
  readonly onDidFinishTests = this.finished.event;

  constructor(private readonly worker: RunWorkerClient) {
    this.runProfile = this.controller.createRunProfile('Run flow tests', vscode.TestRunProfileKind.Run, (request, token) => this.runTests(request, token), true);
    this.controller.resolveHandler = async (item) => {
      if (!item) await this.discoverAll();
    };
    this.controller.refreshHandler = () => this.discoverAll();
    this.disposables.push(this.finished);
    const watcher = vscode.workspace.createFileSystemWatcher(FLOW_GLOB);
    watcher.onDidCreate((uri) => void this.updateFile(uri));
    watcher.onDidChange((uri) => void this.updateFile(uri));
    watcher.onDidDelete((uri) => this.controller.items.delete(uri.toString()));
    this.disposables.push(
      watcher,
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (!isFlowFile(e.document.uri)) return;
        // Parsing a large flow on every keystroke is wasted work: read its tests once typing pauses.
        const key = e.document.uri.toString();
        clearTimeout(this.pendingUpdates.get(key));
        this.pendingUpdates.set(
          key,
          setTimeout(() => {
            this.pendingUpdates.delete(key);
            this.updateFromText(e.document.uri, e.document.getText());
          }, UPDATE_DELAY_MS),
        );
      }),
    );
  }

  async discoverAll(): Promise<void> {
    const files = await vscode.workspace.findFiles(FLOW_GLOB, '**/{node_modules,.weft,dist,out}/**');
    await Promise.all(files.map((uri) => this.updateFile(uri)));
  }

  /** The file's item, created and filled from its text when needed. */
  async itemFor(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    return this.controller.items.get(uri.toString()) ?? (await this.updateFile(uri));
  }

  private async updateFile(uri: vscode.Uri): Promise<vscode.TestItem | undefined> {
    const text = await textOf(uri);
    if (text === undefined) {
      // Gone, unreadable or too large (readFlowText.ts): no tests from it.
      this.controller.items.delete(uri.toString());
      return undefined;
    }
    return this.updateFromText(uri, text);
  }

  private updateFromText(uri: vscode.Uri, text: string): vscode.TestItem | undefined {
    const outline = outlineOf(text, uri.path.endsWith('.json'));
    this.nodeRanges.set(uri.toString(), new Map(outline.nodes.map((node) => [node.id, node.range])));
    if (outline.tests.length === 0) {
      this.controller.items.delete(uri.toString());
      return undefined;
    }
    let file = this.controller.items.get(uri.toString());
    if (!file) {
      file = this.controller.createTestItem(uri.toString(), vscode.workspace.asRelativePath(uri), uri);
      this.controller.items.add(file);
    }
    const children = outline.tests.map((test) => {
      const child = this.controller.createTestItem(testItemId(uri, test.name), test.name, uri);
      if (test.range) child.range = toVsRange(test.range);
      return child;
    });
    file.children.replace(children);
    return file;
  }

  async runTests(request: vscode.TestRunRequest, token: vscode.CancellationToken): Promise<void> {
    const run = this.controller.createTestRun(request);
    const files = new Map<vscode.TestItem, Set<string> | undefined>();
    const queue = request.include ? [...request.include] : [...collect(this.controller.items)];
    for (const item of queue) {
      if (request.exclude?.includes(item)) continue;
      const parent = item.parent;
      if (!parent) {
        files.set(item, undefined);
        continue;
      }
      // A file already queued whole runs every test in it.
      if (files.has(parent) && files.get(parent) === undefined) continue;
      const names = files.get(parent) ?? new Set<string>();
      names.add(item.label);
      files.set(parent, names);
    }
    for (const [fileItem, names] of files) {
      if (token.isCancellationRequested) break;
      const tests = [...collect(fileItem.children)].filter((t) => !names || names.has(t.label));
      for (const t of tests) run.started(t);
      const uri = fileItem.uri!;
      const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
      const { requestId, done } = this.worker.test({
        file: uri.fsPath,
        text: document?.isDirty && uri.path.endsWith('.json') ? document.getText() : undefined,
        names: names ? [...names] : undefined,
        historyDir: historyDirFor(uri),
      });
      const onCancel = token.onCancellationRequested(() => void this.worker.cancel(requestId));
      try {
        const results = await done;
        // The text the failures are anchored in: the editor's (what the user sees), else the file's.
        const text = results.some((r) => !r.passed) ? await textOf(uri) : undefined;
        for (const t of tests) {
          const result = results.find((r) => r.name === t.label);
          if (!result) run.skipped(t);
          else if (result.passed) run.passed(t, result.durationMs);
          else run.failed(t, this.messagesFor(result, uri, t, text), result.durationMs);
          this.lastOutcomes.set(t.id, !result ? 'skipped' : result.passed ? 'passed' : 'failed');
          if (result?.durationMs !== undefined) this.lastDurations.set(t.id, result.durationMs);
          else this.lastDurations.delete(t.id);
        }
      } catch (error) {
        for (const t of tests) {
          run.errored(t, new vscode.TestMessage(`${basename(uri.fsPath)}: ${(error as Error).message}`));
          this.lastOutcomes.set(t.id, 'errored');
        }
      } finally {
        onCancel.dispose();
      }
    }
    run.end();
    this.finished.fire([...files.keys()].map((item) => item.uri!));
  }

  /** The latest result of the test named `name` in `file` (what its CodeLens shows), if it ran. */
  lastResult(file: vscode.Uri, name: string): { outcome: TestOutcome; durationMs?: number } | undefined {
    const id = testItemId(file, name);
    const outcome = this.lastOutcomes.get(id);
    return outcome ? { outcome, durationMs: this.lastDurations.get(id) } : undefined;
  }

  /** The item of one test case of a file, once discovered. */
  async testItemFor(file: vscode.Uri, name: string): Promise<vscode.TestItem | undefined> {
    return (await this.itemFor(file))?.children.get(testItemId(file, name));
  }

  private messagesFor(result: WorkerTestResult, uri: vscode.Uri, item: vscode.TestItem, text: string | undefined): vscode.TestMessage[] {
    const nodes = this.nodeRanges.get(uri.toString());
    const locate = (nodeId?: string): vscode.Location | undefined => {
      const range = nodeId ? nodes?.get(nodeId) : undefined;
      if (range) return new vscode.Location(uri, toVsRange(range));
      return item.range ? new vscode.Location(uri, item.range) : undefined;
    };
    if (result.error) {
      const message = new vscode.TestMessage(result.error);
      message.location = locate();
      return [message];
    }
    return result.mismatches.map((m) => {
      const nodeError = m.nodeId ? result.nodeErrors[m.nodeId] : undefined;
      const message = vscode.TestMessage.diff(
        `${m.path}${m.nodeId ? ` (node ${m.nodeId})` : ''}${nodeError ? `: ${nodeError}` : ''}${m.hint ? `\n${m.hint}` : ''}`,
        stringify(m.expected),
        stringify(m.actual),
      );
      message.location = this.anchorOf(m, result.index, uri, text) ?? locate(m.nodeId ?? firstFailedNode(result));
      return message;
    });
  }

  /**
   * Where a mismatch is anchored: on the expected value that differs; for a status the test does not write (an
   * implied "completed"), on the failing template part when the run's error says where it is. Undefined: the
   * caller falls back to the node, then the test.
   */
  private anchorOf(m: WorkerTestResult['mismatches'][number], testIndex: number, uri: vscode.Uri, text: string | undefined): vscode.Location | undefined {
    if (text === undefined || m.expectPath === undefined) return undefined;
    const isJson = uri.path.endsWith('.json');
    const implied = m.expectPath.length === 0;
    const location = m.errorLocation;
    const range =
      implied && location && (location.file === undefined || location.file === uri.fsPath)
        ? errorLocationRange(text, isJson, location)
        : implied && m.nodeId !== undefined
          ? undefined
          : expectedValueRange(text, isJson, testIndex, m.expectPath);
    return range ? new vscode.Location(uri, toVsRange(range)) : undefined;
  }

  dispose(): void {
    for (const timer of this.pendingUpdates.values()) clearTimeout(timer);
    for (const d of this.disposables) d.dispose();
    this.controller.dispose();
  }
}

export type TestOutcome = 'passed' | 'failed' | 'errored' | 'skipped';

function testItemId(file: vscode.Uri, name: string): string {
  return `${file.toString()}#${name}`;
}

async function textOf(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return await readFlowText(uri);
  } catch {
    return undefined;
  }
}

function firstFailedNode(result: WorkerTestResult): string | undefined {
  return Object.keys(result.nodeErrors)[0];
}

function* collect(items: vscode.TestItemCollection): Iterable<vscode.TestItem> {
  for (const [, item] of items) yield item;
}

function stringify(value: unknown): string {
  return value === undefined ? 'undefined' : JSON.stringify(value, null, 2);
}
