// State shared by one compile: where the source is, the diagnostics so far, the node ids claimed across the
// whole flow (loop bodies included) and the references templates make, checked once every graph is built.

import type { CompiledValue, Reference } from '../expr/exprTypes';
import type { CompiledNode } from './compiledFlow';
import type { Diagnostic, DiagnosticCode, Severity } from './diagnostics';
import type { NodeRegistry } from '../nodes/registry';
import type { JsonPath } from '../../shared/jsonPath';
import type { SourceLocator, SourceSpan } from './sourceLocator';

/** One graph's view for reference checks: the flow itself, or a loop body inside a node of its parent. */
export interface GraphScope {
  /** Path of the graph's `{ nodes, edges }` object: [] for the flow. */
  basePath: JsonPath;
  nodes: CompiledNode[];
  /** First node with each id in this graph. */
  ids: Map<string, number>;
  /** Source node index of each edge into node n, for upstream questions. */
  incoming: number[][];
  /** A complete topological order; undefined when the graph has a cycle (no upstream checks then). */
  order?: number[];
  /** The node whose body this graph is. */
  parent?: { scope: GraphScope; owner: number };
}

/** A template's reference, with who reads it. */
export interface ReferenceUse {
  scope: GraphScope;
  /** The node whose template it is; undefined for a graph's `output` and flow-level values (read at the end). */
  reader?: number;
  reference: Reference;
  /** Path of the string that holds it. */
  path: JsonPath;
  /** `item` and `index` are set here (a loop body, a filter condition). */
  itemScope: boolean;
  /** Followed by `??` or `||`: the template says what to use when the value is missing (read for secrets). */
  optional?: boolean;
}

/** A templated value or condition as compiled, with who reads it: what the type checks walk (src/engine/types/). */
export interface TemplateUse {
  scope: GraphScope;
  /** As in ReferenceUse: undefined for a graph's `output` and flow-level values. */
  reader?: number;
  value: unknown;
  /** Path of the value. */
  path: JsonPath;
  kind: 'template' | 'condition';
  itemScope: boolean;
  /** What compiling gave; an edge's `map` is found by it. */
  compiled: CompiledValue;
}

export interface ReportOptions {
  /** Point at the property's key instead of its value. */
  at?: 'value' | 'key';
  /** Offsets into the string value at the path. */
  start?: number;
  end?: number;
  data?: Record<string, unknown>;
}

export class CompileContext {
  /** Every node id of the flow, loop bodies included, and where it is defined first. Ids are unique flow-wide. */
  readonly claimedIds = new Map<string, JsonPath>();
  readonly uses: ReferenceUse[] = [];
  /** Every templated value and condition, in compile order, for the type checks. */
  readonly templates: TemplateUse[] = [];
  /** Every graph compiled: the flow's, then loop bodies (a body's scope names its owner). */
  readonly scopes: GraphScope[] = [];
  /** Strings of node configs that are not templates (e.g. code): `variables.x` in them counts as a use. */
  readonly opaqueTexts: string[] = [];
  /** Secrets node types read by name, not through a template (NodeTypeDefinition.secretNames). */
  readonly typeSecretNames: string[] = [];
  /** The same, with the node that reads each one (for the secrets a run needs, see missingSecrets.ts). */
  readonly typeSecretReaders: { name: string; scope: GraphScope; reader: number }[] = [];

  constructor(
    readonly locator: SourceLocator,
    readonly registry: NodeRegistry,
    readonly file?: string,
    /** Where diagnostics go; shared with the caller so they survive an internal error. */
    readonly diagnostics: Diagnostic[] = [],
  ) {}

  report(code: DiagnosticCode, severity: Severity, message: string, path: JsonPath, options: ReportOptions = {}): Diagnostic {
    const diagnostic: Diagnostic = { code, severity, message, path: [...path] };
    const span = this.spanOf(path, options);
    if (span) {
      diagnostic.range = span.range;
      if (span.offset !== undefined) {
        diagnostic.offset = span.offset;
        diagnostic.length = span.length ?? 0;
      }
    }
    if (this.file !== undefined) diagnostic.file = this.file;
    if (options.data) diagnostic.data = options.data;
    this.diagnostics.push(diagnostic);
    return diagnostic;
  }

  /** One-based line of a path, for messages like "first defined on line 4". */
  lineOf(path: JsonPath): number | undefined {
    const span = this.locator.locate(path);
    return span ? span.range.start.line + 1 : undefined;
  }

  private spanOf(path: JsonPath, options: ReportOptions): SourceSpan | undefined {
    try {
      if (options.start !== undefined) return this.locator.locateInString(path, options.start, options.end ?? options.start);
      return options.at === 'key' ? this.locator.locateKey(path) : this.locator.locate(path);
    } catch {
      // A position is a nicety; the diagnostic still stands without one.
      return undefined;
    }
  }
}
