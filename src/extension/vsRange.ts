// Ranges of the language service (plain line/character) as VS Code's, for every provider and panel that shows one.

import * as vscode from 'vscode';
import type { Range } from '../engine/model/diagnostics';

/** A VS Code range; the start of the document when the language service has none. */
export function toVsRange(range: Range | undefined): vscode.Range {
  if (!range) return new vscode.Range(0, 0, 0, 0);
  return new vscode.Range(range.start.line, range.start.character, range.end.line, range.end.character);
}
