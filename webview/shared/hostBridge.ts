// The webview's end of a protocol (see src/protocol/webviewIpc.ts). Components never post messages themselves:
// each app has a small actions module that calls this bridge, so what a webview can ask of the host is listed in
// one place. `acquireVsCodeApi` may be called once per page; the bridge does it.

import type { HostEnvelope, InboundSchemas, NotificationTypes, ReplyTypes, InboundParams } from '../../src/protocol/webviewIpc';

interface VsCodeApi {
  postMessage(message: unknown): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

export interface HostBridge<S extends InboundSchemas, R extends ReplyTypes, N extends NotificationTypes, UiState> {
  /** A fire-and-forget command to the host. */
  command<M extends keyof S & string>(method: M, params: InboundParams<S>[M]): void;
  /** A request the host answers; rejects with the host's error message. */
  request<M extends keyof S & keyof R & string>(method: M, params: InboundParams<S>[M]): Promise<R[M]>;
  /** Subscribes to a host notification; returns the unsubscribe. */
  on<M extends keyof N & string>(method: M, handler: (params: N[M]) => void): () => void;
  /** The UI state kept across hide/show and reloads (viewport, selection, filters; never the data). */
  getState(): UiState | undefined;
  setState(state: UiState): void;
}

let api: VsCodeApi | undefined;

/** The page's VS Code API; a stand-in that records messages when the page runs outside VS Code (component tests). */
function vsCodeApi(): VsCodeApi {
  if (api) return api;
  if (typeof acquireVsCodeApi === 'function') {
    api = acquireVsCodeApi();
  } else {
    let state: unknown;
    const sent: unknown[] = [];
    api = { postMessage: (m) => void sent.push(m), getState: () => state, setState: (s) => void (state = s) };
    (globalThis as { __weftSentMessages?: unknown[] }).__weftSentMessages = sent;
  }
  return api;
}

export function createHostBridge<S extends InboundSchemas, R extends ReplyTypes, N extends NotificationTypes, UiState>(): HostBridge<S, R, N, UiState> {
  const vscode = vsCodeApi();
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<string, Set<(params: unknown) => void>>();
  let nextId = 1;

  window.addEventListener('message', (event: MessageEvent) => {
    const message = event.data as HostEnvelope;
    if (!message || typeof message !== 'object') return;
    if (message.kind === 'reply') {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.error) waiter.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      else waiter.resolve(message.result);
    } else if (message.kind === 'notification') {
      for (const listener of listeners.get(message.method) ?? []) listener(message.params);
    }
  });

  return {
    command(method, params) {
      vscode.postMessage({ kind: 'command', method, params });
    },
    request(method, params) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
        vscode.postMessage({ kind: 'request', id, method, params });
      });
    },
    on(method, handler) {
      let set = listeners.get(method);
      if (!set) listeners.set(method, (set = new Set()));
      set.add(handler as (params: unknown) => void);
      return () => set!.delete(handler as (params: unknown) => void);
    },
    getState: () => vscode.getState() as UiState | undefined,
    // VS Code's setState returns the state: never pass it on (an effect returning it crashes React).
    setState: (state) => {
      vscode.setState(state);
    },
  };
}
