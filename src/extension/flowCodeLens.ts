// CodeLens above each flow (Run, Test, History with the last run's status, age and duration) and above each node
// (its status and time in the last run, and Run from here). Positions come from the text alone, for .flow.ts too,
// so no user code runs to draw them.

import * as vscode from 'vscode';
import { projectRecord } from '../engine/run/runProjection';
import type { RunRecord } from '../engine/run/runRecord';
import { outlineOf } from './flowOutline';
import { describeAge, describeDuration as shortDuration } from '../shared/describeTime';
import type { RunController } from './runController';
import type { LiveController, LiveState } from './liveController';
import { nextScheduleTimes } from '../language/triggerOutline';
import { isFlowJson } from './workspacePaths';

/** What the CodeLens needs of the test controller: the latest results, and when they change. */
export interface TestResults {
  lastResult(file: vscode.Uri, name: string): { outcome: 'passed' | 'failed' | 'errored' | 'skipped'; durationMs?: number } | undefined;
  onDidFinishTests: vscode.Event<vscode.Uri[]>;
}

const TEST_ICON: Record<string, string> = { passed: '$(pass)', failed: '$(error)', errored: '$(error)', skipped: '$(debug-step-over)' };

const NODE_ICON: Record<string, string> = { completed: '$(pass)', failed: '$(error)', skipped: '$(debug-step-over)', cancelled: '$(circle-slash)', running: '$(sync~spin)' };

export class FlowCodeLensProvider {
  private readonly lastRuns = new Map<string, Promise<RunRecord | undefined>>();

  constructor(
    private readonly runs: RunController,
    private readonly live: LiveController,
    private readonly changed: () => void,
    private readonly tests?: TestResults,
  ) {
    runs.onDidChangeRun((change) => {
      if (change.record) this.refresh();
    });
    live.onDidChange(() => this.changed());
    // A test run ended: its results show on the lenses that started it.
    tests?.onDidFinishTests(() => this.changed());
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const outline = outlineOf(document.getText(), document.uri.path.endsWith('.json'));
    if (!outline.flowRange) return [];
    const file = document.uri;
    const top = new vscode.Range(outline.flowRange.start.line, 0, outline.flowRange.start.line, 0);
    const last = outline.flowId ? await this.lastRun(file, outline.flowId) : undefined;
    const lenses = [
      new vscode.CodeLens(top, { title: '$(play) Run', command: 'weft.run', arguments: [file], tooltip: 'Run this flow (asks for its input)' }),
      new vscode.CodeLens(top, { title: '$(debug-alt) Debug', command: 'weft.debug', arguments: [file], tooltip: 'Debug this flow: stops at breakpoints on nodes (asks for its input)' }),
      new vscode.CodeLens(top, { title: testsTitle(outline.tests.map((t) => this.tests?.lastResult(file, t.name))), command: 'weft.test', arguments: [file], tooltip: "Run this flow's in-file tests" }),
      new vscode.CodeLens(top, { title: historyTitle(last), command: 'weft.openHistory', arguments: [file, outline.flowId], tooltip: 'Show the runs of this flow' }),
      new vscode.CodeLens(top, { title: '$(graph) Insights', command: 'weft.openInsights', arguments: [file], tooltip: 'Runs, success, durations, cost and failures of this flow over time' }),
    ];
    const canvasTip = isFlowJson(file) ? 'Open this flow in the canvas editor' : 'Show this flow as a graph (read-only: edit the code)';
    lenses.push(new vscode.CodeLens(top, { title: '$(type-hierarchy) Canvas', command: 'weft.openCanvas', arguments: [file], tooltip: canvasTip }));
    const triggers = outline.triggers;
    const liveState = this.live.liveState(file);
    if (triggers.length > 0 || liveState !== 'inactive') lenses.push(new vscode.CodeLens(top, liveLens(liveState, file)));
    const liveFailures = this.live.failureCount(file);
    if (liveFailures > 0) {
      lenses.push(
        new vscode.CodeLens(top, { title: `$(error) ${liveFailures} live failure${liveFailures === 1 ? '' : 's'} today`, command: 'weft.openHistory', arguments: [file, outline.flowId], tooltip: 'Live runs of this flow that failed since midnight: open its history' }),
      );
    }
    for (const trigger of triggers) {
      const line = new vscode.Range(trigger.range.start.line, 0, trigger.range.start.line, 0);
      if (trigger.type === 'webhook') {
        lenses.push(
          new vscode.CodeLens(line, { title: '$(link) Copy webhook URL', command: 'weft.copyWebhookUrl', arguments: [file, trigger.index], tooltip: `${trigger.method} …/hooks/${trigger.path}` }),
          new vscode.CodeLens(line, { title: '$(send) Send test webhook', command: 'weft.sendTestWebhook', arguments: [file, trigger.index], tooltip: "POST the input of one of the flow's tests to this webhook" }),
        );
      } else {
        const next = nextScheduleTimes(trigger.cron, trigger.timezone);
        const title = 'error' in next ? `$(warning) ${next.error}` : `$(clock) Next: ${next.times[0]}`;
        const tooltip = 'error' in next ? next.error : `Next 5 times:\n${next.times.join('\n')}`;
        lenses.push(new vscode.CodeLens(line, { title, command: 'weft.showScheduleTimes', arguments: [file, trigger.index], tooltip }));
      }
    }
    // Each test case: run it alone, and after that its result, right where it was clicked.
    for (const test of outline.tests) {
      if (!test.range) continue;
      const line = new vscode.Range(test.range.start.line, 0, test.range.start.line, 0);
      const result = this.tests?.lastResult(file, test.name);
      if (result) {
        const time = result.durationMs !== undefined ? ` · ${shortDuration(result.durationMs)}` : '';
        lenses.push(
          new vscode.CodeLens(line, {
            title: `${TEST_ICON[result.outcome]} ${result.outcome}${time}`,
            command: 'testing.showMostRecentOutput',
            tooltip: `"${test.name}" ${result.outcome} in its latest run. Click for the test output.`,
          }),
        );
      }
      lenses.push(new vscode.CodeLens(line, { title: result ? 'Run again' : '$(beaker) Run test', command: 'weft.test', arguments: [file, test.name], tooltip: `Run the test "${test.name}"` }));
    }
    // The last run as the engine projects it, like the canvas and the execution panel show it.
    const lastView = last ? projectRecord(last) : undefined;
    for (const node of outline.nodes) {
      const line = new vscode.Range(node.range.start.line, 0, node.range.start.line, 0);
      const record = lastView?.byId.get(node.id);
      if (record) {
        const time = record.reused ? 'reused' : shortDuration(record.durationMs);
        lenses.push(
          new vscode.CodeLens(line, {
            title: `${NODE_ICON[record.status] ?? ''} ${record.status}${time ? ` · ${time}` : ''}`,
            command: 'weft.showRun',
            arguments: [file, last!.id],
            tooltip: record.error ? record.error.message : `In run ${last!.id}`,
          }),
        );
      }
      lenses.push(new vscode.CodeLens(line, { title: 'Run from here', command: 'weft.runFromNode', arguments: [file, node.id], tooltip: `Re-run the last run from ${node.id}, reusing the nodes before it` }));
    }
    return lenses;
  }

  private lastRun(file: vscode.Uri, flowId: string): Promise<RunRecord | undefined> {
    const key = `${file.toString()}#${flowId}`;
    let pending = this.lastRuns.get(key);
    if (!pending) {
      pending = this.runs.lastRun(file, flowId).catch(() => undefined);
      this.lastRuns.set(key, pending);
    }
    return pending;
  }

  refresh(): void {
    this.lastRuns.clear();
    this.changed();
  }
}

function liveLens(state: LiveState, file: vscode.Uri): vscode.Command {
  switch (state) {
    case 'inactive':
      return { title: '$(radio-tower) Activate', command: 'weft.activate', arguments: [file], tooltip: 'Serve this flow\'s webhook and schedule triggers on 127.0.0.1' };
    case 'starting':
      return { title: '$(sync~spin) Activating…', command: 'weft.liveMenu', tooltip: 'Live mode is starting' };
    case 'failed':
      return { title: '$(warning) Active, last run failed · Deactivate', command: 'weft.deactivate', arguments: [file], tooltip: 'The last webhook or schedule run failed; open History for details. Click to stop serving.' };
    case 'active':
      return { title: '$(radio-tower) Active · Deactivate', command: 'weft.deactivate', arguments: [file], tooltip: 'Live: its triggers are served. Click to stop serving.' };
  }
}

/** The flow's Test lens: plain until its tests ran, then how they did ("2 passed, 1 failed"). */
export function testsTitle(results: readonly ({ outcome: string } | undefined)[]): string {
  const counts = new Map<string, number>();
  for (const result of results) if (result) counts.set(result.outcome, (counts.get(result.outcome) ?? 0) + 1);
  if (counts.size === 0) return '$(beaker) Test';
  const failed = (counts.get('failed') ?? 0) + (counts.get('errored') ?? 0);
  const parts = ['passed', 'failed', 'errored', 'skipped'].filter((o) => counts.has(o)).map((o) => `${counts.get(o)} ${o}`);
  return `${failed > 0 ? '$(error)' : '$(pass)'} Test · ${parts.join(', ')}`;
}

function historyTitle(last: RunRecord | undefined): string {
  if (!last) return '$(history) History: no runs yet';
  const word = last.status === 'completed' ? 'passed' : last.status;
  return `$(history) History: ${word} ${describeAge(last.startedAt, Date.now())}, ${shortDuration(last.durationMs)}`;
}
