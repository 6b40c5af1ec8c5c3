// The bytes of request bodies live mode holds at once, across every request in flight (defaults to 32 MiB).
// Each body is capped on its own (1 MiB); this caps the sum, so a few hundred slow uploads cannot take the server's
// memory: past the budget a request is answered 503 with Retry-After, and its bytes are not kept.

export const DEFAULT_BODY_BUDGET_BYTES = 32 * 1024 * 1024;

export class BodyBudget {
  private held = 0;

  constructor(readonly limitBytes: number = DEFAULT_BODY_BUDGET_BYTES) {}

  /** Bytes held now. */
  get heldBytes(): number {
    return this.held;
  }

  /** Takes `bytes` from the budget, or returns false (taking nothing) when they do not fit. */
  take(bytes: number): boolean {
    if (this.held + bytes > this.limitBytes) return false;
    this.held += bytes;
    return true;
  }

  give(bytes: number): void {
    this.held = Math.max(0, this.held - bytes);
  }
}
