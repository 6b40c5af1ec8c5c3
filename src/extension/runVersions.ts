// The flow a past run ran (issue 14): each run record keeps its `flowHash`, and the .flow.json text of that hash
// is kept once in history (engine/history/flowVersions.ts). From a run: "Open Version" shows that text as a
// read-only document (scheme weft-version), "Diff with Current" opens VS Code's diff of it against the file,
// "Run This Version" runs that text again with the run's input.

import { basename } from 'node:path';
import * as vscode from 'vscode';
import { readFlowVersion } from '../engine/history/flowVersions';
import type { RunRecord } from '../engine/run/runRecord';
import type { RunController } from './runController';
import { activeFlowFile, historyDirFor } from './workspacePaths';

export const VERSION_SCHEME = 'weft-version';

/** A kept version as a document: read-only (a content provider's), named like the flow so it is JSON. */
export function versionUri(historyDir: string, hash: string, fileName: string): vscode.Uri {
  const query = new URLSearchParams({ hash, history: historyDir }).toString();
  return vscode.Uri.from({ scheme: VERSION_SCHEME, path: `/${hash.slice(0, 12)}/${fileName}`, query });
}

/** Serves weft-version documents from the history folder named in their URI. */
export class FlowVersionContentProvider implements vscode.TextDocumentContentProvider {
  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const text = await readFlowVersion(query.get('history') ?? '', query.get('hash') ?? '');
    return text ?? `// This version (${query.get('hash')}) is not in the history folder any more.\n`;
  }
}

export const NOT_KEPT =
  'The version this run ran was not kept: versions are kept for .flow.json runs (not .flow.ts), from the editor, the CLI and live mode.';

interface RunVersion {
  file: vscode.Uri;
  record: RunRecord;
  uri: vscode.Uri;
  text: string;
}

export function runVersionHandlers(runs: RunController): Record<string, (...args: unknown[]) => unknown> {
  /** Arguments in any order: the flow file (a Uri) and the run id (a string), as the history panel passes them. */
  const resolve = async (args: unknown[]): Promise<RunVersion | undefined> => {
    const given = args.find((a): a is vscode.Uri => a instanceof vscode.Uri) ?? activeFlowFile();
    const runId = args.find((a): a is string => typeof a === 'string') ?? (given ? await askForRun(runs, given) : undefined);
    if (!given || !runId) return undefined;
    const record = await runs.history(given).get(runId);
    if (!record) {
      void vscode.window.showWarningMessage(`No run ${runId} in this history.`);
      return undefined;
    }
    const file = record.flowFile ? vscode.Uri.file(record.flowFile) : given;
    const historyDir = historyDirFor(given);
    const text = await readFlowVersion(historyDir, record.flowHash);
    if (text === undefined) {
      void vscode.window.showInformationMessage(NOT_KEPT);
      return undefined;
    }
    return { file, record, text, uri: versionUri(historyDir, record.flowHash, basename(file.fsPath)) };
  };

  return {
    'weft.openRunVersion': async (...args: unknown[]) => {
      const version = await resolve(args);
      if (version) await vscode.window.showTextDocument(version.uri, { preview: true });
      return version?.uri;
    },
    'weft.diffRunVersion': async (...args: unknown[]) => {
      const version = await resolve(args);
      if (!version) return undefined;
      const title = `${basename(version.file.fsPath)}: run ${version.record.id.slice(0, 8)} ↔ current`;
      await vscode.commands.executeCommand('vscode.diff', version.uri, version.file, title);
      return version.uri;
    },
    'weft.runRunVersion': async (...args: unknown[]) => {
      const version = await resolve(args);
      if (!version) return undefined;
      return runs.run(version.file, { text: version.text, input: version.record.input });
    },
  };
}

/** The run to act on when none was given: a pick among the flow's recorded runs, newest first. */
async function askForRun(runs: RunController, file: vscode.Uri): Promise<string | undefined> {
  const summaries = await runs.history(file).list({ limit: 200 });
  const chosen = await vscode.window.showQuickPick(
    summaries.map((run) => ({ label: `${run.flowId} · ${run.status}`, description: run.startedAt, detail: run.id, id: run.id })),
    { title: 'Which run?' },
  );
  return chosen?.id;
}
