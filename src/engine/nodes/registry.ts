// The node type registry. Built-ins register exactly as a workspace's custom types do (spec sections 7 and 10);
// the JSON schema, the canvas palette and completion all read from here.

import { WeftError } from '../errors';
import type { NodeTypeDefinition } from './nodeType';

export class NodeRegistry {
  private readonly types = new Map<string, NodeTypeDefinition>();

  constructor(types: Iterable<NodeTypeDefinition> = []) {
    for (const type of types) this.register(type);
  }

  register(type: NodeTypeDefinition): void {
    if (!type || typeof type.type !== 'string' || typeof type.run !== 'function') {
      throw new WeftError('usage', 'A node type needs a `type` name and a `run` function.');
    }
    this.types.set(type.type, type);
  }

  get(type: string): NodeTypeDefinition | undefined {
    return this.types.get(type);
  }

  has(type: string): boolean {
    return this.types.has(type);
  }

  list(): NodeTypeDefinition[] {
    return [...this.types.values()];
  }

  names(): string[] {
    return [...this.types.keys()];
  }

  /** A copy to which a flow's own imported types can be added without touching this one. */
  extend(types: Iterable<NodeTypeDefinition>): NodeRegistry {
    const copy = new NodeRegistry(this.types.values());
    for (const type of types) copy.register(type);
    return copy;
  }
}
