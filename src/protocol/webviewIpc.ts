// The envelope every webview protocol shares (timeline, history, canvas). Each panel's own file
// (executionProtocol.ts, historyProtocol.ts, canvasProtocol.ts) lists its messages; this file says how they travel.
//
// Who sends what:
// - webview → host: a command `{ kind: 'command', method, params }` (fire and forget: "cancel", "move nodes"), or a
//   request `{ kind: 'request', id, method, params }` that expects exactly one reply.
// - host → webview: a notification `{ kind: 'notification', method, params }` (named `didChange…`: "the run has
//   new events"), or the reply to a request `{ kind: 'reply', id, result }` / `{ kind: 'reply', id, error }`.
//
// The host checks every inbound message with zod (the webview runs web code; treat it as input). The host's own
// messages are typed at compile time and not re-checked in the webview.
//
// This file is shared by the extension bundle and the browser bundles: zod and types only, no Node, no vscode.

import { z } from 'zod';

/** The zod schemas of a webview's inbound messages, by method name: the params of each. */
export type InboundSchemas = Record<string, z.ZodType>;

/** What a request of each method resolves with, by method name (only methods that are requests). */
export type ReplyTypes = Record<string, unknown>;

/** The params of each host → webview notification, by method name. */
export type NotificationTypes = Record<string, unknown>;

/** Params of each inbound method, as the webview sends them. */
export type InboundParams<S extends InboundSchemas> = { [M in keyof S]: z.input<S[M]> };

export const webviewEnvelopeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), method: z.string(), params: z.unknown() }),
  z.object({ kind: z.literal('request'), id: z.number().int().nonnegative(), method: z.string(), params: z.unknown() }),
]);

export type HostEnvelope =
  | { kind: 'notification'; method: string; params: unknown }
  | { kind: 'reply'; id: number; result?: unknown; error?: { message: string; code: string } };

export type ParsedInbound<S extends InboundSchemas> =
  | { ok: true; kind: 'command' | 'request'; id?: number; method: keyof S & string; params: z.output<S[keyof S]> }
  | { ok: false; id?: number; error: { message: string; code: 'invalid-message' } };

/** Checks a message from a webview against its protocol: the envelope first, then the method's params. */
export function parseInbound<S extends InboundSchemas>(schemas: S, raw: unknown): ParsedInbound<S> {
  const envelope = webviewEnvelopeSchema.safeParse(raw);
  if (!envelope.success) return { ok: false, error: { code: 'invalid-message', message: 'Not a Weft webview message.' } };
  const { method } = envelope.data;
  const id = envelope.data.kind === 'request' ? envelope.data.id : undefined;
  const schema = Object.prototype.hasOwnProperty.call(schemas, method) ? schemas[method] : undefined;
  if (!schema) return { ok: false, id, error: { code: 'invalid-message', message: `Unknown message "${method}".` } };
  const params = schema.safeParse(envelope.data.params);
  if (!params.success) {
    const issue = params.error.issues[0];
    const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
    return { ok: false, id, error: { code: 'invalid-message', message: `Bad "${method}" message${where}: ${issue?.message ?? 'invalid'}` } };
  }
  return { ok: true, kind: envelope.data.kind, id, method, params: params.data as z.output<S[keyof S]> };
}
