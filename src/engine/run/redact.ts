// Secrets never reach a record, an event or a log (spec section 11): every occurrence of a secret's value is
// replaced by ***. Values are copied only where a secret was found, so the common case allocates nothing.

export const REDACTED = '***';

export class Redactor {
  private readonly values: string[];

  constructor(secrets: Record<string, string | undefined>) {
    // Longest first, so a secret that contains another is replaced whole.
    this.values = Object.values(secrets)
      .filter((v): v is string => typeof v === 'string' && v.length > 0)
      .sort((a, b) => b.length - a.length);
  }

  get active(): boolean {
    return this.values.length > 0;
  }

  text(text: string): string {
    let out = text;
    for (const secret of this.values) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }

  /** A copy of `value` with secrets replaced, or `value` itself when none occurs. */
  value<T>(value: T): T {
    if (!this.active) return value;
    return this.walk(value, 0) as T;
  }

  private walk(value: unknown, depth: number): unknown {
    if (typeof value === 'string') return this.text(value);
    if (typeof value !== 'object' || value === null || depth > 100) return value;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const next = this.walk(value[i], depth + 1);
        if (next !== value[i]) {
          copy ??= value.slice();
          copy[i] = next;
        }
      }
      return copy ?? value;
    }
    let copy: Record<string, unknown> | undefined;
    for (const key of Object.keys(value)) {
      const current = (value as Record<string, unknown>)[key];
      const next = this.walk(current, depth + 1);
      const redactedKey = this.text(key);
      if (next !== current || redactedKey !== key) {
        copy ??= { ...(value as Record<string, unknown>) };
        if (redactedKey !== key) delete copy[key];
        copy[redactedKey] = next;
      }
    }
    return copy ?? value;
  }
}
