// Where each Weft debug session is paused, from the adapter's custom events (`weftPaused`, `weftResumed`), for the
// views that show it: the canvas and the execution panel highlight the paused node, and the `weft.debugPaused`
// context key shows Skip Node in the debug toolbar and the command palette. A session that ends clears its pause.
// Loaded at activation (cheap: no engine), because the events may come before the features are loaded.

import * as vscode from 'vscode';

export const WEFT_DEBUG_TYPE = 'weft';

/** A Weft debug session stopped before a node. */
export interface DebugPause {
  sessionId: string;
  executionId?: string;
  /** The flow file, absolute. */
  flowPath: string;
  nodeId: string;
  /** The node's path (flow › subflow › loop iteration › node), as the adapter names it. */
  path: string[];
}

/**
 * The body of the adapter's `weftPaused` event; checked, because it comes from another process. A pause without
 * its flow's file (the adapter knows none for that frame) is in the launched flow.
 */
export function pauseFromEvent(sessionId: string, body: unknown, launchedFlow?: string): DebugPause | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const { executionId, nodeId, path } = body as Record<string, unknown>;
  const flowPath = typeof (body as Record<string, unknown>).flowPath === 'string' ? ((body as Record<string, unknown>).flowPath as string) : launchedFlow;
  if (typeof flowPath !== 'string' || typeof nodeId !== 'string' || nodeId === '') return undefined;
  const pause: DebugPause = { sessionId, flowPath, nodeId, path: pathOf(path, nodeId) };
  if (typeof executionId === 'string') pause.executionId = executionId;
  return pause;
}

/** The path as a list of names, whether the adapter sends a list or one "a › b" string. */
function pathOf(path: unknown, nodeId: string): string[] {
  if (Array.isArray(path)) return path.map(String);
  if (typeof path === 'string' && path !== '') return path.split(/\s*[›/]\s*/);
  return [nodeId];
}

export class DebugPauses implements vscode.Disposable {
  private readonly pauses = new Map<string, DebugPause>();
  private readonly sessions = new Map<string, vscode.DebugSession>();
  private readonly changed = new vscode.EventEmitter<void>();
  private readonly disposables: vscode.Disposable[] = [this.changed];
  readonly onDidChange = this.changed.event;

  constructor() {
    this.disposables.push(
      vscode.debug.onDidReceiveDebugSessionCustomEvent((event) => {
        if (event.session.type !== WEFT_DEBUG_TYPE) return;
        if (event.event === 'weftPaused') {
          const launched = (event.session.configuration as { flow?: unknown }).flow;
          const pause = pauseFromEvent(event.session.id, event.body, typeof launched === 'string' ? launched : undefined);
          if (!pause) return;
          this.sessions.set(event.session.id, event.session);
          this.set(event.session.id, pause);
        } else if (event.event === 'weftResumed') {
          this.set(event.session.id, undefined);
        }
      }),
      vscode.debug.onDidTerminateDebugSession((session) => this.set(session.id, undefined)),
    );
  }

  /** The pause of the session, or of the active Weft session, or of any paused Weft session. */
  current(sessionId?: string): DebugPause | undefined {
    if (sessionId !== undefined) return this.pauses.get(sessionId);
    const active = vscode.debug.activeDebugSession;
    return (active && this.pauses.get(active.id)) ?? [...this.pauses.values()].at(-1);
  }

  /** The paused session, to send it requests (Skip Node). */
  session(sessionId: string): vscode.DebugSession | undefined {
    return this.pauses.has(sessionId) ? this.sessions.get(sessionId) : undefined;
  }

  /** The pause in `file` (the newest, when several sessions debug it). */
  pauseIn(file: vscode.Uri): DebugPause | undefined {
    let found: DebugPause | undefined;
    for (const pause of this.pauses.values()) if (sameFile(pause.flowPath, file.fsPath)) found = pause;
    return found;
  }

  private set(sessionId: string, pause: DebugPause | undefined): void {
    if (pause) this.pauses.set(sessionId, pause);
    else {
      this.sessions.delete(sessionId);
      if (!this.pauses.delete(sessionId)) return;
    }
    void vscode.commands.executeCommand('setContext', 'weft.debugPaused', this.pauses.size > 0);
    this.changed.fire();
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

/** Paths compared as the file system would on Windows and macOS too (drive letters, case of the volume). */
function sameFile(a: string, b: string): boolean {
  return process.platform === 'linux' ? a === b : a.toLowerCase() === b.toLowerCase();
}
