// Shows a recorded run as a read-only JSON document (`weft-run:` URIs): Weft: Show Run as JSON, for the raw record.

import * as vscode from 'vscode';
import type { RunController } from './runController';

export const RUN_SCHEME = 'weft-run';

export function runUri(file: vscode.Uri, runId: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RUN_SCHEME, path: `/${runId}.json`, query: file.toString() });
}

export class RunDocumentProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly runs: RunController) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const runId = uri.path.replace(/^\//, '').replace(/\.json$/, '');
    const file = vscode.Uri.parse(uri.query);
    const record = await this.runs.history(file).get(runId);
    return record ? JSON.stringify(record, null, 2) : `// No run ${runId} in this workspace's history.`;
  }
}
