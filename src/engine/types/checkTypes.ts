// The type checks of a compile (spec section 7, v1.1): once every graph is built and references are checked,
// walk each graph in topological order, give every node an input type (from its incoming edges, the trigger's
// `inputs` schema or the loop item) and an output type (nodeOutputTypes.ts), and type every template a node
// reads on the way. Reported: `unknown-property` and `type-mismatch` (errors) at the exact token, and
// `maybe-skipped` (a warning) where a node reads `nodes.x` and x may not have run on the paths that reach it.
// Nothing is said where a type is unknown. The checks are an extra: a bug in them must never stop a flow from
// compiling, so one is reported as a warning.

import type { ExprNode } from '../expr/exprTypes';
import { getCompiledExpression } from '../expr/compileCache';
import { collectConditionReferences } from '../expr/references';
import { scanTemplateString } from '../expr/templateScan';
import { ERROR_PORT, DEFAULT_PORT } from '../nodes/nodeType';
import type { CompileContext, GraphScope, TemplateUse } from '../model/compileContext';
import type { CompiledNode } from '../model/compiledFlow';
import type { FlowDefinition } from '../model/flowSchema';
import { closestName } from '../model/closestName';
import { answerUpstream } from '../model/upstream';
import type { UpstreamQuery } from '../model/upstream';
import type { JsonPath } from '../../shared/jsonPath';
import { ExpressionTyper } from './inferExpression';
import type { TypeEnvironment, TypeProblemCode } from './inferExpression';
import { assignObjects, errorPortType, outputTypeOf } from './nodeOutputTypes';
import { computeRunGuarantees } from './runGuarantees';
import type { RunGuarantees } from './runGuarantees';
import {
  arrayOf,
  BOOLEAN,
  closedObject,
  closedObjectOf,
  elementOf,
  fromJsonSchema,
  isOpaque,
  NULL,
  NUMBER,
  objectOf,
  OPEN_OBJECT,
  propertyTypeOf,
  readProperty,
  STRING,
  typeOfLiteral,
  UNKNOWN,
  unionOf,
} from './valueType';
import type { PropertyType, ValueType } from './valueType';

const SECRETS = objectOf([], { index: STRING });
const EXECUTION = closedObject({
  id: STRING,
  flowId: STRING,
  startedAt: STRING,
  trigger: objectOf([['type', { type: STRING, optional: false }]], { open: true }),
});
const MAX_VALUE_DEPTH = 200;

/** The types found for the top-level graph: what `weft export` writes as the TypeScript types of code functions. */
export interface FlowValueTypes {
  trigger: ValueType;
  /** By node id: the node's input and output. */
  nodes: ReadonlyMap<string, { input: ValueType; output: ValueType }>;
  /** The run's output: the `output` template's, else the only sink's (unknown with several). */
  output: ValueType;
}

export interface TypeCheckOptions {
  /** The output type of the flow a subflow node runs (its `flow` as written); unknown without it. */
  subflowOutput?: (flowPath: string) => ValueType;
}

export function checkTypes(ctx: CompileContext, definition: FlowDefinition, options: TypeCheckOptions = {}): FlowValueTypes | undefined {
  try {
    const checker = new TypeChecker(ctx, definition, options);
    checker.run();
    return checker.rootTypes();
  } catch (error) {
    ctx.report('internal', 'warning', `The type checks stopped on a bug in Weft: ${error instanceof Error ? error.message : String(error)}`, []);
    return undefined;
  }
}

interface PendingSkip {
  scope: GraphScope;
  query: UpstreamQuery;
  targetId: string;
  readerId: string;
  path: JsonPath;
  start: number;
  end: number;
}

/** Who reads: the node (undefined for a graph's output and flow-level values) and what its names are. */
interface Reader {
  scope: GraphScope;
  reader?: number;
  input: ValueType;
  item?: ValueType;
}

const NO_USES: readonly TemplateUse[] = [];

/**
 * The checker is the expressions' environment itself: what is being typed (the reader, the path of the string and
 * the offset of the expression in it) is set before each expression, instead of closures and path copies per
 * template. The editor runs these checks on every edit (`bench --types` measures them).
 */
class TypeChecker implements TypeEnvironment {
  private readonly triggerType: ValueType;
  private readonly variables: Record<string, unknown>;
  private readonly variableTypes = new Map<string, ValueType>();
  private readonly outputs = new Map<CompiledNode, ValueType>();
  private readonly inputs = new Map<CompiledNode, ValueType>();
  /** Templates by graph, then by reader (-1: read at the end of the graph). */
  private readonly templates = new Map<GraphScope, Map<number, TemplateUse[]>>();
  private readonly byCompiled = new Map<unknown, TemplateUse>();
  private readonly bodies = new Map<CompiledNode, GraphScope>();
  private readonly guarantees = new Map<GraphScope, RunGuarantees>();
  private readonly pendingSkips: PendingSkip[] = [];
  private rootOutput: ValueType = UNKNOWN;
  private readonly typer = new ExpressionTyper(this, (code, message, start, end, data) =>
    this.reportAt(code, 'error', message, this.currentPath(), this.offset + start, this.offset + end, data),
  );
  /**
   * The objects typeOfValue is inside (a cycle in an object source ends there); empty between templates. An array,
   * not a Set: it is a few deep, and hashing every object of a flow costs more than scanning them.
   */
  private readonly walking: object[] = [];
  // What is being typed: its reader, the path of the templated value, the steps from there to the string being
  // typed, and the offset in that string of the expression being typed.
  private reader: Reader | undefined;
  private base: JsonPath = [];
  private inner: JsonPath = [];
  private offset = 0;

  constructor(
    private readonly ctx: CompileContext,
    definition: FlowDefinition,
    private readonly options: TypeCheckOptions,
  ) {
    this.triggerType = definition.inputs === undefined ? UNKNOWN : fromJsonSchema(definition.inputs);
    this.variables = (definition.variables ?? {}) as Record<string, unknown>;
    for (const use of ctx.templates) {
      let byReader = this.templates.get(use.scope);
      if (!byReader) this.templates.set(use.scope, (byReader = new Map()));
      const key = use.reader ?? -1;
      const list = byReader.get(key);
      if (list) list.push(use);
      else byReader.set(key, [use]);
      this.byCompiled.set(use.compiled, use);
    }
    for (const scope of ctx.scopes) if (scope.parent) this.bodies.set(scope.parent.scope.nodes[scope.parent.owner], scope);
  }

  run(): void {
    const root = this.ctx.scopes[0];
    if (!root) return;
    this.rootOutput = this.typeGraph(root, this.triggerType, undefined);
    this.reportSkips();
  }

  rootTypes(): FlowValueTypes {
    const nodes = new Map<string, { input: ValueType; output: ValueType }>();
    for (const node of this.ctx.scopes[0]?.nodes ?? []) {
      nodes.set(node.id, { input: this.inputs.get(node) ?? UNKNOWN, output: this.outputs.get(node) ?? UNKNOWN });
    }
    return { trigger: this.triggerType, nodes, output: this.rootOutput };
  }

  /** Types the nodes and templates of one graph; returns the type of the graph's output. */
  private typeGraph(scope: GraphScope, rootInput: ValueType, item: ValueType | undefined): ValueType {
    const byReader = this.templates.get(scope) ?? new Map<number, TemplateUse[]>();
    if (!scope.order) return UNKNOWN;
    const mapUses = new Set<TemplateUse>();
    for (const node of scope.nodes) for (const edge of node.incoming) if (edge.map) mapUses.add(this.byCompiled.get(edge.map)!);
    const { subflowOutput } = this.options;
    // A node's templates are all in its config, at [...basePath, 'nodes', index, 'config', ...].
    const configDepth = scope.basePath.length + 3;

    const order = scope.order;
    for (let k = 0; k < order.length; k++) {
      const index = order[k];
      const node = scope.nodes[index];
      const contributions = node.incoming.map((edge) => {
        const source = edge.port === ERROR_PORT ? errorPortType(this.inputs.get(edge.from) ?? UNKNOWN) : (this.outputs.get(edge.from) ?? UNKNOWN);
        const mapUse = edge.map ? this.byCompiled.get(edge.map) : undefined;
        const type = mapUse ? this.typeOfUse(mapUse, { scope, reader: index, input: source, item }) : source;
        return { from: edge.from.id, type };
      });
      const input = contributions.length === 0 ? rootInput : contributions.length === 1 ? contributions[0].type : combineInputs(contributions.map((c) => c.type));
      this.inputs.set(node, input);

      // The types of the node's templated config values: `items`, `output`, or the whole config.
      const uses = byReader.get(index) ?? NO_USES;
      const typed: ValueType[] = [];
      const reader: Reader = { scope, reader: index, input };
      let itemReader: Reader | undefined;
      for (let u = 0; u < uses.length; u++) {
        const use = uses[u];
        if (mapUses.size > 0 && mapUses.has(use)) {
          typed.push(UNKNOWN);
          continue;
        }
        const type = this.typeOfUse(use, use.itemScope ? (itemReader ??= { scope, reader: index, input, item }) : reader);
        typed.push(type);
        if (node.type.type === 'filter' && isConfigKey(use.path, configDepth, 'items')) (itemReader ??= { scope, reader: index, input, item }).item = elementOf(type);
      }
      const configValue = (key: string): ValueType | undefined => {
        let whole: ValueType | undefined;
        for (let u = 0; u < uses.length; u++) {
          if (mapUses.size > 0 && mapUses.has(uses[u])) continue;
          const path = uses[u].path;
          if (isConfigKey(path, configDepth, key)) return typed[u];
          if (whole === undefined && path.length === configDepth) whole = typed[u];
        }
        return whole === undefined ? undefined : propertyTypeOf(whole, key);
      };
      let bodyOutput: ValueType | undefined;
      const body = this.bodies.get(node);
      if (body) {
        const element = elementOf(configValue('items') ?? UNKNOWN);
        bodyOutput = this.typeGraph(body, element, element);
      }
      this.outputs.set(node, outputTypeOf({ node, input, contributions, configValue, bodyOutput, subflowOutput }));
    }

    let output: ValueType | undefined;
    const outputPath = [...scope.basePath, 'output'];
    for (const use of byReader.get(-1) ?? []) {
      const type = this.typeOfUse(use, { scope, input: UNKNOWN, ...(use.itemScope && item !== undefined ? { item } : {}) });
      if (samePath(use.path, outputPath)) output = type;
    }
    if (output) return output;
    const sinks = scope.nodes.filter((n) => n.outgoing.length === 0);
    return sinks.length === 1 ? (this.outputs.get(sinks[0]) ?? UNKNOWN) : UNKNOWN;
  }

  private typeOfUse(use: TemplateUse, reader: Reader): ValueType {
    this.reader = reader;
    this.base = use.path;
    this.inner = [];
    if (use.kind === 'condition') return this.typeOfCondition(use);
    return this.typeOfValue(use.value, 0);
  }

  /** A JSON value whose strings may hold templates (at `this.inner` from the use's path): its shape, each template typed. */
  private typeOfValue(value: unknown, depth: number): ValueType {
    if (typeof value === 'string') return this.typeOfString(value);
    if (typeof value !== 'object' || value === null) return typeOfLiteral(value);
    if (depth > MAX_VALUE_DEPTH || this.walking.includes(value)) return UNKNOWN;
    const isArray = Array.isArray(value);
    if (!isArray) {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) return UNKNOWN;
    }
    const inner = this.inner;
    this.walking.push(value);
    try {
      if (isArray) {
        if (value.length === 0) return arrayOf(UNKNOWN);
        const elements: ValueType[] = [];
        for (let i = 0; i < value.length; i++) {
          inner.push(i);
          elements.push(this.typeOfValue(value[i], depth + 1));
          inner.pop();
        }
        return arrayOf(unionOf(elements));
      }
      const props = new Map<string, PropertyType>();
      for (const key of Object.keys(value)) {
        inner.push(key);
        props.set(key, requiredProperty(this.typeOfValue((value as Record<string, unknown>)[key], depth + 1)));
        inner.pop();
      }
      return closedObjectOf(props);
    } finally {
      this.walking.pop();
    }
  }

  private typeOfString(text: string): ValueType {
    if (!text.includes('{{')) return STRING;
    const segments = scanTemplateString(text);
    let only: ValueType | undefined;
    for (const segment of segments) {
      if (segment.kind !== 'template') continue;
      const compiled = getCompiledExpression(segment.span.source);
      if (!compiled.ok) continue;
      only = this.infer(compiled.node, segment.span.source, segment.span.sourceStart);
    }
    // One template and nothing around it keeps its type; anything else is text.
    return segments.length === 1 && segments[0].kind === 'template' ? (only ?? UNKNOWN) : STRING;
  }

  private typeOfCondition(use: TemplateUse): ValueType {
    const value = use.value;
    if (typeof value === 'string') {
      const segments = scanTemplateString(value);
      if (segments.every((s) => s.kind === 'text')) {
        const compiled = getCompiledExpression(value);
        if (compiled.ok) this.infer(compiled.node, value, 0);
      } else {
        this.typeOfString(value);
      }
      return BOOLEAN;
    }
    if (typeof value === 'object' && value !== null) {
      this.typeOfValue(value, 0);
      for (const { path, reference } of collectConditionReferences(value)) {
        if (isVarString(path)) this.checkVarPath(reference.root, reference.path, [...use.path, ...path]);
      }
    }
    return BOOLEAN;
  }

  /** A JSON Logic `var` path ("nodes.x.json.urgent"): read step by step, a missing step reported on its text. */
  private checkVarPath(root: string, steps: (string | number)[], path: JsonPath): void {
    this.base = path;
    this.inner = [];
    this.offset = 0;
    let offset = root.length + 1;
    let type: ValueType;
    let rest = steps;
    if (root === 'nodes' || root === 'variables') {
      if (typeof steps[0] !== 'string') return;
      type = this.entry(root, steps[0], 0, offset + steps[0].length, false);
      offset += steps[0].length + 1;
      rest = steps.slice(1);
    } else {
      type = this.root(root);
    }
    for (const [i, step] of rest.entries()) {
      if (isOpaque(type)) return;
      const read = readProperty(type, step);
      const length = String(step).length;
      if (!read.found) {
        const written = [root, ...steps.slice(0, steps.length - rest.length + i)].join('.');
        const suggestion = closestName(String(step), read.known);
        const data: Record<string, unknown> = { property: String(step), known: read.known, bracketed: false };
        if (suggestion) data.suggestion = suggestion;
        const hint = suggestion ? `. Did you mean '${suggestion}'?` : read.known.length > 0 ? `: its properties: ${read.known.join(', ')}` : '';
        this.reportAt('unknown-property', 'error', `Property '${step}' does not exist on ${written}${hint}`, path, offset, offset + length, data);
        return;
      }
      type = read.type;
      offset += length + 1;
    }
  }

  /** Types the expression found at `offset` in the string being typed. */
  private infer(node: ExprNode, source: string, offset: number): ValueType {
    this.offset = offset;
    return this.typer.typeOf(node, source);
  }

  /** The path of the string being typed (a copy is made only when something is reported). */
  private currentPath(): JsonPath {
    return this.inner.length === 0 ? this.base : [...this.base, ...this.inner];
  }

  private reportAt(code: TypeProblemCode | 'maybe-skipped', severity: 'error' | 'warning', message: string, path: JsonPath, start: number, end: number, data?: Record<string, unknown>): void {
    this.ctx.report(code, severity, message, path, data ? { start, end, data } : { start, end });
  }

  /** TypeEnvironment: a root name as the current reader sees it. */
  root(name: string): ValueType {
    const reader = this.reader;
    switch (name) {
      case 'trigger':
        return this.triggerType;
      case 'input':
        return reader?.input ?? UNKNOWN;
      case 'secrets':
        return SECRETS;
      case 'execution':
        return EXECUTION;
      case 'item':
        return reader?.item ?? UNKNOWN;
      case 'index':
        return reader?.item === undefined ? UNKNOWN : NUMBER;
      default:
        return UNKNOWN;
    }
  }

  /** TypeEnvironment: `nodes.<key>` or `variables.<key>` read by the current reader; offsets into the expression. */
  entry(root: 'nodes' | 'variables', key: string, start: number, end: number, guarded: boolean): ValueType {
    if (root === 'variables') return this.variableType(key);
    const reader = this.reader;
    if (!reader) return UNKNOWN;
    return this.nodeOutput(reader.scope, reader.reader, key, this.offset + start, this.offset + end, guarded);
  }

  private variableType(key: string): ValueType {
    if (!Object.hasOwn(this.variables, key)) return UNKNOWN;
    let type = this.variableTypes.get(key);
    if (type === undefined) this.variableTypes.set(key, (type = typeOfLiteral(this.variables[key])));
    return type;
  }

  /** `nodes.<id>` read by `reader` of `scope`: its type, noting a read that may find it skipped. */
  private nodeOutput(scope: GraphScope, reader: number | undefined, id: string, start: number, end: number, guarded: boolean): ValueType {
    let s: GraphScope | undefined = scope;
    let r = reader;
    let target: number | undefined;
    while (s) {
      target = s.ids.get(id);
      if (target !== undefined) break;
      r = s.parent?.owner;
      s = s.parent?.scope;
    }
    if (!s || target === undefined) return UNKNOWN;
    const node = s.nodes[target];
    if (r !== undefined && r !== target && !guarded && s.order && !this.guaranteesOf(s).ranBefore(target, r)) {
      this.pendingSkips.push({ scope: s, query: { reader: r, target }, targetId: id, readerId: s.nodes[r].id, path: this.currentPath(), start, end });
    }
    return this.outputs.get(node) ?? UNKNOWN;
  }

  private guaranteesOf(scope: GraphScope): RunGuarantees {
    let guarantees = this.guarantees.get(scope);
    if (!guarantees) {
      guarantees = computeRunGuarantees({
        nodeCount: scope.nodes.length,
        incoming: scope.nodes.map((node) => node.incoming.map((edge) => ({ from: edge.from.index, alwaysFires: alwaysFires(edge.from, edge.port) }))),
        order: scope.order!,
      });
      this.guarantees.set(scope, guarantees);
    }
    return guarantees;
  }

  /** maybe-skipped only where x is upstream of the reader: elsewhere `not-upstream` already says more. */
  private reportSkips(): void {
    const byScope = new Map<GraphScope, PendingSkip[]>();
    for (const skip of this.pendingSkips) {
      const list = byScope.get(skip.scope);
      if (list) list.push(skip);
      else byScope.set(skip.scope, [skip]);
    }
    for (const [scope, skips] of byScope) {
      const answers = answerUpstream(scope.nodes.length, scope.incoming, scope.order!, skips.map((s) => s.query));
      skips.forEach((skip, i) => {
        if (!answers[i]) return;
        this.reportAt(
          'maybe-skipped',
          'warning',
          `Node '${skip.targetId}' is on a branch that may not run before '${skip.readerId}' runs, so nodes.${skip.targetId} may be undefined here. Give a fallback (nodes.${skip.targetId} ?? ...) or read it on its own branch`,
          skip.path,
          skip.start,
          skip.end,
          { nodeId: skip.targetId, readerId: skip.readerId },
        );
      });
    }
  }
}

/** Several incoming edges: objects merge (later keys winning); anything else is not worth guessing at. */
function combineInputs(types: ValueType[]): ValueType {
  if (types.every((t) => t.kind === 'object')) return assignObjects(types);
  return types.some((t) => t.kind === 'object') ? OPEN_OBJECT : UNKNOWN;
}

/** Whether an edge on `port` fires whenever `node` completes: `out` of a node that has no branch ports. */
function alwaysFires(node: CompiledNode, port: string): boolean {
  if (port !== DEFAULT_PORT || node.handlesErrors) return false;
  if (node.disabled) return true;
  return node.ports.length === 1 && node.ports[0] === DEFAULT_PORT;
}

function samePath(a: JsonPath, b: JsonPath): boolean {
  return a.length === b.length && a.every((step, i) => step === b[i]);
}

/** Whether a node's template is its config's `key` (`configDepth`: the length of the config's path). */
function isConfigKey(path: JsonPath, configDepth: number, key: string): boolean {
  return path.length === configDepth + 1 && path[configDepth] === key;
}

const REQUIRED = new Map<ValueType, PropertyType>([STRING, NUMBER, BOOLEAN, NULL, UNKNOWN].map((t) => [t, { type: t, optional: false }]));

/** `{ type, optional: false }`, shared for the scalar types (a transform's output has many). */
function requiredProperty(type: ValueType): PropertyType {
  return REQUIRED.get(type) ?? { type, optional: false };
}

/** The path of a `var` operation's string: `{"var": "a.b"}` or `{"var": ["a.b", fallback]}`. */
function isVarString(path: JsonPath): boolean {
  const last = path[path.length - 1];
  return last === 'var' || (last === 0 && path[path.length - 2] === 'var');
}

