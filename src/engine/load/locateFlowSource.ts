// Where things are in a `.flow.ts` text: the `flow(` call, each node, and the value at a JSON path such as
// ["nodes", 2, "config"], so diagnostics about the flow land on the right line.
//
// The TypeScript compiler would do this exactly, but it is a development dependency and too heavy to load at run
// time. This is a light heuristic instead: a scanner that skips comments, strings, template literals and regular
// expressions, finds the `flow(` call (the one after `export default` if there are several), and reads its first
// argument as a tree of object and array literals. Any other value (a function, a call, an identifier) is skipped
// as a balanced run of code up to the next `,`, `)`, `]` or `}`. So:
//
// - A path is located at the deepest part of it that is written literally: `nodes: myNodes` locates
//   ["nodes", 1, "config"] at `myNodes`; a path that names nothing at all falls back to the `flow` call.
// - An array element that is an object with a string `id` (a node) is located at that id, quotes included:
//   a node's diagnostics underline `'score'`, not its whole (often multi-line) literal.
// - Array indices count elements as written; after a spread (`...base`) they are no longer known.
// - Keys may be identifiers, strings or numbers; computed keys and spreads are skipped; method shorthand
//   (`code(ctx) { ... }`) is recorded under its name.
// - Comments, strings, template literals and regular expressions are told apart by the lexical rules of
//   scanJavaScript.ts, shared with rewriteImportMeta.ts (so `return /x/` is a regular expression in both).

import type { Range } from '../model/diagnostics';
import type { JsonPath } from '../../shared/jsonPath';
import { LineIndex } from '../model/lineIndex';
import {
  commentEnd,
  endsAtSubstitution,
  isIdentifierPart,
  isIdentifierStart,
  isSpace,
  regexEnd,
  slashStartsRegex,
  stringEnd,
  templateTextEnd,
  wordEnd,
} from './scanJavaScript';

/** A JSON path into the flow definition, as diagnostics carry it. */

export interface FlowSourceLocator {
  /** The `flow` identifier of the `flow(...)` call, if the text has one. */
  readonly flowCallRange: Range | undefined;
  /** Each node's `id` string literal (quotes included), by id; a loop body's nodes too, outer ones first. */
  readonly nodeRanges: Map<string, Range>;
  /** The range of the value at `path`, or of the deepest part of it written literally, else of the `flow` call. */
  locate(path: JsonPath): Range | undefined;
}

/** The `flow` identifier of the `flow(...)` call (for CodeLens and as the fallback position of diagnostics). */
export function findFlowCallRange(sourceText: string): Range | undefined {
  return createFlowSourceLocator(sourceText).flowCallRange;
}

/** Each node's `id` string literal, by node id. */
export function findNodeRanges(sourceText: string): Map<string, Range> {
  return createFlowSourceLocator(sourceText).nodeRanges;
}

/** Reads the text once; the locator answers any number of questions. */
export function createFlowSourceLocator(sourceText: string): FlowSourceLocator {
  const scanner = new Scanner(sourceText);
  const call = scanner.findFlowCall();
  const root = call === undefined ? undefined : scanner.parseValueAt(call.argumentStart);
  const lines = new LineIndex(sourceText);
  const toRange = (start: number, end: number): Range => lines.rangeAt(start, end);
  const flowCallRange = call === undefined ? undefined : toRange(call.start, call.start + 'flow'.length);

  const nodeRanges = new Map<string, Range>();
  if (root !== undefined) collectNodes(root, nodeRanges, toRange);

  return {
    flowCallRange,
    nodeRanges,
    locate(path: JsonPath): Range | undefined {
      if (root === undefined) return flowCallRange;
      let value: LiteralValue = root;
      let lastStep: string | number | undefined;
      for (const step of path) {
        const next = childOf(value, step);
        if (next === undefined) break;
        value = next;
        lastStep = step;
      }
      if (typeof lastStep === 'number') {
        const id = idLiteral(value);
        if (id !== undefined) return toRange(id.start, id.end);
      }
      return toRange(value.start, value.end);
    },
  };
}

interface LiteralValue {
  kind: 'object' | 'array' | 'string' | 'other';
  /** Offsets of the literal (or of the skipped code), end exclusive. */
  start: number;
  end: number;
  /** A string literal's value. */
  text?: string;
  properties?: Map<string, LiteralValue>;
  /** An array's elements as written; cut at the first spread, after which indices are unknown. */
  elements?: LiteralValue[];
}

function childOf(value: LiteralValue, step: string | number): LiteralValue | undefined {
  if (typeof step === 'number') return value.elements?.[step];
  return value.properties?.get(step);
}

function idLiteral(value: LiteralValue): LiteralValue | undefined {
  const id = value.properties?.get('id');
  return id?.kind === 'string' ? id : undefined;
}

function collectNodes(flowOrBody: LiteralValue, out: Map<string, Range>, toRange: (start: number, end: number) => Range): void {
  const nodes = flowOrBody.properties?.get('nodes')?.elements ?? [];
  for (const node of nodes) {
    const id = idLiteral(node);
    if (id !== undefined && id.text !== undefined && !out.has(id.text)) out.set(id.text, toRange(id.start, id.end));
  }
  // A loop's body is a sub-flow with nodes of its own.
  for (const node of nodes) {
    const body = node.properties?.get('config')?.properties?.get('body');
    if (body !== undefined) collectNodes(body, out, toRange);
  }
}

const CLOSERS = new Set([',', ')', ']', '}']);
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
// Character tests by code: this runs over every character of the file.
class Scanner {
  private pos = 0;

  constructor(private readonly text: string) {}

  /** The `flow(` call: the one right after `export default` if any, else the first. */
  findFlowCall(): { start: number; argumentStart: number } | undefined {
    const text = this.text;
    let first: { start: number; argumentStart: number } | undefined;
    let previous = '';
    this.pos = 0;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (this.skipNonCode(previous)) {
        if (!this.endedInComment) previous = 'x';
        continue;
      }
      if (isIdentifierStart(ch)) {
        const start = this.pos;
        const word = this.readIdentifier();
        previous = word;
        if (word !== 'flow') continue;
        const argumentStart = this.callArgumentStart();
        if (argumentStart === undefined) continue;
        const call = { start, argumentStart };
        if (/export\s+default\s+(?:[A-Za-z_$][\w$]*\s*\.\s*)?$/.test(text.slice(Math.max(0, start - 80), start))) return call;
        first ??= call;
        continue;
      }
      if (!isSpace(ch)) previous = ch;
      this.pos += 1;
    }
    return first;
  }

  parseValueAt(offset: number): LiteralValue {
    this.pos = offset;
    return this.parseValue();
  }

  private parseValue(): LiteralValue {
    this.skipTrivia();
    const text = this.text;
    const start = this.pos;
    const ch = text[start];
    let value: LiteralValue;
    if (ch === '{') value = this.parseObject();
    else if (ch === '[') value = this.parseArray();
    else if (ch === '"' || ch === "'") {
      this.skipString();
      value = { kind: 'string', start, end: this.pos, text: unquote(text.slice(start + 1, this.pos - 1)) };
    } else {
      value = { kind: 'other', start, end: this.skipExpression() };
    }
    // A literal followed by more code (`as const`, `satisfies T`, `.concat(x)`): skip it, keep the literal's range.
    this.skipTrivia();
    if (this.pos < text.length && !CLOSERS.has(text[this.pos])) this.skipExpression();
    return value;
  }

  private parseObject(): LiteralValue {
    const text = this.text;
    const value: LiteralValue = { kind: 'object', start: this.pos, end: this.pos, properties: new Map() };
    this.pos += 1; // {
    while (this.pos < text.length) {
      const before = this.pos;
      this.skipTrivia();
      if (this.pos >= text.length) break;
      if (text[this.pos] === '}') {
        this.pos += 1;
        break;
      }
      if (text.startsWith('...', this.pos)) {
        this.skipExpression();
      } else {
        const keyStart = this.pos;
        let key = this.readKey();
        let keyEnd = this.pos;
        this.skipTrivia();
        // `async code() {}`, `get x() {}`: the name is the second word.
        if ((key === 'async' || key === 'get' || key === 'set') && isIdentifierStart(text[this.pos])) {
          key = this.readKey();
          keyEnd = this.pos;
          this.skipTrivia();
        }
        let property: LiteralValue;
        if (text[this.pos] === ':') {
          this.pos += 1;
          property = this.parseValue();
        } else if (text[this.pos] === ',' || text[this.pos] === '}') {
          property = { kind: 'other', start: keyStart, end: keyEnd }; // shorthand `{ nodes }`
        } else {
          property = { kind: 'other', start: keyStart, end: this.skipExpression() }; // a method
        }
        if (key !== undefined && !value.properties!.has(key)) value.properties!.set(key, property);
      }
      this.skipTrivia();
      if (text[this.pos] === ',') this.pos += 1;
      else if (text[this.pos] !== '}') this.skipExpression(); // something unexpected: resynchronise
      if (this.pos === before) this.pos += 1; // a stray bracket in broken code: step over it
    }
    value.end = this.pos;
    return value;
  }

  private parseArray(): LiteralValue {
    const text = this.text;
    const value: LiteralValue = { kind: 'array', start: this.pos, end: this.pos, elements: [] };
    let indicesKnown = true;
    this.pos += 1; // [
    while (this.pos < text.length) {
      const before = this.pos;
      this.skipTrivia();
      if (this.pos >= text.length) break;
      if (text[this.pos] === ']') {
        this.pos += 1;
        break;
      }
      if (text[this.pos] === ',') {
        // A hole: an element all the same.
        if (indicesKnown) value.elements!.push({ kind: 'other', start: this.pos, end: this.pos });
        this.pos += 1;
        continue;
      }
      if (text.startsWith('...', this.pos)) {
        indicesKnown = false;
        this.skipExpression();
      } else {
        const element = this.parseValue();
        if (indicesKnown) value.elements!.push(element);
      }
      this.skipTrivia();
      if (text[this.pos] === ',') this.pos += 1;
      else if (text[this.pos] !== ']') this.skipExpression();
      if (this.pos === before) this.pos += 1; // a stray bracket in broken code: step over it
    }
    value.end = this.pos;
    return value;
  }

  /** Reads an object key: an identifier, a string or a number; undefined for a computed key (skipped). */
  private readKey(): string | undefined {
    const text = this.text;
    const ch = text[this.pos];
    if (ch === '"' || ch === "'") {
      const start = this.pos;
      this.skipString();
      return unquote(text.slice(start + 1, this.pos - 1));
    }
    if (ch === '[') {
      this.pos += 1;
      this.skipExpression();
      if (text[this.pos] === ']') this.pos += 1;
      return undefined;
    }
    if (isIdentifierPart(ch)) return this.readIdentifier();
    return undefined;
  }

  private readIdentifier(): string {
    const start = this.pos;
    this.pos = wordEnd(this.text, start);
    return this.text.slice(start, this.pos);
  }

  /** After `flow`: optional type arguments, then `(`. Returns the offset just inside the parenthesis. */
  private callArgumentStart(): number | undefined {
    const text = this.text;
    const save = this.pos;
    this.skipTrivia();
    if (text[this.pos] === '<') {
      let depth = 0;
      for (; this.pos < text.length; this.pos += 1) {
        if (text[this.pos] === '<') depth += 1;
        else if (text[this.pos] === '>' && --depth === 0) break;
        else if (text[this.pos] === ';' || (text[this.pos] === '{' && depth === 0)) break;
      }
      this.pos += 1;
      this.skipTrivia();
    }
    if (text[this.pos] === '(') return this.pos + 1;
    this.pos = save;
    return undefined;
  }

  /**
   * Skips code up to (not past) a `,`, `)`, `]` or `}` outside any bracket, or the end.
   * Returns the end of the last code character skipped (trailing whitespace and comments excluded).
   */
  private skipExpression(): number {
    const text = this.text;
    const closers: string[] = [];
    let previous = '';
    let lastEnd = this.pos;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (isSpace(ch)) {
        this.pos += 1;
        continue;
      }
      if (this.skipNonCode(previous)) {
        if (!this.endedInComment) {
          lastEnd = this.pos;
          previous = 'x';
        }
        continue;
      }
      if (closers.length === 0 && CLOSERS.has(ch)) break;
      if (isIdentifierPart(ch)) {
        const start = this.pos;
        this.pos = wordEnd(text, start);
        previous = text.slice(start, this.pos);
        lastEnd = this.pos;
        continue;
      }
      if (ch in OPENERS) closers.push(OPENERS[ch]);
      else if (ch === ')' || ch === ']' || ch === '}') closers.pop();
      previous = ch;
      this.pos += 1;
      lastEnd = this.pos;
    }
    return lastEnd;
  }

  private endedInComment = false;

  /**
   * At a comment, a string, a template literal or a regular expression: skips it and returns true.
   * `previous` is the last code character before, which tells a regular expression from a division.
   */
  private skipNonCode(previous: string): boolean {
    const text = this.text;
    const ch = text[this.pos];
    const afterComment = commentEnd(text, this.pos);
    this.endedInComment = afterComment !== undefined;
    if (afterComment !== undefined) {
      this.pos = afterComment;
      return true;
    }
    if (ch === '"' || ch === "'") {
      this.skipString();
      return true;
    }
    if (ch === '`') {
      this.skipTemplate();
      return true;
    }
    if (ch === '/' && slashStartsRegex(previous)) {
      this.pos = regexEnd(text, this.pos);
      return true;
    }
    return false;
  }

  private skipTrivia(): void {
    const text = this.text;
    while (this.pos < text.length) {
      const ch = text[this.pos];
      if (isSpace(ch)) this.pos += 1;
      else if (ch === '/' && (text[this.pos + 1] === '/' || text[this.pos + 1] === '*')) this.skipNonCode('x');
      else break;
    }
  }

  /** At a quote; ends past the closing quote (or at the end of the line of an unterminated string). */
  private skipString(): void {
    this.pos = stringEnd(this.text, this.pos);
  }

  /** At a backtick; ends past the closing one, skipping `${ ... }` substitutions as code. */
  private skipTemplate(): void {
    const text = this.text;
    this.pos = templateTextEnd(text, this.pos + 1);
    while (endsAtSubstitution(text, this.pos)) {
      this.skipExpression();
      this.pos = templateTextEnd(text, text[this.pos] === '}' ? this.pos + 1 : this.pos);
    }
  }
}

/** The value of a string literal's body: the common escapes, enough for ids and keys. */
function unquote(body: string): string {
  return body.replace(/\\(u\{[0-9a-fA-F]+\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|.)/g, (_, escape: string) => {
    if (escape[0] === 'u' || escape[0] === 'x') return String.fromCodePoint(parseInt(escape.replace(/[ux{}]/g, ''), 16));
    return { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', v: '\v', '0': '\0' }[escape] ?? escape;
  });
}
