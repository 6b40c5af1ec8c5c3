// Source text or object -> CompiledFlow plus positioned diagnostics (spec sections 2 to 7 and 9). The steps, in
// order: parse the JSONC text (invalid-json stops here), check the file against the format's schema
// (invalid-schema stops here), load `imports`, compile the graph and any loop bodies (node types, configs,
// edges, ports, cycles, templates), check the flow-level parts (inputs, triggers, tests, layout, subflows that lead
// back to this file), then check every reference templates make. The flow is returned only when no diagnostic is an error.
//
// compileFlow never throws: a bug in here, or in a node type's code it calls, becomes an `internal` diagnostic.

import { createHash } from 'node:crypto';
import { createDefaultRegistry } from '../nodes/builtins';
import type { NodeTypeDefinition } from '../nodes/nodeType';
import type { NodeRegistry } from '../nodes/registry';
import { checkReferences } from './checkReferences';
import { CompileContext } from './compileContext';
import { DEFAULT_CONCURRENCY, DEFAULT_RUN_TIMEOUT_MS } from './compiledFlow';
import type { CompiledFlow } from './compiledFlow';
import { compileGraph } from './compileGraph';
import { compileNotify } from './compileNotify';
import { compileTriggers } from './compileTriggers';
import { hasErrors } from './diagnostics';
import type { Diagnostic, Range } from './diagnostics';
import { flowSchema } from './flowSchema';
import type { FlowDefinition } from './flowSchema';
import { acceptAnyInput, createInputValidator } from './inputValidator';
import type { InputValidator } from './inputValidator';
import { closestName } from './closestName';
import { parseJsonSource } from './jsonSource';
import { describeIssues } from './schemaIssues';
import { checkSubflowRecursion } from './subflowRecursion';
import { checkToolFlows } from './toolFlows';
import { checkTypes } from '../types/checkTypes';
import type { TypeCheckOptions } from '../types/checkTypes';
import { subflowOutputType } from '../types/subflowOutputType';
import { findUnboundedRef } from './unboundedSchemaRef';
import { objectLocator } from './sourceLocator';
import type { JsonPath } from '../../shared/jsonPath';
import type { SourceLocator } from './sourceLocator';

export interface CompileOptions {
  /** Absolute path of the source file: put on diagnostics and the flow, and handed to node types (relative paths). */
  file?: string;
  /** The node types a flow may use. Default: the built-ins. */
  registry?: NodeRegistry;
  /** For an object source (a `.flow.ts` export): where a JSON path is in its file; diagnostics get no range without it. */
  locate?: (path: JsonPath) => Range | undefined;
  /** Loads the modules a flow lists in `imports`; their types extend the registry for this flow only. */
  loadImports?: (specifiers: string[], fromFile: string) => { types: NodeTypeDefinition[]; diagnostics: Diagnostic[] };
  /** False: skip the type checks (unknown-property, type-mismatch, maybe-skipped); for measuring their cost. Default true. */
  checkTypes?: boolean;
  /** Told the CPU time (ms, this process) the type checks took: the benchmark's measure of them alone. */
  onTypeCheckCpu?: (ms: number) => void;
}

export interface CompileResult {
  /** Present if and only if no diagnostic is an error. */
  flow?: CompiledFlow;
  /** Errors and warnings, in source order. */
  diagnostics: Diagnostic[];
}

export function compileFlow(source: string | object, options: CompileOptions = {}): CompileResult {
  const diagnostics: Diagnostic[] = [];
  try {
    const flow = compile(source, options, diagnostics);
    const sorted = sortDiagnostics(diagnostics);
    if (flow && !hasErrors(sorted)) {
      flow.diagnostics = sorted;
      return { flow, diagnostics: sorted };
    }
    return { diagnostics: sorted };
  } catch (error) {
    const internal: Diagnostic = {
      code: 'internal',
      severity: 'error',
      message: `Weft could not compile this flow (a bug in Weft): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    };
    if (options.file !== undefined) internal.file = options.file;
    return { diagnostics: [...sortDiagnostics(diagnostics), internal] };
  }
}

function compile(source: string | object, options: CompileOptions, diagnostics: Diagnostic[]): CompiledFlow | undefined {
  let value: unknown;
  let locator: SourceLocator;
  let hashText: string;
  if (typeof source === 'string') {
    const json = parseJsonSource(source, options.file);
    if (json.errors.length > 0) {
      diagnostics.push(...json.errors);
      return undefined;
    }
    value = json.value;
    locator = json;
    hashText = source;
  } else {
    value = source;
    locator = objectLocator(options.locate);
    hashText = canonicalText(source);
  }

  let registry = options.registry ?? createDefaultRegistry();
  const parsed = flowSchema.safeParse(value);
  if (!parsed.success) {
    const ctx = new CompileContext(locator, registry, options.file, diagnostics);
    for (const issue of describeIssues(parsed.error.issues, value, flowSchema)) {
      ctx.report('invalid-schema', 'error', issue.message, issue.path, { at: issue.at, data: issue.data });
    }
    return undefined;
  }
  const definition = parsed.data;

  if (definition.imports && definition.imports.length > 0 && options.loadImports) {
    registry = loadImports(definition.imports, registry, options, new CompileContext(locator, registry, options.file, diagnostics));
  }

  const ctx = new CompileContext(locator, registry, options.file, diagnostics);
  const { graph, scope } = compileGraph(ctx, { nodes: definition.nodes, edges: definition.edges, output: definition.output }, []);
  const validateInput = inputValidator(ctx, definition);
  const triggers = compileTriggers(ctx, definition, scope, validateInput);
  const notify = compileNotify(ctx, definition, scope);
  checkTests(ctx, definition);
  checkLayout(ctx, definition);
  if (options.file !== undefined) checkSubflowRecursion(ctx, definition, options.file);
  if (options.file !== undefined) checkToolFlows(ctx, definition, options.file);
  const { secretNames, secretReads } = checkReferences(ctx, definition.variables ?? {}, ['variables']);
  const started = options.onTypeCheckCpu ? process.cpuUsage() : undefined;
  const valueTypes = options.checkTypes !== false ? checkTypes(ctx, definition, typeCheckOptions(options)) : undefined;
  if (started) {
    const spent = process.cpuUsage(started);
    options.onTypeCheckCpu!((spent.user + spent.system) / 1000);
  }

  const flow: CompiledFlow = {
    definition,
    id: definition.id,
    hash: createHash('sha256').update(hashText).digest('hex'),
    graph,
    settings: {
      timeoutMs: definition.settings?.timeoutMs ?? DEFAULT_RUN_TIMEOUT_MS,
      concurrency: definition.settings?.concurrency ?? DEFAULT_CONCURRENCY,
    },
    variables: definition.variables ?? {},
    tests: definition.tests ?? [],
    validateInput,
    triggers,
    ...(notify === undefined ? {} : { notify }),
    secretNames,
    secretReads,
    diagnostics: [],
    ...(valueTypes ? { valueTypes } : {}),
  };
  if (options.file !== undefined) flow.file = options.file;
  // On first read: a range means the syntax tree, which a clean compile otherwise never builds (a sixth of
  // compiling a 1,000-node flow); only duplicate-id checks and live activation messages ask for it.
  Object.defineProperty(flow, 'idRange', {
    configurable: true,
    enumerable: true,
    get: () => {
      const idRange = rangeOf(locator, ['id']);
      Object.defineProperty(flow, 'idRange', { value: idRange, enumerable: true, writable: true });
      return idRange;
    },
  });
  return flow;
}

/** Subflow nodes take their child flow's output type: the child compiled (cached) with the same node types. */
function typeCheckOptions(options: CompileOptions): TypeCheckOptions {
  const parent = options.file;
  if (parent === undefined) return {};
  // The caller's node types, not this flow's `imports`: the child loads its own.
  const childOptions: CompileOptions = {
    ...(options.registry ? { registry: options.registry } : {}),
    ...(options.loadImports ? { loadImports: options.loadImports } : {}),
  };
  return {
    subflowOutput: (flowPath) =>
      subflowOutputType(parent, flowPath, (text, file) => compileFlow(text, { ...childOptions, file }).flow?.valueTypes?.output),
  };
}

/** Calls the loader; its types extend the registry, its diagnostics point at the `imports` entry they are about. */
function loadImports(specifiers: string[], registry: NodeRegistry, options: CompileOptions, ctx: CompileContext): NodeRegistry {
  let loaded: { types: NodeTypeDefinition[]; diagnostics: Diagnostic[] };
  try {
    loaded = options.loadImports!(specifiers, options.file ?? '');
  } catch (error) {
    ctx.report('load-error', 'error', `The imported node types could not be loaded: ${messageOf(error)}`, ['imports']);
    return registry;
  }
  for (const diagnostic of loaded.diagnostics ?? []) {
    if (diagnostic.range) {
      ctx.diagnostics.push(diagnostic.file === undefined && options.file !== undefined ? { ...diagnostic, file: options.file } : diagnostic);
      continue;
    }
    const specifier = diagnostic.data?.specifier;
    const entry = specifiers.findIndex((s) => s === specifier || diagnostic.message.includes(s));
    ctx.report(diagnostic.code, diagnostic.severity, diagnostic.message, entry >= 0 ? ['imports', entry] : ['imports'], {
      data: diagnostic.data,
    });
  }
  const types: NodeTypeDefinition[] = [];
  for (const type of loaded.types ?? []) {
    if (type && typeof type.type === 'string' && typeof type.run === 'function') types.push(type);
    else ctx.report('load-error', 'error', 'An imported module did not export a node type (defineNodeType({ type, configSchema, ports, run }))', ['imports']);
  }
  return registry.extend(types);
}

/** Mocks and expectations must name nodes of the flow (loop bodies included). */
function checkTests(ctx: CompileContext, definition: FlowDefinition): void {
  const ids = [...ctx.claimedIds.keys()];
  definition.tests?.forEach((test, k) => {
    const check = (keys: string[], path: JsonPath, what: string): void => {
      for (const id of keys) {
        if (ctx.claimedIds.has(id)) continue;
        const suggestion = closestName(id, ids);
        ctx.report(
          'unknown-reference',
          'error',
          `Test '${test.name}' ${what} unknown node '${id}'${suggestion ? `. Did you mean '${suggestion}'?` : ''}`,
          [...path, id],
          { at: 'key', data: suggestion ? { nodeId: id, suggestion } : { nodeId: id } },
        );
      }
    };
    check(Object.keys(test.mocks ?? {}), ['tests', k, 'mocks'], 'mocks');
    check(Object.keys(test.expect.nodes ?? {}), ['tests', k, 'expect', 'nodes'], 'expects');
  });
}

/** A layout entry for a node that is gone (renamed, deleted) is harmless: a warning, so the canvas can tidy it. */
function checkLayout(ctx: CompileContext, definition: FlowDefinition): void {
  for (const id of Object.keys(definition.layout ?? {})) {
    if (ctx.claimedIds.has(id)) continue;
    ctx.report('unknown-reference', 'warning', `Layout position for unknown node '${id}'`, ['layout', id], { at: 'key', data: { nodeId: id } });
  }
}

function inputValidator(ctx: CompileContext, definition: FlowDefinition): InputValidator {
  if (definition.inputs === undefined) return acceptAnyInput;
  const circularRef = findUnboundedRef(definition.inputs);
  if (circularRef !== undefined) {
    ctx.report(
      'invalid-schema',
      'error',
      'The inputs schema refers to itself without going deeper into the input (e.g. {"$ref": "#"}): checking any input would never end',
      ['inputs', ...circularRef],
    );
    return acceptAnyInput;
  }
  try {
    return createInputValidator(definition.inputs);
  } catch (error) {
    ctx.report('invalid-schema', 'error', `The inputs schema is not a valid JSON Schema: ${messageOf(error)}`, ['inputs'], { at: 'key' });
    return acceptAnyInput;
  }
}

/** The text an object source's hash is taken of: its JSON, with functions (code in a .flow.ts) as their source. */
function canonicalText(source: object): string {
  try {
    return (
      JSON.stringify(source, (_key, value: unknown) => {
        if (typeof value === 'function') return `function:${Function.prototype.toString.call(value)}`;
        if (typeof value === 'bigint') return `bigint:${value}`;
        return value;
      }) ?? ''
    );
  } catch {
    // A cyclic object cannot be written as JSON; the schema check reports what is wrong with it.
    return '';
  }
}

/** Source order (stable); diagnostics without a position keep their order, after the others. */
function sortDiagnostics(diagnostics: Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    if (!a.range || !b.range) return a.range ? -1 : b.range ? 1 : 0;
    return a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  });
}

function rangeOf(locator: SourceLocator, path: JsonPath): Range | undefined {
  try {
    return locator.locate(path)?.range;
  } catch {
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
