// The debugger's commands: Debug Flow (the CodeLens, the canvas's Debug button, the editor title) and Skip Node
// (while a Weft session is paused: the node is marked skipped with an output the user gives, and the run goes on).

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

const INVALID = Symbol('invalid');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return INVALID;
  }
}
