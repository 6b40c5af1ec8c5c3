// A `.flow.json` text parsed as JSONC (comments and trailing commas), keeping the syntax tree so every
// diagnostic found on the value by its JSON path can be pointed at exactly: a value, a property key, or a few
// characters inside a string (a template), with JSON escapes accounted for.

import { parseTree, printParseErrorCode } from 'jsonc-parser';
import type { Node as JsonNode, ParseError } from 'jsonc-parser';
import type { Diagnostic, Range } from './diagnostics';
import { stringOffsetAt } from './jsonStringOffsets';
import { LineIndex } from './lineIndex';
import type { JsonPath } from '../../shared/jsonPath';
import type { SourceLocator, SourceSpan } from './sourceLocator';

export type { JsonNode };

export class JsonSource implements SourceLocator {
  /** The parsed value (plain objects; for a duplicate key the last one wins, as in JSON.parse). */
  readonly value: unknown;
  /** `invalid-json` diagnostics; the value is only trustworthy when there are none. */
  readonly errors: Diagnostic[];
  private lineIndex: LineIndex | undefined;
  private tree: { root: JsonNode | undefined } | undefined;

  constructor(
    readonly text: string,
    readonly file?: string,
  ) {
    // Fast path: most texts are valid, and JSON.parse of the text without its comments and trailing commas is
    // an order of magnitude faster than building a syntax tree. The tree is built only when a position is
    // asked for (a diagnostic, a node's range).
    const fast = parseFast(text);
    if (fast.ok) {
      this.value = fast.value;
      this.errors = [];
      return;
    }
    const parseErrors: ParseError[] = [];
    let value: unknown;
    try {
      const root = parseTree(treeText(text), parseErrors, { allowTrailingComma: true, disallowComments: false });
      this.tree = { root };
      value = root === undefined ? undefined : plainValue(root);
    } catch (error) {
      // The parser recurses once per nesting level: absurdly deep nesting overflows the stack.
      this.tree = { root: undefined };
      this.value = undefined;
      this.errors = [this.diagnostic(0, 0, `The JSON could not be parsed: ${errorMessage(error)}`)];
      return;
    }
    this.value = value;
    this.errors = parseErrors.map((e) => this.diagnostic(e.offset, e.length, parseErrorMessage(e)));
    if (this.tree.root === undefined && this.errors.length === 0) this.errors.push(this.diagnostic(0, 0, 'Value expected'));
    // jsonc-parser tolerates errors, but a value it made up around them is not the user's: say there is none.
    if (this.errors.length > 0) this.value = undefined;
  }

  get lines(): LineIndex {
    return (this.lineIndex ??= new LineIndex(this.text));
  }

  /** The syntax tree; undefined when the text holds no value at all. Built on first use. */
  get root(): JsonNode | undefined {
    if (!this.tree) {
      try {
        this.tree = { root: parseTree(treeText(this.text), [], { allowTrailingComma: true, disallowComments: false }) };
      } catch {
        this.tree = { root: undefined };
      }
    }
    return this.tree.root;
  }

  /** The syntax node of the value at `path`, if there is one. */
  nodeAt(path: JsonPath): JsonNode | undefined {
    let node = this.root;
    for (const segment of path) {
      if (!node) return undefined;
      node = childOf(node, segment);
    }
    return node;
  }

  /** The range of the value at `path`. */
  rangeOf(path: JsonPath): Range | undefined {
    const node = this.nodeAt(path);
    return node ? this.lines.rangeAt(node.offset, node.offset + node.length) : undefined;
  }

  /** The range of the key (with its quotes) of the property at `path`. */
  keyRangeOf(path: JsonPath): Range | undefined {
    const key = this.keyNodeAt(path);
    return key ? this.lines.rangeAt(key.offset, key.offset + key.length) : undefined;
  }

  /**
   * The document offset of character `index` of the string value at `path` (`index` may be the string's
   * length: the closing quote). Escapes make the raw text longer than the value, so the raw literal is scanned.
   */
  stringOffsetAt(path: JsonPath, index: number): number | undefined {
    const node = this.nodeAt(path);
    if (!node || node.type !== 'string') return undefined;
    return stringOffsetAt(this.text, node, index);
  }

  locate(path: JsonPath): SourceSpan | undefined {
    const node = this.nodeAt(path);
    if (node) return this.span(node.offset, node.length);
    return this.anchorOfNearest(path);
  }

  locateKey(path: JsonPath): SourceSpan | undefined {
    const key = this.keyNodeAt(path);
    if (key) return this.span(key.offset, key.length);
    return this.locate(path);
  }

  locateInString(path: JsonPath, start: number, end: number): SourceSpan | undefined {
    const node = this.nodeAt(path);
    if (!node || node.type !== 'string') return this.locate(path);
    const from = stringOffsetAt(this.text, node, start);
    const to = stringOffsetAt(this.text, node, Math.max(start, end));
    return this.span(from, to - from);
  }

  private keyNodeAt(path: JsonPath): JsonNode | undefined {
    if (path.length === 0 || typeof path[path.length - 1] !== 'string') return undefined;
    const value = this.nodeAt(path);
    const property = value?.parent;
    return property?.type === 'property' ? property.children?.[0] : undefined;
  }

  /** For a path with no value: the deepest ancestor that exists, by its key, else by its opening bracket. */
  private anchorOfNearest(path: JsonPath): SourceSpan | undefined {
    let node = this.root;
    // No tree (nesting too deep for the parser): the start of the text beats no position at all.
    if (!node) return this.span(0, 0);
    let depth = 0;
    for (; depth < path.length; depth++) {
      const child = childOf(node, path[depth]);
      if (!child) break;
      node = child;
    }
    const property = node.parent;
    if (depth > 0 && property?.type === 'property' && property.children?.[0]) {
      const key = property.children[0];
      return this.span(key.offset, key.length);
    }
    return this.span(node.offset, Math.min(1, node.length));
  }

  private span(offset: number, length: number): SourceSpan {
    return { range: this.lines.rangeAt(offset, offset + length), offset, length };
  }

  private diagnostic(offset: number, length: number, message: string): Diagnostic {
    const diagnostic: Diagnostic = {
      code: 'invalid-json',
      severity: 'error',
      message,
      range: this.lines.rangeAt(offset, offset + length),
      offset,
      length,
    };
    if (this.file !== undefined) diagnostic.file = this.file;
    return diagnostic;
  }
}

/**
 * JSON.parse of the text with its comments and trailing commas taken out, or not ok when that is not valid
 * JSON (then the syntax tree says why). One pass over the characters; the text is copied only when it has
 * something to take out.
 */
function parseFast(text: string): { ok: true; value: unknown } | { ok: false } {
  try {
    // Plain JSON needs no stripping; JSONC usually fails at its first comment, early and cheaply.
    return { ok: true, value: JSON.parse(text) };
  } catch {
    // Comments, trailing commas, or an error: strip and try again.
  }
  const stripped = stripJsonc(text);
  if (stripped === undefined) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(stripped) };
  } catch {
    return { ok: false };
  }
}

/** The text without comments and trailing commas, or undefined when a comment or string is unterminated. */
function stripJsonc(text: string): string | undefined {
  const cuts: number[] = []; // [start, end) pairs to leave out
  // Offset of the last comma, and whether a value came right before it (so it may be a trailing comma).
  let comma = -1;
  let previous = 0; // char code of the last significant character
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (i === 1) cuts.push(0, 1);
  const length = text.length;
  while (i < length) {
    const ch = text.charCodeAt(i);
    if (ch === 34 /* " */) {
      i++;
      while (i < length) {
        const c = text.charCodeAt(i);
        if (c === 92 /* \ */) i += 2;
        else if (c === 34) break;
        else i++;
      }
      if (i >= length) return undefined;
      i++;
      previous = 34;
      comma = -1;
      continue;
    }
    if (ch === 47 /* / */) {
      const next = text.charCodeAt(i + 1);
      if (next === 47) {
        let end = i + 2;
        while (end < length && text.charCodeAt(end) !== 10 && text.charCodeAt(end) !== 13) end++;
        cuts.push(i, end);
        i = end;
        continue;
      }
      if (next === 42 /* * */) {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) return undefined;
        cuts.push(i, end + 2);
        i = end + 2;
        continue;
      }
    }
    if (ch === 32 || ch === 10 || ch === 13 || ch === 9) {
      i++;
      continue;
    }
    if ((ch === 125 /* } */ || ch === 93) /* ] */ && comma >= 0) cuts.push(comma, comma + 1);
    // A comma right after a value (not after `[`, `{`, `,` or `:`) may turn out to be a trailing one.
    comma = ch === 44 && previous !== 91 && previous !== 123 && previous !== 44 && previous !== 58 && previous !== 0 ? i : -1;
    previous = ch;
    i++;
  }
  if (cuts.length === 0) return text;
  cuts.sort((a, b) => a - b);
  let out = '';
  let from = 0;
  for (let k = 0; k < cuts.length; k += 2) {
    out += text.slice(from, cuts[k]);
    from = cuts[k + 1];
  }
  return out + text.slice(from);
}

/** A byte order mark is not JSON; as a space it keeps every offset where it is. */
function treeText(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
}

/** Parses JSONC text; never throws. */
export function parseJsonSource(text: string, file?: string): JsonSource {
  return new JsonSource(text, file);
}

function childOf(node: JsonNode, segment: string | number): JsonNode | undefined {
  const children = node.children;
  if (!children) return undefined;
  if (node.type === 'array') {
    return typeof segment === 'number' && Number.isInteger(segment) && segment >= 0 ? children[segment] : undefined;
  }
  if (node.type !== 'object') return undefined;
  // The last property with that key wins, as it does in the value.
  for (let i = children.length - 1; i >= 0; i--) {
    const property = children[i].children;
    if (property && property[0]?.value === String(segment)) return property[1];
  }
  return undefined;
}

/** The value as plain objects (jsonc-parser's own makes prototype-less ones). */
function plainValue(node: JsonNode): unknown {
  switch (node.type) {
    case 'array':
      return (node.children ?? []).map(plainValue);
    case 'object': {
      const object: Record<string, unknown> = {};
      for (const property of node.children ?? []) {
        const [key, value] = property.children ?? [];
        if (!key || !value) continue;
        // defineProperty, so a key named __proto__ stays a key and never becomes the prototype.
        Object.defineProperty(object, String(key.value), { value: plainValue(value), enumerable: true, writable: true, configurable: true });
      }
      return object;
    }
    case 'string':
    case 'number':
    case 'boolean':
    case 'null':
      return node.value;
    default:
      return undefined;
  }
}

function parseErrorMessage(error: ParseError): string {
  // "CloseBraceExpected" -> "Close brace expected", the way VS Code words them.
  const words = printParseErrorCode(error.error).replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
