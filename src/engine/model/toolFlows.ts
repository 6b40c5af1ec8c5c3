// An `ai` node's `tools` name subflow files (spec section 7, v1.1). A tool whose file does not exist is an
// error, `unknown-tool-flow`, on its `flow`: the model would be offered a tool that fails on its first call.
// Two tools of one node with the same explicit `name` are an error too (the API refuses the request). A tool
// without a name takes its flow's id, known only once the file is loaded, so that clash is found at run time.

import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { CompileContext } from './compileContext';
import type { JsonPath } from '../../shared/jsonPath';
import { isPlainObject } from '../../shared/isPlainObject';

export function checkToolFlows(ctx: CompileContext, definition: unknown, file: string): void {
  const walk = (nodes: unknown, base: JsonPath): void => {
    if (!Array.isArray(nodes)) return;
    nodes.forEach((node: unknown, i) => {
      if (!isPlainObject(node) || !isPlainObject(node.config)) return;
      const config = node.config;
      if (node.type === 'ai' && Array.isArray(config.tools)) checkTools(ctx, config.tools, [...base, i, 'config', 'tools'], file);
      if (isPlainObject(config.body)) walk(config.body.nodes, [...base, i, 'config', 'body', 'nodes']);
    });
  };
  if (isPlainObject(definition)) walk(definition.nodes, ['nodes']);
}

function checkTools(ctx: CompileContext, tools: unknown[], base: JsonPath, file: string): void {
  const names = new Set<string>();
  tools.forEach((tool, index) => {
    if (!isPlainObject(tool)) return;
    const flow = tool.flow;
    if (typeof flow === 'string' && flow !== '' && !flow.includes('{{') && !existsSync(resolve(dirname(file), flow))) {
      ctx.report('unknown-tool-flow', 'error', `The tool's flow ${flow} does not exist (relative to this file)`, [...base, index, 'flow'], {
        data: { flow },
      });
    }
    if (typeof tool.name === 'string') {
      if (names.has(tool.name)) ctx.report('invalid-config', 'error', `Two tools of this node are named ${tool.name}`, [...base, index, 'name']);
      names.add(tool.name);
    }
  });
}
