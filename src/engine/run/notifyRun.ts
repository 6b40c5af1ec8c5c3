// settings.notify after a run ends (spec v1.1): POST a JSON summary of the run to a URL, signed with the flow's
// secret the way Weft's own webhooks check signatures (`X-Weft-Signature-256: sha256=<hex HMAC-SHA256 of the raw
// body>`), and/or run a subflow with the summary as input. A notification never changes the run: its outcome is
// returned for the caller to show, and its errors never carry the secret's value.

import { createHmac } from 'node:crypto';
import type { CompiledFlow, CompiledNotify } from '../model/compiledFlow';
import { evaluateSecretTemplate } from '../expr/secretTemplate';
import type { RunRecord, RunStatus } from './runRecord';

/** What is posted, and what a notify subflow gets as input. */
export interface RunNotificationSummary {
  event: 'run.completed' | 'run.failed' | 'run.cancelled' | 'run.interrupted';
  executionId: string;
  flowId: string;
  flowFile?: string;
  status: RunStatus;
  trigger: string;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  error?: { message: string; code?: string; nodeId?: string };
  /** Nodes that failed, in the record's order. */
  failedNodes: string[];
}

export interface NotifyOutcome {
  posted?: { status: number };
  subflow?: { status: string };
  /** What went wrong, secret values replaced by ***. */
  errors: string[];
}

export interface NotifyServices {
  fetch: typeof globalThis.fetch;
  secrets: Record<string, string>;
  /** Runs the notify subflow (a path relative to the flow's file) with the summary; resolves with its status. */
  runSubflow?(path: string, input: RunNotificationSummary): Promise<{ status: string }>;
  /** Gives up on the POST after this long. Default 10 s. */
  timeoutMs?: number;
}

export const SIGNATURE_HEADER = 'X-Weft-Signature-256';
const DEFAULT_TIMEOUT_MS = 10_000;

/** Whether `on` asks for a notification of a run that ended with `status`. */
export function shouldNotify(on: CompiledNotify['on'], status: RunStatus): boolean {
  if (status === 'running') return false;
  if (on === 'always') return true;
  if (on === 'completion') return status === 'completed';
  return status === 'failed' || status === 'interrupted';
}

export function notificationSummary(record: RunRecord): RunNotificationSummary {
  const status = record.status;
  const summary: RunNotificationSummary = {
    event: status === 'completed' ? 'run.completed' : status === 'cancelled' ? 'run.cancelled' : status === 'interrupted' ? 'run.interrupted' : 'run.failed',
    executionId: record.id,
    flowId: record.flowId,
    status,
    trigger: record.trigger?.type ?? 'manual',
    startedAt: record.startedAt,
    failedNodes: Object.entries(record.nodes ?? {})
      .filter(([, node]) => node.status === 'failed')
      .map(([id]) => id),
  };
  if (record.flowFile !== undefined) summary.flowFile = record.flowFile;
  if (record.finishedAt !== undefined) summary.finishedAt = record.finishedAt;
  if (record.durationMs !== undefined) summary.durationMs = record.durationMs;
  if (record.error) {
    summary.error = { message: record.error.message };
    if (record.error.code !== undefined) summary.error.code = record.error.code;
    if (record.error.nodeId !== undefined) summary.error.nodeId = record.error.nodeId;
  }
  return summary;
}

/** `sha256=<hex HMAC-SHA256 of body>`: the header value a receiver recomputes with the shared secret. */
export function signatureOf(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export async function notifyAfterRun(flow: CompiledFlow, record: RunRecord, services: NotifyServices): Promise<NotifyOutcome | undefined> {
  const notify = flow.notify;
  if (notify === undefined || !shouldNotify(notify.on, record.status)) return undefined;
  const summary = notificationSummary(record);
  const outcome: NotifyOutcome = { errors: [] };
  let secret: string | undefined;
  const hide = (message: string): string => (secret ? message.split(secret).join('***') : message);
  if (notify.url !== undefined) {
    try {
      const body = JSON.stringify(summary);
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'weft-notify' };
      if (notify.secret !== undefined) {
        secret = evaluateSecretTemplate(notify.secret.compiled, flow, services.secrets, 'notify');
        if (secret === undefined) {
          const names = notify.secret.secretNames;
          throw new Error(`the notify secret ${notify.secret.template} is empty${names.length > 0 ? ` (set ${names.join(', ')})` : ''}: not posted unsigned`);
        }
        headers[SIGNATURE_HEADER] = signatureOf(body, secret);
      }
      const response = await services.fetch(notify.url, { method: 'POST', headers, body, signal: AbortSignal.timeout(services.timeoutMs ?? DEFAULT_TIMEOUT_MS) });
      outcome.posted = { status: response.status };
      // The body is drained so the connection is freed; its content is not ours to read.
      await response.arrayBuffer().catch(() => undefined);
      if (!response.ok) outcome.errors.push(`POST ${notify.url} answered ${response.status}`);
    } catch (error) {
      outcome.errors.push(hide(`POST ${notify.url} failed: ${(error as Error).message}`));
    }
  }
  if (notify.subflow !== undefined) {
    if (!services.runSubflow) outcome.errors.push(`notify subflow ${notify.subflow}: subflows cannot run here`);
    else {
      try {
        outcome.subflow = await services.runSubflow(notify.subflow, summary);
        if (outcome.subflow.status !== 'completed') outcome.errors.push(`notify subflow ${notify.subflow} ${outcome.subflow.status}`);
      } catch (error) {
        outcome.errors.push(hide(`notify subflow ${notify.subflow}: ${(error as Error).message}`));
      }
    }
  }
  return outcome;
}

