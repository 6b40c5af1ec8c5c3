// CodeLens above each flow (Run, Test, History with the last run's status, age and duration) and above each node
// (its status and time in the last run, and Run from here). Positions come from the text alone, for .flow.ts too,
// so no user code runs to draw them.

import * as vscode from 'vscode';
import type { RunRecord } from '../engine/run/runRecord';
import { outlineOf } from './flowOutline';
import { describeAge, describeDuration as shortDuration } from '../language/runScope';
import type { RunController } from './runController';

const NODE_ICON: Record<string, string> = { completed: '$(pass)', failed: '$(error)', skipped: '$(debug-step-over)', cancelled: '$(circle-slash)', running: '$(sync~spin)' };

export class FlowCodeLensProvider {
  private readonly lastRuns = new Map<string, Promise<RunRecord | undefined>>();

  constructor(
    private readonly runs: RunController,
    private readonly changed: () => void,
  ) {
    runs.onDidChangeRun((change) => {
      if (change.record) this.refresh();
    });
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const outline = outlineOf(document.getText(), document.uri.path.endsWith('.json'));
    if (!outline.flowRange) return [];
    const file = document.uri;
    const top = new vscode.Range(outline.flowRange.start.line, 0, outline.flowRange.start.line, 0);
    const last = outline.flowId ? await this.lastRun(file, outline.flowId) : undefined;
    const lenses = [
      new vscode.CodeLens(top, { title: '$(play) Run', command: 'weft.run', arguments: [file], tooltip: 'Run this flow (asks for its input)' }),
      new vscode.CodeLens(top, { title: '$(beaker) Test', command: 'weft.test', arguments: [file], tooltip: "Run this flow's in-file tests" }),
      new vscode.CodeLens(top, { title: historyTitle(last), command: 'weft.openHistory', arguments: [file, outline.flowId], tooltip: 'Show the runs of this flow' }),
    ];
    for (const node of outline.nodes) {
      const line = new vscode.Range(node.range.start.line, 0, node.range.start.line, 0);
      const record = last?.nodes[node.id];
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

export function historyTitle(last: RunRecord | undefined): string {
  if (!last) return '$(history) History: no runs yet';
  const word = last.status === 'completed' ? 'passed' : last.status;
  return `$(history) History: ${word} ${describeAge(last.startedAt, Date.now())}, ${shortDuration(last.durationMs)}`;
}
