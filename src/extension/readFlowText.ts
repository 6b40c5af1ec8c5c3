// The text of a flow file the extension reads without opening it (test discovery, the live monitor's index,
// activation): the open document's text when there is one, else the file, only when it is a regular file of at
// most MAX_SOURCE_FILE_BYTES, the CLI's limit (readSourceFile.ts). Without the guard a huge `x.flow.json` in a
// workspace would be read whole into the extension host by every discovery.

import * as vscode from 'vscode';
import { MAX_SOURCE_FILE_BYTES, SourceFileError } from '../engine/load/readSourceFile';

/** Throws SourceFileError (`file-too-large`, `load-error`) for what is not read, and the file system's errors. */
export async function readFlowText(uri: vscode.Uri): Promise<string> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  const stat = await vscode.workspace.fs.stat(uri);
  if ((stat.type & vscode.FileType.File) === 0) throw new SourceFileError('load-error', `${uri.fsPath} is not a regular file.`);
  if (stat.size > MAX_SOURCE_FILE_BYTES) {
    throw new SourceFileError('file-too-large', `${uri.fsPath} is larger than ${MAX_SOURCE_FILE_BYTES / (1024 * 1024)} MiB, the most Weft reads as a flow.`);
  }
  return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
}
