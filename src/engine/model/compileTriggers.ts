// The per-flow rules of triggers (spec section 8), checked when a flow compiles so that `weft validate`, `weft
// test` and the editor see what `weft serve` would refuse: a webhook path that cannot be served as written, two
// webhooks of the flow on one route, a cron pattern or time zone croner rejects, a schedule input the flow's
// `inputs` rejects. Each is an `invalid-trigger` error at the field. A webhook secret is a template, checked like
// any other. What depends on other flows (a route another flow serves) or on the machine (a secret that is not
// set) is live mode's to check. The triggers that pass, defaults applied, go on the CompiledFlow.

import type { Cron } from 'croner';
import type { JsonPath } from '../../shared/jsonPath';
import type { CompileContext, GraphScope } from './compileContext';
import type { CompiledTrigger, CompiledWebhookSecret, WebhookMethod } from './compiledFlow';
import { compileTemplateAt } from './compileGraph';
import { DEFAULT_TIMEZONE, parseSchedule, ScheduleError } from './cronSchedule';
import type { Range } from './diagnostics';
import type { FlowDefinition } from './flowSchema';
import type { InputValidator } from './inputValidator';
import { forEachTemplateReference } from './templateReferences';

/** A webhook trigger's method when it names none. */
export const DEFAULT_WEBHOOK_METHOD: WebhookMethod = 'POST';

/** What a webhook trigger answers when it says nothing: 202 with the execution id, before the run ends. */
export const DEFAULT_WEBHOOK_RESPOND = 'ack';

/** Where a webhook trigger is served (under /hooks/): its `path`, else the flow id. */
export function webhookPathOf(trigger: { path?: string }, flowId: string): string {
  return trigger.path ?? flowId;
}

/** Unreserved URL characters only: what a path segment may hold, so that it needs no encoding. */
const SEGMENT = /^[A-Za-z0-9._~-]+$/;
const MAX_PATH_LENGTH = 256;

/** Whether a trigger's `path` can be served as it is: segments of unreserved characters, no `.` or `..` segments. */
export function hookPathProblem(path: string): string | undefined {
  if (path.length === 0) return 'a webhook path cannot be empty';
  if (path.length > MAX_PATH_LENGTH) return `a webhook path is at most ${MAX_PATH_LENGTH} characters`;
  for (const segment of path.split('/')) {
    if (segment === '') return 'a webhook path has no empty segments (no leading, trailing or double "/")';
    if (segment === '.' || segment === '..') return 'a webhook path has no "." or ".." segments';
    if (!SEGMENT.test(segment)) {
      return `"${segment}" has characters a URL would have to encode: use letters, digits, ".", "_", "~" and "-"`;
    }
  }
  return undefined;
}

/**
 * The flow's triggers, checked and with their defaults applied. A trigger that breaks a rule is reported and left
 * out; the flow then does not compile, so a CompiledFlow's triggers are all of its triggers.
 */
export function compileTriggers(
  ctx: CompileContext,
  definition: FlowDefinition,
  scope: GraphScope,
  validateInput: InputValidator,
): CompiledTrigger[] {
  const compiled: CompiledTrigger[] = [];
  const routes = new Map<string, number>();
  definition.triggers?.forEach((trigger, k) => {
    const range = rangeAt(ctx, ['triggers', k]);
    const at = range === undefined ? {} : { range };
    if (trigger.type === 'manual') {
      compiled.push({ type: 'manual', index: k, ...at });
    } else if (trigger.type === 'webhook') {
      const secret = trigger.secret === undefined ? undefined : compileSecret(ctx, trigger.secret, ['triggers', k, 'secret'], scope);
      const path = webhookPathOf(trigger, definition.id);
      // A defaulted path is the flow id: point at the trigger, the user wrote no path.
      const pathAt = trigger.path === undefined ? ['triggers', k] : ['triggers', k, 'path'];
      const problem = hookPathProblem(path);
      if (problem !== undefined) {
        ctx.report('invalid-trigger', 'error', `Webhook path "${path}": ${problem}.`, pathAt, { data: { path } });
        return;
      }
      const method = trigger.method ?? DEFAULT_WEBHOOK_METHOD;
      const route = `${method} ${path}`;
      const first = routes.get(route);
      if (first !== undefined) {
        ctx.report('invalid-trigger', 'error', `${method} /hooks/${path} is already the route of trigger ${first + 1} of this flow`, pathAt, {
          data: { path, method },
        });
        return;
      }
      routes.set(route, k);
      compiled.push({
        type: 'webhook',
        index: k,
        ...at,
        path,
        method,
        respond: trigger.respond ?? DEFAULT_WEBHOOK_RESPOND,
        ...(secret === undefined ? {} : { secret }),
      });
    } else if (trigger.type === 'schedule') {
      const timezone = trigger.timezone ?? DEFAULT_TIMEZONE;
      let pattern: Cron;
      try {
        pattern = parseSchedule(trigger.cron, timezone);
      } catch (error) {
        if (!(error instanceof ScheduleError)) throw error;
        const field = error.message.includes('is not a time zone') ? 'timezone' : 'cron';
        ctx.report('invalid-trigger', 'error', error.message, ['triggers', k, field]);
        return;
      }
      const validation = validateInput(trigger.input);
      if (!validation.ok) {
        const details = validation.errors.map((e) => `input${e.path}: ${e.message}`).join('; ');
        ctx.report('invalid-trigger', 'error', `The schedule's input does not match the flow's inputs: ${details}`, [
          'triggers',
          k,
          ...(trigger.input === undefined ? [] : ['input']),
        ]);
        return;
      }
      compiled.push({ type: 'schedule', index: k, ...at, cron: trigger.cron, timezone, input: trigger.input, pattern });
    }
  });
  return compiled;
}

function compileSecret(ctx: CompileContext, template: string, path: JsonPath, scope: GraphScope): CompiledWebhookSecret {
  const compiled = compileTemplateAt(ctx, template, path, scope, undefined, 'template', false);
  const secretNames: string[] = [];
  forEachTemplateReference(template, (reference) => {
    const name = reference.path[0];
    if (reference.root === 'secrets' && typeof name === 'string' && !secretNames.includes(name)) secretNames.push(name);
  });
  const range = rangeAt(ctx, path);
  return { template, compiled, secretNames, ...(range === undefined ? {} : { range }) };
}

function rangeAt(ctx: CompileContext, path: JsonPath): Range | undefined {
  try {
    return ctx.locator.locate(path)?.range;
  } catch {
    // A position is a nicety.
    return undefined;
  }
}
