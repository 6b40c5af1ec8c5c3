// Activation of live mode: every flow file under a directory is compiled (which checks each trigger on its own:
// path, method, cron, time zone, schedule input, and applies the defaults), and the compiled triggers of the flows
// that compile are checked for what only live mode knows: no two flows with one id or on one route, and a set
// secret. A flow with any such problem is not served at all, rather than half served, and the problem says why,
// with the position of the trigger where the source says. Reads files; starts nothing.

import type { Cron } from 'croner';
import { loadFlow } from '../api/loadFlow';
import { secretsFromEnvironment } from '../api/runFlow';
import { findFlowFiles } from '../engine/load/findFlowFiles';
import { evaluateSecretTemplate } from '../engine/expr/secretTemplate';
import type { CompiledFlow, WebhookMethod } from '../engine/model/compiledFlow';
import { hasErrors, type Diagnostic, type Range } from '../engine/model/diagnostics';
import type { NodeRegistry } from '../engine/nodes/registry';

export type HttpMethod = WebhookMethod;

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

/** A trigger the flow cannot have at all (a bad path, cron or schedule input) is the compiler's: `invalid-flow`. */
export type LiveProblemCode = 'invalid-flow' | 'duplicate-flow-id' | 'duplicate-webhook' | 'missing-secret';

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
    const earlier = flowIds.get(flow.id);
    if (earlier !== undefined) {
      activation.problems.push({
        file,
        flowId: flow.id,
        code: 'duplicate-flow-id',
        message: `Flow id '${flow.id}' is also the id of ${earlier}: a flow id is unique in the workspace.`,
        ...(flow.idRange === undefined ? {} : { range: flow.idRange }),
      });
      continue;
    }
    flowIds.set(flow.id, file);
    activation.compiled.set(file, flow);

    const secrets = secretsFromEnvironment(flow.secretNames, source);
    const served: ServedFlow = { flow, file, secrets, webhooks: [], schedules: [] };
    const problems: LiveProblem[] = [];
    const problem = (code: LiveProblemCode, message: string, range: Range | undefined): void => {
      problems.push({ file, flowId: flow.id, code, message, ...(range === undefined ? {} : { range }) });
    };

    // The compiler checked each trigger on its own and applied the defaults; what is left depends on other flows
    // (a route one of them serves) and on this machine (a secret's value).
    for (const trigger of flow.triggers) {
      if (trigger.type === 'webhook') {
        const { path, method } = trigger;
        const owner = routes.get(`${method} ${path}`);
        if (owner !== undefined) {
          problem('duplicate-webhook', `${method} /hooks/${path} is already served by ${owner}.`, trigger.range);
          continue;
        }
        let secret: string | undefined;
        if (trigger.secret !== undefined) {
          secret = evaluateSecretTemplate(trigger.secret.compiled, flow, secrets, 'webhook');
          if (secret === undefined) {
            const names = trigger.secret.secretNames;
            const hint = names.length > 0 ? `: set the environment variable ${names.join(', ')}` : '';
            problem(
              'missing-secret',
              `The webhook's secret ${trigger.secret.template} is empty${hint}. A webhook with a secret is not served without it.`,
              trigger.secret.range,
            );
            continue;
          }
        }
        const { index: triggerIndex, respond } = trigger;
        served.webhooks.push({ flowId: flow.id, triggerIndex, path, method, respond, ...(secret ? { secret } : {}) });
      } else if (trigger.type === 'schedule') {
        const { index: triggerIndex, cron, timezone, input, pattern } = trigger;
        served.schedules.push({ flowId: flow.id, triggerIndex, cron, timezone, input, pattern });
      }
    }

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

