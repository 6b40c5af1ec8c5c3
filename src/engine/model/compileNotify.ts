// settings.notify (spec v1.1): checked when the flow compiles, so `weft validate` and the editor say what a run
// would otherwise only find out after it ended. Each problem is an `invalid-notify` error at the field: no target
// (neither `url` nor `subflow`), a URL that is not http(s), a `secret` without a `url` (only a POST is signed). The
// secret is a template like a webhook's, compiled with the others so its secret names are read from the
// environment like any; its value is live mode's and the run's to find, never the compiler's.

import type { JsonPath } from '../../shared/jsonPath';
import type { CompileContext, GraphScope } from './compileContext';
import type { CompiledNotify } from './compiledFlow';
import { compileTemplateAt } from './compileGraph';
import type { FlowDefinition } from './flowSchema';
import { forEachTemplateReference } from './templateReferences';

export function compileNotify(ctx: CompileContext, definition: FlowDefinition, scope: GraphScope): CompiledNotify | undefined {
  const notify = definition.settings?.notify;
  if (notify === undefined) return undefined;
  const at: JsonPath = ['settings', 'notify'];
  let ok = true;
  if (notify.url === undefined && notify.subflow === undefined) {
    ctx.report('invalid-notify', 'error', 'settings.notify needs a "url" to post the run summary to, or a "subflow" to run with it.', at);
    ok = false;
  }
  if (notify.url !== undefined && !isHttpUrl(notify.url)) {
    ctx.report('invalid-notify', 'error', `settings.notify.url "${notify.url}" is not an http or https URL.`, [...at, 'url']);
    ok = false;
  }
  if (notify.secret !== undefined && notify.url === undefined) {
    ctx.report('invalid-notify', 'error', 'settings.notify.secret signs the POST to "url": give a "url", or remove the secret.', [...at, 'secret']);
    ok = false;
  }
  const compiled: CompiledNotify = { on: notify.on };
  if (notify.url !== undefined) compiled.url = notify.url;
  if (notify.subflow !== undefined) compiled.subflow = notify.subflow;
  if (notify.secret !== undefined) {
    const template = notify.secret;
    const secretNames: string[] = [];
    forEachTemplateReference(template, (reference) => {
      const name = reference.path[0];
      if (reference.root === 'secrets' && typeof name === 'string' && !secretNames.includes(name)) secretNames.push(name);
    });
    compiled.secret = { template, compiled: compileTemplateAt(ctx, template, [...at, 'secret'], scope, undefined, 'template', false), secretNames };
  }
  return ok ? compiled : undefined;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
