// `weft export`: a compiled `.flow.json` as the equivalent `.flow.ts` (spec sections 1 and 12). The definition is
// written as it is (same ids, edges, settings, triggers, tests, layout; templates stay templates, since the
// authoring API takes functions only for code), and each code node's JavaScript body becomes a function whose
// context is typed from the graph: the types Weft infers for the run input and for every node's output are
// written above the flow as `Trigger`, `Nodes` and `Inputs`, so `tsc` and the editor flag a misspelled property
// in code as `weft validate` does in templates, with no build step.

import type { CompiledFlow } from '../model/compiledFlow';
import type { FlowDefinition } from '../model/flowSchema';
import { UNKNOWN } from '../types/valueType';
import { codeBodyToFunction } from './codeBodyToFunction';
import { printLiteral, propertyKey, quoteString, RawCode } from './tsLiteral';
import { valueTypeToTs } from './valueTypeToTs';

export interface ExportOptions {
  /** The source file's name, for the header comment. */
  sourceName?: string;
  /** Comment lines at the top of the source (a JSONC `//` header), written again above the flow. */
  headerComment?: string[];
  /**
   * The definition as parsed from the source text, keys in the order the author wrote them (the compiled
   * definition has them in the schema's order). Must be the same flow as `flow.definition`.
   */
  asWritten?: FlowDefinition;
}

export interface ExportResult {
  text: string;
  /** Code nodes left as sandboxed strings, with why: the caller tells the user. */
  keptAsStrings: { nodeId: string; reason: string }[];
}

export function exportFlowTs(flow: CompiledFlow, options: ExportOptions = {}): ExportResult {
  const { $schema: _schema, ...definition } = (options.asWritten ?? flow.definition) as FlowDefinition & { $schema?: string };
  const types = flow.valueTypes;
  const keptAsStrings: ExportResult['keptAsStrings'] = [];
  const codeInputs: [string, string][] = [];

  const nodes = definition.nodes.map((node) => {
    const code = node.type === 'code' ? node.config?.code : undefined;
    if (typeof code !== 'string') return node;
    const contextType = `FlowCodeContext<Inputs[${quoteString(node.id)}], Trigger, Nodes>`;
    const converted = codeBodyToFunction(code, contextType);
    if (!converted.ok) {
      keptAsStrings.push({ nodeId: node.id, reason: converted.reason });
      return node;
    }
    codeInputs.push([node.id, valueTypeToTs(types?.nodes.get(node.id)?.input ?? UNKNOWN, '  ')]);
    return { ...node, config: { ...node.config, code: new RawCode(converted.text) } };
  });

  const lines: string[] = [];
  const from = options.sourceName ? ` from ${options.sourceName}` : '';
  lines.push(`// Exported${from} by \`weft export\`.`);
  for (const comment of options.headerComment ?? []) lines.push(`// ${comment}`);
  const typed = codeInputs.length > 0;
  lines.push(typed ? "import { flow, type FlowCodeContext } from 'weft';" : "import { flow } from 'weft';", '');
  if (typed) {
    lines.push('/** The run input, from `inputs`. */');
    lines.push(`type Trigger = ${valueTypeToTs(types?.trigger ?? UNKNOWN)};`, '');
    lines.push('/** What each node outputs, as Weft infers it from the graph (`any` where it cannot tell). */');
    lines.push(`type Nodes = ${objectType(definition.nodes.map((n) => [n.id, valueTypeToTs(types?.nodes.get(n.id)?.output ?? UNKNOWN, '  ')]))};`, '');
    lines.push("/** What each code node receives as `input`. */");
    lines.push(`type Inputs = ${objectType(codeInputs)};`, '');
  }
  lines.push(`export default flow(${printLiteral({ ...definition, nodes })});`, '');
  return { text: lines.join('\n'), keptAsStrings };
}

function objectType(entries: [string, string][]): string {
  if (entries.length === 0) return 'Record<string, never>';
  return `{\n${entries.map(([key, type]) => `  ${propertyKey(key)}: ${type};`).join('\n')}\n}`;
}
