// Secrets never reach a record, an event or a log (spec section 11): every occurrence of a secret's value is
// replaced by ***, in every encoding it can take on its way out, at any depth. Values are copied only where a
// secret was found, so the common case allocates nothing.
//
// The encodings, and why each is there:
// - raw;
// - JSON-escaped (`json()` of an object holding the secret keeps `\"` and `\\` in the string it returns), also
//   with `\/` and `\uXXXX` escapes, as other serializers write them;
// - percent-encoded, in any mix (encodeURIComponent, encodeURI, the URL class, lowercase hex) and with `+` for a
//   space (URLSearchParams: an http node's `query` puts the secret in the URL, and the URL in error messages);
// - base64 and base64url, padded or not, of the secret alone, and of the secret inside a longer text (Basic auth
//   `user:secret`, a token built by a code node): base64 turns every 3 bytes into 4 characters, so a secret at
//   any offset is encoded as one of 3 "cores" whatever surrounds it. Only the characters that depend on the
//   secret alone are matched: up to 2 characters at each end of the core mix the secret's first and last bytes
//   with their neighbours and stay. Cores shorter than MIN_CORE are not matched (they would redact unrelated
//   text). Base64 of base64, hex, or a secret split across strings are not recognized.
// Each of these patterns also matches with any of its characters percent- or JSON-escaped, so base64 inside a
// query string is caught too. One regular expression holds them all, longest first; it has no quantifiers, so
// it runs in time linear in the text for each secret.

export const REDACTED = '***';

/** What stands for a reference back to an object that holds it. */
export const CIRCULAR = '[Circular]';

/** Base64 cores shorter than this many characters are not matched (about 6 bytes of secret). */
const MIN_CORE = 8;

export class Redactor {
  private readonly values: string[];
  private readonly pattern: RegExp | undefined;

  constructor(secrets: Record<string, string | undefined>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.values = [...new Set(Object.values(secrets).filter((v): v is string => typeof v === 'string' && v.length > 0))].sort(
      (a, b) => b.length - a.length,
    );
    if (this.values.length === 0) return;
    const forms = new Set<string>();
    for (const secret of this.values) for (const form of encodedForms(secret)) forms.add(form);
    const sorted = [...forms].sort((a, b) => b.length - a.length);
    this.pattern = new RegExp(sorted.map(anyEscaping).join('|'), 'g');
  }

  get active(): boolean {
    return this.pattern !== undefined;
  }

  text(text: string): string {
    if (this.pattern === undefined) return text;
    this.pattern.lastIndex = 0;
    if (!this.pattern.test(text)) return text;
    // Again while it shrinks: a secret holding *** can re-form around a replacement ("ab" + secret + "cd" with
    // the secret "ab***cd"); each pass shortens the text, so this ends.
    let out = text;
    for (;;) {
      this.pattern.lastIndex = 0;
      const next = out.replace(this.pattern, REDACTED);
      if (next.length >= out.length) return next;
      out = next;
      this.pattern.lastIndex = 0;
      if (!this.pattern.test(out)) return out;
    }
  }

  /**
   * A copy of `value` with secrets replaced (in strings and object keys), or `value` itself when none occurs.
   * Iterative, so any depth is safe. An object met again inside itself (a cycle) becomes the text [Circular]:
   * kept, it would carry the original (secrets and all) to a subscriber that clones it.
   */
  value<T>(value: T): T {
    if (!this.active) return value;
    if (typeof value === 'string') return this.text(value) as T;
    if (!isContainer(value)) return value;
    return this.walk(value) as T;
  }

  private walk(root: object): unknown {
    interface Frame {
      source: object;
      keys: string[];
      next: number;
      copy: Record<string, unknown> | unknown[] | undefined;
    }
    const onPath = new Set<object>();
    const open = (source: object): Frame => {
      onPath.add(source);
      return { source, keys: Array.isArray(source) ? [] : Object.keys(source), next: 0, copy: undefined };
    };
    const stack: Frame[] = [open(root)];
    let result: unknown = root;
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const isArray = Array.isArray(frame.source);
      const length = isArray ? (frame.source as unknown[]).length : frame.keys.length;
      if (frame.next >= length) {
        stack.pop();
        onPath.delete(frame.source);
        result = frame.copy ?? frame.source;
        const parent = stack[stack.length - 1];
        if (parent) this.assign(parent, parent.next - 1, result);
        continue;
      }
      const index = frame.next++;
      const current = isArray ? (frame.source as unknown[])[index] : (frame.source as Record<string, unknown>)[frame.keys[index]];
      if (typeof current === 'string') {
        this.assign(frame, index, this.text(current));
      } else if (isContainer(current)) {
        if (onPath.has(current)) this.assign(frame, index, CIRCULAR);
        else stack.push(open(current));
      } else if (!isArray) {
        this.assign(frame, index, current); // the key may hold a secret
      }
    }
    return result;
  }

  /** Puts `next` at the frame's `index`-th entry (and redacts its key), copying the container on the first change. */
  private assign(frame: { source: object; keys: string[]; copy: Record<string, unknown> | unknown[] | undefined }, index: number, next: unknown): void {
    if (Array.isArray(frame.source)) {
      if (next === frame.source[index]) return;
      const copy = (frame.copy ??= frame.source.slice()) as unknown[];
      copy[index] = next;
      return;
    }
    const source = frame.source as Record<string, unknown>;
    const key = frame.keys[index];
    const redactedKey = this.text(key);
    if (next === source[key] && redactedKey === key) return;
    const copy = (frame.copy ??= { ...source }) as Record<string, unknown>;
    if (redactedKey !== key) delete copy[key];
    copy[redactedKey] = next;
  }
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

/** The secret as written out: raw, and its base64 forms (escapings are added per character by anyEscaping). */
export function encodedForms(secret: string): string[] {
  const forms = [secret];
  const bytes = Buffer.from(secret, 'utf8');
  const whole = bytes.toString('base64');
  // Short secrets' base64 would match unrelated text: they are matched raw and escaped only.
  if (whole.length >= MIN_CORE) forms.push(whole, whole.replace(/=+$/, ''));
  // The secret after 0, 1 or 2 bytes of something else: keep only the characters made of its bytes alone.
  for (let offset = 0; offset < 3; offset++) {
    const shifted = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const core = shifted.slice(coreStart(offset), coreEnd(offset, bytes.length));
    if (core.length >= MIN_CORE) forms.push(core);
  }
  for (const form of [...forms.slice(1)]) {
    const url = form.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    if (url !== form) forms.push(url);
  }
  return forms;
}

// Character i of a base64 text stands for bits 6i..6i+5 of its bytes: it is the secret's alone when all those
// bits fall inside the secret, which starts at byte `offset`.
function coreStart(offset: number): number {
  return Math.ceil((offset * 8) / 6);
}

function coreEnd(offset: number, length: number): number {
  return Math.floor(((offset + length) * 8) / 6);
}

/** A pattern for `form` in which each character may also be written percent-encoded or JSON-escaped. */
function anyEscaping(form: string): string {
  let pattern = '';
  for (const char of form) {
    const alternatives = [escapeRegExp(char), ...percentForms(char), ...jsonForms(char)];
    if (char === ' ') alternatives.push('\\+');
    pattern += alternatives.length === 1 ? alternatives[0] : `(?:${alternatives.join('|')})`;
  }
  return pattern;
}

/** `%XX` per UTF-8 byte, hex digits in either case; none for characters that need no encoding and are never encoded. */
function percentForms(char: string): string[] {
  if (/[A-Za-z0-9]/.test(char)) return [];
  let pattern = '';
  for (const byte of Buffer.from(char, 'utf8')) {
    const hex = byte.toString(16).toUpperCase().padStart(2, '0');
    pattern += `%${caseless(hex)}`;
  }
  return [pattern];
}

function jsonForms(char: string): string[] {
  const forms: string[] = [];
  const short = JSON_SHORT_ESCAPES[char];
  if (short !== undefined) forms.push(escapeRegExp(short));
  if (/[A-Za-z0-9]/.test(char)) return forms;
  let unicode = '';
  for (let i = 0; i < char.length; i++) unicode += `\\\\u${caseless(char.charCodeAt(i).toString(16).toUpperCase().padStart(4, '0'))}`;
  forms.push(unicode);
  return forms;
}

const JSON_SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '/': '\\/',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

function caseless(hex: string): string {
  let pattern = '';
  for (const digit of hex) pattern += /[A-F]/.test(digit) ? `[${digit}${digit.toLowerCase()}]` : digit;
  return pattern;
}

function escapeRegExp(text: string): string {
  return text.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');
}
