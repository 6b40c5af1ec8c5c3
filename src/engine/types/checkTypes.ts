// The type checks of a compile (spec section 7, v1.1): once every graph is built and references are checked,
// walk each graph in topological order, give every node an input type (from its incoming edges, the trigger's
// `inputs` schema or the loop item) and an output type (nodeOutputTypes.ts), and type every template a node
// reads on the way. Reported: `unknown-property` and `type-mismatch` (errors) at the exact token, and
// `maybe-skipped` (a warning) where a node reads `nodes.x` and x may not have run on the paths that reach it.
// Nothing is said where a type is unknown. The checks are an extra: a bug in them must never stop a flow from
// compiling, so one is reported as a warning.

import type { ExprNode } from '../expr/exprTypes';
import { compiledTemplate, getCompiledExpression } from '../expr/compileCache';
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
import type { OutputTypeFacts } from './nodeOutputTypes';
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

/**
 * The checker is the expressions' environment itself: what is being typed (the reader, the path of the string and
 * the offset of the expression in it) is set before each expression, instead of closures and path copies per
 * template. The editor runs these checks on every edit (`bench --types` measures them).
 */
class TypeChecker implements TypeEnvironment {
  private readonly triggerType: ValueType;
  private readonly variables: Record<string, unknown>;
  private readonly variableTypes = new Map<string, ValueType>();
  /** The inputs and outputs found so far, by graph, then by node index (unknown until typed). */
  private readonly graphTypes = new Map<GraphScope, GraphTypes>();
  /**
   * The compile's templates (ctx.templates), listed by graph and reader without a list per node: `firstUse` gives,
   * for each reader index (the node count: read at the end of the graph), the first of its templates, and
   * `nextUse` the one after each (-1: none). Source order is kept.
   */
  private readonly uses: readonly TemplateUse[];
  private readonly firstUse = new Map<GraphScope, Int32Array>();
  private readonly nextUse: Int32Array;
  /** The type found for each template, by its index in `uses`. */
  private readonly usedTypes: ValueType[];
  /** Template index by compiled value, for edge maps; built when a graph has one. */
  private byCompiled: Map<unknown, number> | undefined;
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
    const uses = ctx.templates;
    this.uses = uses;
    this.usedTypes = new Array<ValueType>(uses.length);
    this.nextUse = new Int32Array(uses.length);
    // Backwards, each use put in front of its reader's list: the lists come out in source order.
    for (let i = uses.length - 1; i >= 0; i--) {
      const use = uses[i];
      let first = this.firstUse.get(use.scope);
      if (!first) this.firstUse.set(use.scope, (first = new Int32Array(use.scope.nodes.length + 1).fill(-1)));
      const key = use.reader ?? use.scope.nodes.length;
      this.nextUse[i] = first[key];
      first[key] = i;
    }
    for (const scope of ctx.scopes) if (scope.parent) this.bodies.set(scope.parent.scope.nodes[scope.parent.owner], scope);
  }

  run(): void {
    const root = this.ctx.scopes[0];
    if (!root) return;
    this.rootOutput = this.typeGraph(root, this.triggerType, undefined);
    this.reportSkips();
  }

  /** The map by node id is built when read (`weft export` reads it; the editor's compiles do not). */
  rootTypes(): FlowValueTypes {
    const root = this.ctx.scopes[0];
    const types = root ? this.graphTypes.get(root) : undefined;
    let nodes: Map<string, { input: ValueType; output: ValueType }> | undefined;
    return {
      trigger: this.triggerType,
      get nodes() {
        if (nodes) return nodes;
        nodes = new Map();
        for (const node of root?.nodes ?? []) {
          nodes.set(node.id, { input: types?.inputs[node.index] ?? UNKNOWN, output: types?.outputs[node.index] ?? UNKNOWN });
        }
        return nodes;
      },
      output: this.rootOutput,
    };
  }

  private typesOf(scope: GraphScope): GraphTypes {
    let types = this.graphTypes.get(scope);
    if (!types) {
      const count = scope.nodes.length;
      types = { inputs: new Array<ValueType>(count).fill(UNKNOWN), outputs: new Array<ValueType>(count).fill(UNKNOWN) };
      this.graphTypes.set(scope, types);
    }
    return types;
  }

  /** Marks the templates that are edge maps of this graph (typed with their edge, not with their node). */
  private edgeMapsOf(scope: GraphScope): Uint8Array | undefined {
    let maps: Uint8Array | undefined;
    for (const node of scope.nodes) {
      for (const edge of node.incoming) {
        if (!edge.map) continue;
        if (!this.byCompiled) {
          this.byCompiled = new Map();
          for (let i = 0; i < this.uses.length; i++) this.byCompiled.set(this.uses[i].compiled, i);
        }
        const index = this.byCompiled.get(edge.map);
        if (index === undefined) continue;
        (maps ??= new Uint8Array(this.uses.length))[index] = 1;
      }
    }
    return maps;
  }

  /** Types the nodes and templates of one graph; returns the type of the graph's output. */
  private typeGraph(scope: GraphScope, rootInput: ValueType, item: ValueType | undefined): ValueType {
    if (!scope.order) return UNKNOWN;
    const first = this.firstUse.get(scope);
    const next = this.nextUse;
    const usedTypes = this.usedTypes;
    const edgeMaps = this.edgeMapsOf(scope);
    const { inputs, outputs } = this.typesOf(scope);
    // One reader, one facts object and one list of edge types for the whole graph, set again for each node.
    const reader: Reader = { scope, reader: 0, input: UNKNOWN, item: undefined };
    const itemReader: Reader = { scope, reader: 0, input: UNKNOWN, item };
    const facts = new NodeFacts(this.uses, usedTypes, next, scope.basePath.length + 3, edgeMaps, this.options.subflowOutput);
    // Written over, never truncated: `length = 0` would free the array's storage and the next push allocate it again.
    const edgeTypes: ValueType[] = [];

    const order = scope.order;
    for (let k = 0; k < order.length; k++) {
      const index = order[k];
      const node = scope.nodes[index];
      const incoming = node.incoming;
      for (let e = 0; e < incoming.length; e++) {
        const edge = incoming[e];
        const from = edge.from.index;
        const source = edge.port === ERROR_PORT ? errorPortType(inputs[from]) : outputs[from];
        const mapIndex = edge.map && this.byCompiled ? this.byCompiled.get(edge.map) : undefined;
        edgeTypes[e] = mapIndex === undefined ? source : this.typeOfUse(this.uses[mapIndex], { scope, reader: index, input: source, item });
      }
      const input = incoming.length === 0 ? rootInput : incoming.length === 1 ? edgeTypes[0] : combineInputs(edgeTypes.slice(0, incoming.length));
      inputs[index] = input;

      // The types of the node's templated config values: `items`, `output`, or the whole config.
      reader.reader = index;
      reader.input = input;
      itemReader.reader = index;
      itemReader.input = input;
      itemReader.item = item;
      const firstOfNode = first ? first[index] : -1;
      facts.clearConfig();
      let wholeSeen = false;
      for (let u = firstOfNode; u >= 0; u = next[u]) {
        const use = this.uses[u];
        if (edgeMaps !== undefined && edgeMaps[u] === 1) {
          usedTypes[u] = UNKNOWN;
          continue;
        }
        const useReader = use.itemScope ? itemReader : reader;
        if (!wholeSeen && use.path.length === facts.configDepth) {
          wholeSeen = true;
          if (use.kind === 'template' && this.typeOfConfig(use, useReader, facts)) {
            facts.configUse = u;
            usedTypes[u] = UNKNOWN;
            continue;
          }
        }
        const type = this.typeOfUse(use, useReader);
        usedTypes[u] = type;
        if (node.type.type === 'filter' && isConfigKey(use.path, facts.configDepth, 'items')) itemReader.item = elementOf(type);
      }
      facts.set(node, input, firstOfNode, edgeTypes);
      const body = this.bodies.get(node);
      if (body) {
        const element = elementOf(facts.configValue('items') ?? UNKNOWN);
        facts.bodyOutput = this.typeGraph(body, element, element);
      }
      outputs[index] = outputTypeOf(facts);
    }

    let output: ValueType | undefined;
    const outputPath = [...scope.basePath, 'output'];
    for (let u = first ? first[scope.nodes.length] : -1; u >= 0; u = next[u]) {
      const use = this.uses[u];
      const type = this.typeOfUse(use, { scope, input: UNKNOWN, ...(use.itemScope && item !== undefined ? { item } : {}) });
      if (samePath(use.path, outputPath)) output = type;
    }
    if (output) return output;
    let sink = -1;
    for (const n of scope.nodes) {
      if (n.outgoing.length > 0) continue;
      if (sink >= 0) return UNKNOWN;
      sink = n.index;
    }
    return sink >= 0 ? outputs[sink] : UNKNOWN;
  }

  private typeOfUse(use: TemplateUse, reader: Reader): ValueType {
    this.reader = reader;
    this.base = use.path;
    // typeOfValue leaves it as it found it: kept, not replaced or truncated (either would allocate again).
    if (this.inner.length > 0) this.inner = [];
    if (use.kind === 'condition') return this.typeOfCondition(use);
    return this.typeOfValue(use.value, 0);
  }

  /**
   * A node's whole config (the templates of a node type without `prepare`), typed key by key into `facts` instead
   * of as one object type: only configValue reads it, by key, so no map of its keys is built for every node.
   * False, with nothing typed, when the config is no plain object (typeOfUse types it then).
   */
  private typeOfConfig(use: TemplateUse, reader: Reader, facts: NodeFacts): boolean {
    const value = use.value;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    this.reader = reader;
    this.base = use.path;
    if (this.inner.length > 0) this.inner = [];
    const inner = this.inner;
    // As typeOfValue does for the config object itself (depth 0), its values at depth 1.
    this.walking.push(value);
    try {
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
        inner.push(key);
        facts.addConfigKey(key, this.typeOfValue((value as Record<string, unknown>)[key], 1));
        inner.pop();
      }
    } finally {
      this.walking.pop();
    }
    return true;
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
      // for-in, not Object.keys: no array of keys per object (the prototype is Object.prototype or null, above).
      for (const key in value) {
        if (!Object.hasOwn(value, key)) continue;
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
      const compiled = compiledTemplate(segment);
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
    if (r !== undefined && r !== target && !guarded && s.order && !onlySourceOf(s.nodes[r], target) && !this.guaranteesOf(s).ranBefore(target, r)) {
      this.pendingSkips.push({ scope: s, query: { reader: r, target }, targetId: id, readerId: s.nodes[r].id, path: this.currentPath(), start, end });
    }
    return this.graphTypes.get(s)?.outputs[target] ?? UNKNOWN;
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

/** Whether every edge into `reader` comes from node `target`: then `target` has run whenever `reader` runs. */
function onlySourceOf(reader: CompiledNode, target: number): boolean {
  const incoming = reader.incoming;
  if (incoming.length === 0) return false;
  for (let e = 0; e < incoming.length; e++) if (incoming[e].from.index !== target) return false;
  return true;
}

interface GraphTypes {
  inputs: ValueType[];
  outputs: ValueType[];
}

/**
 * What outputTypeOf is told about one node, as one object per graph set again for each node: its templates are a
 * list in the checker's arrays, and `contributions` (read by merge only) is built when read.
 */
class NodeFacts implements OutputTypeFacts {
  node!: CompiledNode;
  input: ValueType = UNKNOWN;
  bodyOutput: ValueType | undefined;
  private firstUse = -1;
  private edgeTypes: readonly ValueType[] = [];
  private built: { from: string; type: ValueType }[] | undefined;
  /** The use whose value is the whole config, typed key by key (typeOfConfig); -1: none. */
  configUse = -1;
  // The whole config's keys and their types; written over for each node, never truncated.
  private readonly configKeys: string[] = [];
  private readonly configTypes: ValueType[] = [];
  private configCount = 0;

  constructor(
    private readonly uses: readonly TemplateUse[],
    private readonly usedTypes: readonly ValueType[],
    private readonly nextUse: Int32Array,
    /** The length of a node config's path: [...basePath, 'nodes', index, 'config']. */
    readonly configDepth: number,
    private readonly edgeMaps: Uint8Array | undefined,
    readonly subflowOutput: ((flowPath: string) => ValueType) | undefined,
  ) {}

  clearConfig(): void {
    this.configUse = -1;
    this.configCount = 0;
  }

  addConfigKey(key: string, type: ValueType): void {
    this.configKeys[this.configCount] = key;
    this.configTypes[this.configCount] = type;
    this.configCount++;
  }

  set(node: CompiledNode, input: ValueType, firstUse: number, edgeTypes: readonly ValueType[]): void {
    this.node = node;
    this.input = input;
    this.firstUse = firstUse;
    this.edgeTypes = edgeTypes;
    this.built = undefined;
    this.bodyOutput = undefined;
  }

  get contributions(): readonly { from: string; type: ValueType }[] {
    return (this.built ??= this.node.incoming.map((edge, i) => ({ from: edge.from.id, type: this.edgeTypes[i] })));
  }

  configValue(key: string): ValueType | undefined {
    const depth = this.configDepth;
    let whole = -1;
    for (let u = this.firstUse; u >= 0; u = this.nextUse[u]) {
      if (this.edgeMaps !== undefined && this.edgeMaps[u] === 1) continue;
      const path = this.uses[u].path;
      if (isConfigKey(path, depth, key)) return this.usedTypes[u];
      if (whole < 0 && path.length === depth) whole = u;
    }
    if (whole < 0) return undefined;
    if (whole !== this.configUse) return propertyTypeOf(this.usedTypes[whole], key);
    // What propertyTypeOf finds on the closed object typeOfValue would have built.
    for (let i = 0; i < this.configCount; i++) if (this.configKeys[i] === key) return this.configTypes[i];
    return undefined;
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

