// Run clicked on a flow that does not compile: instead of a toast that stays after the file is fixed, a status bar
// item names the file and opens the Problems view (where the language features already list every error at its
// place). It goes away by itself as soon as the file has no error left in the Problems view, or the next Run of it
// compiles.

import { basename } from 'node:path';
import * as vscode from 'vscode';

export class CompileFailureStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('weft.compileFailure', vscode.StatusBarAlignment.Left, 11);
  private readonly subscription: vscode.Disposable;
  /** The file the item is about, while it shows. */
  private file: vscode.Uri | undefined;

  constructor() {
    this.item.name = 'Weft: flow does not compile';
    this.item.command = 'workbench.actions.view.problems';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.errorBackground');
    this.subscription = vscode.languages.onDidChangeDiagnostics(({ uris }) => {
      const file = this.file;
      if (!file || !uris.some((uri) => uri.toString() === file.toString())) return;
      const errorsLeft = vscode.languages.getDiagnostics(file).some((d) => d.severity === vscode.DiagnosticSeverity.Error);
      if (!errorsLeft) this.clear(file);
    });
  }

  /** Says that `file` did not compile, with its first error. */
  show(file: vscode.Uri, firstError: string, count: number): void {
    this.file = file;
    this.item.text = `$(error) ${basename(file.fsPath)} does not compile`;
    this.item.tooltip = `${firstError}${count > 1 ? ` (and ${count - 1} more)` : ''}\nClick to open the Problems view.`;
    this.item.accessibilityInformation = { label: `${basename(file.fsPath)} does not compile: ${firstError}`, role: 'button' };
    this.item.show();
  }

  /** The file compiles now (or its errors are gone): the item goes, if it was about this file. */
  clear(file: vscode.Uri): void {
    if (this.file?.toString() !== file.toString()) return;
    this.file = undefined;
    this.item.hide();
  }

  /** The file the item is about, while it shows (for tests and the status of a run). */
  get shownFor(): vscode.Uri | undefined {
    return this.file;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }
}
