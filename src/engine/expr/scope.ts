// The names a template or condition can read (spec section 6). One object per node evaluation; `nodes` is the
// run's shared table of outputs, never copied per node.

export interface ExecutionInfo {
  id: string;
  flowId: string;
  startedAt: string;
  trigger: { type: string; [key: string]: unknown };
}

export interface Scope {
  trigger: unknown;
  input: unknown;
  nodes: Record<string, unknown>;
  variables: Record<string, unknown>;
  secrets: Record<string, string>;
  execution: ExecutionInfo;
  item?: unknown;
  index?: number;
}

/** The root names an expression may start with. Anything else is an unknown name. */
export const SCOPE_ROOTS = ['trigger', 'input', 'nodes', 'variables', 'secrets', 'execution', 'item', 'index'] as const;
