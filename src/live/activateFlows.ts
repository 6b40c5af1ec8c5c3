// Activation of live mode: every flow file under a directory is compiled, and the webhook and schedule triggers of
// those that compile are checked for what only live mode needs (a servable path, no two flows on one route, a set
// secret, a valid cron and time zone, a schedule input the flow accepts). A flow with any such problem is not
// served at all, rather than half served, and the problem says why, with the position of the trigger where the
// source is JSON text. Reads files; starts nothing.

import { readFileSync } from 'node:fs';
import type { Cron } from 'croner';
import { loadFlow } from '../api/loadFlow';
import { secretsFromEnvironment } from '../api/runFlow';
import { findFlowFiles } from '../engine/load/findFlowFiles';
import { compileValue } from '../engine/expr/template';
import type { Scope } from '../engine/expr/scope';
import type { CompiledFlow } from '../engine/model/compiledFlow';
import { DEFAULT_WEBHOOK_METHOD, hookPathProblem, webhookPathOf } from '../engine/model/compileTriggers';
import { hasErrors, type Diagnostic, type Range } from '../engine/model/diagnostics';
import { parseJsonSource } from '../engine/model/jsonSource';
import type { NodeRegistry } from '../engine/nodes/registry';
import { DEFAULT_TIMEZONE, parseSchedule, ScheduleError } from './schedules';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface WebhookRoute {
  flowId: string;
  /** Index of the trigger in the flow's `triggers`. */
  triggerIndex: number;
  /** Without the `/hooks/` prefix. */
  path: string;
  method: HttpMethod;
  respond: 'ack' | 'result';
  /** The secret's value (the trigger's template evaluated), when the trigger has one. */
  secret?: string;
}

export interface ScheduleSpec {
  flowId: string;
  triggerIndex: number;
  cron: string;
  timezone: string;
  /** The run input, as written in the trigger. */
  input: unknown;
  pattern: Cron;
}

export interface ServedFlow {
  flow: CompiledFlow;
  file: string;
  /** The secrets the flow reads, by name (from the host's secrets or the environment). */
  secrets: Record<string, string>;
  webhooks: WebhookRoute[];
  schedules: ScheduleSpec[];
}

export type LiveProblemCode =
  | 'invalid-flow'
  | 'duplicate-flow-id'
  | 'duplicate-webhook'
  | 'invalid-webhook-path'
  | 'missing-secret'
  | 'invalid-schedule'
  | 'invalid-schedule-input';

/** Why a flow is not served. */
export interface LiveProblem {
  file: string;
  flowId?: string;
  code: LiveProblemCode;
  message: string;
  /** Where in the file, when known (zero-based, as diagnostics are). */
  range?: Range;
  /** For invalid-flow: the compile errors. */
  diagnostics?: Diagnostic[];
}

export interface Activation {
  /** Every flow file found. */
  files: string[];
  /** Flows with at least one webhook or schedule trigger, all of them servable. */
  served: ServedFlow[];
  /** Every flow that compiles, served or not, by absolute file (interrupted runs of any of them are resumed). */
  compiled: Map<string, CompiledFlow>;
  /** Files of flows that compile but have no webhook or schedule trigger. */
  manualOnly: string[];
  problems: LiveProblem[];
}

export interface ActivateOptions {
  /** Where secret values come from, by name. Default: environment variables of the same name. */
  secrets?: Record<string, string | undefined>;
  registry?: NodeRegistry;
}

/** Activates the flows under `paths`: directories (searched recursively) and flow files, as `weft validate` takes them. */
export function activateFlows(paths: string | readonly string[], options: ActivateOptions = {}): Activation {
  const { files, missing } = findFlowFiles(typeof paths === 'string' ? [paths] : paths);
  const activation: Activation = { files, served: [], compiled: new Map(), manualOnly: [], problems: [] };
  for (const arg of missing) {
    activation.problems.push({ file: arg, code: 'invalid-flow', message: `No such file or directory: ${arg}` });
  }
  const source = options.secrets ?? process.env;
  const flowIds = new Map<string, string>();
  const routes = new Map<string, string>();

  for (const file of files) {
    const result = loadFlow(file, { registry: options.registry });
    if (!result.flow || hasErrors(result.diagnostics)) {
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      activation.problems.push({
        file,
        code: 'invalid-flow',
        message: `The flow does not compile (${errors.length} error${errors.length === 1 ? '' : 's'}).`,
        diagnostics: errors,
      });
      continue;
    }
    const flow = result.flow;
    const locate = locator(file);
    const earlier = flowIds.get(flow.id);
    if (earlier !== undefined) {
      activation.problems.push({
        file,
        flowId: flow.id,
        code: 'duplicate-flow-id',
        message: `Flow id '${flow.id}' is also the id of ${earlier}: a flow id is unique in the workspace.`,
        range: locate(['id']),
      });
      continue;
    }
    flowIds.set(flow.id, file);
    activation.compiled.set(file, flow);

    const secrets = secretsFromEnvironment(flow.secretNames, source);
    const served: ServedFlow = { flow, file, secrets, webhooks: [], schedules: [] };
    const problems: LiveProblem[] = [];
    const problem = (code: LiveProblemCode, message: string, path: (string | number)[]): void => {
      problems.push({ file, flowId: flow.id, code, message, range: locate(path) });
    };
    const claimed: string[] = [];

    (flow.definition.triggers ?? []).forEach((trigger, k) => {
      if (trigger.type === 'webhook') {
        const path = webhookPathOf(trigger, flow.id);
        const method = trigger.method ?? DEFAULT_WEBHOOK_METHOD;
        const pathProblem = hookPathProblem(path);
        if (pathProblem) {
          problem('invalid-webhook-path', `Webhook path "${path}": ${pathProblem}.`, ['triggers', k, 'path']);
          return;
        }
        const key = `${method} ${path}`;
        const owner = routes.get(key) ?? (claimed.includes(key) ? `another trigger of '${flow.id}'` : undefined);
        if (owner !== undefined) {
          problem('duplicate-webhook', `${method} /hooks/${path} is already served by ${owner}.`, ['triggers', k]);
          return;
        }
        claimed.push(key);
        let secret: string | undefined;
        if (trigger.secret !== undefined) {
          secret = evaluateSecret(trigger.secret, flow, secrets);
          if (secret === undefined) {
            const names = [...trigger.secret.matchAll(/secrets\s*\.\s*([A-Za-z_$][\w$]*)/g)].map((m) => m[1]);
            const hint = names.length > 0 ? `: set the environment variable ${names.join(', ')}` : '';
            problem('missing-secret', `The webhook's secret ${trigger.secret} is empty${hint}. A webhook with a secret is not served without it.`, [
              'triggers',
              k,
              'secret',
            ]);
            return;
          }
        }
        served.webhooks.push({ flowId: flow.id, triggerIndex: k, path, method, respond: trigger.respond ?? 'ack', ...(secret ? { secret } : {}) });
      } else if (trigger.type === 'schedule') {
        const timezone = trigger.timezone ?? DEFAULT_TIMEZONE;
        let pattern: Cron;
        try {
          pattern = parseSchedule(trigger.cron, timezone);
        } catch (error) {
          if (!(error instanceof ScheduleError)) throw error;
          problem('invalid-schedule', error.message, ['triggers', k, error.message.includes('time zone') ? 'timezone' : 'cron']);
          return;
        }
        const validation = flow.validateInput(trigger.input);
        if (!validation.ok) {
          const details = validation.errors.map((e) => `input${e.path}: ${e.message}`).join('; ');
          problem('invalid-schedule-input', `The schedule's input does not match the flow's inputs: ${details}.`, ['triggers', k, 'input']);
          return;
        }
        served.schedules.push({ flowId: flow.id, triggerIndex: k, cron: trigger.cron, timezone, input: trigger.input, pattern });
      }
    });

    if (problems.length > 0) {
      activation.problems.push(...problems);
    } else if (served.webhooks.length + served.schedules.length === 0) {
      activation.manualOnly.push(file);
    } else {
      for (const route of served.webhooks) routes.set(`${route.method} ${route.path}`, `'${flow.id}' (${file})`);
      activation.served.push(served);
    }
  }
  return activation;
}

/** The secret template's value, or undefined when it comes out empty (the secret is not set). */
function evaluateSecret(template: string, flow: CompiledFlow, secrets: Record<string, string>): string | undefined {
  const scope: Scope = {
    trigger: undefined,
    input: undefined,
    nodes: {},
    variables: flow.variables,
    secrets,
    execution: { id: '', flowId: flow.id, startedAt: '', trigger: { type: 'webhook' } },
  };
  // The flow compiled, so the template parses; a value that is not a string is taken as its text.
  const value = compileValue(template, () => undefined).evaluate(scope);
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === '' ? undefined : text;
}

/** Positions in a .flow.json file, read only when there is a problem to point at. */
function locator(file: string): (path: (string | number)[]) => Range | undefined {
  let source: ReturnType<typeof parseJsonSource> | null | undefined;
  return (path) => {
    if (!file.endsWith('.json')) return undefined;
    if (source === undefined) {
      try {
        source = parseJsonSource(readFileSync(file, 'utf8'), file);
      } catch {
        source = null;
      }
    }
    return source?.locate(path)?.range;
  };
}
