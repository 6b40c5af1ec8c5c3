// A failed run's errors as diagnostics in its flow file (issue 15: runtime failures point at the place): on the
// failing template part, or on the node. The set of a file is replaced by each run of it that ends (a good run
// clears it) and dropped at the first edit of the file, when the positions may no longer hold.

import * as vscode from 'vscode';
import type { RunRecord } from '../engine/run/runRecord';
import { runFailureDiagnostics } from '../language/runFailureDiagnostics';
import type { RunController } from './runController';
import { toVsRange } from './vsRange';

export class RunFailureProblems implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('weft-run');
  private readonly disposables: vscode.Disposable[] = [];

  constructor(runs: RunController) {
    this.disposables.push(
      this.collection,
      runs.onDidChangeRun((change) => {
        if (change.record) void this.show(change.file, change.record);
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0 && this.collection.has(e.document.uri)) this.collection.delete(e.document.uri);
      }),
    );
  }

  /** The diagnostics of `file` (for tests). */
  diagnosticsOf(file: vscode.Uri): readonly vscode.Diagnostic[] {
    return this.collection.get(file) ?? [];
  }

  private async show(file: vscode.Uri, record: RunRecord): Promise<void> {
    if (record.status !== 'failed') {
      this.collection.delete(file);
      return;
    }
    const document = await vscode.workspace.openTextDocument(file).then(
      (d) => d,
      () => undefined,
    );
    if (!document) return;
    const diagnostics = runFailureDiagnostics(record, document.getText(), file.fsPath).map((failure) => {
      const diagnostic = new vscode.Diagnostic(toVsRange(failure.range), failure.message, vscode.DiagnosticSeverity.Error);
      diagnostic.source = 'Weft run';
      if (failure.code) diagnostic.code = failure.code;
      return diagnostic;
    });
    this.collection.set(file, diagnostics);
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
