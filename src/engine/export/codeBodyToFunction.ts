// A `.flow.json` code node's JavaScript body (run in the sandbox with its names as globals) as the typed
// function a `.flow.ts` holds: `async ({ input, log }: Ctx) => { ...body... }`. Only the names the body uses are
// destructured. A body that declares one of those names itself with let/const/class would not compile as a
// function of that parameter, so it is left a string (it still runs, in the sandbox) and the caller says why.

/** The names a sandboxed body sees (nodes/code.ts), in the order they are destructured. */
const SANDBOX_NAMES = ['input', 'trigger', 'nodes', 'variables', 'item', 'index', 'execution', 'log'] as const;

export type CodeConversion = { ok: true; text: string } | { ok: false; reason: string };

/** `contextType` is the TypeScript type written on the parameter, e.g. `FlowCodeContext<Inputs['a'], Trigger, Nodes>`. */
export function codeBodyToFunction(body: string, contextType: string): CodeConversion {
  const used = SANDBOX_NAMES.filter((name) => new RegExp(`(?<![.\\w$])${name}(?![\\w$])`).test(body));
  const redeclared = used.find((name) => new RegExp(`\\b(?:let|const|class)\\b[^;=]*(?<![.\\w$])${name}(?![\\w$])`).test(body));
  if (redeclared !== undefined) return { ok: false, reason: `it declares its own '${redeclared}'` };
  const parameter = used.length === 0 ? `_ctx: ${contextType}` : `{ ${used.join(', ')} }: ${contextType}`;
  const isAsync = /(?<![.\w$])await(?![\w$])/.test(body);
  const lines = body.replace(/\r\n?/g, '\n').replace(/\s+$/, '').split('\n');
  // A template literal across lines keeps its lines as they are: indenting them would change the string.
  const multiLineTemplate = /`[^`]*\n[^`]*`/.test(body);
  const indented = lines.map((line) => (line.trim() === '' || multiLineTemplate ? line : `  ${line}`)).join('\n');
  return { ok: true, text: `${isAsync ? 'async ' : ''}(${parameter}) => {\n${indented}\n}` };
}
