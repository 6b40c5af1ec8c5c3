// The Variables view of a stop: values are expanded lazily (a reference per object the user opens) and large
// arrays are paged (indexedVariables, then start/count), so a 100,000-item input costs nothing until looked at.
// References live until the run resumes, as DAP expects.

import type { DebugProtocol } from '@vscode/debugprotocol';

/** Arrays longer than this are shown in pages by the client (VS Code groups them by 100). */
const PAGED_ARRAY = 100;
const PREVIEW_CHARS = 120;

interface Container {
  value: unknown;
  /** The expression that reads this container in the node's scope (for evaluateName), if it has one. */
  path?: string;
  /** Writes a child; absent where values cannot be set. */
  set?: (name: string, value: unknown) => void;
  /** A scope of named entries rather than one value. */
  entries?: () => Record<string, unknown>;
}

/** What hides secret values in a shown text (the engine's Redactor). */
export interface ShownTextRedactor {
  text(text: string): string;
}

const SHOW_AS_IS: ShownTextRedactor = { text: (text) => text };

export class DebugVariables {
  private readonly containers = new Map<number, Container>();
  private nextReference = 1;
  private redactor: ShownTextRedactor = SHOW_AS_IS;

  /** Forgets the references, and from now hides the values `redactor` knows in every value shown. */
  clear(redactor: ShownTextRedactor = SHOW_AS_IS): void {
    this.containers.clear();
    this.nextReference = 1;
    this.redactor = redactor;
  }

  /**
   * One line of a value as the Variables view, a watch or the debug console shows it. The values of a stop are
   * the run's in memory, where a node may have echoed a secret (`Bearer {{ secrets.TOKEN }}`): shown, it is
   * hidden as history and logs hide it.
   */
  shownPreview(value: unknown): string {
    return this.redactor.text(preview(value));
  }

  /** A scope: its named entries, each expandable. */
  scope(entries: () => Record<string, unknown>, set?: Container['set'], pathOf?: string): number {
    return this.add({ value: undefined, entries, set, path: pathOf });
  }

  referenceFor(value: unknown, path?: string, set?: Container['set']): number {
    if (value === null || typeof value !== 'object') return 0;
    return this.add({ value, path, set });
  }

  container(reference: number): Container | undefined {
    return this.containers.get(reference);
  }

  variables(args: DebugProtocol.VariablesArguments): DebugProtocol.Variable[] {
    const container = this.containers.get(args.variablesReference);
    if (!container) return [];
    if (container.entries) {
      return Object.entries(container.entries()).map(([name, value]) => this.variable(name, value, childPath(container.path, name), container.set !== undefined));
    }
    const value = container.value;
    const settable = container.set !== undefined;
    if (Array.isArray(value)) {
      const start = args.filter === 'named' ? value.length : (args.start ?? 0);
      const end = args.filter === 'named' ? value.length : Math.min(value.length, start + (args.count ?? value.length));
      const items: DebugProtocol.Variable[] = [];
      for (let i = start; i < end; i++) items.push(this.variable(String(i), value[i], container.path === undefined ? undefined : `${container.path}[${i}]`, settable));
      return items;
    }
    const object = value as Record<string, unknown>;
    return Object.keys(object).map((key) => this.variable(key, object[key], childPath(container.path, key), settable));
  }

  variable(name: string, value: unknown, path: string | undefined, settable = false): DebugProtocol.Variable {
    const variable: DebugProtocol.Variable = { name, value: this.shownPreview(value), type: typeOf(value), variablesReference: 0 };
    if (path !== undefined) variable.evaluateName = path;
    if (value !== null && typeof value === 'object') {
      // Children of a settable value are settable too: they belong to the same object.
      variable.variablesReference = this.add({ value, path, set: settable ? (key, next) => writeChild(value, key, next) : undefined });
      if (Array.isArray(value) && value.length > PAGED_ARRAY) variable.indexedVariables = value.length;
    }
    return variable;
  }

  private add(container: Container): number {
    const reference = this.nextReference++;
    this.containers.set(reference, container);
    return reference;
  }
}

function writeChild(container: object, key: string, value: unknown): void {
  if (Array.isArray(container)) container[Number(key)] = value;
  else (container as Record<string, unknown>)[key] = value;
}

function childPath(parent: string | undefined, key: string): string | undefined {
  if (parent === undefined) return /^[A-Za-z_$][\w$]*$/.test(key) ? key : undefined;
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `${parent}.${key}` : `${parent}[${JSON.stringify(key)}]`;
}

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** One line of a value: JSON, cut to a preview; arrays and objects say their size. */
function preview(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (Array.isArray(value)) return `Array(${value.length})${value.length <= 10 ? ' ' + cut(safeJson(value)) : ''}`;
  const text = safeJson(value);
  return cut(text);
}

function cut(text: string): string {
  return text.length > PREVIEW_CHARS ? text.slice(0, PREVIEW_CHARS - 1) + '…' : text;
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
