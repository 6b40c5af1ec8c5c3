// The debugger's commands: Debug Flow (the CodeLens, the canvas's Debug button, the editor title), Skip Node
// (while a Weft session is paused: the node is marked skipped with an output the user gives, and the run goes on),
// and Toggle Breakpoint for .flow.json files, where VS Code's own gutter and F9 refuse (see toggleLineBreakpoint).

import * as vscode from 'vscode';
import { activeFlowFile } from '../workspacePaths';
import { WEFT_DEBUG_TYPE, type DebugPauses } from './debugPauses';
import { debugConfigurationFor } from './flowDebugConfiguration';

export function debugCommandHandlers(pauses: DebugPauses): Record<string, (...args: unknown[]) => unknown> {
  return {
    'weft.debug': async (arg?: unknown) => {
      const file = arg instanceof vscode.Uri ? arg : activeFlowFile();
      if (!file) {
        void vscode.window.showInformationMessage('Open a .flow.json or .flow.ts file to debug it.');
        return false;
      }
      return vscode.debug.startDebugging(vscode.workspace.getWorkspaceFolder(file), debugConfigurationFor(file));
    },
    'weft.toggleBreakpoint': (arg?: unknown, line?: unknown) => {
      const editor = vscode.window.activeTextEditor;
      const file = arg instanceof vscode.Uri ? arg : editor?.document.uri;
      const at = typeof line === 'number' ? line : editor?.selection.active.line;
      if (!file || at === undefined) return undefined;
      return toggleLineBreakpoint(file, at);
    },
    'weft.skipNode': async () => {
      const active = vscode.debug.activeDebugSession;
      const pause = pauses.current(active?.type === WEFT_DEBUG_TYPE ? active.id : undefined) ?? pauses.current();
      const session = pause && pauses.session(pause.sessionId);
      if (!pause || !session) {
        void vscode.window.showInformationMessage('Skip Node works while a Weft debug session is paused before a node.');
        return;
      }
      const text = await vscode.window.showInputBox({
        title: `Skip ${pause.nodeId}`,
        prompt: `The output ${pause.nodeId} gives the nodes after it (JSON), instead of running`,
        value: '{}',
        ignoreFocusOut: true,
        validateInput: (value) => (parseJson(value) === INVALID ? 'Not valid JSON' : undefined),
      });
      if (text === undefined) return;
      await session.customRequest('weftSkipNode', { output: parseJson(text) });
    },
  };
}

/**
 * Adds a breakpoint on the line, or removes the ones there. VS Code never offers its gutter click or F9 in a jsonc
 * document (AdapterManager.canSetBreakpointsIn refuses jsonc whatever the debuggers contribute), and .flow.json is
 * jsonc so that VS Code's JSON server accepts its comments; breakpoints added through the API are drawn and sent to
 * the adapter like any other. Returns whether a breakpoint is there now.
 */
export function toggleLineBreakpoint(file: vscode.Uri, line: number): boolean {
  const there = vscode.debug.breakpoints.filter(
    (bp) => bp instanceof vscode.SourceBreakpoint && bp.location.uri.toString() === file.toString() && bp.location.range.start.line === line,
  );
  if (there.length > 0) {
    vscode.debug.removeBreakpoints(there);
    return false;
  }
  vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(new vscode.Location(file, new vscode.Position(line, 0)))]);
  return true;
}

const INVALID = Symbol('invalid');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}
