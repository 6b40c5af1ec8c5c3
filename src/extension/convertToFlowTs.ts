// "Weft: Convert to .flow.ts": writes the typed `.flow.ts` equivalent of a `.flow.json` beside it (the same
// export as `weft export`, engine/export), opens it, and offers to delete the `.flow.json`, since two files with
// one flow id in a workspace are a duplicate-id error.

import { basename } from 'node:path';
import { parse } from 'jsonc-parser';
import * as vscode from 'vscode';
import { defaultExportPath, exportFlowSource } from '../engine/export/exportFlowSource';
import { activeFlowFile, isFlowJson } from './workspacePaths';

export async function convertToFlowTs(arg: unknown): Promise<vscode.Uri | undefined> {
  const source = arg instanceof vscode.Uri ? arg : activeFlowFile();
  if (!source || !isFlowJson(source)) {
    void vscode.window.showInformationMessage('Convert to .flow.ts works on a .flow.json file: open one first.');
    return undefined;
  }
  // The editor's text when the file is open: unsaved edits are what the user sees.
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
  const text = open ? open.getText() : new TextDecoder().decode(await vscode.workspace.fs.readFile(source));
  const name = basename(source.fsPath);
  if (importsModules(text)) {
    // Custom node types are user code, which never runs in the extension host (the CLI loads them).
    void vscode.window.showInformationMessage(`${name} imports node type modules: convert it with \`weft export ${name}\` in a terminal.`);
    return undefined;
  }
  const result = exportFlowSource(text, source.fsPath, { loadImports: false });
  if (!result.ok) {
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    void vscode.window.showErrorMessage(`${name} does not compile (${errors} error${errors === 1 ? '' : 's'}): fix it before converting.`);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    return undefined;
  }
  const target = vscode.Uri.file(defaultExportPath(source.fsPath));
  const exists = await vscode.workspace.fs.stat(target).then(() => true, () => false);
  if (exists) {
    const overwrite = await vscode.window.showWarningMessage(`${basename(target.fsPath)} exists. Overwrite it?`, { modal: true }, 'Overwrite');
    if (overwrite !== 'Overwrite') return undefined;
  }
  await vscode.workspace.fs.writeFile(target, new TextEncoder().encode(result.text));
  await vscode.window.showTextDocument(target);
  const kept = result.keptAsStrings.map((k) => `'${k.nodeId}' (${k.reason})`).join(', ');
  const note = kept ? ` Code kept as sandboxed strings: ${kept}.` : '';
  const choice = await vscode.window.showInformationMessage(
    `Converted ${name}. Both files declare the same flow id: delete ${name}?${note}`,
    'Delete .flow.json',
    'Keep Both',
  );
  if (choice === 'Delete .flow.json') await vscode.workspace.fs.delete(source, { useTrash: true });
  return target;
}

function importsModules(text: string): boolean {
  const flow = parse(text, [], { allowTrailingComma: true }) as { imports?: unknown } | undefined;
  return Array.isArray(flow?.imports) && flow.imports.length > 0;
}
