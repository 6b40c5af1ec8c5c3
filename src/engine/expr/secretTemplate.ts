// The value of a flow-level secret template (a webhook's `secret`, `settings.notify.secret`), usually
// `{{ secrets.NAME }}`: evaluated outside any run, with the flow's variables and secrets in scope.

import type { CompiledFlow } from '../model/compiledFlow';
import type { CompiledValue } from './exprTypes';
import type { Scope } from './scope';

/**
 * The template's value as text, or undefined when it comes out empty (the secret is not set) or cannot be
 * evaluated. A value that is not a string is taken as its JSON text. `triggerType` is what `execution.trigger`
 * says in the template's scope.
 */
export function evaluateSecretTemplate(template: CompiledValue, flow: CompiledFlow, secrets: Record<string, string>, triggerType: string): string | undefined {
  const scope: Scope = {
    trigger: undefined,
    input: undefined,
    nodes: {},
    variables: flow.variables,
    secrets,
    execution: { id: '', flowId: flow.id, startedAt: '', trigger: { type: triggerType } },
  };
  let value: unknown;
  try {
    value = template.evaluate(scope);
  } catch {
    return undefined;
  }
  if (value === undefined || value === null) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === '' ? undefined : text;
}
