// The expression parser: a hand-written tokenizer and precedence-climbing parser for the safe subset of
// JavaScript expressions of spec section 6. It throws only ExpressionSyntaxError, always with offsets inside the
// source, and its work is bounded on any input: nesting is capped so neither the parser nor anything that walks
// the tree (the evaluator, the reference collector) can overflow the stack.

import type { ExprNode } from './exprTypes';
import { ExpressionSyntaxError } from './expressionSyntaxError';
import { functionArity } from './functions';

/** Most brackets, unary operators and ternaries nested inside each other. */
const MAX_NESTING = 200;
/** Deepest tree, also counting long operator chains like `a + b + c + ...`, which the parser builds by looping. */
const MAX_TREE_DEPTH = 1000;

type TokenType = 'number' | 'string' | 'name' | 'punct' | 'eof';

interface Token {
  type: TokenType;
  /** The punctuator or name text, the number's or string's value. */
  value: string | number;
  start: number;
  end: number;
}

// Longest first: the tokenizer takes the first that matches.
const PUNCTUATORS = [
  '===', '!==', '?.', '==', '!=', '<=', '>=', '&&', '||', '??',
  '(', ')', '[', ']', '{', '}', ',', '.', ':', '?', '!', '<', '>', '+', '-', '*', '/', '%',
];

/** Binary operators and how tightly they bind (JavaScript's order). `in` is a name token, handled alike. */
const BINARY_PRECEDENCE: Record<string, number> = {
  '??': 1,
  '||': 2,
  '&&': 3,
  '==': 4, '!=': 4, '===': 4, '!==': 4,
  '<': 5, '>': 5, '<=': 5, '>=': 5, in: 5,
  '+': 6, '-': 6,
  '*': 7, '/': 7, '%': 7,
};

// `===` and `!==` mean what `==` and `!=` mean here (both strict), so the tree has one spelling.
const CANONICAL_OPERATOR: Record<string, string> = { '===': '==', '!==': '!=' };

const LITERAL_NAMES: Record<string, unknown> = { true: true, false: false, null: null, undefined: undefined };

const HINTS: Record<string, string> = {
  '=': "Unexpected '='; use '==' to compare",
  '&': "Unexpected '&'; use '&&' for 'and'",
  '|': "Unexpected '|'; use '||' for 'or'",
  '`': 'Template literals are not supported; use + to join strings',
  ';': "Unexpected ';': a template holds one expression",
};

/** Parses one expression. Throws ExpressionSyntaxError (and nothing else) when the source is not one. */
export function parseExpression(source: string): ExprNode {
  const tokens = tokenize(source);
  const parser = new Parser(source, tokens);
  const node = parser.parseAll();
  checkTreeDepth(node);
  return node;
}

// ---------------------------------------------------------------------------------------------------------
// Tokens

function isIdentifierStart(ch: string): boolean {
  return /[A-Za-z_$]/.test(ch) || (ch.charCodeAt(0) > 127 && /\p{ID_Start}/u.test(ch));
}

function isIdentifierPart(ch: string): boolean {
  return /[A-Za-z0-9_$]/.test(ch) || (ch.charCodeAt(0) > 127 && /[\p{ID_Continue}\u200c\u200d]/u.test(ch));
}

function isDigit(ch: string | undefined): boolean {
  return ch !== undefined && ch >= '0' && ch <= '9';
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const n = source.length;
  while (i < n) {
    const ch = source[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (isDigit(ch) || (ch === '.' && isDigit(source[i + 1]))) {
      const token = readNumber(source, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (ch === '"' || ch === "'") {
      const token = readString(source, i);
      tokens.push(token);
      i = token.end;
      continue;
    }
    if (isIdentifierStart(ch)) {
      let j = i + 1;
      while (j < n && isIdentifierPart(source[j])) j++;
      tokens.push({ type: 'name', value: source.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    const punct = PUNCTUATORS.find((p) => source.startsWith(p, i));
    // `a ? .5 : 1` is a ternary, not optional chaining.
    if (punct !== undefined && !(punct === '?.' && isDigit(source[i + 2]))) {
      tokens.push({ type: 'punct', value: punct, start: i, end: i + punct.length });
      i += punct.length;
      continue;
    }
    if (punct === '?.') {
      tokens.push({ type: 'punct', value: '?', start: i, end: i + 1 });
      i += 1;
      continue;
    }
    const codePoint = String.fromCodePoint(source.codePointAt(i) ?? 0);
    throw new ExpressionSyntaxError(HINTS[ch] ?? `Unexpected character '${codePoint}'`, i, i + codePoint.length);
  }
  tokens.push({ type: 'eof', value: '', start: n, end: n });
  return tokens;
}

function readNumber(source: string, start: number): Token {
  let i = start;
  const n = source.length;
  if (source[i] === '0' && (source[i + 1] === 'x' || source[i + 1] === 'X')) {
    i += 2;
    while (i < n && /[0-9a-fA-F]/.test(source[i])) i++;
    if (i === start + 2) throw new ExpressionSyntaxError('Invalid number', start, i);
  } else {
    while (isDigit(source[i])) i++;
    if (source[i] === '.') {
      i++;
      while (isDigit(source[i])) i++;
    }
    if (source[i] === 'e' || source[i] === 'E') {
      let j = i + 1;
      if (source[j] === '+' || source[j] === '-') j++;
      if (!isDigit(source[j])) throw new ExpressionSyntaxError('Invalid number', start, j);
      while (isDigit(source[j])) j++;
      i = j;
    }
  }
  // `3in x` or `12px`: JavaScript rejects a name glued to a number, and so do we.
  if (i < n && (isIdentifierPart(source[i]) || source[i] === '.')) {
    let j = i;
    while (j < n && (isIdentifierPart(source[j]) || source[j] === '.')) j++;
    // `1.5.x` would read a member of a number: pointless, so reported rather than guessed at.
    throw new ExpressionSyntaxError('Invalid number', start, j);
  }
  return { type: 'number', value: Number(source.slice(start, i)), start, end: i };
}

const SIMPLE_ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', b: '\b', f: '\f', v: '\v', '0': '\0' };

function readString(source: string, start: number): Token {
  const quote = source[start];
  const n = source.length;
  let i = start + 1;
  let value = '';
  while (i < n) {
    const ch = source[i];
    if (ch === quote) return { type: 'string', value, start, end: i + 1 };
    if (ch !== '\\') {
      value += ch;
      i++;
      continue;
    }
    if (i + 1 >= n) break;
    const next = source[i + 1];
    if (next === 'x') {
      const hex = source.slice(i + 2, i + 4);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) throw new ExpressionSyntaxError('Invalid escape sequence', i, Math.min(n, i + 4));
      value += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else if (next === 'u') {
      if (source[i + 2] === '{') {
        const close = source.indexOf('}', i + 3);
        const hex = close < 0 ? '' : source.slice(i + 3, close);
        const code = /^[0-9a-fA-F]{1,6}$/.test(hex) ? parseInt(hex, 16) : -1;
        if (code < 0 || code > 0x10ffff) {
          throw new ExpressionSyntaxError('Invalid escape sequence', i, close < 0 ? Math.min(n, i + 3) : close + 1);
        }
        value += String.fromCodePoint(code);
        i = close + 1;
      } else {
        const hex = source.slice(i + 2, i + 6);
        if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new ExpressionSyntaxError('Invalid escape sequence', i, Math.min(n, i + 6));
        value += String.fromCharCode(parseInt(hex, 16));
        i += 6;
      }
    } else if (next === '\r' && source[i + 2] === '\n') {
      i += 3; // line continuation
    } else if (next === '\n' || next === '\r' || next === '\u2028' || next === '\u2029') {
      i += 2; // line continuation
    } else {
      // `\n` and friends; any other escaped character stands for itself, as in JavaScript.
      value += SIMPLE_ESCAPES[next] ?? next;
      i += 2;
    }
  }
  throw new ExpressionSyntaxError('Unterminated string', start, n);
}

// ---------------------------------------------------------------------------------------------------------
// Syntax

class Parser {
  private position = 0;
  private nesting = 0;
  /** Nodes written inside parentheses: JavaScript lets `(a || b) ?? c` mix operators that it forbids bare. */
  private readonly parenthesized = new WeakSet<ExprNode>();

  constructor(
    private readonly source: string,
    private readonly tokens: Token[],
  ) {}

  parseAll(): ExprNode {
    if (this.peek().type === 'eof') {
      throw new ExpressionSyntaxError('Expected an expression', 0, this.source.length);
    }
    const node = this.parseExpression();
    const rest = this.peek();
    if (rest.type !== 'eof') throw this.unexpected(rest);
    return node;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private previous(): Token | undefined {
    return this.position > 0 ? this.tokens[this.position - 1] : undefined;
  }

  private next(): Token {
    const token = this.tokens[this.position];
    if (token.type !== 'eof') this.position++;
    return token;
  }

  private isPunct(value: string): boolean {
    const token = this.peek();
    return token.type === 'punct' && token.value === value;
  }

  private describe(token: Token): string {
    switch (token.type) {
      case 'eof':
        return 'end of expression';
      case 'string':
        return 'string';
      default: {
        const text = this.source.slice(token.start, token.end);
        return `'${text.length > 20 ? `${text.slice(0, 20)}…` : text}'`;
      }
    }
  }

  private unexpected(token: Token): ExpressionSyntaxError {
    if (token.type === 'number' && this.source[token.start] === '.') {
      // `a.0` reads as `a` followed by the number `.0`.
      return new ExpressionSyntaxError('Unexpected number after \'.\'; use a[0] to read an index', token.start, token.end);
    }
    return new ExpressionSyntaxError(`Unexpected ${this.describe(token)}`, token.start, token.end);
  }

  /** Consumes the closing bracket of `open`, or explains which one is missing. */
  private close(value: string, open: Token): void {
    if (this.isPunct(value)) {
      this.next();
      return;
    }
    const token = this.peek();
    if (token.type === 'eof') {
      throw new ExpressionSyntaxError(`Missing '${value}' to close '${String(open.value)}'`, open.start, open.end);
    }
    throw new ExpressionSyntaxError(`Expected '${value}' but found ${this.describe(token)}`, token.start, token.end);
  }

  private enter(at: Token): void {
    if (++this.nesting > MAX_NESTING) {
      throw new ExpressionSyntaxError('Expression is nested too deeply', at.start, at.end);
    }
  }

  private leave(): void {
    this.nesting--;
  }

  parseExpression(): ExprNode {
    this.enter(this.peek());
    try {
      return this.parseConditional();
    } finally {
      this.leave();
    }
  }

  private parseConditional(): ExprNode {
    const test = this.parseBinary(1);
    if (!this.isPunct('?')) return test;
    this.next();
    const consequent = this.parseExpression();
    if (!this.isPunct(':')) {
      const token = this.peek();
      throw new ExpressionSyntaxError(
        token.type === 'eof' ? "Expected ':' in the conditional '? :'" : `Expected ':' but found ${this.describe(token)}`,
        token.type === 'eof' ? test.start : token.start,
        token.end,
      );
    }
    this.next();
    const alternate = this.parseExpression();
    return { kind: 'conditional', test, consequent, alternate, start: test.start, end: alternate.end };
  }

  private binaryOperatorAhead(): string | undefined {
    const token = this.peek();
    if (token.type === 'punct' && Object.hasOwn(BINARY_PRECEDENCE, token.value)) return token.value as string;
    if (token.type === 'name' && token.value === 'in') return 'in';
    return undefined;
  }

  /** Precedence climbing: loops over operators of one level, recurses only for tighter ones (left associative). */
  private parseBinary(minPrecedence: number): ExprNode {
    let left = this.parseUnary();
    for (;;) {
      const operator = this.binaryOperatorAhead();
      if (operator === undefined) return left;
      const precedence = BINARY_PRECEDENCE[operator];
      if (precedence < minPrecedence) return left;
      const operatorToken = this.next();
      const right = this.parseBinary(precedence + 1);
      const canonical = CANONICAL_OPERATOR[operator] ?? operator;
      this.checkMixing(canonical, left, right, operatorToken);
      left = { kind: 'binary', operator: canonical, left, right, start: left.start, end: right.end };
    }
  }

  /** JavaScript forbids `a ?? b || c` without parentheses; so do we, rather than pick a meaning silently. */
  private checkMixing(operator: string, left: ExprNode, right: ExprNode, at: Token): void {
    const isLogical = (node: ExprNode, ops: string[]): boolean =>
      node.kind === 'binary' && ops.includes(node.operator) && !this.parenthesized.has(node);
    const clash =
      operator === '??'
        ? isLogical(left, ['||', '&&']) || isLogical(right, ['||', '&&'])
        : (operator === '||' || operator === '&&') && (isLogical(left, ['??']) || isLogical(right, ['??']));
    if (clash) {
      throw new ExpressionSyntaxError("Mixing '??' with '||' or '&&' needs parentheses", at.start, at.end);
    }
  }

  private parseUnary(): ExprNode {
    const token = this.peek();
    if (token.type === 'punct' && (token.value === '!' || token.value === '-' || token.value === '+')) {
      this.next();
      this.enter(token);
      try {
        const argument = this.parseUnary();
        return { kind: 'unary', operator: token.value, argument, start: token.start, end: argument.end };
      } finally {
        this.leave();
      }
    }
    return this.parsePostfix();
  }

  private parsePostfix(): ExprNode {
    let node = this.parsePrimary();
    for (;;) {
      const token = this.peek();
      if (token.type !== 'punct') return node;
      if (token.value === '.' || token.value === '?.') {
        this.next();
        if (token.value === '?.' && this.isPunct('[')) continue; // `a?.[0]`: the bracket follows
        const name = this.peek();
        if (name.type !== 'name') {
          if (name.type === 'eof') throw new ExpressionSyntaxError(`Expected a property name after '${token.value}'`, token.start, token.end);
          throw this.unexpected(name);
        }
        this.next();
        const property: ExprNode = { kind: 'literal', value: name.value, start: name.start, end: name.end };
        node = { kind: 'member', object: node, property, computed: false, start: node.start, end: name.end };
      } else if (token.value === '[') {
        this.next();
        if (this.isPunct(']')) throw new ExpressionSyntaxError("Expected an expression inside '[ ]'", token.start, this.peek().end);
        const property = this.parseExpression();
        const closing = this.peek();
        this.close(']', token);
        node = { kind: 'member', object: node, property, computed: true, start: node.start, end: closing.end };
      } else if (token.value === '(') {
        throw new ExpressionSyntaxError('Only the built-in functions can be called', node.start, node.end);
      } else {
        return node;
      }
    }
  }

  private parsePrimary(): ExprNode {
    const token = this.peek();
    switch (token.type) {
      case 'number':
      case 'string':
        this.next();
        return { kind: 'literal', value: token.value, start: token.start, end: token.end };
      case 'name':
        return this.parseName(token);
      case 'punct':
        if (token.value === '(') return this.parseParenthesized(token);
        if (token.value === '[') return this.parseArray(token);
        if (token.value === '{') return this.parseObject(token);
        break;
      case 'eof':
        break;
    }
    if (token.type === 'eof') {
      const previous = this.previous();
      if (previous !== undefined) {
        throw new ExpressionSyntaxError(`Expected an expression after ${this.describe(previous)}`, previous.start, previous.end);
      }
      throw new ExpressionSyntaxError('Expected an expression', 0, this.source.length);
    }
    throw this.unexpected(token);
  }

  private parseName(token: Token): ExprNode {
    const name = token.value as string;
    this.next();
    if (Object.hasOwn(LITERAL_NAMES, name)) {
      return { kind: 'literal', value: LITERAL_NAMES[name], start: token.start, end: token.end };
    }
    if (name === 'in') throw this.unexpected(token);
    if (!this.isPunct('(')) return { kind: 'identifier', name, start: token.start, end: token.end };
    const arity = functionArity(name);
    if (arity === undefined) throw new ExpressionSyntaxError(`Unknown function '${name}'`, token.start, token.end);
    const open = this.next();
    const args: ExprNode[] = [];
    while (!this.isPunct(')')) {
      if (this.peek().type === 'eof') this.close(')', open);
      args.push(this.parseExpression());
      if (!this.isPunct(',')) break;
      this.next();
    }
    const closing = this.peek();
    this.close(')', open);
    if (args.length < arity.min || args.length > arity.max) {
      throw new ExpressionSyntaxError(`'${name}' takes ${describeArity(arity)}`, token.start, closing.end);
    }
    return { kind: 'call', callee: name, args, start: token.start, end: closing.end };
  }

  private parseParenthesized(open: Token): ExprNode {
    this.next();
    if (this.isPunct(')')) throw new ExpressionSyntaxError("Expected an expression inside '( )'", open.start, this.peek().end);
    const inner = this.parseExpression();
    this.close(')', open);
    this.parenthesized.add(inner);
    return inner;
  }

  private parseArray(open: Token): ExprNode {
    this.next();
    const elements: ExprNode[] = [];
    // Trailing commas are allowed, as in JavaScript; holes (`[1,,2]`) are not.
    while (!this.isPunct(']')) {
      if (this.peek().type === 'eof') this.close(']', open);
      elements.push(this.parseExpression());
      if (!this.isPunct(',')) break;
      this.next();
    }
    const closing = this.peek();
    this.close(']', open);
    return { kind: 'array', elements, start: open.start, end: closing.end };
  }

  private parseObject(open: Token): ExprNode {
    this.next();
    const entries: { key: string; value: ExprNode }[] = [];
    while (!this.isPunct('}')) {
      const keyToken = this.peek();
      if (keyToken.type === 'eof') this.close('}', open);
      if (keyToken.type !== 'name' && keyToken.type !== 'string' && keyToken.type !== 'number') {
        throw new ExpressionSyntaxError(`Expected a property name but found ${this.describe(keyToken)}`, keyToken.start, keyToken.end);
      }
      this.next();
      if (!this.isPunct(':')) {
        throw new ExpressionSyntaxError(`Expected ':' after the property name`, keyToken.start, keyToken.end);
      }
      this.next();
      entries.push({ key: String(keyToken.value), value: this.parseExpression() });
      if (!this.isPunct(',')) break;
      this.next();
    }
    const closing = this.peek();
    this.close('}', open);
    return { kind: 'object', entries, start: open.start, end: closing.end };
  }
}

function describeArity({ min, max }: { min: number; max: number }): string {
  const plural = (k: number): string => `${k} argument${k === 1 ? '' : 's'}`;
  if (min === max) return min === 0 ? 'no arguments' : plural(min);
  if (max === Infinity) return `at least ${plural(min)}`;
  return `${min} to ${max} arguments`;
}

/** Walks the tree without recursion, so a tree that is too deep is reported rather than overflowing. */
function checkTreeDepth(root: ExprNode): void {
  const stack: [ExprNode, number][] = [[root, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth > MAX_TREE_DEPTH) throw new ExpressionSyntaxError('Expression is nested too deeply', node.start, node.end);
    for (const child of childrenOf(node)) stack.push([child, depth + 1]);
  }
}

/** The direct sub-expressions of a node. */
export function childrenOf(node: ExprNode): ExprNode[] {
  switch (node.kind) {
    case 'literal':
    case 'identifier':
      return [];
    case 'array':
      return node.elements;
    case 'object':
      return node.entries.map((e) => e.value);
    case 'member':
      return [node.object, node.property];
    case 'call':
      return node.args;
    case 'unary':
      return [node.argument];
    case 'binary':
      return [node.left, node.right];
    case 'conditional':
      return [node.test, node.consequent, node.alternate];
  }
}
