// Warnings for secrets a flow reads that are not set where it will run (the editor's secret storage or the
// environment): at each `secrets.NAME` in a template, and at a node that reads one by name (the ai node's
// `apiKeySecret`). Without them the run would fail only when it starts. `weft validate` gives the same
// warnings for the environment it runs in.

import type { Diagnostic } from '../engine/model/diagnostics';
import { getNodePath, getNodeValue } from 'jsonc-parser';
import type { FlowDocument } from './flowDocument';
import { propertiesOf } from './jsonTree';
import type { JsonNode } from './jsonTree';

export interface MissingSecretOptions {
  /** The secrets the flow reads, when the caller has compiled it already (`weft validate`). */
  secretNames?: readonly string[];
  /** How to set a secret, after "Secret 'X' is not set." Default: the editor's command. */
  howToSet?: (name: string) => string;
}

const EDITOR_HINT = (): string => 'Run `Weft: Set Secret` to set it.';

export function missingSecretDiagnostics(doc: FlowDocument, options: MissingSecretOptions = {}): Diagnostic[] {
  const known = doc.context.knownSecrets;
  if (!known) return [];
  // A flow that compiled names its secrets: when all are set (the usual case) no tree is needed.
  const named = options.secretNames ?? doc.compiled.flow?.secretNames;
  if (named && named.every((name) => known.has(name))) return [];
  // Without a text to point into there is nothing to underline.
  if (doc.source.errors.length > 0 && !doc.root) return [];

  const howToSet = options.howToSet ?? EDITOR_HINT;
  const out: Diagnostic[] = [];
  for (const reference of doc.secretReferences) {
    const step = reference.steps[0];
    if (reference.host.kind === 'code' || typeof step?.value !== 'string') continue;
    if (known.has(step.value)) continue;
    out.push(diagnostic(doc, step.value, reference.rootStart, step.end, getNodePath(reference.host.node), howToSet));
  }
  for (const node of doc.model.nodes) {
    const type = doc.nodeTypeOf(node);
    if (!type?.secretNames) continue;
    let names: string[];
    try {
      names = type.secretNames(node.config ? getNodeValue(node.config) : {});
    } catch {
      // An invalid config is the compiler's to report.
      continue;
    }
    for (const name of names) {
      if (typeof name !== 'string' || known.has(name)) continue;
      const at = stringValueNode(node.config, name) ?? node.typeNode ?? node.object;
      out.push(diagnostic(doc, name, at.offset, at.offset + at.length, getNodePath(at), howToSet));
    }
  }
  return out;
}

/** The config's top-level string value `value`: where a node type's secret name is written, if it is. */
function stringValueNode(config: JsonNode | undefined, value: string): JsonNode | undefined {
  return propertiesOf(config).find((p) => p.value?.type === 'string' && p.value.value === value)?.value;
}

function diagnostic(
  doc: FlowDocument,
  name: string,
  start: number,
  end: number,
  path: (string | number)[],
  howToSet: (name: string) => string,
): Diagnostic {
  return {
    code: 'missing-secret',
    severity: 'warning',
    message: `Secret '${name}' is not set. ${howToSet(name)}`,
    range: doc.rangeAt(start, end),
    offset: start,
    length: end - start,
    file: doc.file,
    path,
    data: { secret: name },
  };
}
