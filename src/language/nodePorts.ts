// A node's output ports as the editor shows them (canvas handles, hover, completion after `"port":`): one answer for
// all three, from the node type and its config, tolerant of a half-written config.

import { DEFAULT_PORT, ERROR_PORT, portsOf, type NodeTypeDefinition } from '../engine/nodes/nodeType';

/**
 * A node's ports: the type's output ports, then ports only its edges name (a custom
 * type the canvas does not know, a case being renamed), then `error`.
 */
export function portList(type: NodeTypeDefinition | undefined, config: unknown, used: readonly string[]): string[] {
  let declared: readonly string[] = [DEFAULT_PORT];
  if (type) {
    try {
      declared = portsOf(type, config);
    } catch {
      // A port function that chokes on a half-written config: fall back to what the edges use.
      declared = [];
    }
  }
  const ports = declared.filter((p) => typeof p === 'string' && p !== ERROR_PORT);
  for (const port of used) if (port !== ERROR_PORT && !ports.includes(port)) ports.push(port);
  return [...new Set(ports), ERROR_PORT];
}
