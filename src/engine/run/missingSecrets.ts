// A run that reads a secret that is not set fails before any node runs, naming every such secret (issue 9): an
// unset secret would otherwise read as an empty string, and a request would go out with `Authorization: Bearer `.
//
// Which reads count: those a run of this flow would make. A node that is mocked (in a test) or reused (a resumed
// run) does not run, so its secrets, and those of the body of such a loop, are not needed; nor are those of a
// node with side effects (http, ai) in a test, which fails unmocked before it reads anything; nor those of a
// disabled node, a webhook trigger's secret (live mode checks it before serving), or a read written with a
// fallback (`{{ secrets.TOKEN ?? null }}` leaves an http header out). An empty value counts as not set.

import { WeftError } from '../errors';
import { setSecretHint } from './errorHints';
import type { CompiledFlow } from '../model/compiledFlow';

export interface RunOfFlow {
  /** Whether the node will really run: false when it is mocked or reused. */
  runs: (nodeId: string) => boolean;
  /** A test run: nodes with side effects must be mocked there. */
  test: boolean;
}

/** The secrets the run would read and does not have, with the nodes that read them; empty when all are set. */
export function missingSecrets(flow: CompiledFlow, secrets: Record<string, string>, run: RunOfFlow): Map<string, string[]> {
  const missing = new Map<string, string[]>();
  for (const read of flow.secretReads ?? []) {
    if (read.optional || isSet(secrets[read.name])) continue;
    if (!read.nodeIds.every(run.runs) || (run.test && read.sideEffect)) continue;
    const readers = missing.get(read.name) ?? [];
    if (read.nodeIds.length > 0 && !readers.includes(read.nodeIds[0])) readers.push(read.nodeIds[0]);
    missing.set(read.name, readers);
  }
  return missing;
}

/** The error a run fails with when `missingSecrets` found any; undefined when none is missing. */
export function missingSecretsError(flow: CompiledFlow, secrets: Record<string, string>, run: RunOfFlow): WeftError | undefined {
  const missing = missingSecrets(flow, secrets, run);
  if (missing.size === 0) return undefined;
  const names = [...missing.keys()];
  const described = [...missing].map(([name, readers]) => `'${name}'${readers.length > 0 ? ` (read by ${readers.map((id) => `'${id}'`).join(', ')})` : ''}`);
  return new WeftError(
    'missing-secret',
    `${names.length === 1 ? 'Secret' : 'Secrets'} ${described.join(', ')} ${names.length === 1 ? 'is' : 'are'} not set, so the run did not start. ` +
      'Set them as environment variables (in VS Code: Weft: Set Secret); a test mocks the nodes that read them.',
    { details: { secrets: names }, hint: setSecretHint(names) },
  );
}

function isSet(value: string | undefined): boolean {
  return typeof value === 'string' && value.length > 0;
}
