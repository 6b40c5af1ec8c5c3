// The built-in node types of spec section 7, registered exactly as a workspace's own types are.

import { aiNodeType } from './ai';
import { codeNodeType } from './code';
import { failNodeType } from './fail';
import { filterNodeType } from './filter';
import { httpNodeType } from './http';
import { ifNodeType } from './if';
import { logNodeType } from './log';
import { loopNodeType } from './loop';
import { mergeNodeType } from './merge';
import type { NodeTypeDefinition } from './nodeType';
import { NodeRegistry } from './registry';
import { splitNodeType } from './split';
import { subflowNodeType } from './subflow';
import { switchNodeType } from './switch';
import { transformNodeType } from './transform';
import { waitNodeType } from './wait';

export const BUILTIN_NODE_TYPES: readonly NodeTypeDefinition[] = [
  transformNodeType,
  codeNodeType,
  ifNodeType,
  switchNodeType,
  splitNodeType,
  mergeNodeType,
  loopNodeType,
  filterNodeType,
  waitNodeType,
  httpNodeType,
  aiNodeType,
  subflowNodeType,
  logNodeType,
  failNodeType,
];

/** A new registry holding the built-in types. */
export function createDefaultRegistry(): NodeRegistry {
  return new NodeRegistry(BUILTIN_NODE_TYPES);
}
