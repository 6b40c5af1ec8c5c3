// A status bar item beside the live connection's, shown while the watched server has open circuits: "N circuits
// open" on the warning background, its tooltip listing each target with when it is tried again. Hidden when every
// circuit is closed.

import * as vscode from 'vscode';
import type { CircuitSnapshot } from '../../engine/circuit/circuitBreaker';
import { describeOpenCircuit } from './openCircuits';

export class CircuitStatusItem implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('weft.openCircuits', vscode.StatusBarAlignment.Left, 7);

  constructor(private readonly timeOf: (ms: number) => string = (ms) => new Date(ms).toLocaleTimeString()) {
    this.item.name = 'Weft open circuits';
  }

  show(open: readonly CircuitSnapshot[], where: string, now = Date.now()): void {
    if (open.length === 0) {
      this.item.hide();
      return;
    }
    const text = `${open.length} circuit${open.length === 1 ? '' : 's'} open`;
    this.item.text = `$(debug-disconnect) ${text}`;
    const lines = open.map((circuit) => `- ${escapeMarkdown(describeOpenCircuit(circuit, now, this.timeOf))}`);
    this.item.tooltip = new vscode.MarkdownString(
      [`**Open circuits on ${escapeMarkdown(where)}**`, 'Calls to these targets fail fast with `circuit-open` (or go to their fallback).', ...lines].join('\n\n'),
    );
    this.item.accessibilityInformation = { label: `Weft: ${text}: ${open.map((circuit) => circuit.target).join(', ')}` };
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
  }

  hide(): void {
    this.item.hide();
  }

  dispose(): void {
    this.item.dispose();
  }
}

function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]#|<>]/g, (char) => `\\${char}`);
}
