// What a single-instance webview panel does with its own lifetime, in one place: a page torn down while hidden
// (no retainContextWhenHidden) says `ready` again when shown, so its owner forgets it was ready; when the panel
// goes, everything bound to it goes with it, and the owner forgets the panel. A panel already replaced by
// another (a restore after a reload) ends without touching the owner's current one.

import type * as vscode from 'vscode';

export interface PanelLifetimeHandlers {
  /** The page was torn down (hidden): nothing can be posted to it until it says `ready` again. */
  hidden(): void;
  /** The panel was closed: drop what refers to it. */
  disposed(): void;
}

/** Binds `bound` (the panel's message channel and the like) and `handlers` to the panel's life. */
export function bindPanelLifetime(
  panel: vscode.WebviewPanel,
  isCurrent: () => boolean,
  bound: vscode.Disposable[],
  handlers: PanelLifetimeHandlers,
): void {
  const subscriptions = [
    ...bound,
    panel.onDidChangeViewState(() => {
      if (!panel.visible) handlers.hidden();
    }),
  ];
  subscriptions.push(
    panel.onDidDispose(() => {
      for (const subscription of subscriptions) subscription.dispose();
      if (isCurrent()) handlers.disposed();
    }),
  );
}
