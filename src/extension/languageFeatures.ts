// VS Code glue for the language service (src/language/): diagnostics on every edit (debounced) for .flow.json,
// diagnostics from the run worker for .flow.ts (its code runs there, never here), and completion, hover,
// definition, rename, quick fixes and symbols for .flow.json. Converts plain positions to VS Code's types.

import * as vscode from 'vscode';
import type { Diagnostic } from '../engine/model/diagnostics';
import { createDefaultRegistry } from '../engine/nodes/builtins';
import type { RunRecord } from '../engine/run/runRecord';
import { codeActionsAt } from '../language/codeActions';
import { completionsAt, type CompletionItem as LanguageCompletion } from '../language/completion';
import { definitionAt } from '../language/definition';
import { FlowDocument } from '../language/flowDocument';
import { hoverAt } from '../language/hover';
import { prepareRename, rename } from '../language/rename';
import { documentSymbols, type DocumentSymbol as LanguageSymbol } from '../language/symbols';
import { outlineOf } from './flowOutline';
import type { RunController } from './runController';
import type { RunWorkerClient } from './runWorkerClient';
import type { SecretStore } from './secretStore';
import { toVsRange } from './vsRange';
import { flowFileKind } from '../shared/flowFiles';
import { OBSERVED_RUNS } from '../language/observedFields';
import { isFlowFile } from './workspacePaths';

const DEBOUNCE_MS = 150;

const COMPLETION_KIND: Record<LanguageCompletion['kind'], vscode.CompletionItemKind> = {
  nodeType: vscode.CompletionItemKind.Class,
  nodeId: vscode.CompletionItemKind.Reference,
  port: vscode.CompletionItemKind.EnumMember,
  configKey: vscode.CompletionItemKind.Property,
  field: vscode.CompletionItemKind.Field,
  function: vscode.CompletionItemKind.Function,
  variable: vscode.CompletionItemKind.Variable,
  secret: vscode.CompletionItemKind.Constant,
  scopeRoot: vscode.CompletionItemKind.Module,
};

const SYMBOL_KIND: Record<LanguageSymbol['kind'], vscode.SymbolKind> = {
  flow: vscode.SymbolKind.Module,
  node: vscode.SymbolKind.Function,
  trigger: vscode.SymbolKind.Event,
  test: vscode.SymbolKind.Method,
};

export class LanguageFeatures implements vscode.Disposable {
  private readonly collection = vscode.languages.createDiagnosticCollection('weft');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly documents = new Map<string, { version: number; flow: FlowDocument }>();
  private readonly lastRuns = new Map<string, RunRecord | undefined>();
  /** The recent runs of each document's flow, newest first: keys observed in their outputs (completion, hover). */
  private readonly recentRuns = new Map<string, readonly RunRecord[]>();
  private readonly registry = createDefaultRegistry();

  constructor(
    private readonly runs: RunController,
    private readonly secrets: SecretStore,
    private readonly worker: RunWorkerClient,
  ) {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document)),
      vscode.workspace.onDidSaveTextDocument((d) => {
        if (flowFileKind(d.uri.path) === 'ts') this.schedule(d);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.collection.delete(d.uri);
        this.documents.delete(d.uri.toString());
      }),
      // A finished run changes its own flow's hover values and completion fields, no other flow's.
      runs.onDidChangeRun(({ file, record }) => {
        if (record) this.rememberRun(file.toString(), record);
      }),
      secrets.onDidChange(() => {
        for (const d of vscode.workspace.textDocuments) this.schedule(d);
      }),
    );
    void secrets.names();
  }

  documentOpened(document: vscode.TextDocument): void {
    this.schedule(document, 0);
  }

  private schedule(document: vscode.TextDocument, delay = DEBOUNCE_MS): void {
    if (!isFlowFile(document.uri)) return;
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.validate(document);
      }, delay),
    );
  }

  async validate(document: vscode.TextDocument): Promise<void> {
    if (document.isClosed) return;
    if (flowFileKind(document.uri.path) === 'ts') {
      const compiled = await this.worker.compile(document.uri.fsPath).catch((error: Error) => ({ diagnostics: [loadFailure(error)] }));
      this.collection.set(document.uri, compiled.diagnostics.filter((d) => !d.file || d.file === document.uri.fsPath).map(toVsDiagnostic));
      return;
    }
    await this.refreshLastRun(document);
    const flow = this.documentFor(document);
    if (document.isClosed || flow.text !== document.getText()) return;
    this.collection.set(document.uri, flow.diagnostics.map(toVsDiagnostic));
  }

  /** The language service's view of a document, built once per version. */
  private documentFor(document: vscode.TextDocument): FlowDocument {
    const key = document.uri.toString();
    const cached = this.documents.get(key);
    if (cached && cached.version === document.version) return cached.flow;
    const names = this.secrets.knownNames();
    const flow = FlowDocument.create(document.getText(), document.uri.fsPath, {
      registry: this.registry,
      lastRun: this.lastRuns.get(key),
      recentRuns: this.recentRuns.get(key) ?? [],
      // Secrets come from the editor's storage or, as in the CLI, the environment.
      knownSecrets: names ? new Set([...names, ...Object.keys(process.env)]) : undefined,
    });
    this.documents.set(key, { version: document.version, flow });
    return flow;
  }

  /**
   * Puts a run that just ended at the head of its flow's cached recent runs: the record is in hand, so the 10
   * records are not read again from history. Test runs are not among them (recentRuns reads mode `run` only).
   */
  private rememberRun(key: string, record: RunRecord): void {
    if (record.mode !== 'run') return;
    this.documents.delete(key);
    const cached = this.recentRuns.get(key);
    if (!cached) return;
    const recent = [record, ...cached.filter((r) => r.id !== record.id)].slice(0, OBSERVED_RUNS);
    this.lastRuns.set(key, record);
    this.recentRuns.set(key, recent);
  }

  private async refreshLastRun(document: vscode.TextDocument): Promise<void> {
    const key = document.uri.toString();
    if (this.lastRuns.has(key)) return;
    const { flowId } = outlineOf(document.getText(), true);
    const recent = flowId ? await this.runs.recentRuns(document.uri, flowId, OBSERVED_RUNS).catch(() => [] as RunRecord[]) : [];
    this.lastRuns.set(key, recent[0]);
    this.recentRuns.set(key, recent);
    this.documents.delete(key);
  }

  provideCompletionItems(document: vscode.TextDocument, position: vscode.Position): vscode.CompletionItem[] {
    return completionsAt(this.documentFor(document), position).map((item) => {
      const completion = new vscode.CompletionItem(item.label, COMPLETION_KIND[item.kind] ?? vscode.CompletionItemKind.Text);
      if (item.detail) completion.detail = item.detail;
      if (item.documentation) completion.documentation = new vscode.MarkdownString(item.documentation);
      if (item.insertText !== undefined) completion.insertText = item.insertText;
      if (item.range) completion.range = toVsRange(item.range);
      if (item.sortText) completion.sortText = item.sortText;
      return completion;
    });
  }

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const hover = hoverAt(this.documentFor(document), position);
    return hover ? new vscode.Hover(new vscode.MarkdownString(hover.contents), toVsRange(hover.range)) : undefined;
  }

  provideDefinition(document: vscode.TextDocument, position: vscode.Position): vscode.Location | undefined {
    const range = definitionAt(this.documentFor(document), position);
    return range ? new vscode.Location(document.uri, toVsRange(range)) : undefined;
  }

  prepareRename(document: vscode.TextDocument, position: vscode.Position): { range: vscode.Range; placeholder: string } {
    const prepared = prepareRename(this.documentFor(document), position);
    if (!prepared) throw new Error('Only node ids can be renamed here.');
    return { range: toVsRange(prepared.range), placeholder: prepared.placeholder };
  }

  provideRenameEdits(document: vscode.TextDocument, position: vscode.Position, newName: string): vscode.WorkspaceEdit {
    const result = rename(this.documentFor(document), position, newName);
    if (!Array.isArray(result)) throw new Error(result.error);
    const edit = new vscode.WorkspaceEdit();
    for (const e of result) edit.replace(document.uri, toVsRange(e.range), e.newText);
    return edit;
  }

  provideCodeActions(document: vscode.TextDocument, range: vscode.Range | vscode.Selection): vscode.CodeAction[] {
    const flow = this.documentFor(document);
    return codeActionsAt(flow, { start: range.start, end: range.end }).map((action) => {
      const fix = new vscode.CodeAction(action.title, vscode.CodeActionKind.QuickFix);
      fix.isPreferred = action.isPreferred;
      fix.edit = new vscode.WorkspaceEdit();
      for (const e of action.edits) fix.edit.replace(document.uri, toVsRange(e.range), e.newText);
      return fix;
    });
  }

  provideDocumentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
    const convert = (symbol: LanguageSymbol): vscode.DocumentSymbol => {
      const result = new vscode.DocumentSymbol(symbol.name, symbol.detail ?? '', SYMBOL_KIND[symbol.kind], toVsRange(symbol.range), toVsRange(symbol.selectionRange));
      result.children = symbol.children.map(convert);
      return result;
    };
    return documentSymbols(this.documentFor(document)).map(convert);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    for (const d of this.disposables) d.dispose();
  }
}

function loadFailure(error: Error): Diagnostic {
  return { code: 'load-error', severity: 'error', message: error.message, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } };
}

function toVsDiagnostic(d: Diagnostic): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(toVsRange(d.range), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.code = d.code;
  diagnostic.source = 'weft';
  return diagnostic;
}
