// Whether live mode can write run history right now. A failed write (a full disk, a read-only `.weft`) marks
// history failing: the failure is logged and shown in `/_weft/status`, and new webhook requests are answered 503
// with Retry-After instead of starting runs nobody could find afterwards. Once Retry-After has passed, one request
// at a time is let through as a probe: its run starts only after its first record is written (durableStart), so a
// probe either records its run (and history is healthy again) or is refused as the others were, having run nothing.
// Any successful write (a schedule's run, say) also clears the failure.

export const DEFAULT_HISTORY_RETRY_MS = 5000;

export interface HistoryHealthStatus {
  ok: boolean;
  /** While failing: since when (ISO), the last error, and how many writes failed since. */
  failingSince?: string;
  lastError?: string;
  failedWrites?: number;
}

export type Admission = { admit: true; probe: boolean } | { admit: false; retryAfterMs: number };

export class HistoryHealth {
  private failingSince: number | undefined;
  private lastFailureAt = 0;
  private lastError = '';
  private failedWrites = 0;
  private probing = false;

  constructor(
    private readonly retryMs: number = DEFAULT_HISTORY_RETRY_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Retry-After of a request refused because history is failing. */
  get retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.retryMs / 1000));
  }

  get failing(): boolean {
    return this.failingSince !== undefined;
  }

  /** Whether a new request may start a run now. A probe must call `probeEnded` when its first write settled. */
  admit(): Admission {
    if (this.failingSince === undefined) return { admit: true, probe: false };
    const wait = this.lastFailureAt + this.retryMs - this.now();
    if (wait <= 0 && !this.probing) {
      this.probing = true;
      return { admit: true, probe: true };
    }
    return { admit: false, retryAfterMs: Math.max(wait, this.retryMs > 0 ? 1 : 0) };
  }

  probeEnded(): void {
    this.probing = false;
  }

  /** Returns true when this failure is the first since history was last healthy. */
  writeFailed(error: unknown): boolean {
    const first = this.failingSince === undefined;
    const now = this.now();
    if (first) {
      this.failingSince = now;
      this.failedWrites = 0;
    }
    this.lastFailureAt = now;
    this.failedWrites++;
    this.lastError = error instanceof Error ? error.message : String(error);
    return first;
  }

  /** Returns true when history was failing until now. */
  writeSucceeded(): boolean {
    if (this.failingSince === undefined) return false;
    this.failingSince = undefined;
    return true;
  }

  status(): HistoryHealthStatus {
    if (this.failingSince === undefined) return { ok: true };
    return { ok: false, failingSince: new Date(this.failingSince).toISOString(), lastError: this.lastError, failedWrites: this.failedWrites };
  }
}
