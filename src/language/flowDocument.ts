// One `.flow.json` text version as the language features see it. Everything is computed on first use and
// kept for the version: the compile (diagnostics), the syntax tree, the model of graphs and nodes, the index
// of expressions. The editor makes one FlowDocument per version and asks it for as many features as it likes;
// a new version is a new FlowDocument.

import { getNodeValue } from 'jsonc-parser';
import { compileFlow } from '../engine/model/compileFlow';
import type { CompileOptions, CompileResult } from '../engine/model/compileFlow';
import type { Diagnostic, Position, Range } from '../engine/model/diagnostics';
import { parseJsonSource } from '../engine/model/jsonSource';
import type { JsonSource } from '../engine/model/jsonSource';
import type { LineIndex } from '../engine/model/lineIndex';
import type { NodeTypeDefinition } from '../engine/nodes/nodeType';
import type { NodeRegistry } from '../engine/nodes/registry';
import { isPlainObject } from '../shared/isPlainObject';
import type { RunRecord } from '../engine/run/runRecord';
import { buildExpressionIndex } from './expressionIndex';
import type { ExpressionIndex, ExpressionReference } from './expressionIndex';
import { buildFlowModel } from './flowModel';
import type { FlowModel, ModelNode } from './flowModel';
import type { JsonNode } from './jsonTree';
import { missingSecretDiagnostics } from './secretDiagnostics';

export interface LanguageContext {
  /** The node types a flow may use: the built-ins, plus imported types. */
  registry: NodeRegistry;
  /** The latest run of this flow: values for hover and fields for completion. */
  lastRun?: RunRecord;
  /**
   * The most recent runs of this flow, newest first (up to OBSERVED_RUNS): the keys their outputs had are offered
   * as "observed" in completion and hover, never checked.
   */
  recentRuns?: readonly RunRecord[];
  /** Secret names set in the editor's secret storage (or the environment); undefined: unknown, no warnings. */
  knownSecrets?: ReadonlySet<string>;
  /** The time now in ms since the epoch, for ages like "5 min ago". Default: Date.now. */
  now?: () => number;
  /** Loads the modules a flow lists in `imports` (compileFlow's option); without it they are not loaded. */
  loadImports?: CompileOptions['loadImports'];
}

export class FlowDocument {
  #source: JsonSource | undefined;
  #compiled: CompileResult | undefined;
  #diagnostics: Diagnostic[] | undefined;
  #model: FlowModel | undefined;
  #expressions: ExpressionIndex | undefined;
  #secretIndex: ExpressionIndex | undefined;
  #variables: Record<string, unknown> | undefined;

  private constructor(
    readonly text: string,
    readonly file: string,
    readonly context: LanguageContext,
  ) {}

  /** Cheap: nothing is parsed until a feature asks. */
  static create(text: string, file: string, context: LanguageContext): FlowDocument {
    return new FlowDocument(text, file, context);
  }

  /** The compiler's answer for this text. */
  get compiled(): CompileResult {
    if (!this.#compiled) {
      const options: CompileOptions = { file: this.file, registry: this.context.registry };
      if (this.context.loadImports) options.loadImports = this.context.loadImports;
      this.#compiled = compileFlow(this.text, options);
    }
    return this.#compiled;
  }

  /** The compiler's diagnostics and missing-secret warnings, in source order. */
  get diagnostics(): Diagnostic[] {
    if (!this.#diagnostics) {
      const secrets = missingSecretDiagnostics(this);
      this.#diagnostics = secrets.length === 0 ? this.compiled.diagnostics : sortByPosition([...this.compiled.diagnostics, ...secrets]);
    }
    return this.#diagnostics;
  }

  /** The parsed text, with its syntax tree and line index. */
  get source(): JsonSource {
    return (this.#source ??= parseJsonSource(this.text, this.file));
  }

  /** The syntax tree; tolerant of errors, so it is there while the text is being typed. */
  get root(): JsonNode | undefined {
    return this.source.root;
  }

  get lines(): LineIndex {
    return this.source.lines;
  }

  get model(): FlowModel {
    return (this.#model ??= buildFlowModel(this.root));
  }

  get expressions(): ExpressionIndex {
    return (this.#expressions ??= buildExpressionIndex(this.text, this.model));
  }

  /** The references of strings that mention `secrets`: from the full index when it is built, else a partial one. */
  get secretReferences(): ExpressionReference[] {
    const index = this.#expressions ?? (this.#secretIndex ??= buildExpressionIndex(this.text, this.model, (value) => value.includes('secrets')));
    return index.references.filter((r) => r.root === 'secrets');
  }

  /** The flow's `variables` as written (empty when the text has none or does not parse). */
  get variables(): Record<string, unknown> {
    if (!this.#variables) {
      // While the text does not parse (mid-typing), the tolerant tree still holds what was written.
      const value = this.source.value as { variables?: unknown } | undefined;
      const variables = value ? value.variables : this.model.variablesObject ? getNodeValue(this.model.variablesObject) : undefined;
      this.#variables = isPlainObject(variables) ? variables : {};
    }
    return this.#variables;
  }

  now(): number {
    return this.context.now?.() ?? Date.now();
  }

  nodeTypeOf(node: ModelNode | undefined): NodeTypeDefinition | undefined {
    return node?.type === undefined ? undefined : this.context.registry.get(node.type);
  }

  offsetAt(position: Position): number {
    return this.lines.offsetAt(position);
  }

  positionAt(offset: number): Position {
    return this.lines.positionAt(offset);
  }

  rangeAt(start: number, end: number): Range {
    return this.lines.rangeAt(start, end);
  }

  /** The range of a syntax node. */
  rangeOf(node: JsonNode): Range {
    return this.lines.rangeAt(node.offset, node.offset + node.length);
  }
}

function sortByPosition(diagnostics: Diagnostic[]): Diagnostic[] {
  return diagnostics.sort((a, b) => {
    if (!a.range || !b.range) return a.range ? -1 : b.range ? 1 : 0;
    return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  });
}
