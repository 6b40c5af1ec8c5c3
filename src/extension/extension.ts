// The extension's entry. Activation registers commands and providers only; everything heavy (the compiler,
// history, the run worker) is required on first use, so activation costs a few milliseconds of the extension
// host's time. A failure to activate is shown to the user (VS Code shows nothing by itself).

import * as vscode from 'vscode';
import type { Features } from './features';
import type { LiveRunItem } from './liveMonitor/liveRunList';
import { isFlowFile } from './workspacePaths';
import { CodeDebugSessions } from './debug/codeDebugSessions';
import { DebugPauses, WEFT_DEBUG_TYPE } from './debug/debugPauses';

let features: Features | undefined;
let context: vscode.ExtensionContext | undefined;
let log: vscode.LogOutputChannel | undefined;
// Owned here, not by the features: VS Code subscribes to it when the provider is registered, at activation.
const codeLensChanged = new vscode.EventEmitter<void>();
// The same for the Live Runs view: registered at activation, its runs loaded when it is first shown.
const liveRunsChanged = new vscode.EventEmitter<void>();
// Debug sessions' pauses: listened to from activation, since a session may start before the features load.
let debugPauses: DebugPauses | undefined;

/** Loads the features on first use. `require` (not import) so the bundle evaluates them only now. */
function loaded(): Features {
  if (!features) {
    const started = performance.now();
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- see above: evaluated on first use
    const { createFeatures } = require('./features') as typeof import('./features');
    features = createFeatures(context!, log!, {
      refreshCodeLens: () => codeLensChanged.fire(),
      refreshLiveRuns: () => liveRunsChanged.fire(),
      debugPauses: debugPauses!,
    });
    log!.info(`Weft features loaded in ${Math.round(performance.now() - started)} ms`);
  }
  return features;
}

export interface WeftExtensionApi {
  /** Milliseconds activate() took. */
  activationMs: number;
  /** Loads the features now (tests, and the first flow opened). */
  ready(): Features;
}

const COMMANDS = [
  'weft.run',
  'weft.test',
  'weft.cancel',
  'weft.rerun',
  'weft.resume',
  'weft.runFromNode',
  'weft.openHistory',
  'weft.openInsights',
  'weft.showRun',
  'weft.setSecret',
  'weft.deleteSecret',
  'weft.newFlow',
  'weft.saveRunAsTest',
  'weft.activate',
  'weft.activateWorkspace',
  'weft.deactivate',
  'weft.deactivateAll',
  'weft.copyWebhookUrl',
  'weft.sendTestWebhook',
  'weft.liveMenu',
  'weft.showScheduleTimes',
  'weft.findRun',
  'weft.openCanvas',
  'weft.showRunJson',
  'weft.reconnectLive',
  'weft.liveConnectionMenu',
  'weft.setLiveServerToken',
  'weft.openLiveRun',
  'weft.debug',
  'weft.skipNode',
  'weft.toggleBreakpoint',
  'weft.convertToFlowTs',
  'weft.openRunVersion',
  'weft.diffRunVersion',
  'weft.runRunVersion',
];

const FLOW_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.flow.json' },
  { scheme: 'file', pattern: '**/*.flow.ts' },
  { scheme: 'untitled', pattern: '**/*.flow.json' },
];
const FLOW_JSON_SELECTOR: vscode.DocumentSelector = [
  { scheme: 'file', pattern: '**/*.flow.json' },
  { scheme: 'untitled', pattern: '**/*.flow.json' },
];

export function activate(extensionContext: vscode.ExtensionContext): WeftExtensionApi | undefined {
  const started = performance.now();
  try {
    context = extensionContext;
    log = vscode.window.createOutputChannel('Weft', { log: true });
    const subscriptions = extensionContext.subscriptions;
    subscriptions.push(log);
    debugPauses = new DebugPauses();
    subscriptions.push(debugPauses);
    // A .flow.ts debugged with its code: VS Code's JavaScript debugger attached to the adapter as a child session.
    subscriptions.push(new CodeDebugSessions(vscode.Uri.joinPath(extensionContext.extensionUri, 'dist').fsPath));

    // Commands: a thin shim each, so the command table is complete at once and the code loads on first call.
    for (const id of COMMANDS) {
      subscriptions.push(vscode.commands.registerCommand(id, (...args: unknown[]) => loaded().executeCommand(id, args)));
    }
    // The flow debugger: the adapter process and the launch configuration, resolved by the features on first use.
    subscriptions.push(
      vscode.debug.registerDebugAdapterDescriptorFactory(WEFT_DEBUG_TYPE, { createDebugAdapterDescriptor: (session) => loaded().debug.createDebugAdapterDescriptor(session) }),
      vscode.debug.registerDebugConfigurationProvider(WEFT_DEBUG_TYPE, {
        resolveDebugConfiguration: (folder, config) => loaded().debug.resolveDebugConfiguration(folder, config),
        resolveDebugConfigurationWithSubstitutedVariables: (folder, config) => loaded().debug.resolveDebugConfigurationWithSubstitutedVariables(folder, config),
      }),
    );
    // The read-only documents of flow versions kept in history (runVersions.ts), its code loaded on first use.
    subscriptions.push(
      vscode.workspace.registerTextDocumentContentProvider('weft-version', {
        provideTextDocumentContent: (uri) => {
          // eslint-disable-next-line @typescript-eslint/no-require-imports -- evaluated on first use, as the features
          const { FlowVersionContentProvider } = require('./runVersions') as typeof import('./runVersions');
          return new FlowVersionContentProvider().provideTextDocumentContent(uri);
        },
      }),
    );
    // Panels VS Code restores after a reload: registered now, their code loaded when one is restored.
    subscriptions.push(
      vscode.window.registerWebviewPanelSerializer('weft.execution', {
        deserializeWebviewPanel: (panel, state) => loaded().execution.restore(panel, state),
      }),
      vscode.window.registerWebviewPanelSerializer('weft.history', {
        deserializeWebviewPanel: (panel, state) => loaded().history.restore(panel, state),
      }),
      vscode.window.registerCustomEditorProvider(
        'weft.canvas',
        { resolveCustomTextEditor: (document, panel) => loaded().canvas.resolveCustomTextEditor(document, panel) },
        // No find widget: Ctrl+F is the canvas's own "find a node".
        { supportsMultipleEditorsPerDocument: true, webviewOptions: { retainContextWhenHidden: false } },
      ),
    );
    subscriptions.push(
      liveRunsChanged,
      vscode.window.registerTreeDataProvider<LiveRunItem>('weft.liveRuns', {
        onDidChangeTreeData: liveRunsChanged.event,
        getChildren: (element) => loaded().monitor.view.getChildren(element),
        getTreeItem: (element) => loaded().monitor.view.getTreeItem(element),
      }),
      codeLensChanged,
      vscode.languages.registerCodeLensProvider(FLOW_SELECTOR, {
        onDidChangeCodeLenses: codeLensChanged.event,
        provideCodeLenses: (document) => loaded().codeLens.provideCodeLenses(document),
      }),
      vscode.languages.registerCompletionItemProvider(
        FLOW_JSON_SELECTOR,
        { provideCompletionItems: (document, position) => loaded().language.provideCompletionItems(document, position) },
        '"',
        '.',
        '{',
        ' ',
      ),
      vscode.languages.registerHoverProvider(FLOW_JSON_SELECTOR, { provideHover: (d, p) => loaded().language.provideHover(d, p) }),
      vscode.languages.registerDefinitionProvider(FLOW_JSON_SELECTOR, { provideDefinition: (d, p) => loaded().language.provideDefinition(d, p) }),
      vscode.languages.registerRenameProvider(FLOW_JSON_SELECTOR, {
        prepareRename: (d, p) => loaded().language.prepareRename(d, p),
        provideRenameEdits: (d, p, n) => loaded().language.provideRenameEdits(d, p, n),
      }),
      vscode.languages.registerCodeActionsProvider(
        FLOW_JSON_SELECTOR,
        { provideCodeActions: (d, r) => loaded().language.provideCodeActions(d, r) },
        { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] },
      ),
      vscode.languages.registerDocumentSymbolProvider(FLOW_JSON_SELECTOR, { provideDocumentSymbols: (d) => loaded().language.provideDocumentSymbols(d) }),
    );

    // Diagnostics and tests need the features as soon as a flow is open; load them off the activation path.
    const loadIfFlowOpen = (): void => {
      if (vscode.workspace.textDocuments.some((d) => isFlowFile(d.uri))) setTimeout(() => loaded(), 0);
    };
    subscriptions.push(
      vscode.workspace.onDidOpenTextDocument((d) => {
        if (isFlowFile(d.uri)) loaded().documentOpened(d);
      }),
      { dispose: () => features?.dispose() },
    );
    loadIfFlowOpen();
    const activationMs = performance.now() - started;
    return { activationMs, ready: loaded };
  } catch (error) {
    const message = `Weft failed to start: ${(error as Error)?.message ?? String(error)}`;
    log?.error(message, error);
    void vscode.window.showErrorMessage(message, 'Show Log').then((choice) => choice && log?.show());
    return undefined;
  }
}

export function deactivate(): void {
  features?.dispose();
  features = undefined;
}
