// Everything the extension does, created on first use (see extension.ts): the run worker, runs, history, CodeLens,
// the language service, Test Explorer and the commands.

import * as vscode from 'vscode';
import { commandHandlers, type CommandHandlers } from './commands';
import { FlowCodeLensProvider } from './flowCodeLens';
import { FlowTestController } from './flowTestController';
import { LanguageFeatures } from './languageFeatures';
import { liveCommandHandlers } from './liveCommands';
import { LiveController } from './liveController';
import { LiveMonitor } from './liveMonitor/liveMonitor';
import { liveMonitorCommandHandlers } from './liveMonitor/liveMonitorCommands';
import { RunController } from './runController';
import { RunFailureProblems } from './runFailureProblems';
import { RunDocumentProvider, RUN_SCHEME } from './runDocuments';
import { RunWorkerClient } from './runWorkerClient';
import { SecretStore } from './secretStore';
import { HistoryPanelManager } from './webviews/historyPanel';
import { FlowCanvasEditorProvider } from './webviews/canvasEditor';
import { ExecutionPanelManager } from './webviews/executionPanel';
import { WEFT_DEBUG_TYPE, type DebugPauses } from './debug/debugPauses';
import { debugCommandHandlers } from './debug/debugCommands';
import { FlowDebugConfigurationProvider } from './debug/flowDebugConfiguration';
import { InsightsPanelManager } from './webviews/insightsPanel';
import { activeFlowFile } from './workspacePaths';

export interface Features {
  codeLens: FlowCodeLensProvider;
  language: LanguageFeatures;
  runs: RunController;
  live: LiveController;
  monitor: LiveMonitor;
  history: HistoryPanelManager;
  insights: InsightsPanelManager;
  canvas: FlowCanvasEditorProvider;
  execution: ExecutionPanelManager;
  runProblems: RunFailureProblems;
  tests: FlowTestController;
  worker: RunWorkerClient;
  debug: FlowDebugConfigurationProvider;
  executeCommand(id: string, args: unknown[]): unknown;
  documentOpened(document: vscode.TextDocument): void;
  dispose(): void;
}

export function createFeatures(context: vscode.ExtensionContext, log: vscode.LogOutputChannel, hooks: { refreshCodeLens: () => void; refreshLiveRuns: () => void; debugPauses: DebugPauses }): Features {
  const worker = new RunWorkerClient(vscode.Uri.joinPath(context.extensionUri, 'dist', 'runWorker.js').fsPath);
  // Started now, off the click path: the first Run does not wait for a process to boot.
  worker.warmUp();
  const secrets = new SecretStore(context.secrets);
  const runs = new RunController(worker, secrets, log);
  const live = new LiveController(context.workspaceState, vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath, worker, secrets, runs, log);
  const tests = new FlowTestController(worker);
  const codeLens = new FlowCodeLensProvider(runs, live, hooks.refreshCodeLens, tests);
  const language = new LanguageFeatures(runs, secrets, worker);
  // Created before any run can start: it opens on RunController.onDidStartRun.
  const execution = new ExecutionPanelManager(context.extensionUri, runs, log, worker, hooks.debugPauses);
  runs.setRunViewer(execution);
  const runProblems = new RunFailureProblems(runs);
  const history = new HistoryPanelManager(context.extensionUri, runs, log);
  const insights = new InsightsPanelManager(context.extensionUri, runs, log);
  const canvas = new FlowCanvasEditorProvider(context.extensionUri, runs, worker, log, hooks.debugPauses);
  const monitor = new LiveMonitor(runs, live, secrets, execution, log, { fire: hooks.refreshLiveRuns });
  const handlers: CommandHandlers = {
    ...commandHandlers({ runs, secrets, tests, history, execution }),
    ...liveCommandHandlers(live, secrets),
    ...liveMonitorCommandHandlers(monitor, secrets, log),
    ...debugCommandHandlers(hooks.debugPauses),
    'weft.openInsights': async (arg?: unknown) => {
      const file = arg instanceof vscode.Uri ? arg : activeFlowFile();
      if (!file) return void vscode.window.showInformationMessage('Open a flow file first: Insights show one flow.');
      await insights.show(file);
    },
  };
  const debug = new FlowDebugConfigurationProvider(
    {
      compile: (file) => worker.compile(file),
      lastInput: async (file, flowId) => (await runs.lastRun(file, flowId))?.input,
      secretValues: (names) => secrets.values(names),
    },
    vscode.Uri.joinPath(context.extensionUri, 'dist', 'cli.js').fsPath,
  );
  const disposables: vscode.Disposable[] = [
    monitor,
    execution,
    runProblems,
    history,
    insights,
    live,
    runs,
    tests,
    language,
    secrets,
    vscode.workspace.registerTextDocumentContentProvider(RUN_SCHEME, new RunDocumentProvider(runs)),
    // A debugged run is recorded by the adapter, not the RunController: the History lens learns of it here.
    vscode.debug.onDidTerminateDebugSession((session) => {
      if (session.type === WEFT_DEBUG_TYPE) codeLens.refresh();
    }),
  ];
  void tests.discoverAll();
  void live.restore();
  void monitor.reconfigure();
  for (const document of vscode.workspace.textDocuments) language.documentOpened(document);

  return {
    codeLens,
    language,
    runs,
    live,
    monitor,
    history,
    insights,
    canvas,
    execution,
    runProblems,
    tests,
    worker,
    debug,
    executeCommand(id, args) {
      const handler = handlers[id];
      if (!handler) throw new Error(`Weft has no command ${id}.`);
      return handler(...args);
    },
    documentOpened: (document) => language.documentOpened(document),
    dispose() {
      for (const d of disposables) d.dispose();
      worker.dispose();
    },
  };
}
