// The way out of a run-time failure, where one is known (issue 15): how to set a missing secret, how to mock
// a call a test made for real, and which node id a misspelt `nodes.x` in code meant. A hint goes on the error
// (`hint`), apart from the message, so the panel, the diagnostic and the CLI can show it as advice.

import { closestName } from '../model/closestName';

/** How to set secrets, where Weft reads them: VS Code's secret storage, or the environment. */
export function setSecretHint(names: readonly string[]): string {
  const first = names[0] ?? 'NAME';
  return `In VS Code run "Weft: Set Secret" and enter ${names.join(', ')}; for the command line, set the environment variable (export ${first}=...).`;
}

/** How to mock the node in the test case (spec section 9), with its id filled in. */
export function unmockedHint(nodeId: string): string {
  return `Add a mock to the test case: "mocks": { ${JSON.stringify(nodeId)}: { "output": { ... } } }, or { "error": "..." } to take its failure path.`;
}

// `nodes.fetch`, `nodes["my-node"]`, `nodes['my-node']`, in code or template text.
const NODE_READ = /\bnodes\s*(?:\.\s*([A-Za-z_$][\w$-]*)|\[\s*(["'])([^"'\\]+)\2\s*\])/g;

/**
 * "Did you mean 'fetch'?" for the first `nodes.<id>` in `texts` (a code node's code, its config strings) whose id
 * is no node of the flow but close to one. Templates are checked when the flow compiles; code is not, so a
 * misspelt id there shows only at run time, as reading a property of undefined.
 */
export function misspelledNodeHint(texts: readonly string[], nodeIds: readonly string[]): string | undefined {
  const known = new Set(nodeIds);
  for (const text of texts) {
    for (const match of text.matchAll(NODE_READ)) {
      const id = match[1] ?? match[3];
      if (known.has(id)) continue;
      const suggestion = closestName(id, nodeIds);
      if (suggestion !== undefined) return `There is no node '${id}' in this flow. Did you mean nodes.${suggestion}?`;
    }
  }
  return undefined;
}

/** The strings of a node's config (code, templates), for misspelledNodeHint; functions of a .flow.ts as their source. */
export function configTexts(config: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown, depth: number): void => {
    if (depth > 20 || out.length > 200) return;
    if (typeof value === 'string') out.push(value);
    else if (typeof value === 'function') out.push(Function.prototype.toString.call(value));
    else if (Array.isArray(value)) for (const v of value) walk(v, depth + 1);
    else if (typeof value === 'object' && value !== null) for (const v of Object.values(value)) walk(v, depth + 1);
  };
  walk(config, 0);
  return out;
}
