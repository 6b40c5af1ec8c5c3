// The host's end of a webview protocol (see src/protocol/webviewIpc.ts): checks each inbound message with the
// protocol's zod schemas, calls its handler, answers requests, and sends typed notifications. A bad message is
// logged and, if it was a request, answered with an error; it never reaches a handler.

import type * as vscode from 'vscode';
import type { z } from 'zod';
import { parseInbound, type HostEnvelope, type InboundSchemas, type NotificationTypes } from '../../protocol/webviewIpc';

export type InboundHandlers<S extends InboundSchemas> = { [M in keyof S]: (params: z.output<S[M]>) => unknown };

export class WebviewChannel<S extends InboundSchemas, N extends NotificationTypes> implements vscode.Disposable {
  private readonly subscription: vscode.Disposable;
  private disposed = false;

  constructor(
    private readonly webview: vscode.Webview,
    schemas: S,
    handlers: InboundHandlers<S>,
    private readonly log: Pick<vscode.LogOutputChannel, 'warn' | 'error'>,
  ) {
    this.subscription = webview.onDidReceiveMessage(async (raw: unknown) => {
      const message = parseInbound(schemas, raw);
      if (!message.ok) {
        this.log.warn(`Webview message refused: ${message.error.message}`);
        if (message.id !== undefined) this.post({ kind: 'reply', id: message.id, error: message.error });
        return;
      }
      try {
        const result = await handlers[message.method](message.params);
        if (message.id !== undefined) this.post({ kind: 'reply', id: message.id, result });
      } catch (error) {
        const text = (error as Error)?.message ?? String(error);
        this.log.error(`Webview ${message.method} failed: ${text}`);
        if (message.id !== undefined) this.post({ kind: 'reply', id: message.id, error: { message: text, code: (error as { code?: string }).code ?? 'failed' } });
      }
    });
  }

  /** Sends a notification; false when the webview is gone (disposed panels drop messages silently). */
  notify<M extends keyof N & string>(method: M, params: N[M]): Thenable<boolean> {
    return this.post({ kind: 'notification', method, params });
  }

  private post(message: HostEnvelope): Thenable<boolean> {
    if (this.disposed) return Promise.resolve(false);
    return this.webview.postMessage(message).then(
      (delivered) => delivered,
      () => false,
    );
  }

  dispose(): void {
    this.disposed = true;
    this.subscription.dispose();
  }
}
