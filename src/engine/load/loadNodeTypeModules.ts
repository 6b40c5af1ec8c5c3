// Loads a flow's custom node types (spec section 10): each module listed in the flow's "imports" default-exports
// `defineNodeType({ type, configSchema, ports, run })` from 'weft'. This is the `loadImports` option of
// compileFlow; the types it returns are registered next to the built-ins and validated and run exactly like them.
//
// Every problem is reported on the flow, at its `imports` entry (`path: ["imports", i]` and `data.specifier`, with
// no range: compileFlow places it), because that is the file being compiled; where the problem lies inside the
// module, the message names the module's file, line and column, and `data.file` and `data.range` carry them for a
// related-location link.

import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Diagnostic } from '../model/diagnostics';
import type { NodeTypeDefinition } from '../nodes/nodeType';
import { bundleModule, type BundleOptions } from './bundleModule';

export interface LoadedNodeTypes {
  types: NodeTypeDefinition[];
  diagnostics: Diagnostic[];
}

const SHAPE = '`export default defineNodeType({ type, configSchema, ports, run })`';

/**
 * Loads each module of `specifiers`: relative paths from the folder of `fromFile` (the flow), package names
 * from its node_modules.
 */
export function loadNodeTypeModules(specifiers: string[], fromFile: string, options: BundleOptions = {}): LoadedNodeTypes {
  const types: NodeTypeDefinition[] = [];
  const diagnostics: Diagnostic[] = [];
  const definedBy = new Map<string, string>();

  specifiers.forEach((specifier, index) => {
    const report = (message: string, data?: Record<string, unknown>, code: Diagnostic['code'] = 'load-error'): void => {
      const diagnostic: Diagnostic = { code, severity: 'error', message, file: fromFile, path: ['imports', index] };
      diagnostic.data = { specifier, ...data };
      diagnostics.push(diagnostic);
    };

    const file = resolveSpecifier(specifier, fromFile);
    if (file === undefined) {
      report(`Cannot find the node type module '${specifier}'.`);
      return;
    }

    const bundle = bundleModule(file, options);
    if (bundle.diagnostics.length > 0) {
      for (const problem of bundle.diagnostics) {
        const where = problem.file === undefined ? specifier : `${relative(dirname(fromFile), problem.file)}:${(problem.range?.start.line ?? 0) + 1}:${(problem.range?.start.character ?? 0) + 1}`;
        report(`In the node type module '${specifier}' (${where}): ${problem.message}`, { file: problem.file, range: problem.range }, problem.code);
      }
      return;
    }

    const definition = (bundle.exports as { default?: unknown } | undefined)?.default;
    const problem = shapeProblem(definition);
    if (problem !== undefined) {
      report(`The node type module '${specifier}' must ${SHAPE}: ${problem}.`, { file });
      return;
    }
    const type = withDefaults(definition as NodeTypeDefinition);
    const earlier = definedBy.get(type.type);
    if (earlier !== undefined) {
      report(`The node type '${type.type}' is already defined by '${earlier}'.`, { file });
      return;
    }
    definedBy.set(type.type, specifier);
    types.push(type);
  });

  return { types, diagnostics };
}

function resolveSpecifier(specifier: string, fromFile: string): string | undefined {
  if (specifier.startsWith('.') || isAbsolute(specifier)) {
    const file = resolve(dirname(fromFile), specifier);
    return existsSync(file) ? file : undefined;
  }
  try {
    return createRequire(resolve(fromFile)).resolve(specifier);
  } catch {
    return undefined;
  }
}

/** What is wrong with a default export that should be a node type, or undefined. */
function shapeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return value === undefined ? 'it has no default export' : 'its default export is not an object';
  const definition = value as Partial<Record<keyof NodeTypeDefinition, unknown>>;
  if (typeof definition.type !== 'string' || definition.type.length === 0) return '`type` is missing';
  if (typeof definition.run !== 'function') return '`run` is not a function';
  const schema = definition.configSchema as { safeParse?: unknown } | undefined;
  if (schema === null || typeof schema !== 'object' || typeof schema.safeParse !== 'function') return '`configSchema` is not a zod schema';
  const ports = definition.ports;
  if (ports !== undefined && typeof ports !== 'function' && !(Array.isArray(ports) && ports.every((p) => typeof p === 'string'))) {
    return '`ports` is neither a list of port names nor a function';
  }
  return undefined;
}

// Normalised once per definition, so that a module loaded from cache gives the very same type object.
const normalised = new WeakMap<NodeTypeDefinition, NodeTypeDefinition>();

/** Spec section 10 names only type, configSchema, ports and run: the rest gets the obvious defaults. */
function withDefaults(definition: NodeTypeDefinition): NodeTypeDefinition {
  if (typeof definition.title === 'string' && typeof definition.description === 'string' && definition.ports !== undefined) return definition;
  let type = normalised.get(definition);
  if (type === undefined) {
    type = {
      ...definition,
      title: typeof definition.title === 'string' ? definition.title : definition.type,
      description: typeof definition.description === 'string' ? definition.description : '',
      ports: definition.ports ?? ['out'],
    };
    normalised.set(definition, type);
  }
  return type;
}
